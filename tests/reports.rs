//! The results report on both backends: every number of a small hand-made cohort asserted
//! exactly, a programme over two cohorts adding up (rates recomputed from hours), who may read
//! it, small-cell suppression for funders, and no personal data in anything a funder receives.
mod common;

use std::io::Read;

use akademia::domain::Role;
use chrono::{Duration, Utc};
use common::{Browse, TestApp};
use rocket::http::{ContentType, Method, Status};
use serde_json::{Value, json};

/// Who is who; tokens.
struct World {
    coord: String,
    funder: String,
    stranger_funder: String,
    trainer: String,
    outsider: String,
    admin: String,
    /// (enrolment id, last name) of cohort c1.
    people: Vec<(String, String)>,
    /// The activity everyone of c1 was on.
    training: String,
}

impl World {
    fn id(&self, last_name: &str) -> &str {
        &self
            .people
            .iter()
            .find(|(_, l)| l == last_name)
            .unwrap_or_else(|| panic!("{last_name} enrolled"))
            .0
    }
}

/// Everything personal about the people of the dataset: what must never reach a funder.
const PERSONAL: &[&str] = &[
    "Małgorzata",
    "Żółkiewska-Łęcka",
    "m.zolkiewska@example.pl",
    "+48 601 234 567",
    "601 234 567",
    "Grzegorz",
    "Brzęczyszczykiewicz",
    "g.brzeczyszczykiewicz@example.org",
    "Jadwiga",
    "Ćwiek",
    "Łukasz",
    "Ślęzak",
    "l.slezak@example.pl",
    "Anna",
    "Nowak-Jeziorańska",
    "anna.nj@example.org",
    "Zdzisław",
    "Pająk",
    "Tomasz",
    "Nowicki",
    "t.nowicki@example.pl",
    "Bożena",
    "Wycofana",
    "b.wycofana@example.pl",
];

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (status, out) = app.api_json(Method::Post, path, Some(token), &body).await;
    assert!(
        status == Status::Created || status == Status::Ok,
        "POST {path}: {status} {out}"
    );
    out
}

async fn cohort(
    app: &TestApp,
    coord: &str,
    programme: &Value,
    slug: &str,
) -> Vec<(String, String)> {
    post(
        app,
        coord,
        "/api/v1/cohorts",
        json!({
            "programme": programme["id"], "name": format!("Edycja {slug}"), "slug": slug,
            "starts_on": "2021-03-01", "ends_on": "2030-12-31"
        }),
    )
    .await;
    app.import_sample(coord, slug).await;
    app.enrolled(coord, slug).await
}

/// An activity `hours_ago` hours from now (negative: in the future), `span_min` long.
async fn activity(
    app: &TestApp,
    coord: &str,
    slug: &str,
    kind: &str,
    hours_ago: i64,
    span_min: i64,
    extra: Value,
) -> String {
    let start = Utc::now() - Duration::hours(hours_ago);
    let mut body = json!({
        "kind": kind, "title": format!("{kind} {hours_ago}"),
        "starts_at": start.to_rfc3339(), "ends_at": (start + Duration::minutes(span_min)).to_rfc3339(),
        "location": "Leszno", "online_url": "https://meet.example.org/a",
        "trainers": ["trener@test.pl"], "audience": {}, "allow_conflicts": true
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let a = post(
        app,
        coord,
        &format!("/api/v1/cohorts/{slug}/activities"),
        body,
    )
    .await;
    a["id"].as_str().unwrap().to_owned()
}

async fn mark(app: &TestApp, coord: &str, activity: &str, marks: &[(&str, &str)]) {
    app.put_marks(coord, activity, marks, None).await;
}

async fn task(app: &TestApp, coord: &str, slug: &str, body: Value) {
    post(app, coord, &format!("/api/v1/cohorts/{slug}/tasks"), body).await;
}

/// Cohort c1 of programme `prog`, with every number worked out by hand in the tests below.
///
/// People (born; age in 2021): Żółkiewska-Łęcka official F 1979 (42), Brzęczyszczykiewicz ngo M
/// 1985 (36), Ćwiek at_risk F 1952 (69) — Śrem; Ślęzak official M 1990 (31), Nowak-Jeziorańska
/// ngo F (—), Pająk at_risk M 1948 (73) — Leszno; Nowicki ngo, no sex, 2000 (21) and Wycofana
/// official F, withdrawn — Gostyń.
///
/// Activities: A training 4 h, everyone; B webinar 1 h, officials and NGO people; C study visit
/// 6 h, the Śrem team plus Pająk by hand; D coaching 2 h, cancelled; E training 4 h, tomorrow.
async fn world(app: &TestApp) -> World {
    let coordinator = app.user("koord@test.pl", Role::Coordinator).await;
    let coord = app.token(&coordinator).await;
    let t = app.user("trener@test.pl", Role::Trainer).await;
    let trainer = app.token(&t).await;
    let f = app.user("fundator@test.pl", Role::Funder).await;
    let funder = app.token(&f).await;
    let f2 = app.user("inny.fundator@test.pl", Role::Funder).await;
    let stranger_funder = app.token(&f2).await;
    let o = app.user("inny@test.pl", Role::Coordinator).await;
    let outsider = app.token(&o).await;
    let a = app.user("admin@test.pl", Role::Admin).await;
    let admin = app.token(&a).await;
    let programme = post(
        app,
        &coord,
        "/api/v1/programmes",
        json!({
            "name": "Akademia Rzecznictwa", "slug": "prog", "funder": "Fundusz",
            "starts_on": "2021-01-01", "ends_on": "2030-12-31"
        }),
    )
    .await;
    cohort(app, &coord, &programme, "c1").await;
    for (first, last, email, group, sex, born) in [
        (
            "Tomasz",
            "Nowicki",
            "t.nowicki@example.pl",
            "ngo",
            None,
            Some(2000),
        ),
        (
            "Bożena",
            "Wycofana",
            "b.wycofana@example.pl",
            "official",
            Some("K"),
            Some(1970),
        ),
    ] {
        post(
            app,
            &coord,
            "/api/v1/cohorts/c1/enrolments",
            json!({
                "first_name": first, "last_name": last, "email": email, "gmina": "3004023",
                "group": group, "sex": sex, "birth_year": born
            }),
        )
        .await;
    }
    let people = app.enrolled(&coord, "c1").await;
    let w = World {
        coord,
        funder,
        stranger_funder,
        trainer,
        outsider,
        admin,
        people,
        training: String::new(),
    };
    let coord = w.coord.as_str();
    let a = activity(app, coord, "c1", "training", 30, 180, json!({})).await;
    let b = activity(
        app,
        coord,
        "c1",
        "webinar",
        28,
        45,
        json!({"audience": {"groups": ["official", "ngo"]}}),
    )
    .await;
    let c = activity(
        app,
        coord,
        "c1",
        "study_visit",
        26,
        300,
        json!({"audience": {"teams": ["3026043"]}, "hours": 6}),
    )
    .await;
    let d = activity(app, coord, "c1", "coaching", 24, 90, json!({})).await;
    activity(app, coord, "c1", "training", -24, 180, json!({})).await;
    let (status, out) = app
        .api_json(
            Method::Post,
            &format!("/api/v1/activities/{d}/cancel"),
            Some(coord),
            &json!({"reason": "Burza"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{out}");
    let (status, out) = app
        .api_json(
            Method::Post,
            &format!("/api/v1/activities/{c}/roster"),
            Some(coord),
            &json!({"enrolment": w.id("Pająk"), "included": true}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{out}");
    let (z, g, j, l, n, p, t, x) = (
        w.id("Żółkiewska-Łęcka"),
        w.id("Brzęczyszczykiewicz"),
        w.id("Ćwiek"),
        w.id("Ślęzak"),
        w.id("Nowak-Jeziorańska"),
        w.id("Pająk"),
        w.id("Nowicki"),
        w.id("Wycofana"),
    );
    mark(
        app,
        coord,
        &a,
        &[
            (z, "present"),
            (g, "late"),
            (j, "present"),
            (l, "absent"),
            (n, "excused"),
            (p, "present"),
            (t, "present"),
            (x, "present"),
        ],
    )
    .await;
    mark(
        app,
        coord,
        &b,
        &[
            (z, "present"),
            (g, "absent"),
            (l, "present"),
            (n, "present"),
        ],
    )
    .await;
    mark(
        app,
        coord,
        &c,
        &[
            (z, "present"),
            (g, "present"),
            (j, "absent"),
            (p, "present"),
        ],
    )
    .await;
    // Wycofana leaves after the first training: her hours count for nothing from then on.
    let (status, out) = app
        .api_json(
            Method::Patch,
            &format!("/api/v1/enrolments/{x}"),
            Some(coord),
            &json!({
                "status": "withdrawn", "withdrawn_on": "2021-04-01", "withdrawal_reason": "praca"
            }),
        )
        .await;
    assert_eq!(status, Status::Ok, "{out}");
    // Certificates for the four at 80 % or more; Nowicki's is then revoked.
    let (_, issued) = app
        .api_send(
            Method::Post,
            "/api/v1/cohorts/c1/certificates",
            Some(coord),
            b"",
            ContentType::JSON,
        )
        .await;
    assert_eq!(issued["issued"], 4, "{issued}");
    let revoked = issued["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["enrolment"] == t)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(
        app,
        coord,
        &format!("/api/v1/certificates/{revoked}/revoke"),
        json!({"reason": "błąd"}),
    )
    .await;
    let tasks = [
        json!({"gmina": "3026043", "title": "Klub seniora", "sphere": "10", "mode": "ART19A_MALE_GRANTY",
               "amount_pln": 9500, "commissioned_on": "2022-03-01", "is_new": true, "target_groups": ["seniors"],
               "contractor": "Stowarzyszenie Razem"}),
        json!({"gmina": "3026043", "title": "Sąsiedzi razem", "sphere": "13", "mode": "OKO_WSPARCIE",
               "amount_pln": 20000.5, "commissioned_on": "2022-04-01", "is_new": true, "status": "completed",
               "target_groups": ["integration", "seniors"]}),
        json!({"gmina": "3063011", "title": "Dom seniora – kontynuacja", "sphere": "10", "mode": "OKO_WSPARCIE",
               "amount_pln": 30000, "commissioned_on": "2022-01-10", "is_new": false}),
        json!({"gmina": "3004023", "title": "Świetlica", "sphere": "5a", "mode": "ART19A_MALE_GRANTY",
               "amount_pln": 5000, "commissioned_on": "2022-06-01", "is_new": true, "status": "planned"}),
        json!({"gmina": "3004033", "title": "Młodzieżowa rada", "sphere": "15", "mode": "OKO_POWIERZENIE",
               "amount_pln": 10000, "commissioned_on": "2022-05-01", "is_new": true}),
    ];
    for body in tasks {
        task(app, coord, "c1", body).await;
    }
    World { training: a, ..w }
}

/// Adds the funder to the programme through the programme page's member form.
async fn attach_funder(app: &TestApp) {
    let (_, browser, _) = app.signed_in("koord2@test.pl", Role::Coordinator).await;
    let coordinator = akademia::db::users::find_by_email(&app.db, "koord@test.pl")
        .await
        .unwrap()
        .unwrap();
    akademia::service::programmes::add_member(&app.db, &coordinator, "prog", "koord2@test.pl")
        .await
        .expect("a coordinator is added");
    let (status, location, body) = browser
        .post_form("/programmes/prog/members", &[("email", "fundator@test.pl")])
        .await;
    assert_eq!(status, Status::SeeOther, "{body}");
    assert_eq!(location.as_deref(), Some("/programmes/prog"));
}

async fn report(app: &TestApp, path: &str, token: &str) -> Value {
    let (status, body) = app.api_get(path, Some(token)).await;
    assert_eq!(status, Status::Ok, "{path}: {body}");
    body
}

fn close(actual: &Value, expected: f64) -> bool {
    actual.as_f64().is_some_and(|a| (a - expected).abs() < 1e-9)
}

fn assert_rate(actual: &Value, expected: f64, what: &str) {
    assert!(close(actual, expected), "{what}: {actual} ≠ {expected}");
}

fn tally(list: &Value) -> Vec<(String, i64, f64)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["key"].as_str().unwrap().to_owned(),
                t["count"].as_i64().unwrap(),
                t["amount_pln"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn cell(r: &Value, group: &str, sex: &str, band: &str) -> Value {
    r["participants"]["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["group"] == group && b["sex"] == sex && b["age_band"] == band)
        .map(|b| b["count"].clone())
        .unwrap_or(json!(0))
}

fn gmina<'a>(r: &'a Value, teryt: &str) -> &'a Value {
    r["gminas"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["teryt"] == teryt)
        .unwrap_or_else(|| panic!("gmina {teryt} listed"))
}

/// Text of every cell of every sheet of a workbook.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .expect("an XLSX workbook");
    let mut text = String::new();
    for name in book.sheet_names().to_owned() {
        let range = book.worksheet_range(&name).expect("a sheet");
        for row in range.rows() {
            for c in row {
                text.push_str(&c.to_string());
                text.push('\t');
            }
            text.push('\n');
        }
    }
    text
}

/// Everything a funder-facing file says: the text of a PDF, the cells of a workbook, a CSV.
fn file_text(format: &str, bytes: &[u8]) -> String {
    match format {
        "pdf" => pdf_extract::extract_text_from_mem(bytes).expect("PDF text"),
        "xlsx" => {
            // the cells, and every XML part in case something hides outside them
            let mut text = xlsx_text(bytes);
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut s = String::new();
                let _ = part.read_to_string(&mut s);
                text.push_str(&s);
            }
            text
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn assert_no_personal_data(what: &str, text: &str) {
    for needle in PERSONAL {
        assert!(!text.contains(needle), "{what} shows {needle}");
    }
}

both_backends! {
    async fn a_cohort_report_counts_everything_exactly(app) {
        let w = world(&app).await;
        let r = report(&app, "/api/v1/cohorts/c1/report", &w.coord).await;
        assert_eq!(r["scope"]["kind"], "cohort");
        assert_eq!(r["scope"]["suppressed"], false);
        assert_eq!(r["scope"]["threshold"], 3);
        // participants: 7 current (the withdrawn apart)
        let p = &r["participants"];
        assert_eq!(p["total"], 7);
        assert_eq!(p["by_group"], json!({"official": 2, "ngo": 3, "at_risk": 2}));
        assert_eq!(p["by_sex"], json!({"F": 3, "M": 3, "unknown": 1}));
        assert_eq!(p["withdrawn"], 1);
        assert_eq!(p["breakdown"].as_array().unwrap().len(), 7, "{}", p["breakdown"]);
        assert_eq!(cell(&r, "official", "F", "30-44"), 1);
        assert_eq!(cell(&r, "official", "M", "30-44"), 1);
        assert_eq!(cell(&r, "ngo", "M", "30-44"), 1);
        assert_eq!(cell(&r, "ngo", "F", "unknown"), 1);
        assert_eq!(cell(&r, "ngo", "unknown", "18-29"), 1);
        assert_eq!(cell(&r, "at_risk", "F", "60+"), 1);
        assert_eq!(cell(&r, "at_risk", "M", "60+"), 1);
        // gminas: Śrem and Leszno complete, Gostyń only an NGO person, Krobia only a task
        assert_eq!(r["gminas"]["reached"], 3);
        assert_eq!(r["gminas"]["complete_teams"], 2);
        assert_eq!(r["gminas"]["list"].as_array().unwrap().len(), 4);
        let srem = gmina(&r, "3026043");
        assert_eq!((srem["official"].clone(), srem["ngo"].clone(), srem["at_risk"].clone()), (json!(1), json!(1), json!(1)));
        assert_eq!(srem["complete"], true);
        assert_eq!(srem["new_tasks"], 2);
        assert_eq!(srem["name"], "Śrem");
        let gostyn = gmina(&r, "3004023");
        assert_eq!((gostyn["official"].clone(), gostyn["ngo"].clone(), gostyn["complete"].clone()), (json!(0), json!(1), json!(false)));
        assert_eq!(gostyn["new_tasks"], 0, "a planned task is not an outcome");
        let krobia = gmina(&r, "3004033");
        assert_eq!((krobia["ngo"].clone(), krobia["new_tasks"].clone()), (json!(0), json!(1)));
        assert_eq!(krobia["powiat"], "gostyński");
        assert_eq!(gmina(&r, "3063011")["new_tasks"], 0, "a continued task is not new");
        // activities: the future training counts as held or planned, the cancelled coaching apart
        let k = &r["activities"]["by_kind"];
        assert_eq!(k["training"], json!({"count": 2, "hours": 8.0, "cancelled": 0}));
        assert_eq!(k["webinar"], json!({"count": 1, "hours": 1.0, "cancelled": 0}));
        assert_eq!(k["study_visit"], json!({"count": 1, "hours": 6.0, "cancelled": 0}));
        assert_eq!(k["coaching"], json!({"count": 0, "hours": 0.0, "cancelled": 1}));
        assert_eq!(r["activities"]["total_count"], 4);
        assert_eq!(r["activities"]["total_hours"], 15.0);
        // attendance: planned 57 h, attended 41 h (see `world`)
        let a = &r["attendance"];
        assert_rate(&a["planned_hours"], 57.0, "planned");
        assert_rate(&a["attended_hours"], 41.0, "attended");
        assert_rate(&a["rate"], 41.0 / 57.0, "rate");
        assert_rate(&a["by_group"]["official"], 12.0 / 16.0, "officials");
        assert_rate(&a["by_group"]["ngo"], 15.0 / 21.0, "NGO people");
        assert_rate(&a["by_group"]["at_risk"], 14.0 / 20.0, "at-risk people");
        assert_rate(&a["by_kind"]["training"], 20.0 / 28.0, "training");
        assert_rate(&a["by_kind"]["webinar"], 3.0 / 5.0, "webinar");
        assert_rate(&a["by_kind"]["study_visit"], 18.0 / 24.0, "study visit");
        assert_eq!(a["by_kind"]["coaching"], Value::Null);
        assert_eq!(a["at_or_above_80"], 4);
        // the same hours as the attendance API, person by person
        let (_, rates) = app.api_get("/api/v1/cohorts/c1/attendance", Some(&w.coord)).await;
        let sum = |key: &str| rates.as_array().unwrap().iter().map(|x| x[key].as_f64().unwrap()).sum::<f64>();
        assert!((sum("planned_hours") - 57.0).abs() < 1e-9 && (sum("attended_hours") - 41.0).abs() < 1e-9, "{rates}");
        // certificates
        assert_eq!(r["certificates"], json!({"issued": 3, "revoked": 1}));
        // commissioned tasks
        let t = &r["commissioned_tasks"];
        assert_eq!(t["new_tasks"], 3);
        assert_eq!(t["gminas_commissioning"], 2);
        assert_eq!(t["commissioned"], 4);
        assert_eq!(t["in_preparation"], 1);
        assert_rate(&t["total_amount_pln"], 69_500.5, "amount");
        assert_eq!(tally(&t["by_sphere"]), vec![("10".into(), 2, 39_500.0), ("13".into(), 1, 20_000.5), ("15".into(), 1, 10_000.0)]);
        assert_eq!(tally(&t["by_mode"]), vec![
            ("OKO_WSPARCIE".into(), 2, 50_000.5),
            ("ART19A_MALE_GRANTY".into(), 1, 9_500.0),
            ("OKO_POWIERZENIE".into(), 1, 10_000.0),
        ]);
        assert_eq!(tally(&t["by_target_group"]), vec![("seniors".into(), 2, 29_500.5), ("integration".into(), 1, 20_000.5)]);
        assert_eq!(t["by_target_group"][0]["label"], "seniorzy");
        assert!(t["by_sphere"][0]["label"].as_str().is_some_and(|l| !l.is_empty()));
        assert_eq!(t["list"].as_array().unwrap().len(), 5);
        // the CLI writes the same numbers
        let exe = env!("CARGO_BIN_EXE_akademia");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.json");
        let run = std::process::Command::new(exe)
            .args(["--database-url", &app.url, "report", "--cohort", "c1", "--format", "json", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        let cli: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(cli["participants"], r["participants"]);
        assert_eq!(cli["commissioned_tasks"]["new_tasks"], 3);
        let bad = std::process::Command::new(exe)
            .args(["--database-url", &app.url, "report", "--cohort", "c1", "--programme", "prog", "--format", "json", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "both scopes is bad usage");
        let missing = std::process::Command::new(exe)
            .args(["--database-url", &app.url, "report", "--cohort", "nope", "--format", "csv", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(missing.status.code(), Some(1));
    }

    async fn a_programme_report_adds_up_its_cohorts(app) {
        let w = world(&app).await;
        let (_, programme) = app.api_get("/api/v1/programmes/prog", Some(&w.coord)).await;
        let c2 = cohort(&app, &w.coord, &programme, "c2").await;
        let a = activity(&app, &w.coord, "c2", "training", 30, 180, json!({})).await;
        let marks: Vec<(&str, &str)> = c2
            .iter()
            .map(|(id, last)| (id.as_str(), if last == "Pająk" { "absent" } else { "present" }))
            .collect();
        mark(&app, &w.coord, &a, &marks).await;
        task(&app, &w.coord, "c2", json!({"gmina": "3063011", "title": "Nowe zadanie", "sphere": "10",
            "mode": "ART19A_MALE_GRANTY", "amount_pln": 1000, "commissioned_on": "2023-03-01", "is_new": true})).await;
        let r = report(&app, "/api/v1/programmes/prog/report", &w.coord).await;
        assert_eq!(r["scope"]["kind"], "programme");
        assert_eq!(r["scope"]["cohorts"], 2);
        assert_eq!(r["participants"]["total"], 13);
        assert_eq!(r["participants"]["by_group"], json!({"official": 4, "ngo": 5, "at_risk": 4}));
        assert_eq!(r["gminas"]["reached"], 3);
        assert_eq!(r["gminas"]["complete_teams"], 4, "two complete teams in each cohort");
        assert_eq!(r["activities"]["by_kind"]["training"], json!({"count": 3, "hours": 12.0, "cancelled": 0}));
        let att = &r["attendance"];
        assert_rate(&att["planned_hours"], 81.0, "planned");
        assert_rate(&att["attended_hours"], 61.0, "attended");
        assert_rate(&att["rate"], 61.0 / 81.0, "the rate from summed hours, not an average of rates");
        assert_rate(&att["by_group"]["official"], 20.0 / 24.0, "officials");
        assert_rate(&att["by_group"]["ngo"], 23.0 / 29.0, "NGO people");
        assert_rate(&att["by_group"]["at_risk"], 18.0 / 28.0, "at-risk people");
        assert_rate(&att["by_kind"]["training"], 40.0 / 52.0, "training");
        assert_eq!(att["at_or_above_80"], 9);
        assert_eq!(r["certificates"], json!({"issued": 3, "revoked": 1}));
        let t = &r["commissioned_tasks"];
        assert_eq!(t["new_tasks"], 4);
        assert_eq!(t["gminas_commissioning"], 3);
        assert_rate(&t["total_amount_pln"], 70_500.5, "amount");
        assert_eq!(gmina(&r, "3063011")["new_tasks"], 1);
        assert_eq!(gmina(&r, "3063011")["at_risk"], 2);
        // the funder-facing preview hides the small at-risk cells, not the rest
        let f = report(&app, "/api/v1/programmes/prog/report?funder_view=true", &w.coord).await;
        assert_eq!(f["scope"]["suppressed"], true);
        assert_eq!(f["participants"]["by_group"], json!({"official": 4, "ngo": 5, "at_risk": 4}));
        assert_eq!(gmina(&f, "3063011")["at_risk"], "<3");
        assert_eq!(gmina(&f, "3063011")["ngo"], 2);
        assert_eq!(f["attendance"]["rate"], r["attendance"]["rate"]);
        // the CLI's programme report is the coordinators' one
        let exe = env!("CARGO_BIN_EXE_akademia");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.json");
        let run = std::process::Command::new(exe)
            .args(["--database-url", &app.url, "report", "--programme", "prog", "--format", "json", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        let cli: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(cli["attendance"]["planned_hours"], 81.0);
        assert_eq!(gmina(&cli, "3063011")["at_risk"], 2);
    }

    async fn funders_of_the_programme_read_reports_and_nothing_personal(app) {
        let w = world(&app).await;
        // not yet a member: as if the programme did not exist
        for path in ["/api/v1/cohorts/c1/report", "/api/v1/programmes/prog/report"] {
            assert_eq!(app.api_get(path, Some(&w.funder)).await.0, Status::NotFound, "{path}");
        }
        attach_funder(&app).await;
        let r = report(&app, "/api/v1/cohorts/c1/report", &w.funder).await;
        assert_eq!(r["scope"]["suppressed"], true);
        assert_eq!(r["participants"]["total"], 7);
        let p = report(&app, "/api/v1/programmes/prog/report", &w.funder).await;
        assert_eq!(p["participants"]["total"], 7);
        // nothing with personal data
        let (_, enrolments) = app.api_get("/api/v1/cohorts/c1/enrolments", Some(&w.coord)).await;
        let (_, certificates) = app.api_get("/api/v1/cohorts/c1/certificates", Some(&w.coord)).await;
        let enrolment = enrolments[0]["id"].as_str().unwrap().to_owned();
        let certificate = certificates[0]["id"].as_str().unwrap().to_owned();
        for path in [
            "/api/v1/cohorts/c1/enrolments".to_owned(),
            "/api/v1/cohorts/c1/attendance".to_owned(),
            "/api/v1/cohorts/c1/certificates".to_owned(),
            "/api/v1/cohorts/c1/certificates/eligibility".to_owned(),
            "/api/v1/cohorts/c1/tasks".to_owned(),
            "/api/v1/cohorts/c1/teams".to_owned(),
            format!("/api/v1/activities/{}/attendance", w.training),
            format!("/api/v1/activities/{}/attendance-list.pdf", w.training),
            format!("/api/v1/certificates/{certificate}"),
            format!("/api/v1/certificates/{certificate}/pdf"),
            format!("/api/v1/participants/{enrolment}/export"),
        ] {
            assert_eq!(app.api_raw(&path, Some(&w.funder)).await.0, Status::Forbidden, "{path}");
        }
        // and none in any report a funder receives, in any format or language
        for scope in ["cohorts/c1", "programmes/prog"] {
            let (status, _, json) = app.api_raw(&format!("/api/v1/{scope}/report"), Some(&w.funder)).await;
            assert_eq!(status, Status::Ok);
            assert_no_personal_data(&format!("{scope} JSON"), &String::from_utf8_lossy(&json));
            for format in ["csv", "xlsx", "pdf"] {
                for lang in ["pl", "en"] {
                    let path = format!("/api/v1/{scope}/report?format={format}&lang={lang}");
                    let (status, _, bytes) = app.api_raw(&path, Some(&w.funder)).await;
                    assert_eq!(status, Status::Ok, "{path}");
                    let text = file_text(format, &bytes);
                    assert!(text.contains("Śrem"), "{path}: the text is readable (gminas are listed)");
                    assert_no_personal_data(&path, &text);
                }
            }
        }
        // the check itself finds names where they are
        let (_, _, staff) = app.api_raw("/api/v1/cohorts/c1/enrolments", Some(&w.coord)).await;
        assert!(String::from_utf8_lossy(&staff).contains("Pająk"));
    }

    async fn competence_change_and_indicators_reach_every_output(app) {
        let w = world(&app).await;
        attach_funder(&app).await;
        let (status, item) = app.api_json(Method::Post, "/api/v1/cohorts/c1/survey/items", Some(&w.coord),
            &json!({ "text": "Wiem, jak gmina zleca zadania organizacjom" })).await;
        assert_eq!(status, Status::Created, "{item}");
        let item = item["id"].as_str().unwrap().to_owned();
        // officials 2→4 and 3→3, the NGO person 4→5, at risk 1→3 and 2→2; Nowicki only before
        for (last, pre, post) in [("Żółkiewska-Łęcka", 2, Some(4)), ("Ślęzak", 3, Some(3)),
            ("Brzęczyszczykiewicz", 4, Some(5)), ("Ćwiek", 1, Some(3)), ("Pająk", 2, Some(2)), ("Nowicki", 3, None)] {
            let mut phases = vec![("pre", pre)];
            phases.extend(post.map(|v| ("post", v)));
            for (phase, value) in phases {
                let (status, body) = app.api_json(Method::Put, &format!("/api/v1/enrolments/{}/survey/{phase}", w.id(last)),
                    Some(&w.coord), &json!([{ "item": item, "value": value }])).await;
                assert!(status.code < 300, "{last} {phase}: {status} {body}");
            }
        }
        for body in [
            json!({ "name": "Gminy, które zleciły nowe zadania", "baseline": 0, "target": 8, "source": "gminas_commissioning" }),
            json!({ "name": "Rekomendacje przyjęte przez rady gmin", "unit": "uchwały", "target": 5, "source": "manual", "manual_value": 3 }),
        ] {
            let (status, out) = app.api_json(Method::Post, "/api/v1/programmes/prog/indicators", Some(&w.coord), &body).await;
            assert_eq!(status, Status::Created, "{out}");
        }
        let r = report(&app, "/api/v1/cohorts/c1/report", &w.coord).await;
        let c = &r["competence"];
        assert_eq!(c["overall"]["people"], 5, "Nowicki answered only before: {c}");
        assert_eq!(c["overall"]["improved"], 3);
        assert_rate(&c["overall"]["mean_pre"], 2.4, "mean before");
        assert_rate(&c["overall"]["mean_post"], 3.4, "mean after");
        assert_rate(&c["overall"]["mean_change"], 1.0, "mean change");
        assert_rate(&c["overall"]["share_improved"], 0.6, "share improved");
        assert_eq!(c["by_group"]["official"]["people"], 2);
        assert_rate(&c["by_group"]["official"]["mean_pre"], 2.5, "officials before");
        assert_rate(&c["by_group"]["official"]["share_improved"], 0.5, "officials improved");
        assert_rate(&c["by_group"]["ngo"]["mean_change"], 1.0, "NGO change");
        assert_eq!(c["by_group"]["at_risk"]["people"], 2);
        assert_rate(&c["by_group"]["at_risk"]["mean_change"], 1.0, "at-risk change");
        assert_eq!(c["items"][0]["people"], 5);
        // the programme has this one cohort: its indicators come with the cohort's report
        let i = r["indicators"].as_array().expect("indicators");
        assert_eq!(i.len(), 2, "{i:?}");
        assert_eq!(i[0]["actual"].as_f64(), r["commissioned_tasks"]["gminas_commissioning"].as_f64());
        assert_eq!(i[0]["target"], 8.0);
        assert_eq!((i[1]["actual"].clone(), i[1]["achieved"].clone()), (json!(3.0), json!(false)));
        assert_rate(&i[1]["progress"], 0.6, "manual progress");
        let programme = report(&app, "/api/v1/programmes/prog/report", &w.coord).await;
        assert_eq!(programme["competence"]["overall"], r["competence"]["overall"]);
        assert_eq!(programme["indicators"], r["indicators"]);
        // funders: two at-risk people are hidden, and the NGO person with them (5 − 2 − 1 = 2)
        let f = report(&app, "/api/v1/cohorts/c1/report", &w.funder).await;
        let g = &f["competence"]["by_group"];
        assert_eq!(g["at_risk"]["people"], "<3");
        assert_eq!(g["at_risk"]["mean_change"], Value::Null);
        assert_eq!(g["ngo"]["people"], "*");
        assert_eq!(g["ngo"]["mean_post"], Value::Null);
        assert_eq!(g["official"]["people"], 2);
        assert_eq!(f["competence"]["overall"]["people"], 5);
        assert_eq!(f["attendance"]["by_group"]["at_risk"], Value::Null, "two people's rate is theirs");
        // every file carries both sections, in both languages
        for (lang, words) in [("pl", ["Zmiana kompetencji", "Rekomendacje", "Średnia przed"]),
                              ("en", ["Change in competences", "Rekomendacje", "Mean before"])] {
            for format in ["csv", "xlsx", "pdf"] {
                let path = format!("/api/v1/cohorts/c1/report?format={format}&lang={lang}");
                let (status, _, bytes) = app.api_raw(&path, Some(&w.coord)).await;
                assert_eq!(status, Status::Ok, "{path}");
                let text = file_text(format, &bytes);
                for word in words {
                    assert!(text.contains(word), "{path} has {word}");
                }
            }
        }
        let (status, _, csv) = app.api_raw("/api/v1/cohorts/c1/report?format=csv", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        let csv = String::from_utf8_lossy(&csv).into_owned();
        assert!(csv.contains("Razem;5;2,4;3,4;+1,00;60%"), "the competence total line in the CSV");
        let (_, browser, _) = app.signed_in("admin2@test.pl", Role::Admin).await;
        let (status, page) = browser.get("/cohorts/c1/report").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Odsetek osób z poprawą samooceny według grup"), "the competence chart");
        assert!(page.contains("Rekomendacje przyjęte przez rady gmin"), "the indicator table");
        assert!(page.contains("3 &#x2f; 5"), "the indicator's bar says actual / target");
    }

    async fn the_demo_reproduces_the_published_results(app) {
        akademia::demo::load(&app.db).await.expect("demo academy");
        akademia::demo::load(&app.db).await.expect("loading again changes nothing");
        let coordinator = app.user("k@test.pl", Role::Admin).await;
        let admin = app.token(&coordinator).await;
        let r = report(&app, "/api/v1/cohorts/warnik-2021/report", &admin).await;
        assert_eq!(r["participants"]["total"], 42);
        assert_eq!(r["participants"]["by_group"], json!({"official": 14, "ngo": 14, "at_risk": 14}));
        assert_eq!(r["gminas"]["reached"], 14);
        assert_eq!(r["gminas"]["complete_teams"], 14);
        let t = &r["commissioned_tasks"];
        assert_eq!((t["new_tasks"].clone(), t["gminas_commissioning"].clone()), (json!(11), json!(10)));
        let targets: Vec<String> = t["by_target_group"].as_array().unwrap().iter()
            .map(|x| x["key"].as_str().unwrap().to_owned()).collect();
        for group in ["seniors", "integration", "foreigners", "children_youth"] {
            assert!(targets.iter().any(|k| k == group), "{group} in {targets:?}");
        }
        assert!(t["total_amount_pln"].as_f64().unwrap() > 100_000.0, "{}", t["total_amount_pln"]);
        for kind in ["training", "study_visit", "webinar", "coaching"] {
            assert!(r["activities"]["by_kind"][kind]["count"].as_i64().unwrap() > 0, "{kind}");
        }
        let c = &r["competence"];
        assert_eq!(c["overall"]["people"], 39, "three people did not answer after the course");
        assert_eq!(c["items"].as_array().unwrap().len(), 6);
        for group in ["official", "ngo", "at_risk"] {
            let change = c["by_group"][group]["mean_change"].as_f64().unwrap();
            assert!(change > 0.5 && change < 1.5, "{group}: {change}");
        }
        let i = r["indicators"].as_array().unwrap();
        assert_eq!(i.len(), 6, "loaded once");
        let achieved: Vec<&str> = i.iter().filter(|x| x["achieved"] == true).map(|x| x["source"].as_str().unwrap()).collect();
        assert!(achieved.contains(&"gminas_commissioning") && achieved.contains(&"new_tasks"), "{achieved:?}");
    }

    async fn small_at_risk_cells_are_hidden_from_funders_only(app) {
        let w = world(&app).await;
        attach_funder(&app).await;
        let exact = report(&app, "/api/v1/cohorts/c1/report", &w.coord).await;
        let funder = report(&app, "/api/v1/cohorts/c1/report", &w.funder).await;
        assert_eq!(exact["participants"]["by_group"]["at_risk"], 2);
        assert_eq!(funder["participants"]["by_group"], json!({"official": 2, "ngo": 3, "at_risk": "<3"}));
        assert_eq!(cell(&exact, "at_risk", "M", "60+"), 1);
        assert_eq!(cell(&funder, "at_risk", "M", "60+"), "<3");
        assert_eq!(cell(&funder, "ngo", "M", "30-44"), 1, "other groups' small cells stay");
        assert_eq!(gmina(&exact, "3026043")["at_risk"], 1);
        assert_eq!(gmina(&funder, "3026043")["at_risk"], "<3");
        assert_eq!(gmina(&funder, "3004023")["at_risk"], 0, "zero is not hidden");
        assert_eq!(funder["participants"]["total"], 7);
        // a coordinator may preview it; the CSV shows the same "<3"
        let asked_exact = report(&app, "/api/v1/cohorts/c1/report?funder_view=false", &w.funder).await;
        assert_eq!(asked_exact["participants"]["by_group"]["at_risk"], "<3", "funders cannot opt out");
        let preview = report(&app, "/api/v1/cohorts/c1/report?funder_view=true", &w.coord).await;
        assert_eq!(preview["participants"]["by_group"]["at_risk"], "<3");
        let (_, _, csv) = app.api_raw("/api/v1/cohorts/c1/report?format=csv", Some(&w.funder)).await;
        assert!(String::from_utf8_lossy(&csv).contains("<3"));
        // a programme with threshold 1 hides nothing; 2 hides only ones
        let (status, body) = app.api_json(Method::Put, "/api/v1/programmes/prog", Some(&w.coord), &json!({
            "name": "Akademia Rzecznictwa", "slug": "prog", "funder": "Fundusz",
            "starts_on": "2021-01-01", "ends_on": "2030-12-31", "small_cell_threshold": 2
        })).await;
        assert_eq!(status, Status::Ok, "{body}");
        assert_eq!(body["small_cell_threshold"], 2);
        let funder = report(&app, "/api/v1/cohorts/c1/report", &w.funder).await;
        assert_eq!(funder["scope"]["threshold"], 2);
        assert_eq!(funder["participants"]["by_group"]["at_risk"], 2);
        assert_eq!(gmina(&funder, "3026043")["at_risk"], "<2");
        let (status, body) = app.api_json(Method::Put, "/api/v1/programmes/prog", Some(&w.coord), &json!({
            "name": "Akademia Rzecznictwa", "slug": "prog", "funder": "Fundusz",
            "starts_on": "2021-01-01", "ends_on": "2030-12-31", "small_cell_threshold": 0
        })).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "small_cell_threshold");
    }

    async fn only_staff_and_the_programmes_funders_read_reports(app) {
        let w = world(&app).await;
        attach_funder(&app).await;
        for path in ["/api/v1/cohorts/c1/report", "/api/v1/programmes/prog/report"] {
            assert_eq!(app.api_get(path, None).await.0, Status::Unauthorized, "{path}");
            assert_eq!(app.api_get(path, Some(&w.trainer)).await.0, Status::Forbidden, "{path}");
            assert_eq!(app.api_get(path, Some(&w.outsider)).await.0, Status::NotFound, "{path}");
            assert_eq!(app.api_get(path, Some(&w.stranger_funder)).await.0, Status::NotFound, "{path}");
            for token in [&w.coord, &w.admin, &w.funder] {
                assert_eq!(app.api_get(path, Some(token)).await.0, Status::Ok, "{path}");
            }
        }
        assert_eq!(app.api_get("/api/v1/cohorts/nope/report", Some(&w.funder)).await.0, Status::NotFound);
        assert_eq!(app.api_get("/api/v1/cohorts/nope/report", Some(&w.trainer)).await.0, Status::Forbidden);
        // the admin and coordinators get exact numbers
        let r = report(&app, "/api/v1/cohorts/c1/report", &w.admin).await;
        assert_eq!(r["participants"]["by_group"]["at_risk"], 2);
    }

    async fn reports_come_as_files_and_bad_parameters_are_422(app) {
        let w = world(&app).await;
        for (format, content_type) in [
            ("csv", "text/csv"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("pdf", "application/pdf"),
        ] {
            let res = app.client.get(format!("/api/v1/cohorts/c1/report?format={format}&lang=en"))
                .header(rocket::http::Header::new("Authorization", format!("Bearer {}", w.coord)))
                .dispatch()
                .await;
            assert_eq!(res.status(), Status::Ok, "{format}");
            assert!(res.content_type().unwrap().to_string().starts_with(content_type), "{format}");
            let disposition = res.headers().get_one("Content-Disposition").unwrap().to_owned();
            assert!(disposition.contains(&format!("raport_c1.{format}")), "{disposition}");
            let bytes = res.into_bytes().await.unwrap();
            assert!(!bytes.is_empty());
        }
        let (_, _, xlsx) = app.api_raw("/api/v1/programmes/prog/report?format=xlsx", Some(&w.coord)).await;
        assert!(xlsx_text(&xlsx).contains("Śrem"), "the workbook opens and shows the gminas");
        let (_, _, pdf) = app.api_raw("/api/v1/cohorts/c1/report?format=pdf&lang=pl", Some(&w.coord)).await;
        assert!(pdf_extract::extract_text_from_mem(&pdf).unwrap().contains("Akademia Rzecznictwa"));
        for (query, field) in [("format=docx", "format"), ("lang=de", "lang"), ("funder_view=maybe", "funder_view")] {
            let (status, body) = app.api_get(&format!("/api/v1/cohorts/c1/report?{query}"), Some(&w.coord)).await;
            assert_eq!(status, Status::UnprocessableEntity, "{query}");
            assert_eq!(body["details"][0]["field"], field, "{body}");
        }
        let (status, _) = app.api_get("/api/v1/programmes/prog/report?format=json", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
    }
}
