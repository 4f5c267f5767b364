//! Certificate pages for coordinators.

use rocket::Route;

pub fn routes() -> Vec<Route> {
    Vec::new()
}
