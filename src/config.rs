//! Configuration: Rocket's figment plus Akademia's own keys, extracted into one typed `AppConfig`.
//!
//! Sources, weakest first: built-in defaults, `Rocket.toml` (profiles), `ROCKET_*` and
//! `AKADEMIA_*` environment variables, `DATABASE_URL`, then command-line flags.

use std::path::{Path, PathBuf};

use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};
use serde::{Deserialize, Serialize};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://akademia.db";

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct AppConfig {
    /// `sqlite://…` or `postgres://…`.
    #[serde(default = "default_database_url")]
    pub database_url: String,
    /// How long a login lasts without signing in again.
    #[serde(default = "default_session_hours")]
    pub session_hours: u32,
    /// Mark cookies `Secure`: set it when the app is served over HTTPS (behind a proxy).
    #[serde(default)]
    pub secure_cookies: bool,
    /// Folder of CSS, JS and fonts served under `/assets`.
    #[serde(default = "default_assets_dir")]
    pub assets_dir: PathBuf,
    /// The address people reach the app at (`https://akademia.example.org`), for links that leave
    /// the browser: calendar feeds, verification URLs. Unset: taken from the request's Host.
    #[serde(default)]
    pub public_url: Option<String>,
}

fn default_database_url() -> String {
    DEFAULT_DATABASE_URL.to_owned()
}

fn default_session_hours() -> u32 {
    12
}

fn default_assets_dir() -> PathBuf {
    project_dir("assets")
}

/// `name` in the working directory when it exists there, else in the source tree the binary
/// was built from, so `cargo run` and an installed binary both find templates and assets.
pub fn project_dir(name: &str) -> PathBuf {
    let local = Path::new(name);
    if local.is_dir() {
        local.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }
}

/// The full configuration figment; `database_url` from the command line wins over everything.
pub fn figment(database_url: Option<&str>) -> Figment {
    let defaults = Figment::from(rocket::Config::default())
        .merge(Serialized::default(
            "template_dir",
            project_dir("templates"),
        ))
        .merge(Serialized::default("assets_dir", project_dir("assets")))
        .merge(Serialized::default("limits.form", "64 KiB"))
        .merge(Serialized::default("limits.json", "2 MiB"))
        .merge(Serialized::default("limits.string", "16 MiB"))
        .merge(Serialized::default("limits.data-form", "16 MiB"))
        .merge(Serialized::default("limits.file", "16 MiB"));
    let mut figment = defaults
        .merge(Toml::file(Env::var_or("ROCKET_CONFIG", "Rocket.toml")).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .merge(Env::prefixed("AKADEMIA_").ignore(&["PASSWORD"]).global())
        .merge(Env::raw().only(&["DATABASE_URL"]).global());
    if let Some(url) = database_url {
        figment = figment.merge(Serialized::global("database_url", url));
    }
    figment.select(Profile::from_env_or(
        "ROCKET_PROFILE",
        rocket::Config::DEFAULT_PROFILE,
    ))
}

impl AppConfig {
    pub fn from_figment(figment: &Figment) -> anyhow::Result<AppConfig> {
        figment
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))
    }
}
