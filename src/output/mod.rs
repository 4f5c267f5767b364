//! Files the application writes: CSV for Excel, XLSX.

pub mod csv;
pub mod ical;
pub mod xlsx;
