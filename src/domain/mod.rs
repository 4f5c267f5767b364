//! Plain types and rules: parse-don't-validate newtypes and the calculations behind features.

pub mod activity;
pub mod attendance;
pub mod certificate;
pub mod email;
pub mod fold;
pub mod gmina;
pub mod import;
pub mod indicator;
pub mod participant;
pub mod password;
pub mod report;
pub mod role;
pub mod survey;
pub mod tally;
pub mod task;
pub mod terc;
pub mod token;

pub use email::Email;
pub use gmina::{GminaKind, Teryt};
pub use role::Role;
