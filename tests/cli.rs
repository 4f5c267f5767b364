//! The `akademia` binary as scripts use it (CONTRACT.md): exit codes, stdout, messages.
mod common;

use std::process::{Command, Output};

fn akademia(url: &str, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_akademia"));
    cmd.args(args)
        .env("DATABASE_URL", url)
        .env_remove("AKADEMIA_PASSWORD")
        .env("LANG", "C.UTF-8");
    if let Some(p) = password {
        cmd.env("AKADEMIA_PASSWORD", p);
    }
    cmd.output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_and_bad_usage() {
    let url = "sqlite://unused.db";
    assert_eq!(akademia(url, &["--help"], None).status.code(), Some(0));
    assert_eq!(
        akademia(url, &["no-such-command"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        akademia(url, &["user", "add", "--email", "a@b.pl"], None)
            .status
            .code(),
        Some(2)
    );
    let bad_role = akademia(
        url,
        &[
            "user", "add", "--email", "a@b.pl", "--name", "A", "--role", "boss",
        ],
        None,
    );
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(stderr(&bad_role).contains("unknown role"));
    assert!(
        !std::path::Path::new("unused.db").exists(),
        "bad usage touches no database"
    );
}

#[test]
fn an_unusable_database_url_is_a_clear_failure() {
    let o = akademia("mysql://x", &["migrate"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("DATABASE_URL must start with sqlite:// or postgres://"));
    let o = akademia("postgres://nobody:secret@127.0.0.1:1/x", &["migrate"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !stderr(&o).contains("secret"),
        "the password is not printed"
    );
    assert!(!stderr(&o).contains("panicked"));
}

both_backends! {
    async fn users_and_tokens_from_the_command_line(app) {
        let url = app.url.as_str();
        assert_eq!(akademia(url, &["migrate"], None).status.code(), Some(0));
        assert_eq!(akademia(url, &["migrate"], None).status.code(), Some(0));
        let add = ["user", "add", "--email", "koordynator@test.pl", "--name", "Zofia Kowalczyk", "--role", "coordinator"];
        assert_eq!(akademia(url, &add, Some("Haslo-z-terminala")).status.code(), Some(0));
        let again = akademia(url, &add, Some("Haslo-z-terminala"));
        assert_eq!(again.status.code(), Some(1));
        assert!(stderr(&again).contains("already exists"));
        let short = akademia(url, &["user", "add", "--email", "t@test.pl", "--name", "T", "--role", "trainer"], Some("krotkie"));
        assert_eq!(short.status.code(), Some(1));
        assert!(stderr(&short).contains("password: The password must be at least 10 characters long."), "{}", stderr(&short));

        let token = akademia(url, &["token", "--email", "koordynator@test.pl"], None);
        assert_eq!(token.status.code(), Some(0));
        let stdout = String::from_utf8(token.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1, "one line: {stdout:?}");
        let plain = stdout.trim();
        assert_eq!(app.api_get("/api/v1/me", Some(plain)).await.1["name"], "Zofia Kowalczyk");

        assert_eq!(akademia(url, &["token", "--email", "nikt@test.pl"], None).status.code(), Some(1));
        assert_eq!(akademia(url, &["token", "--email", "koordynator@test.pl", "--revoke-all"], None).status.code(), Some(0));
        assert_eq!(app.api_get("/api/v1/me", Some(plain)).await.0, rocket::http::Status::Unauthorized);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE actor_label = 'cli'").await, 3);
    }

    async fn a_faulty_register_file_is_refused_naming_the_row(app) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("TERC.csv");
        std::fs::write(&file, "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n30;;;;WIELKOPOLSKIE;województwo;2025-01-01\n30;26;04;3;Śrem;gmina miejsko-wiejska;2025-01-01\n").unwrap();
        let o = akademia(&app.url, &["gminy", "load", file.to_str().unwrap()], None);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("row 3, powiat: The file has no row for powiat 3026."), "{}", stderr(&o));
        let o = akademia(&app.url, &["gminy", "load", "/no/such/file.csv"], None);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(app.count("SELECT COUNT(*) FROM gminy WHERE active = TRUE").await, 2477);
    }
}
