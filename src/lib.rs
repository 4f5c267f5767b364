//! Akademia: advocacy training academies — enrolment by gmina, scheduling, attendance,
//! certificates and funder reports. This crate is the whole application; `main.rs` only calls `cli::run`.

pub mod api;
pub mod bench;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod output;
pub mod service;
pub mod synth;
pub mod web;

use rocket::figment::Figment;
use rocket::fs::FileServer;
use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;

use config::AppConfig;
use db::Db;

/// Connects to the configured database, migrates it, settles the secret key, and assembles the app.
pub async fn build(figment: Figment) -> anyhow::Result<Rocket<Build>> {
    let config = AppConfig::from_figment(&figment)?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let figment = with_secret_key(figment, &db).await?;
    rocket(figment, db)
}

/// A configured `ROCKET_SECRET_KEY` (or `secret_key` in Rocket.toml) always wins; otherwise the key
/// generated once and kept in the database is used, so sessions survive restarts and are shared
/// by every instance.
pub async fn with_secret_key(figment: Figment, db: &Db) -> anyhow::Result<Figment> {
    let rocket_config: rocket::Config = figment
        .extract()
        .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
    if rocket_config.secret_key.is_provided() {
        return Ok(figment);
    }
    let key = db::settings::secret_key(db).await?;
    Ok(figment.merge((rocket::Config::SECRET_KEY, key)))
}

/// The application on an already migrated database.
pub fn rocket(figment: Figment, db: Db) -> anyhow::Result<Rocket<Build>> {
    let config = AppConfig::from_figment(&figment)?;
    let assets = FileServer::from(config.assets_dir.clone());
    Ok(rocket::custom(figment)
        .manage(db)
        .manage(config)
        .manage(web::verify::VerifyLimiter::default())
        .manage(web::survey_links::SurveyLimiter::default())
        .attach(Template::custom(|engines| {
            web::templating::register(&mut engines.minijinja)
        }))
        .attach(web::security::SecurityHeaders)
        .mount("/", web::routes())
        .mount("/assets", assets)
        .mount("/api/v1", api::routes())
        .register("/", web::errors::catchers())
        .register("/api", api::catchers()))
}

/// Logs to stderr; `RUST_LOG` chooses what (default: info for Akademia, warnings for libraries).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,akademia=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
