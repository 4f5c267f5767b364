//! Certificates on both backends: the rule and its reasons, idempotent and concurrent issuing with
//! gap-free numbers, the PDF (text, fonts, QR), public verification, revocation and reissue,
//! the ZIP, erasure, and who may do what.
mod common;

#[path = "../src/output/qr_decode.rs"]
mod qr_decode;

use std::collections::BTreeSet;
use std::io::Read;

use akademia::domain::Role;
use chrono::{Duration, Utc};
use common::{Browse, TestApp};
use rocket::http::{ContentType, Header, Method, Status};
use serde_json::{Value, json};

struct World {
    coord: String,
    trainer: String,
    funder: String,
    outsider: String,
    people: Vec<(String, String)>,
}

impl World {
    fn id(&self, last_name: &str) -> String {
        self.people
            .iter()
            .find(|(_, l)| l == last_name)
            .unwrap()
            .0
            .clone()
    }
}

async fn cohort(
    app: &TestApp,
    coord: &str,
    programme: &Value,
    slug: &str,
) -> Vec<(String, String)> {
    let (status, _) = app
        .api_json(
            Method::Post,
            "/api/v1/cohorts",
            Some(coord),
            &json!({
                "programme": programme["id"], "name": format!("Edycja {slug}"), "slug": slug,
                "starts_on": "2020-01-01", "ends_on": "2030-12-31"
            }),
        )
        .await;
    assert_eq!(status, Status::Created);
    app.import_sample(coord, slug).await;
    app.enrolled(coord, slug).await
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.user("koord@test.pl", Role::Coordinator).await;
    let coord = app.token(&coordinator).await;
    let t = app.user("trener@test.pl", Role::Trainer).await;
    let trainer = app.token(&t).await;
    let f = app.user("fundator@test.pl", Role::Funder).await;
    let funder = app.token(&f).await;
    let o = app.user("inny@test.pl", Role::Coordinator).await;
    let outsider = app.token(&o).await;
    let (_, programme) = app
        .api_json(
            Method::Post,
            "/api/v1/programmes",
            Some(&coord),
            &json!({
                "name": "Akademia Rzecznictwa", "slug": "prog", "funder": "Fundusz",
                "starts_on": "2020-01-01", "ends_on": "2030-12-31"
            }),
        )
        .await;
    let people = cohort(app, &coord, &programme, "c1").await;
    World {
        coord,
        trainer,
        funder,
        outsider,
        people,
    }
}

/// A past activity for the whole cohort `slug`, `hours_ago` to `hours_ago - span` hours from now.
async fn held(
    app: &TestApp,
    w: &World,
    slug: &str,
    kind: &str,
    hours_ago: f64,
    span_min: i64,
    module: &str,
) -> String {
    let start = Utc::now() - Duration::minutes((hours_ago * 60.0) as i64);
    let (status, a) = app.api_json(Method::Post, &format!("/api/v1/cohorts/{slug}/activities"), Some(&w.coord), &json!({
        "kind": kind, "title": format!("{kind} {hours_ago}"), "module": module,
        "starts_at": start.to_rfc3339(), "ends_at": (start + Duration::minutes(span_min)).to_rfc3339(),
        "location": "Leszno", "online_url": "https://meet.example.org/a",
        "trainers": ["trener@test.pl"], "audience": {}, "allow_conflicts": true
    })).await;
    assert_eq!(status, Status::Created, "{a}");
    a["id"].as_str().unwrap().to_owned()
}

async fn mark(app: &TestApp, w: &World, activity: &str, marks: &[(&str, &str)]) {
    app.put_marks(&w.coord, activity, marks, None).await;
}

async fn issue(app: &TestApp, token: &str, slug: &str, body: Option<Value>) -> (Status, Value) {
    match body {
        Some(b) => {
            app.api_json(
                Method::Post,
                &format!("/api/v1/cohorts/{slug}/certificates"),
                Some(token),
                &b,
            )
            .await
        }
        None => {
            app.api_send(
                Method::Post,
                &format!("/api/v1/cohorts/{slug}/certificates"),
                Some(token),
                b"",
                ContentType::JSON,
            )
            .await
        }
    }
}

fn standing<'a>(list: &'a Value, enrolment: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["enrolment"] == enrolment)
        .unwrap()
}

/// Everyone attends a 4-hour training; Żółkiewska-Łęcka, Brzęczyszczykiewicz (late) and Ślęzak
/// also the 1-hour webinar; the others are absent, excused or unmarked there.
async fn typical(app: &TestApp, w: &World) {
    let a = held(app, w, "c1", "training", 30.0, 180, "Zlecanie zadań").await; // 4 academic hours
    let b = held(app, w, "c1", "webinar", 20.0, 45, "").await; // 1 academic hour
    let all: Vec<String> = w.people.iter().map(|(id, _)| id.clone()).collect();
    let marks: Vec<(&str, &str)> = all.iter().map(|id| (id.as_str(), "present")).collect();
    mark(app, w, &a, &marks).await;
    let (m, g, l, n, j) = (
        w.id("Żółkiewska-Łęcka"),
        w.id("Brzęczyszczykiewicz"),
        w.id("Ślęzak"),
        w.id("Nowak-Jeziorańska"),
        w.id("Ćwiek"),
    );
    mark(
        app,
        w,
        &b,
        &[
            (&m, "present"),
            (&g, "late"),
            (&l, "present"),
            (&n, "absent"),
            (&j, "excused"),
        ],
    )
    .await;
}

both_backends! {
    async fn eligibility_follows_the_rule_and_says_why_not(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let (status, list) = app.api_get("/api/v1/cohorts/c1/certificates/eligibility", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok, "{list}");
        // 4 of 5 hours is exactly 80 %: eligible.
        for name in ["Żółkiewska-Łęcka", "Brzęczyszczykiewicz", "Ślęzak", "Nowak-Jeziorańska", "Ćwiek", "Pająk"] {
            assert_eq!(standing(&list, &w.id(name))["status"], "eligible", "{name}: {list}");
        }
        // A stricter rule: 81 %, a study visit and the module.
        let (status, rule) = app.api_json(Method::Put, "/api/v1/cohorts/c1/certificate-rule", Some(&w.coord), &json!({
            "prefix": "akad", "min_rate": 81, "required_kinds": {"study_visit": 1}, "required_modules": ["zlecanie zadan"],
            "organiser": "Fundacja Przykładowa", "place": "Leszno"
        })).await;
        assert_eq!(status, Status::Ok, "{rule}");
        assert_eq!(rule["prefix"], "AKAD");
        let (_, list) = app.api_get("/api/v1/cohorts/c1/certificates/eligibility", Some(&w.coord)).await;
        let n = standing(&list, &w.id("Nowak-Jeziorańska"));
        assert_eq!(n["status"], "not_yet");
        assert_eq!(n["reasons"], json!(["80 % obecności, wymagane 81 %", "brak wizyty studyjnej"]), "the module is attended (any case, no diacritics)");
        let m = standing(&list, &w.id("Żółkiewska-Łęcka"));
        assert_eq!(m["reasons"], json!(["brak wizyty studyjnej"]));
        let (_, en) = app.api_get("/api/v1/cohorts/c1/certificates/eligibility?lang=en", Some(&w.coord)).await;
        assert_eq!(standing(&en, &w.id("Nowak-Jeziorańska"))["reasons"], json!(["80% attendance, 81% required", "no study visit"]));
        // Issuing someone not eligible by name is refused and names the row.
        let (status, body) = issue(&app, &w.coord, "c1", Some(json!({"enrolments": [w.id("Pająk")]}))).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "enrolments");
        assert_eq!(body["details"][0]["row"], 1);
        assert!(body["details"][0]["message"].as_str().unwrap().contains("brak wizyty studyjnej"), "{body}");
        // Bad rules are refused field by field.
        let (status, body) = app.api_json(Method::Put, "/api/v1/cohorts/c1/certificate-rule", Some(&w.coord), &json!({
            "prefix": "A B", "min_rate": 120, "required_kinds": {"wycieczka": 1}
        })).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let fields: BTreeSet<&str> = body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(fields, BTreeSet::from(["prefix", "min_rate", "required_kinds"]), "{body}");

        // The study visit: Żółkiewska-Łęcka goes, Nowak-Jeziorańska is excused; a withdrawal stops Ślęzak.
        let v = held(&app, &w, "c1", "study_visit", 10.0, 90, "").await;
        mark(&app, &w, &v, &[(&w.id("Żółkiewska-Łęcka"), "present"), (&w.id("Nowak-Jeziorańska"), "excused"), (&w.id("Ślęzak"), "present")]).await;
        let (status, body) = app.api_json(Method::Patch, &format!("/api/v1/enrolments/{}", w.id("Ślęzak")), Some(&w.coord), &json!({
            "status": "withdrawn", "withdrawal_reason": "Zmiana pracy", "withdrawn_on": "2024-01-01"
        })).await;
        assert_eq!(status, Status::Ok, "{body}");
        let (_, list) = app.api_get("/api/v1/cohorts/c1/certificates/eligibility", Some(&w.coord)).await;
        assert_eq!(standing(&list, &w.id("Żółkiewska-Łęcka"))["status"], "eligible", "{list}");
        let l = standing(&list, &w.id("Ślęzak"));
        assert_eq!(l["status"], "not_yet");
        assert_eq!(l["reasons"][0], "rezygnacja z udziału");
        assert!(standing(&list, &w.id("Nowak-Jeziorańska"))["reasons"][0].as_str().unwrap().starts_with("57 % obecności"));
    }

    async fn issuing_twice_issues_nothing_and_numbers_have_no_gaps_under_concurrency(app) {
        let w = world(&app).await;
        let (_, programme) = app.api_get("/api/v1/programmes/prog", Some(&w.coord)).await;
        cohort(&app, &w.coord, &programme, "c2").await;
        for slug in ["c1", "c2"] {
            let a = held(&app, &w, slug, "training", 30.0, 90, "").await;
            let (_, list) = app.api_get(&format!("/api/v1/cohorts/{slug}/enrolments"), Some(&w.coord)).await;
            let marks: Vec<Value> = list.as_array().unwrap().iter().map(|e| json!({"enrolment": e["id"], "status": "present"})).collect();
            let (status, _) = app.api_json(Method::Put, &format!("/api/v1/activities/{a}/attendance"), Some(&w.coord), &json!(marks)).await;
            assert_eq!(status, Status::Ok);
            // Both cohorts number from the same series.
            let (status, _) = app.api_json(Method::Put, &format!("/api/v1/cohorts/{slug}/certificate-rule"), Some(&w.coord), &json!({
                "prefix": "AKAD", "min_rate": 80
            })).await;
            assert_eq!(status, Status::Ok);
        }
        // Four issuers at once, two per cohort.
        let (r1, r2, r3, r4) = rocket::tokio::join!(
            issue(&app, &w.coord, "c1", None),
            issue(&app, &w.coord, "c2", None),
            issue(&app, &w.coord, "c1", None),
            issue(&app, &w.coord, "c2", Some(json!({"lang": "en"}))),
        );
        for (status, body) in [&r1, &r2, &r3, &r4] {
            assert_eq!(*status, Status::Ok, "{body}");
        }
        let total: u64 = [&r1, &r2, &r3, &r4].iter().map(|(_, b)| b["issued"].as_u64().unwrap()).sum();
        assert_eq!(total, 12, "six people in each cohort, each certified once");
        assert_eq!(r1.1["issued"].as_u64().unwrap() + r3.1["issued"].as_u64().unwrap(), 6);
        let mut numbers = Vec::new();
        for slug in ["c1", "c2"] {
            let (_, list) = app.api_get(&format!("/api/v1/cohorts/{slug}/certificates"), Some(&w.coord)).await;
            assert_eq!(list.as_array().unwrap().len(), 6);
            for c in list.as_array().unwrap() {
                numbers.push(c["number"].as_str().unwrap().to_owned());
                let code = c["code"].as_str().unwrap();
                assert_eq!(code.len(), 19, "four groups of four: {code}");
                assert!(code.chars().all(|ch| ch == '-' || "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(ch)));
                assert_eq!(c["revoked"], false);
            }
        }
        let year = akademia::domain::activity::local_day(Utc::now()).format("%Y").to_string();
        let expected: BTreeSet<String> = (1..=12).map(|n| format!("AKAD/{year}/{n:03}")).collect();
        assert_eq!(numbers.iter().cloned().collect::<BTreeSet<_>>(), expected, "unique and without gaps");
        // Again: nothing new, nothing audited.
        let (status, body) = issue(&app, &w.coord, "c1", None).await;
        assert_eq!((status, body["issued"].as_u64()), (Status::Ok, Some(0)));
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 12);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issue'").await, 12);
        assert_eq!(app.count("SELECT CAST(last AS BIGINT) FROM certificate_counters WHERE prefix = 'AKAD'").await, 12);
    }

    async fn the_pdf_names_the_holder_and_its_qr_code_opens_the_check(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let m = w.id("Żółkiewska-Łęcka");
        let (status, body) = issue(&app, &w.coord, "c1", Some(json!({"enrolments": [m], "lang": "pl"}))).await;
        assert_eq!((status, body["issued"].as_u64()), (Status::Ok, Some(1)), "{body}");
        let cert = &body["certificates"][0];
        let (id, number, code) = (cert["id"].as_str().unwrap(), cert["number"].as_str().unwrap(), cert["code"].as_str().unwrap());
        assert_eq!(cert["holder"], "Małgorzata Żółkiewska-Łęcka");
        let (status, content_type, pdf) = app.api_raw(&format!("/api/v1/certificates/{id}/pdf"), Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        assert!(content_type.contains("pdf"), "{content_type}");
        assert!(pdf.len() <= 60 * 1024, "{} bytes", pdf.len());
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in ["Małgorzata Żółkiewska-Łęcka", number, "Zaświadczenie", "Akademia Rzecznictwa", "Śrem", "Zlecanie zadań"] {
            assert!(flat.to_lowercase().contains(&expected.to_lowercase()), "{expected:?} in {flat}");
        }
        let url = format!("/verify/{code}");
        assert!(flat.contains(&url), "{url} in {flat}");
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let embedded = doc.objects.values().filter(|o| o.as_dict().is_ok_and(|d| d.has(b"FontFile2"))).count();
        assert_eq!(embedded, 2, "regular and bold embedded");
        let qr = qr_decode::qr_texts(&pdf);
        assert_eq!(qr.len(), 1, "{qr:?}");
        assert!(qr[0].ends_with(&url) && qr[0].starts_with("http"), "{qr:?}");
        // The QR code's address answers.
        let path = &qr[0][qr[0].find("/verify/").unwrap()..];
        let res = app.client.get(path.to_owned()).header(Header::new("Accept", "application/json")).dispatch().await;
        assert_eq!(res.status(), Status::Ok);

        // An English certificate speaks English.
        let g = w.id("Brzęczyszczykiewicz");
        let (_, body) = issue(&app, &w.coord, "c1", Some(json!({"enrolments": [g], "lang": "en"}))).await;
        let id = body["certificates"][0]["id"].as_str().unwrap();
        let (_, _, pdf) = app.api_raw(&format!("/api/v1/certificates/{id}/pdf"), Some(&w.coord)).await;
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        assert!(text.contains("Certificate of completion") || text.to_lowercase().contains("certificate"), "{text}");
        assert!(text.contains("Brzęczyszczykiewicz"));
    }

    async fn verification_shows_valid_revoked_and_unknown_and_limits_lookups(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let (_, body) = issue(&app, &w.coord, "c1", None).await;
        assert_eq!(body["issued"], 6);
        let cert = body["certificates"].as_array().unwrap().iter().find(|c| c["holder"] == "Małgorzata Żółkiewska-Łęcka").unwrap().clone();
        let code = cert["code"].as_str().unwrap().to_owned();
        let get = |path: String, json: bool, ip: &'static str| {
            let mut req = app.client.get(path).remote(format!("{ip}:4000").parse().unwrap());
            if json {
                req = req.header(Header::new("Accept", "application/json"));
            }
            async move {
                let res = req.dispatch().await;
                (res.status(), res.into_string().await.unwrap_or_default())
            }
        };
        let (status, body) = get(format!("/verify/{code}"), true, "192.0.2.1").await;
        assert_eq!(status, Status::Ok);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["revoked"], false);
        assert_eq!(v["holder"], "Małgorzata Żółkiewska-Łęcka");
        assert!(v["cohort"].as_str().unwrap().contains("Edycja c1"));
        assert_eq!(v["issued_on"], akademia::domain::activity::local_day(Utc::now()).format("%Y-%m-%d").to_string());
        assert!(v.get("email").is_none() && !body.contains("example.pl") && !body.contains("3026043"), "nothing else: {body}");
        // However it is typed.
        let typed = code.to_lowercase().replace('-', "");
        assert_eq!(get(format!("/verify/{typed}"), true, "192.0.2.1").await.0, Status::Ok);
        let (status, html) = get(format!("/verify/{code}"), false, "192.0.2.1").await;
        assert_eq!(status, Status::Ok);
        assert!(html.contains("Zaświadczenie jest ważne") && html.contains("Żółkiewska-Łęcka") && html.contains("lang=\"pl\""), "{html}");
        let (_, html) = get(format!("/verify/{code}?lang=en"), false, "192.0.2.1").await;
        assert!(html.contains("This certificate is valid"), "{html}");
        // Unknown and malformed codes: 404.
        for unknown in ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "nonsense", "%C5%BC"] {
            assert_eq!(get(format!("/verify/{unknown}"), true, "192.0.2.1").await.0, Status::NotFound, "{unknown}");
        }
        assert_eq!(get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ".into(), false, "192.0.2.1").await.0, Status::NotFound);
        // The form sends a typed code to its page.
        let res = app.client.get(format!("/verify?code={}", code.to_lowercase())).dispatch().await;
        assert_eq!(res.status(), Status::SeeOther);
        assert_eq!(res.headers().get_one("Location"), Some(format!("/verify/{code}").as_str()));

        // Revoked: a reason is required, then it verifies as revoked, with the date.
        let id = cert["id"].as_str().unwrap();
        let (status, body) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/revoke"), Some(&w.coord), &json!({"reason": " "})).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "reason");
        let (status, body) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/revoke"), Some(&w.coord), &json!({"reason": "Błąd w nazwisku"})).await;
        assert_eq!(status, Status::Ok, "{body}");
        assert_eq!(body["revoked"], true);
        let audit = app.count_text("SELECT CAST(after AS TEXT) FROM audit_log WHERE action = 'certificate.revoke'").await;
        assert!(audit.contains("Błąd w nazwisku"), "{audit}");
        let (_, body) = get(format!("/verify/{code}"), true, "192.0.2.2").await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!((v["valid"].clone(), v["revoked"].clone()), (json!(false), json!(true)));
        let (_, html) = get(format!("/verify/{code}?lang=pl"), false, "192.0.2.2").await;
        assert!(html.contains("unieważnione"), "{html}");
        // Revoking again is refused; a batch does not replace a revoked certificate.
        let (status, _) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/revoke"), Some(&w.coord), &json!({"reason": "x"})).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(issue(&app, &w.coord, "c1", None).await.1["issued"], 0);

        // One client gets a limited number of lookups a minute; another client is not affected.
        let mut limited = false;
        for _ in 0..40 {
            if get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ".into(), true, "192.0.2.3").await.0 == Status::TooManyRequests {
                limited = true;
                break;
            }
        }
        assert!(limited, "lookups are rate-limited");
        assert_eq!(get(format!("/verify/{code}"), true, "192.0.2.4").await.0, Status::Ok);
    }

    async fn a_name_correction_reissues_with_a_new_number_and_revokes_the_old(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let (_, body) = issue(&app, &w.coord, "c1", Some(json!({"enrolments": [w.id("Ćwiek")]}))).await;
        let old = body["certificates"][0].clone();
        let id = old["id"].as_str().unwrap();
        let (status, body) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/reissue"), Some(&w.coord), &json!({"first_name": "", "last_name": "Ćwiek"})).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "first_name");
        let (status, new) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/reissue"), Some(&w.coord), &json!({"first_name": "Jadwiga", "last_name": "Ćwiek-Żak", "lang": "en"})).await;
        assert_eq!(status, Status::Created, "{new}");
        assert_eq!(new["holder"], "Jadwiga Ćwiek-Żak");
        assert_ne!(new["number"], old["number"]);
        assert_ne!(new["code"], old["code"]);
        assert_eq!(new["lang"], "en");
        let (_, list) = app.api_get("/api/v1/cohorts/c1/certificates", Some(&w.coord)).await;
        let old_now = list.as_array().unwrap().iter().find(|c| c["id"] == old["id"]).unwrap();
        assert_eq!(old_now["revoked"], true);
        assert_eq!(old_now["replaced_by"], new["id"]);
        assert!(old_now["revoked_reason"].as_str().unwrap().contains("Ćwiek-Żak"));
        // The participant's name is corrected too.
        let (_, people) = app.api_get("/api/v1/cohorts/c1/enrolments", Some(&w.coord)).await;
        assert!(people.as_array().unwrap().iter().any(|p| p["last_name"] == "Ćwiek-Żak"));
        // Old code: revoked; new code: valid under the new name.
        let check = |code: String| {
            let req = app.client.get(format!("/verify/{code}")).header(Header::new("Accept", "application/json"));
            async move { serde_json::from_str::<Value>(&req.dispatch().await.into_string().await.unwrap()).unwrap() }
        };
        assert_eq!(check(old["code"].as_str().unwrap().to_owned()).await["revoked"], true);
        let v = check(new["code"].as_str().unwrap().to_owned()).await;
        assert_eq!((v["valid"].clone(), v["holder"].clone()), (json!(true), json!("Jadwiga Ćwiek-Żak")));
        // A replaced certificate is not reissued twice.
        let (status, _) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/reissue"), Some(&w.coord), &json!({"first_name": "J", "last_name": "C"})).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.reissue'").await, 1);
    }

    async fn the_zip_holds_every_valid_certificate_under_an_ascii_name(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        issue(&app, &w.coord, "c1", None).await;
        let (_, list) = app.api_get("/api/v1/cohorts/c1/certificates", Some(&w.coord)).await;
        let pajak = list.as_array().unwrap().iter().find(|c| c["holder"] == "Zdzisław Pająk").unwrap();
        app.api_json(Method::Post, &format!("/api/v1/certificates/{}/revoke", pajak["id"].as_str().unwrap()), Some(&w.coord), &json!({"reason": "Pomyłka"})).await;
        let (status, content_type, bytes) = app.api_raw("/api/v1/cohorts/c1/certificates.zip", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        assert!(content_type.contains("zip"), "{content_type}");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let names: BTreeSet<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        assert_eq!(names.len(), 5, "{names:?}");
        let m = list.as_array().unwrap().iter().find(|c| c["holder"] == "Małgorzata Żółkiewska-Łęcka").unwrap();
        let seq = m["number"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        let year = m["number"].as_str().unwrap().split('/').nth(1).unwrap().to_owned();
        let expected = format!("{year}-{seq}_Zolkiewska-Lecka_Malgorzata.pdf");
        assert!(names.contains(&expected), "{expected} in {names:?}");
        assert!(names.iter().all(|n| n.is_ascii() && n.ends_with(".pdf")));
        assert!(!names.iter().any(|n| n.contains("Pajak")), "the revoked one is left out");
        let mut pdf = Vec::new();
        zip.by_name(&expected).unwrap().read_to_end(&mut pdf).unwrap();
        assert!(pdf_extract::extract_text_from_mem(&pdf).unwrap().contains("Żółkiewska-Łęcka"));
    }

    async fn erasing_a_participant_revokes_and_anonymises_their_certificate(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let (_, body) = issue(&app, &w.coord, "c1", Some(json!({"enrolments": [w.id("Pająk")]}))).await;
        let code = body["certificates"][0]["code"].as_str().unwrap().to_owned();
        let (_, people) = app.api_get("/api/v1/cohorts/c1/enrolments", Some(&w.coord)).await;
        let person = people.as_array().unwrap().iter().find(|p| p["last_name"] == "Pająk").unwrap();
        let pid = person["participant"].as_str().unwrap().to_owned();
        let (status, body) = app.api_json(Method::Post, &format!("/api/v1/participants/{pid}/erase"), Some(&w.coord), &json!({})).await;
        assert_eq!(status, Status::Ok, "{body}");
        let res = app.client.get(format!("/verify/{code}")).header(Header::new("Accept", "application/json")).dispatch().await;
        let v: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(v["revoked"], true);
        assert!(!v["holder"].as_str().unwrap().contains("Pająk"), "{v}");
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE last_name = 'Pająk' OR first_name = 'Zdzisław'").await, 0);
    }

    async fn only_the_programmes_coordinators_handle_certificates(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let (_, body) = issue(&app, &w.coord, "c1", Some(json!({"enrolments": [w.id("Pająk")]}))).await;
        let id = body["certificates"][0]["id"].as_str().unwrap().to_owned();
        let gets = [
            "/api/v1/cohorts/c1/certificates".to_owned(),
            "/api/v1/cohorts/c1/certificates/eligibility".to_owned(),
            "/api/v1/cohorts/c1/certificates.zip".to_owned(),
            "/api/v1/cohorts/c1/certificate-rule".to_owned(),
            format!("/api/v1/certificates/{id}"),
            format!("/api/v1/certificates/{id}/pdf"),
        ];
        for path in &gets {
            assert_eq!(app.api_raw(path, None).await.0, Status::Unauthorized, "{path}");
            assert_eq!(app.api_raw(path, Some(&w.trainer)).await.0, Status::Forbidden, "{path}");
            assert_eq!(app.api_raw(path, Some(&w.funder)).await.0, Status::Forbidden, "{path}");
            assert_eq!(app.api_raw(path, Some(&w.outsider)).await.0, Status::NotFound, "{path}");
            assert_eq!(app.api_raw(path, Some(&w.coord)).await.0, Status::Ok, "{path}");
        }
        for token in [&w.trainer, &w.funder] {
            assert_eq!(issue(&app, token, "c1", None).await.0, Status::Forbidden);
            let (status, _) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/revoke"), Some(token), &json!({"reason": "x"})).await;
            assert_eq!(status, Status::Forbidden);
        }
        assert_eq!(issue(&app, &w.outsider, "c1", None).await.0, Status::NotFound);
        let (status, _) = app.api_json(Method::Post, &format!("/api/v1/certificates/{id}/reissue"), Some(&w.outsider), &json!({"first_name": "A", "last_name": "B"})).await;
        assert_eq!(status, Status::NotFound);
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE revoked_at IS NOT NULL").await, 0);
    }

    async fn coordinators_issue_revoke_and_reissue_on_the_pages(app) {
        let w = world(&app).await;
        typical(&app, &w).await;
        let browser = app.browser().await;
        assert_eq!(browser.login("koord@test.pl", common::PASSWORD).await, Status::SeeOther);
        // A stricter rule typed in the form; a wrong value keeps what was typed.
        let rule = |min: &'static str| vec![
            ("prefix", "akad"), ("min_rate", min), ("kinds[training]", ""), ("kinds[study_visit]", "1"),
            ("kinds[webinar]", "0"), ("kinds[coaching]", ""), ("required_modules", ""),
            ("organiser", "Fundacja Przykładowa"), ("signatory", "Anna Nowak"), ("signatory_role", "Prezeska"), ("place", "Leszno"),
        ];
        let (status, _, page) = browser.post_form("/cohorts/c1/certificates/rule", &rule("180")).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("value=\"180\"") && page.contains("Fundacja Przykładowa"), "typed values kept");
        let (status, _, _) = browser.post_form("/cohorts/c1/certificates/rule", &rule("80")).await;
        assert_eq!(status, Status::SeeOther);
        let (status, page) = browser.get("/cohorts/c1/certificates").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("brak wizyty studyjnej"), "reasons shown");
        // A study visit for Żółkiewska-Łęcka makes her eligible; she is issued a certificate alone.
        let v = held(&app, &w, "c1", "study_visit", 10.0, 90, "").await;
        let m = w.id("Żółkiewska-Łęcka");
        mark(&app, &w, &v, &[(&m, "present")]).await;
        let (status, location, _) = browser.post_form("/cohorts/c1/certificates/issue", &[("enrolment", m.as_str()), ("lang", "pl")]).await;
        assert_eq!(status, Status::SeeOther);
        assert!(location.unwrap().starts_with("/cohorts/c1/certificates"));
        let (_, page) = browser.get("/cohorts/c1/certificates").await;
        assert!(page.replace("&#x2f;", "/").contains("AKAD/"), "the number is listed");
        // Someone not eligible: nothing issued, the reason in the message.
        browser.post_form("/cohorts/c1/certificates/issue", &[("enrolment", w.id("Pająk").as_str()), ("lang", "pl")]).await;
        let (_, page) = browser.get("/cohorts/c1/certificates").await;
        assert!(page.contains("nie spełnia jeszcze warunków"), "{page}");
        // Issue to all: nobody else is eligible.
        browser.post_form("/cohorts/c1/certificates/issue", &[("lang", "en")]).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 1);
        let id = app.count_text("SELECT CAST(id AS TEXT) FROM certificates").await;
        let (status, page) = browser.get(&format!("/certificates/{id}")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Żółkiewska-Łęcka") && page.contains("/verify/"), "{page}");
        let res = browser.client().get(format!("/certificates/{id}/pdf")).dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        assert!(res.into_bytes().await.unwrap().starts_with(b"%PDF-"));
        // Revoking needs a reason and the confirmation.
        let (status, _, _) = browser.post_form(&format!("/certificates/{id}/revoke"), &[("reason", "Błąd w nazwisku")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let (status, _, _) = browser.post_form(&format!("/certificates/{id}/revoke"), &[("reason", ""), ("confirm", "on")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE revoked_at IS NOT NULL").await, 0);
        let (status, _, _) = browser.post_form(&format!("/certificates/{id}/revoke"), &[("reason", "Błąd w nazwisku"), ("confirm", "on")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE revoked_at IS NOT NULL").await, 1);
        // Then the name is corrected and the certificate reissued.
        let (status, location, _) = browser.post_form(&format!("/certificates/{id}/reissue"), &[("first_name", "Małgorzata"), ("last_name", "Żółkiewska-Łęcka-Nowak"), ("lang", "")]).await;
        assert_eq!(status, Status::SeeOther);
        let location = location.unwrap();
        assert!(location.starts_with("/certificates/") && !location.contains(&id), "{location}");
        let (_, page) = browser.get(&location).await;
        assert!(page.contains("Żółkiewska-Łęcka-Nowak"));
        assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE revoked_at IS NULL AND last_name = 'Żółkiewska-Łęcka-Nowak'").await, 1);
        // Without the form's token nothing happens.
        let (status, _, _) = browser.post_raw("/cohorts/c1/certificates/issue", &[("lang", "pl")]).await;
        assert_eq!(status, Status::Forbidden);
        let res = browser.client().get("/cohorts/c1/certificates.zip").dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        assert_eq!(res.content_type(), Some(ContentType::ZIP));
    }
}
