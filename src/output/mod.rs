//! Files the application writes: CSV for Excel, XLSX, iCalendar and PDF (attendance lists,
//! certificates, the results report).

pub(crate) mod canvas;
pub mod certificate;
pub mod csv;
pub mod fonts;
pub mod ical;
pub mod pdf;
#[cfg(test)]
mod qr_decode;
pub mod report;
pub mod xlsx;
