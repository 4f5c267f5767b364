//! (being written)

use rocket::{Route, routes};

pub fn routes() -> Vec<Route> {
    routes![]
}
