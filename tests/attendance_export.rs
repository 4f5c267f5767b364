//! The flat attendance export of a whole programme on both backends: every row of a small
//! hand-made programme asserted exactly (cancelled activities and other programmes left out),
//! BOM and header, the same file from the page, the API and the command line, who may export
//! it (funders and trainers 403, another programme's coordinator 404), and the audit record.
mod common;

use akademia::domain::Role;
use common::{Browse, TestApp};
use rocket::http::{Method, Status};
use serde_json::{Value, json};

const HEADER_PL: &str = "data;zajęcia;rodzaj zajęć;edycja;kod TERYT;gmina;grupa;id zapisu;\
                         nazwisko;imię;obecność;godziny zajęć;godziny obecności";
const HEADER_EN: &str = "date;activity;kind;cohort;TERYT code;gmina;group;enrolment id;\
                         last name;first name;attendance;activity hours;attended hours";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (status, out) = app.api_json(Method::Post, path, Some(token), &body).await;
    assert!(
        status == Status::Created || status == Status::Ok,
        "POST {path}: {status} {out}"
    );
    out
}

/// A programme with one cohort.
async fn programme(app: &TestApp, token: &str, slug: &str, cohort: &str) {
    let programme = post(
        app,
        token,
        "/api/v1/programmes",
        json!({
            "name": format!("Programme {slug}"), "slug": slug, "funder": "Fundusz",
            "starts_on": "2025-01-01", "ends_on": "2026-12-31"
        }),
    )
    .await;
    new_cohort(app, token, &programme, cohort).await;
}

async fn new_cohort(app: &TestApp, token: &str, programme: &Value, slug: &str) {
    post(
        app,
        token,
        "/api/v1/cohorts",
        json!({
            "programme": programme["id"], "name": format!("Edycja {slug}"), "slug": slug,
            "starts_on": "2025-01-01", "ends_on": "2025-12-31"
        }),
    )
    .await;
}

/// An activity at a fixed Warsaw time, long ago enough that marking needs a reason.
async fn activity(
    app: &TestApp,
    token: &str,
    cohort: &str,
    (kind, title): (&str, &str),
    (starts, ends): (&str, &str),
    audience: Value,
) -> String {
    let a = post(
        app,
        token,
        &format!("/api/v1/cohorts/{cohort}/activities"),
        json!({
            "kind": kind, "title": title, "starts_at": starts, "ends_at": ends,
            "location": "Leszno", "online_url": "https://meet.example.org/a",
            "trainers": ["trener@test.pl"], "audience": audience,
            "allow_conflicts": true
        }),
    )
    .await;
    a["id"].as_str().expect("activity id").to_owned()
}

async fn mark(app: &TestApp, token: &str, activity: &str, marks: &[(&str, &str)]) {
    app.put_marks(token, activity, marks, Some("lista papierowa"))
        .await;
}

/// Tokens of who is who, and the rows the export of `prog` must hold (Polish labels).
struct World {
    coord: String,
    admin: String,
    funder: String,
    trainer: String,
    outsider: String,
    rows: Vec<String>,
}

/// Programme `prog`: cohort c1 (the six people of the fixture) with a training on 10 March
/// (3 h = 4 academic hours; Pająk unmarked), a webinar for officials and NGO people on 12 March
/// (45 min = 1 hour) and a coaching cancelled after someone was marked; cohort c2 with one
/// person just after midnight of 12 March (90 min = 2 hours). Programme `inny` of another
/// coordinator has a mark too.
async fn world(app: &TestApp) -> World {
    let c = app.user("koord@test.pl", Role::Coordinator).await;
    let coord = app.token(&c).await;
    let trainer = app.user("trener@test.pl", Role::Trainer).await;
    let trainer = app.token(&trainer).await;
    let f = app.user("fundator@test.pl", Role::Funder).await;
    let funder = app.token(&f).await;
    let o = app.user("inny@test.pl", Role::Coordinator).await;
    let outsider = app.token(&o).await;
    let a = app.user("admin@test.pl", Role::Admin).await;
    let admin = app.token(&a).await;

    programme(app, &coord, "prog", "c1").await;
    akademia::service::programmes::add_member(&app.db, &c, "prog", "fundator@test.pl")
        .await
        .expect("funder added");
    let (_, prog) = app.api_get("/api/v1/programmes/prog", Some(&coord)).await;
    new_cohort(app, &coord, &prog, "c2").await;
    app.import_sample(&coord, "c1").await;
    let person = json!({
        "first_name": "Tomasz", "last_name": "Nowicki", "email": "t.nowicki@example.pl",
        "gmina": "3004023", "group": "ngo", "sex": null, "birth_year": 2000
    });
    post(app, &coord, "/api/v1/cohorts/c2/enrolments", person).await;
    let c1 = app.enrolled(&coord, "c1").await;
    let c2 = app.enrolled(&coord, "c2").await;
    let id = |last: &str| -> String {
        c1.iter()
            .chain(&c2)
            .find(|(_, l)| l == last)
            .unwrap_or_else(|| panic!("{last} enrolled"))
            .0
            .clone()
    };
    let (z, b, cw, sl, n, p, t) = (
        id("Żółkiewska-Łęcka"),
        id("Brzęczyszczykiewicz"),
        id("Ćwiek"),
        id("Ślęzak"),
        id("Nowak-Jeziorańska"),
        id("Pająk"),
        id("Nowicki"),
    );

    let training = activity(
        app,
        &coord,
        "c1",
        ("training", "Szkolenie otwierające"),
        ("2025-03-10T09:00:00+01:00", "2025-03-10T12:00:00+01:00"),
        json!({}),
    )
    .await;
    mark(
        app,
        &coord,
        &training,
        &[
            (&z, "present"),
            (&b, "late"),
            (&cw, "excused"),
            (&sl, "absent"),
            (&n, "present"),
        ],
    )
    .await;
    let webinar = activity(
        app,
        &coord,
        "c1",
        ("webinar", "Zlecanie zadań; praktyka"),
        ("2025-03-12T18:00:00+01:00", "2025-03-12T18:45:00+01:00"),
        json!({"groups": ["official", "ngo"]}),
    )
    .await;
    mark(app, &coord, &webinar, &[(&z, "present"), (&sl, "present")]).await;
    let cancelled = activity(
        app,
        &coord,
        "c1",
        ("coaching", "Odwołany coaching"),
        ("2025-03-14T10:00:00+01:00", "2025-03-14T11:30:00+01:00"),
        json!({}),
    )
    .await;
    mark(app, &coord, &cancelled, &[(&p, "present")]).await;
    let (status, out) = app
        .api_json(
            Method::Post,
            &format!("/api/v1/activities/{cancelled}/cancel"),
            Some(&coord),
            &json!({"reason": "Burza"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{out}");
    let second = activity(
        app,
        &coord,
        "c2",
        ("training", "Druga edycja"),
        // Still the 11th in UTC: the date is Warsaw's.
        ("2025-03-12T00:30:00+01:00", "2025-03-12T02:00:00+01:00"),
        json!({}),
    )
    .await;
    mark(app, &coord, &second, &[(&t, "present")]).await;

    // Another programme's mark must not leak in.
    programme(app, &outsider, "inny", "o1").await;
    let stranger = json!({
        "first_name": "Ewa", "last_name": "Inna", "email": "e.inna@example.pl",
        "gmina": "3004023", "group": "official", "sex": "K", "birth_year": 1980
    });
    post(app, &outsider, "/api/v1/cohorts/o1/enrolments", stranger).await;
    let o1 = app.enrolled(&outsider, "o1").await;
    let elsewhere = activity(
        app,
        &outsider,
        "o1",
        ("training", "Gdzie indziej"),
        ("2025-03-10T09:00:00+01:00", "2025-03-10T12:00:00+01:00"),
        json!({}),
    )
    .await;
    mark(app, &outsider, &elsewhere, &[(&o1[0].0, "present")]).await;

    let official = "urzędnik / pracownik JST";
    let ngo = "osoba z NGO";
    let at_risk = "osoba narażona na wykluczenie (ONW)";
    let training_row = |teryt: &str, gmina: &str, group: &str, id: &str, name: &str, m: &str| {
        let attended = if m.starts_with("Obecny") || m.starts_with("Spóźniony") {
            "4"
        } else {
            "0"
        };
        format!(
            "2025-03-10;Szkolenie otwierające;Szkolenie;c1;{teryt};{gmina};{group};{id};{name};{m};4;{attended}"
        )
    };
    let rows = vec![
        training_row(
            "3026043",
            "Śrem",
            ngo,
            &b,
            "Brzęczyszczykiewicz;Grzegorz",
            "Spóźniony/a",
        ),
        training_row(
            "3063011",
            "Leszno",
            ngo,
            &n,
            "Nowak-Jeziorańska;Anna",
            "Obecny/a",
        ),
        training_row(
            "3026043",
            "Śrem",
            at_risk,
            &cw,
            "Ćwiek;Jadwiga",
            "Usprawiedliwiony/a",
        ),
        training_row(
            "3063011",
            "Leszno",
            official,
            &sl,
            "Ślęzak;Łukasz",
            "Nieobecny/a",
        ),
        training_row(
            "3026043",
            "Śrem",
            official,
            &z,
            "Żółkiewska-Łęcka;Małgorzata",
            "Obecny/a",
        ),
        format!(
            "2025-03-12;Druga edycja;Szkolenie;c2;3004023;Gostyń;{ngo};{t};Nowicki;Tomasz;Obecny/a;2;2"
        ),
        format!(
            "2025-03-12;\"Zlecanie zadań; praktyka\";Webinar;c1;3063011;Leszno;{official};{sl};Ślęzak;Łukasz;Obecny/a;1;1"
        ),
        format!(
            "2025-03-12;\"Zlecanie zadań; praktyka\";Webinar;c1;3026043;Śrem;{official};{z};Żółkiewska-Łęcka;Małgorzata;Obecny/a;1;1"
        ),
    ];
    World {
        coord,
        admin,
        funder,
        trainer,
        outsider,
        rows,
    }
}

/// The file without its BOM, split into lines; checks BOM, CRLF and the final line break.
fn lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    let text = text.strip_suffix("\r\n").expect("ends with CRLF");
    assert!(!text.contains("\r\n\r\n"), "no empty line");
    text.split("\r\n").map(str::to_owned).collect()
}

/// Rows equal as a set (the order of names within an activity follows the database's
/// collation), and in date order.
fn assert_rows(got: &[String], expected: &[String]) {
    let (mut g, mut e) = (got.to_vec(), expected.to_vec());
    g.sort();
    e.sort();
    assert_eq!(g, e);
    let dates: Vec<&str> = got.iter().map(|r| &r[..10]).collect();
    assert!(dates.is_sorted(), "by date: {got:#?}");
}

async fn api_csv(app: &TestApp, path: &str, token: &str) -> (Status, String, Vec<u8>) {
    app.api_raw(path, Some(token)).await
}

both_backends! {
    async fn coordinators_export_every_mark_of_the_programme_one_row_each(app) {
        let w = world(&app).await;
        let (status, content_type, body) =
            api_csv(&app, "/api/v1/programmes/prog/attendance.csv", &w.coord).await;
        assert_eq!(status, Status::Ok, "{}", String::from_utf8_lossy(&body));
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        let all = lines(&body);
        assert_eq!(all[0], HEADER_PL);
        assert_rows(&all[1..], &w.rows);

        // The page's link gives the same file, named after the programme.
        let browser = app.browser().await;
        assert_eq!(browser.login("koord@test.pl", common::PASSWORD).await, Status::SeeOther);
        let (_, page) = browser.get("/programmes/prog").await;
        assert!(page.contains("/programmes/prog/attendance.csv"), "link on the programme page");
        assert!(page.contains("Eksport frekwencji (CSV)"));
        let res = browser.client.get("/programmes/prog/attendance.csv").dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        assert_eq!(
            res.headers().get_one("Content-Disposition"),
            Some("attachment; filename=\"frekwencja-prog.csv\"")
        );
        let page_body = res.into_bytes().await.expect("body");
        assert_rows(&lines(&page_body)[1..], &w.rows);

        // English labels when asked; admins may export any programme.
        let (status, _, body) =
            api_csv(&app, "/api/v1/programmes/prog/attendance.csv?lang=en", &w.admin).await;
        assert_eq!(status, Status::Ok);
        let en = lines(&body);
        assert_eq!(en[0], HEADER_EN);
        assert_eq!(en.len(), w.rows.len() + 1);
        assert!(en.iter().any(|l| l.contains(";Training;c1;") && l.ends_with(";Late;4;4")), "{en:#?}");

        // Every export is in the audit log.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.export' AND entity = 'programme'").await,
            3
        );
    }

    async fn funders_and_trainers_get_403_and_other_coordinators_404(app) {
        let w = world(&app).await;
        let path = "/api/v1/programmes/prog/attendance.csv";
        for (who, token, expected) in [
            ("funder of the programme", &w.funder, Status::Forbidden),
            ("trainer", &w.trainer, Status::Forbidden),
            ("coordinator of another programme", &w.outsider, Status::NotFound),
        ] {
            let (status, _, body) = api_csv(&app, path, token).await;
            assert_eq!(status, expected, "{who}");
            assert!(!String::from_utf8_lossy(&body).contains("Ślęzak"), "{who}");
        }
        let (status, _, _) = api_csv(&app, "/api/v1/programmes/none/attendance.csv", &w.coord).await;
        assert_eq!(status, Status::NotFound);
        for (email, role, expected) in [
            ("f2@test.pl", Role::Funder, Status::Forbidden),
            ("t2@test.pl", Role::Trainer, Status::Forbidden),
            ("c2@test.pl", Role::Coordinator, Status::NotFound),
        ] {
            let (_, browser, _) = app.signed_in(email, role).await;
            let (status, _) = browser.get("/programmes/prog/attendance.csv").await;
            assert_eq!(status, expected, "{email}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.export'").await,
            0,
            "refused exports are not recorded as exports"
        );
    }

    async fn the_command_line_writes_the_same_file(app) {
        let w = world(&app).await;
        let (_, _, from_api) =
            api_csv(&app, "/api/v1/programmes/prog/attendance.csv?lang=pl", &w.coord).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("frekwencja.csv");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_akademia"))
            .args(["export", "attendance", "--programme", "prog", "--out"])
            .arg(&out)
            .env("DATABASE_URL", &app.url)
            .env("LANG", "C.UTF-8")
            .output()
            .expect("the binary runs");
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert!(stdout.contains("8 attendance marks"), "{stdout}");
        let from_cli = std::fs::read(&out).expect("file written");
        assert_eq!(from_cli, from_api);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.export' AND actor_label = 'cli'").await,
            1
        );
        let missing = std::process::Command::new(env!("CARGO_BIN_EXE_akademia"))
            .args(["export", "attendance", "--programme", "none", "--out"])
            .arg(dir.path().join("none.csv"))
            .env("DATABASE_URL", &app.url)
            .output()
            .expect("the binary runs");
        assert_eq!(missing.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&missing.stderr).contains("no programme"));
    }
}
