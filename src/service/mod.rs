//! Services: the rules of each feature over the database, shared by HTML routes, the API and
//! the command line. Every write that matters is audited in its own transaction.

pub mod activities;
pub mod attendance;
pub mod attendance_export;
pub mod auth;
pub mod calendar;
pub mod certificates;
pub mod enrolments;
pub mod evidence;
pub mod exports;
pub mod gminy;
pub mod import;
pub mod indicators;
pub mod organisations;
pub mod privacy;
pub mod programmes;
pub mod reports;
pub mod surveys;
pub mod tasks;
pub mod tokens;
pub mod users;

/// Runs CPU-heavy work (argon2) off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    rocket::tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow::anyhow!("blocking task failed: {e}"))
}
