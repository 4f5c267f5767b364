//! The command line (CONTRACT.md): `serve` (default), `migrate`, `user`, `token`, `gminy load`,
//! `import`, `export`, `certificates`, `report`, `demo`.
//! Exit codes: 0 success, 1 failure with a message on stderr, 2 bad usage.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod files;

use crate::config::{self, AppConfig};
use crate::db::audit::Actor;
use crate::db::{Db, users};
use crate::domain::Role;
use crate::error::{AppError, ValidationErrors};
use crate::i18n::Lang;
use crate::service::{gminy as gminy_service, tokens, users as user_service};

#[derive(Parser)]
#[command(
    name = "akademia",
    version,
    about = "Akademia: advocacy training academies — enrolment by gmina, scheduling, attendance, certificates, reports",
    after_help = "The database comes from DATABASE_URL (default sqlite://akademia.db); postgres://… selects PostgreSQL."
)]
struct Cli {
    /// Database URL; overrides DATABASE_URL (sqlite://FILE or postgres://…)
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (the default); address and port from Rocket.toml, ROCKET_ADDRESS, ROCKET_PORT
    Serve,
    /// Apply database migrations and load reference data into an empty database
    Migrate,
    /// Manage users
    #[command(subcommand)]
    User(UserCommand),
    /// Print a new API token for a user (one line on stdout), or revoke all of a user's tokens
    Token {
        #[arg(long)]
        email: String,
        /// Name shown on the account page
        #[arg(long, default_value = "cli")]
        label: String,
        /// Revoke every token of the user instead of issuing one
        #[arg(long)]
        revoke_all: bool,
    },
    /// The gmina register (GUS TERYT, catalogue TERC)
    #[command(subcommand)]
    Gminy(GminyCommand),
    /// Import data from files
    #[command(subcommand)]
    Import(ImportCommand),
    /// Benchmarks quoted in closing notes (run on a scratch database)
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Export data to files
    #[command(subcommand)]
    Export(ExportCommand),
    /// Issue certificates to every eligible enrolment of a cohort that never held one, and write
    /// all its valid certificates as PDFs into a ZIP
    Certificates {
        /// Cohort id or slug
        #[arg(long)]
        cohort: String,
        /// The ZIP to write
        #[arg(long)]
        out: std::path::PathBuf,
        /// Language of newly issued certificates
        #[arg(long, default_value = "pl", value_parser = ["pl", "en"])]
        lang: String,
    },
    /// Write the results report of a cohort or of a whole programme (exact numbers, as
    /// coordinators see them)
    #[command(group(clap::ArgGroup::new("scope").required(true).args(["cohort", "programme"])))]
    Report {
        /// Cohort id or slug
        #[arg(long)]
        cohort: Option<String>,
        /// Programme id or slug (all its cohorts)
        #[arg(long)]
        programme: Option<String>,
        #[arg(long, value_parser = ["json", "csv", "xlsx", "pdf"])]
        format: String,
        #[arg(long, default_value = "pl", value_parser = ["pl", "en"])]
        lang: String,
        /// The file to write
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate the synthetic programme `synth` for benchmarks (use a scratch database)
    Synth {
        /// small, or national (every gmina, 300 cohorts, 30,000 people, 600,000 marks)
        #[arg(long, default_value = "national", value_parser = ["small", "national"])]
        scale: String,
    },
    /// Load the demo academy (WARNiK 2021–2022; idempotent), print its logins, then serve
    Demo {
        /// Load and exit without starting the server
        #[arg(long)]
        no_serve: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Time a participant CSV import of a generated file: rows/s and peak memory
    Import {
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
    },
    /// Time saving an activity's attendance (every mark changing): median and p99 per save
    Attendance {
        /// People on the roster
        #[arg(long, default_value_t = 40)]
        people: usize,
        /// Saves to time
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Issue certificates to N eligible people, render every PDF and the ZIP: s, PDFs/s, median KB
    Certificates {
        #[arg(long, default_value_t = 1_000)]
        people: usize,
    },
    /// Time the JSON results report of one cohort and of the whole `synth` programme (generated
    /// at the national scale first if missing): median, min and max
    Report {
        /// Runs of each report
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// Stream the attendance CSV of `synth` (generated first if missing) into a sink: rows/s and
    /// peak memory before and after
    AttendanceExport,
    /// Time rendering the attendance-list PDF of an activity: ms per list and its size
    AttendanceList {
        /// People on the list
        #[arg(long, default_value_t = 200)]
        rows: usize,
        /// Renders to time (after one warm-up that also parses the fonts)
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Every attendance mark of a programme, one CSV row each (UTF-8 with BOM, `;`), streamed
    Attendance {
        /// Programme id or slug
        #[arg(long)]
        programme: String,
        /// The CSV file to write
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "pl", value_parser = ["pl", "en"])]
        lang: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a participant CSV (CONTRACT.md) into a cohort: every row or none
    Participants {
        /// The cohort's id or slug
        #[arg(long)]
        cohort: String,
        /// Check the file only; write nothing
        #[arg(long)]
        dry_run: bool,
        /// The CSV file (comma or semicolon, UTF-8 or Windows-1250)
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password comes from AKADEMIA_PASSWORD or is asked on the terminal
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, coordinator, trainer or funder
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List users
    List,
    /// Set a new password (AKADEMIA_PASSWORD or asked on the terminal)
    Password {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum GminyCommand {
    /// Load a newer TERC register (GUS CSV or XML, or data/gminy.csv's layout); all or nothing
    Load {
        /// The file downloaded from eteryt.stat.gov.pl (TERC, "urzędowy")
        file: PathBuf,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    value.parse::<Role>().map_err(|e| e.to_string())
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    crate::init_tracing();
    let figment = config::figment(cli.database_url.as_deref());
    let command = cli.command.unwrap_or(Command::Serve);
    match rocket::execute(dispatch(command, figment)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("akademia: {e:#}");
            ExitCode::from(1)
        }
    }
}

async fn dispatch(command: Command, figment: rocket::figment::Figment) -> anyhow::Result<()> {
    if let Command::Serve = command {
        let _ = crate::build(figment).await?.launch().await?;
        return Ok(());
    }
    if let Command::Demo { no_serve } = command {
        let config = AppConfig::from_figment(&figment)?;
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        let summary = crate::demo::load(&db).await.map_err(explain)?;
        println!("{summary}");
        db.close().await;
        if !no_serve {
            let _ = crate::build(figment).await?.launch().await?;
        }
        return Ok(());
    }
    let config = AppConfig::from_figment(&figment)?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let result = match command {
        Command::Serve | Command::Demo { .. } => unreachable!("handled above"),
        Command::Migrate => {
            println!("migrations applied ({})", db.backend().as_str());
            Ok(())
        }
        Command::User(UserCommand::Add { email, name, role }) => {
            add_user(&db, email, name, role).await
        }
        Command::User(UserCommand::List) => list_users(&db).await,
        Command::User(UserCommand::Password { email }) => reset_password(&db, &email).await,
        Command::Token {
            email,
            label,
            revoke_all,
        } => token(&db, &email, &label, revoke_all).await,
        Command::Gminy(GminyCommand::Load { file }) => load_gminy(&db, &file).await,
        Command::Bench(BenchCommand::Import { rows }) => {
            let report = crate::bench::import(&db, rows).await.map_err(explain)?;
            println!("{report}");
            Ok(())
        }
        Command::Bench(BenchCommand::Attendance { people, runs }) => {
            let report = crate::bench::attendance(&db, people, runs)
                .await
                .map_err(explain)?;
            println!("{report}");
            Ok(())
        }
        Command::Bench(BenchCommand::Certificates { people }) => {
            let report = crate::bench::certificates(&db, people)
                .await
                .map_err(explain)?;
            println!("{report}");
            Ok(())
        }
        Command::Bench(BenchCommand::AttendanceList { rows, runs }) => {
            let report =
                crate::bench::attendance_list(rows, runs).map_err(|e| anyhow::anyhow!("{e:#}"))?;
            println!("{report}");
            Ok(())
        }
        Command::Bench(BenchCommand::Report { runs }) => {
            let report = crate::bench::report(&db, runs).await.map_err(explain)?;
            println!("{report}");
            Ok(())
        }
        Command::Bench(BenchCommand::AttendanceExport) => {
            let report = crate::bench::attendance_export(&db)
                .await
                .map_err(explain)?;
            println!("{report}");
            Ok(())
        }
        Command::Export(ExportCommand::Attendance {
            programme,
            out,
            lang,
        }) => files::export_attendance(&db, &programme, &out, &lang).await,
        Command::Synth { scale } => {
            let scale = crate::synth::Scale::parse(&scale).unwrap_or(crate::synth::Scale::NATIONAL);
            let report = crate::synth::generate(&db, scale).await.map_err(explain)?;
            println!("{report}");
            Ok(())
        }
        Command::Certificates { cohort, out, lang } => {
            files::certificates(&db, &config, &cohort, &out, &lang).await
        }
        Command::Import(ImportCommand::Participants {
            cohort,
            dry_run,
            file,
        }) => import_participants(&db, &cohort, dry_run, &file).await,
        Command::Report {
            cohort,
            programme,
            format,
            lang,
            out,
        } => files::report(&db, cohort, programme, &format, &lang, &out).await,
    };
    db.close().await;
    result
}

/// Polish when the terminal's locale is Polish, English otherwise.
fn cli_lang() -> Lang {
    let locale = std::env::var("AKADEMIA_LANG")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default();
    if locale.to_ascii_lowercase().starts_with("pl") {
        Lang::Pl
    } else {
        Lang::En
    }
}

/// Turns an error into a message naming each field (and row) in the terminal's language.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation(errors) => anyhow::anyhow!(describe(&errors)),
        AppError::Unexpected(e) => e,
        other => anyhow::anyhow!(other.to_string()),
    }
}

fn describe(errors: &ValidationErrors) -> String {
    let lang = cli_lang();
    errors
        .0
        .iter()
        .map(|e| match e.row {
            Some(row) => format!(
                "\n  {} {row}, {}: {}",
                if lang == Lang::Pl { "wiersz" } else { "row" },
                e.field,
                e.message.render(lang)
            ),
            None => format!("\n  {}: {}", e.field, e.message.render(lang)),
        })
        .collect()
}

fn password_from_env_or_terminal() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("AKADEMIA_PASSWORD") {
        return Ok(password);
    }
    let first = rpassword::prompt_password("Password: ").map_err(|e| {
        anyhow::anyhow!("cannot read a password from the terminal ({e}); set AKADEMIA_PASSWORD")
    })?;
    let second = rpassword::prompt_password("Repeat the password: ").map_err(|e| {
        anyhow::anyhow!("cannot read a password from the terminal ({e}); set AKADEMIA_PASSWORD")
    })?;
    if first != second {
        anyhow::bail!("the passwords differ");
    }
    Ok(first)
}

async fn add_user(db: &Db, email: String, name: String, role: Role) -> anyhow::Result<()> {
    if users::find_by_email(db, &email.trim().to_lowercase())
        .await?
        .is_some()
    {
        anyhow::bail!("a user with email {} already exists", email.trim());
    }
    let password = password_from_env_or_terminal()?;
    let input = user_service::NewUserInput {
        email,
        name,
        role: role.as_str().to_owned(),
        password,
        password_confirm: None,
    };
    let user = user_service::create(db, &Actor::cli(), &input)
        .await
        .map_err(explain)?;
    println!("created {} ({}, {})", user.email, user.name, user.role);
    Ok(())
}

async fn list_users(db: &Db) -> anyhow::Result<()> {
    for user in users::list(db).await? {
        let state = if user.active { "active" } else { "inactive" };
        println!(
            "{:<40} {:<12} {:<9} {}",
            user.email,
            user.role.as_str(),
            state,
            user.name
        );
    }
    Ok(())
}

async fn find_user(db: &Db, email: &str) -> anyhow::Result<users::User> {
    users::find_by_email(db, &email.trim().to_lowercase())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user with email {}", email.trim()))
}

async fn reset_password(db: &Db, email: &str) -> anyhow::Result<()> {
    let user = find_user(db, email).await?;
    let password = password_from_env_or_terminal()?;
    user_service::set_password(db, &Actor::cli(), user.id, None, &password, None)
        .await
        .map_err(explain)?;
    println!("password set for {}", user.email);
    Ok(())
}

async fn token(db: &Db, email: &str, label: &str, revoke_all: bool) -> anyhow::Result<()> {
    let user = find_user(db, email).await?;
    if revoke_all {
        let count = tokens::revoke_all(db, &Actor::cli(), &user)
            .await
            .map_err(explain)?;
        eprintln!("revoked {count} token(s) of {}", user.email);
        return Ok(());
    }
    if !user.active {
        anyhow::bail!("user {} is deactivated", user.email);
    }
    let (_, plain) = tokens::issue(db, &Actor::cli(), &user, label)
        .await
        .map_err(explain)?;
    println!("{plain}");
    Ok(())
}

async fn load_gminy(db: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let summary = gminy_service::load_register(db, &Actor::cli(), &bytes)
        .await
        .map_err(explain)?;
    println!(
        "register loaded: {} added, {} updated, {} retired, {} unchanged",
        summary.added.len(),
        summary.updated.len(),
        summary.retired.len(),
        summary.unchanged
    );
    for (label, codes) in [
        ("added", &summary.added),
        ("updated", &summary.updated),
        ("retired", &summary.retired),
    ] {
        if !codes.is_empty() {
            println!("  {label}: {}", codes.join(", "));
        }
    }
    Ok(())
}

async fn import_participants(
    db: &Db,
    cohort: &str,
    dry_run: bool,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    let Some(cohort) = crate::service::programmes::find_cohort(db, cohort)
        .await
        .map_err(explain)?
    else {
        anyhow::bail!("no cohort with id or slug {cohort}");
    };
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let outcome = crate::service::import::import(db, &Actor::cli(), &cohort, &bytes, dry_run)
        .await
        .map_err(|e| match e {
            AppError::Validation(errors) => anyhow::anyhow!(
                "{} ({}):{}",
                file.display(),
                if cli_lang() == Lang::Pl {
                    "nic nie zaimportowano"
                } else {
                    "nothing imported"
                },
                describe(&errors)
            ),
            other => explain(other),
        })?;
    if dry_run {
        println!(
            "{}: {} valid rows, nothing written (dry run)",
            cohort.slug, outcome.valid
        );
    } else {
        println!(
            "{}: {} participants imported",
            cohort.slug, outcome.imported
        );
    }
    Ok(())
}
