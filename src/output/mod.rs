//! Files the application writes: CSV for Excel, XLSX.

pub mod csv;
pub mod fonts;
pub mod ical;
pub mod pdf;
pub mod xlsx;
