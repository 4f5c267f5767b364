//! Administration: users, the audit log and the gmina register.

pub mod audit;
pub mod gminy;
pub mod users;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    [users::routes(), audit::routes(), gminy::routes()].concat()
}
