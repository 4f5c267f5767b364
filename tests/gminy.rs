//! The gmina register: shipped data loaded on first migration, newer TERC files loaded all or nothing.
mod common;

use akademia::db::audit::Actor;
use akademia::db::gminy;
use akademia::domain::Role;
use akademia::service::gminy::load_register;
use common::Browse;
use rocket::http::{ContentType, Status};

const SHIPPED: &str = include_str!("../data/gminy.csv");

/// The shipped register with Śrem renamed, rural Gniezno gone and one new gmina.
fn changed_register() -> String {
    let mut out = String::new();
    for line in SHIPPED.lines() {
        if line.starts_with("3003032,") {
            continue;
        }
        out.push_str(&line.replace("3026043,Śrem,", "3026043,Śrem Wielkopolski,"));
        out.push('\n');
    }
    out.push_str(
        "3026053,Nowa Wieś Śremska,gmina wiejska,wiejska,śremski,powiat,wielkopolskie,30,3026\n",
    );
    out
}

/// The shipped register as GUS publishes TERC: semicolons, voivodeship and powiat rows, CRLF.
fn as_terc(csv: &str) -> String {
    let mut out = String::from("WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n");
    let mut seen_woj = std::collections::HashSet::new();
    let mut seen_pow = std::collections::HashSet::new();
    for record in csv::Reader::from_reader(csv.as_bytes()).records() {
        let f = record.expect("valid CSV");
        let (code, name, kind, powiat, powiat_kind, voiv) =
            (&f[0], &f[1], &f[2], &f[4], &f[5], &f[6]);
        let (woj, pow, gmi, rodz) = (&code[0..2], &code[2..4], &code[4..6], &code[6..7]);
        if seen_woj.insert(woj.to_owned()) {
            out.push_str(&format!(
                "{woj};;;;{};województwo;2025-01-01\r\n",
                voiv.to_uppercase()
            ));
        }
        if seen_pow.insert(format!("{woj}{pow}")) {
            out.push_str(&format!(
                "{woj};{pow};;;{powiat};{powiat_kind};2025-01-01\r\n"
            ));
        }
        let kind = kind.replace(", miasto stołeczne", "");
        out.push_str(&format!(
            "{woj};{pow};{gmi};{rodz};{name};{kind};2025-01-01\r\n"
        ));
        if rodz == "3" {
            out.push_str(&format!("{woj};{pow};{gmi};4;{name};miasto;2025-01-01\r\n"));
        }
    }
    out
}

both_backends! {
    async fn the_shipped_register_and_lists_are_loaded_on_first_migration(app) {
        assert_eq!(app.count("SELECT COUNT(*) FROM gminy WHERE active = TRUE").await, 2477);
        assert_eq!(app.count("SELECT COUNT(*) FROM spheres").await, 40);
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioning_modes").await, 12);
        // migrating again loads nothing twice
        app.db.migrate().await.unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM gminy").await, 2477);
        assert_eq!(app.count("SELECT COUNT(*) FROM spheres").await, 40);
    }

    async fn a_newer_register_adds_renames_and_retires_without_deleting(app) {
        let summary = load_register(&app.db, &Actor::cli(), changed_register().as_bytes()).await.unwrap();
        assert_eq!(summary.added, ["3026053"]);
        assert_eq!(summary.updated, ["3026043"]);
        assert_eq!(summary.retired, ["3003032"]);
        assert_eq!(summary.unchanged, 2475);
        let found = gminy::search(&app.db, "srem", 10).await.unwrap();
        assert_eq!(found[0].name, "Śrem Wielkopolski");
        assert!(found.iter().any(|g| g.teryt == "3026053"));
        // the retired gmina is no longer offered, but every link to it still resolves
        let gnieznos: Vec<String> = gminy::search(&app.db, "gniezno", 10).await.unwrap().into_iter().map(|g| g.teryt).collect();
        assert_eq!(gnieznos, ["3003011"]);
        assert_eq!(gminy::find(&app.db, "3003032").await.unwrap().unwrap().name, "Gniezno");
        assert_eq!(app.count("SELECT COUNT(*) FROM gminy").await, 2478);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'gminy.load' AND actor_label = 'cli'").await, 1);

        // loading the shipped register again brings rural Gniezno back
        let summary = load_register(&app.db, &Actor::cli(), SHIPPED.as_bytes()).await.unwrap();
        assert_eq!(summary.updated, ["3003032", "3026043"]);
        assert_eq!(summary.retired, ["3026053"]);
        assert_eq!(gminy::search(&app.db, "gniezno", 10).await.unwrap().len(), 2);
    }

    async fn a_gus_terc_file_in_windows_1250_loads(app) {
        let terc = as_terc(&changed_register());
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(&terc);
        assert!(!unmappable);
        let summary = load_register(&app.db, &Actor::cli(), &bytes).await.unwrap();
        assert_eq!((summary.added.len(), summary.updated.len(), summary.retired.len()), (1, 1, 1));
        assert_eq!(gminy::find(&app.db, "3026043").await.unwrap().unwrap().name, "Śrem Wielkopolski");
        assert_eq!(gminy::find(&app.db, "1465011").await.unwrap().unwrap().powiat, "Warszawa");
        assert_eq!(akademia::db::settings::get(&app.db, "terc_as_of").await.unwrap().as_deref(), Some("2025-01-01"));
    }

    async fn a_fragment_or_a_faulty_file_changes_nothing(app) {
        let fragment: String = SHIPPED.lines().take(200).map(|l| format!("{l}\n")).collect();
        let errors = match load_register(&app.db, &Actor::cli(), fragment.as_bytes()).await {
            Err(akademia::error::AppError::Validation(e)) => e,
            other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
        };
        assert_eq!(errors.0[0].message.key, "err.terc_incomplete");
        let mut faulty = changed_register();
        faulty.push_str("30999,Zła,gmina wiejska,wiejska,śremski,powiat,wielkopolskie,30,3026\n");
        let errors = match load_register(&app.db, &Actor::cli(), faulty.as_bytes()).await {
            Err(akademia::error::AppError::Validation(e)) => e,
            other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
        };
        assert_eq!(errors.0[0].row, Some(2479));
        assert_eq!(gminy::find(&app.db, "3026043").await.unwrap().unwrap().name, "Śrem");
        assert_eq!(app.count("SELECT COUNT(*) FROM gminy WHERE active = TRUE").await, 2477);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'gminy.load'").await, 0);
    }

    async fn an_admin_uploads_a_register_in_the_browser(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, page) = admin.get("/admin/gminy").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("2477 gmin"), "{page}");
        let token = admin.csrf().await;
        let boundary = "XyZzYbOuNdArY";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"TERC.csv\"\r\nContent-Type: text/csv\r\n\r\n{}\r\n\
             --{boundary}--\r\n",
            changed_register()
        );
        let content_type = ContentType::new("multipart", "form-data").with_params(("boundary", boundary));
        let res = admin.client.post("/admin/gminy").header(content_type.clone()).body(body.clone()).dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        let page = res.into_string().await.unwrap();
        assert!(page.contains("Rejestr został wczytany."));
        assert!(page.contains("3026053"));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'gminy.load' AND actor_label = 'admin@test.pl'").await, 1);

        // without the token the upload is refused
        let forged = body.replace(&token, "forged-token");
        let res = admin.client.post("/admin/gminy").header(content_type).body(forged).dispatch().await;
        assert_eq!(res.status(), Status::Forbidden);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'gminy.load'").await, 1);
    }

    async fn the_lookup_page_finds_gminas_for_every_role(app) {
        let (_, funder, _) = app.signed_in("fundator@test.pl", Role::Funder).await;
        let (status, page) = funder.get("/gminy?q=Gniezno").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("3003011") && page.contains("3003032"));
        assert!(page.contains("2 gminy"));
        assert!(page.contains("Źródło: GUS, rejestr TERYT (TERC)."));
        let (_, page) = funder.get("/gminy?q=qqqq").await;
        assert!(page.contains("Nie znaleziono gminy pasującej do „qqqq”."));
        let (_, page) = funder.get("/reference").await;
        assert!(page.contains("ART19A_MALE_GRANTY") && page.contains("pomoc społeczna"));
    }
}
