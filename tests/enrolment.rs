//! Programmes, cohorts, enrolments, gmina teams, the participant CSV import, GDPR export and
//! erasure, and organisations, through the JSON API on both backends.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use akademia::domain::Role;
use common::TestApp;
use rocket::http::{ContentType, Header, Method, Status};
use serde_json::{Value, json};

const OK_CSV: &[u8] = include_bytes!("../../shared/fixtures/participants_ok.csv");
const BAD_CSV: &[u8] = include_bytes!("../../shared/fixtures/participants_bad.csv");

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (Status, Value) {
    app.api_json(Method::Post, path, Some(token), &body).await
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> (Status, Value) {
    app.api_json(Method::Put, path, Some(token), &body).await
}

async fn get(app: &TestApp, path: &str, token: &str) -> (Status, Value) {
    app.api_get(path, Some(token)).await
}

/// POSTs a CSV to `/api/v1/cohorts/<cohort>/import<query>`.
async fn import(
    app: &TestApp,
    cohort: &str,
    token: &str,
    csv: &[u8],
    query: &str,
) -> (Status, Value) {
    let path = format!("/api/v1/cohorts/{cohort}/import{query}");
    let csv_type = ContentType::new("text", "csv");
    app.api_send(Method::Post, &path, Some(token), csv, csv_type)
        .await
}

/// A coordinator and their token.
async fn coordinator(app: &TestApp, email: &str) -> String {
    let user = app.user(email, Role::Coordinator).await;
    app.token(&user).await
}

/// Creates programme `<slug>-prog` and cohort `<slug>` in it; returns the cohort.
async fn cohort(app: &TestApp, token: &str, slug: &str) -> Value {
    let (status, programme) = post(app, "/api/v1/programmes", token, json!({
        "name": format!("Programme {slug}"), "slug": format!("{slug}-prog"), "funder": "NIW-CRSO",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31"
    })).await;
    assert_eq!(status, Status::Created, "{programme}");
    let (status, cohort) = post(
        app,
        "/api/v1/cohorts",
        token,
        json!({
            "programme": programme["id"], "name": format!("Cohort {slug}"), "slug": slug,
            "starts_on": "2026-02-01", "ends_on": "2026-06-30"
        }),
    )
    .await;
    assert_eq!(status, Status::Created, "{cohort}");
    cohort
}

async fn enrolments(app: &TestApp, cohort: &str, token: &str) -> Vec<Value> {
    let (status, list) = get(app, &format!("/api/v1/cohorts/{cohort}/enrolments"), token).await;
    assert_eq!(status, Status::Ok, "{list}");
    list.as_array().expect("an array").clone()
}

async fn teams(app: &TestApp, cohort: &str, token: &str) -> BTreeMap<String, Value> {
    let (status, list) = get(app, &format!("/api/v1/cohorts/{cohort}/teams"), token).await;
    assert_eq!(status, Status::Ok, "{list}");
    list.as_array()
        .expect("an array")
        .iter()
        .map(|t| (t["gmina"].as_str().expect("gmina").to_owned(), t.clone()))
        .collect()
}

fn find<'a>(list: &'a [Value], last_name: &str) -> &'a Value {
    list.iter()
        .find(|e| e["last_name"] == last_name)
        .unwrap_or_else(|| panic!("{last_name} in {list:?}"))
}

/// The `details` of an error answer, by row: `(row, field, message)`.
fn details(body: &Value) -> Vec<(u64, String, String)> {
    body["details"]
        .as_array()
        .unwrap_or_else(|| panic!("details in {body}"))
        .iter()
        .map(|d| {
            (
                d["row"].as_u64().unwrap_or(0),
                d["field"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn fields(body: &Value) -> Vec<String> {
    details(body).into_iter().map(|(_, f, _)| f).collect()
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    async fn programmes_and_cohorts_are_created_validated_and_addressed_by_slug(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        let (status, p) = post(&app, "/api/v1/programmes", &token, json!({
            "name": "WARNiK", "slug": "warnik", "funder": "NIW-CRSO", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31", "grant_amount": 250000.50, "grant_currency": "EUR",
            "partners": "Stowarzyszenie Ziemia Śremska", "acknowledgement": "Dofinansowano ze środków NIW"
        })).await;
        assert_eq!(status, Status::Created, "{p}");
        assert!(p["id"].is_string());
        for (key, value) in [("slug", json!("warnik")), ("name", json!("WARNiK")), ("funder", json!("NIW-CRSO")),
            ("grant_currency", json!("EUR")), ("starts_on", json!("2026-01-01")), ("ends_on", json!("2026-12-31")),
            ("partners", json!("Stowarzyszenie Ziemia Śremska")), ("archived", json!(false))] {
            assert_eq!(p[key], value, "{key} in {p}");
        }
        assert_eq!(p["grant_amount"].as_f64(), Some(250000.50));
        let pid = p["id"].as_str().unwrap();
        for key in [pid, "warnik"] {
            let (status, again) = get(&app, &format!("/api/v1/programmes/{key}"), &token).await;
            assert_eq!((status, &again["id"]), (Status::Ok, &p["id"]));
        }
        let (_, list) = get(&app, "/api/v1/programmes", &token).await;
        assert_eq!(ids(&list), BTreeSet::from([pid.to_owned()]));

        // a taken slug, a malformed slug, and an end before the start
        let mut body = json!({"name": "Inny", "slug": "warnik", "funder": "X", "starts_on": "2026-01-01", "ends_on": "2026-12-31"});
        let (status, err) = post(&app, "/api/v1/programmes", &token, body.clone()).await;
        assert_eq!((status, fields(&err)), (Status::UnprocessableEntity, vec!["slug".to_owned()]), "{err}");
        body["slug"] = json!("Zły Slug");
        let (status, err) = post(&app, "/api/v1/programmes", &token, body.clone()).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(fields(&err).contains(&"slug".to_owned()), "{err}");
        body["slug"] = json!("inny-2");
        body["ends_on"] = json!("2025-12-31");
        let (status, err) = post(&app, "/api/v1/programmes", &token, body).await;
        assert_eq!((status, fields(&err)), (Status::UnprocessableEntity, vec!["ends_on".to_owned()]), "{err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM programmes").await, 1);
        assert_eq!(get(&app, "/api/v1/programmes/nie-ma-takiego", &token).await.0, Status::NotFound);

        // a cohort under the programme's slug, reachable by its own id and slug
        let (status, c) = post(&app, "/api/v1/cohorts", &token, json!({
            "programme": "warnik", "name": "Edycja 2026", "slug": "warnik-2026",
            "starts_on": "2026-02-01", "ends_on": "2026-06-30"
        })).await;
        assert_eq!(status, Status::Created, "{c}");
        assert_eq!((&c["programme"], c["programme_slug"].as_str(), c["slug"].as_str(), &c["archived"]),
            (&p["id"], Some("warnik"), Some("warnik-2026"), &json!(false)));
        for key in [c["id"].as_str().unwrap(), "warnik-2026"] {
            let (status, again) = get(&app, &format!("/api/v1/cohorts/{key}"), &token).await;
            assert_eq!((status, again["name"].as_str()), (Status::Ok, Some("Edycja 2026")));
        }
        let (_, list) = get(&app, "/api/v1/cohorts", &token).await;
        assert_eq!(ids(&list), BTreeSet::from([c["id"].as_str().unwrap().to_owned()]));
        assert_eq!(get(&app, "/api/v1/cohorts/nie-ma-takiej", &token).await.0, Status::NotFound);

        // updates, including archiving
        let (status, c2) = put(&app, "/api/v1/cohorts/warnik-2026", &token, json!({
            "name": "Edycja wiosenna", "slug": "warnik-2026", "starts_on": "2026-02-01",
            "ends_on": "2026-07-31", "archived": true
        })).await;
        assert_eq!(status, Status::Ok, "{c2}");
        assert_eq!((c2["name"].as_str(), c2["ends_on"].as_str(), &c2["archived"]),
            (Some("Edycja wiosenna"), Some("2026-07-31"), &json!(true)));
        let (status, p2) = put(&app, &format!("/api/v1/programmes/{pid}"), &token, json!({
            "name": "WARNiK 2", "slug": "warnik", "funder": "NIW-CRSO", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31", "archived": true
        })).await;
        assert_eq!(status, Status::Ok, "{p2}");
        assert_eq!((p2["name"].as_str(), &p2["archived"]), (Some("WARNiK 2"), &json!(true)));
        assert_eq!(get(&app, "/api/v1/programmes/warnik", &token).await.1["name"], "WARNiK 2");
    }

    async fn a_coordinator_sees_only_programmes_they_are_assigned_to(app) {
        let a = coordinator(&app, "a@test.pl").await;
        let b = coordinator(&app, "b@test.pl").await;
        let admin_user = app.user("admin@test.pl", Role::Admin).await;
        let admin = app.token(&admin_user).await;
        let ca = cohort(&app, &a, "kohorta-a").await;
        let cb = cohort(&app, &b, "kohorta-b").await;
        let (status, _) = post(&app, "/api/v1/cohorts/kohorta-a/enrolments", &a, json!({
            "first_name": "Jan", "last_name": "Nowak", "gmina": "3026043", "group": "official"
        })).await;
        assert_eq!(status, Status::Created);
        let a_id = ca["id"].as_str().unwrap();

        for path in ["/api/v1/cohorts/kohorta-a".to_owned(), format!("/api/v1/cohorts/{a_id}"),
            "/api/v1/cohorts/kohorta-a/enrolments".to_owned(), "/api/v1/cohorts/kohorta-a/teams".to_owned(),
            "/api/v1/programmes/kohorta-a-prog".to_owned()] {
            assert_eq!(get(&app, &path, &b).await.0, Status::NotFound, "{path}");
            assert_eq!(get(&app, &path, &a).await.0, Status::Ok, "{path}");
            assert_eq!(get(&app, &path, &admin).await.0, Status::Ok, "{path}");
        }
        assert_eq!(import(&app, "kohorta-a", &b, OK_CSV, "").await.0, Status::NotFound);
        let (status, _) = post(&app, "/api/v1/cohorts/kohorta-a/enrolments", &b, json!({
            "first_name": "Ewa", "last_name": "Obca", "gmina": "3026043", "group": "ngo"
        })).await;
        assert_eq!(status, Status::NotFound);
        let (status, _) = put(&app, "/api/v1/cohorts/kohorta-a", &b, json!({
            "name": "Przejęta", "slug": "kohorta-a", "starts_on": "2026-02-01", "ends_on": "2026-06-30"
        })).await;
        assert_eq!(status, Status::NotFound);
        let (status, _) = post(&app, "/api/v1/cohorts", &b, json!({
            "programme": "kohorta-a-prog", "name": "Podrzucona", "slug": "podrzucona",
            "starts_on": "2026-02-01", "ends_on": "2026-06-30"
        })).await;
        assert!(matches!(status, Status::NotFound | Status::UnprocessableEntity), "{status}");
        let enrolment = enrolments(&app, "kohorta-a", &a).await[0].clone();
        let (status, _) = app.api_json(Method::Patch, &format!("/api/v1/enrolments/{}", enrolment["id"].as_str().unwrap()),
            Some(&b), &json!({"status": "active"})).await;
        assert_eq!(status, Status::NotFound);
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM cohorts").await, 2);

        let (_, list) = get(&app, "/api/v1/cohorts", &b).await;
        assert_eq!(ids(&list), BTreeSet::from([cb["id"].as_str().unwrap().to_owned()]));
        let (_, list) = get(&app, "/api/v1/programmes", &b).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["slug"], "kohorta-b-prog");
        let (_, list) = get(&app, "/api/v1/cohorts", &admin).await;
        assert_eq!(ids(&list).len(), 2);
        // a programme the admin creates is the admin's until a coordinator is assigned
        cohort(&app, &admin, "kohorta-admina").await;
        let (_, list) = get(&app, "/api/v1/programmes", &admin).await;
        assert_eq!(list.as_array().unwrap().len(), 3);
        let (_, list) = get(&app, "/api/v1/programmes", &a).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(get(&app, "/api/v1/cohorts/kohorta-admina", &a).await.0, Status::NotFound);
    }

    async fn trainers_and_funders_get_403_on_programmes_cohorts_and_participants(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        assert_eq!(import(&app, "kohorta", &token, OK_CSV, "").await.0, Status::Ok);
        let person = enrolments(&app, "kohorta", &token).await[0].clone();
        let pid = person["participant"].as_str().unwrap().to_owned();
        for role in [Role::Trainer, Role::Funder] {
            let user = app.user(&format!("{}@test.pl", role.as_str()), role).await;
            let other = app.token(&user).await;
            for path in ["/api/v1/programmes", "/api/v1/cohorts", "/api/v1/cohorts/kohorta",
                "/api/v1/cohorts/kohorta/enrolments", "/api/v1/cohorts/kohorta/teams", "/api/v1/organisations",
                &format!("/api/v1/participants/{pid}/export")] {
                assert_eq!(get(&app, path, &other).await.0, Status::Forbidden, "{path} as {role:?}");
            }
            assert_eq!(import(&app, "kohorta", &other, OK_CSV, "").await.0, Status::Forbidden);
            assert_eq!(import(&app, "kohorta", &other, OK_CSV, "?dry_run=true").await.0, Status::Forbidden);
            let (status, _) = post(&app, "/api/v1/cohorts/kohorta/enrolments", &other, json!({
                "first_name": "Jan", "last_name": "Nowak", "gmina": "3026043", "group": "official"
            })).await;
            assert_eq!(status, Status::Forbidden);
            assert_eq!(post(&app, &format!("/api/v1/participants/{pid}/erase"), &other, json!({})).await.0, Status::Forbidden);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 6);
        assert_eq!(app.count("SELECT COUNT(*) FROM participants WHERE erased_at IS NOT NULL").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.export'").await, 0);
    }

    async fn the_ok_fixture_imports_six_people_into_two_complete_teams(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let (status, body) = import(&app, "kohorta", &token, OK_CSV, "").await;
        assert_eq!((status, &body["imported"]), (Status::Ok, &json!(6)), "{body}");
        let list = enrolments(&app, "kohorta", &token).await;
        assert_eq!(list.len(), 6);
        let m = find(&list, "Żółkiewska-Łęcka");
        assert_eq!((m["first_name"].as_str(), m["email"].as_str(), m["phone"].as_str()),
            (Some("Małgorzata"), Some("m.zolkiewska@example.pl"), Some("+48 601 234 567")));
        assert_eq!((m["gmina"].as_str(), m["group"].as_str(), m["sex"].as_str(), m["birth_year"].as_i64()),
            (Some("3026043"), Some("official"), Some("F"), Some(1979)));
        assert_eq!(m["organisation"], "Urząd Miejski w Śremie");
        assert_eq!((m["status"].as_str(), &m["possible_duplicate"]), (Some("enrolled"), &json!(false)));
        let g = find(&list, "Brzęczyszczykiewicz");
        assert_eq!((g["group"].as_str(), g["sex"].as_str()), (Some("ngo"), Some("M")));
        assert_eq!(g["organisation"], "Stowarzyszenie „Razem dla Śremu”");
        let j = find(&list, "Ćwiek");
        assert_eq!((j["group"].as_str(), &j["email"], &j["organisation"]), (Some("at_risk"), &Value::Null, &Value::Null));
        let a = find(&list, "Nowak-Jeziorańska");
        assert_eq!((a["group"].as_str(), &a["birth_year"], a["gmina"].as_str()), (Some("ngo"), &Value::Null, Some("3063011")));

        let teams = teams(&app, "kohorta", &token).await;
        assert_eq!(teams.keys().collect::<Vec<_>>(), ["3026043", "3063011"]);
        let srem = &teams["3026043"];
        assert_eq!((srem["name"].as_str(), srem["powiat"].as_str()), (Some("Śrem"), Some("śremski")));
        for team in teams.values() {
            assert_eq!(team["members"], json!({"official": 1, "ngo": 1, "at_risk": 1}), "{team}");
            assert_eq!((&team["missing"], &team["complete"]), (&json!([]), &json!(true)), "{team}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM participants").await, 6);
    }

    async fn the_bad_fixture_reports_rows_3_to_10_and_writes_nothing(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let (status, pl) = import(&app, "kohorta", &token, BAD_CSV, "").await;
        assert_eq!(status, Status::UnprocessableEntity, "{pl}");
        let found = details(&pl);
        let rows: BTreeSet<u64> = found.iter().map(|(r, _, _)| *r).collect();
        assert_eq!(rows, (3..=10).collect::<BTreeSet<u64>>(), "{pl}");
        let expected = [(3, "last_name"), (4, "email"), (5, "gmina"), (6, "gmina"), (7, "group"),
            (8, "sex"), (9, "birth_year"), (10, "email")];
        for (row, field) in expected {
            assert!(found.iter().any(|(r, f, _)| *r == row && f == field), "row {row} field {field} in {pl}");
        }
        let gniezno = &found.iter().find(|(r, _, _)| *r == 6).unwrap().2;
        assert!(gniezno.contains("3003011") && gniezno.contains("3003032"), "{gniezno}");
        assert!(gniezno.contains("gnieźnieński"), "the candidates' powiat: {gniezno}");
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM participants").await, 0);

        // the same problems in English, by query or by header
        let (status, en) = import(&app, "kohorta", &token, BAD_CSV, "?lang=en").await;
        assert_eq!(status, Status::UnprocessableEntity);
        let (en_found, pl_found) = (details(&en), details(&pl));
        assert_eq!(en_found.iter().map(|(r, f, _)| (*r, f.clone())).collect::<Vec<_>>(),
            pl_found.iter().map(|(r, f, _)| (*r, f.clone())).collect::<Vec<_>>());
        assert_ne!(en["error"], pl["error"]);
        for ((row, _, en_msg), (_, _, pl_msg)) in en_found.iter().zip(&pl_found) {
            assert_ne!(en_msg, pl_msg, "row {row} is translated");
        }
        let en_gniezno = &en_found.iter().find(|(r, _, _)| *r == 6).unwrap().2;
        assert!(en_gniezno.contains("3003011") && en_gniezno.contains("3003032"), "{en_gniezno}");
        let res = app.client.post("/api/v1/cohorts/kohorta/import")
            .header(Header::new("Authorization", format!("Bearer {token}")))
            .header(Header::new("Accept-Language", "en-GB,en;q=0.9"))
            .header(ContentType::new("text", "csv"))
            .body(BAD_CSV).dispatch().await;
        assert_eq!(res.status(), Status::UnprocessableEntity);
        let by_header: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(by_header, en);
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 0);
    }

    async fn a_windows_1250_semicolon_crlf_file_keeps_polish_letters(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let people = [("Zażółć", "Gęślą-Jaźń", "urzędnik", "K", "1970"), ("Łucja", "Ćmielów", "NGO", "k", "1981"),
            ("Ścibor", "Źdźbło-Żmuda", "onw", "M", "")];
        let mut text = String::from("Imię;Nazwisko;Gmina;Grupa;Płeć;Rok urodzenia\r\n");
        for (first, last, group, sex, year) in people {
            text.push_str(&format!("{first};{last};3026043;{group};{sex};{year}\r\n"));
        }
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(&text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
        let (status, body) = import(&app, "kohorta", &token, &bytes, "").await;
        assert_eq!((status, &body["imported"]), (Status::Ok, &json!(3)), "{body}");
        let list = enrolments(&app, "kohorta", &token).await;
        let names: BTreeSet<(String, String)> = list.iter()
            .map(|e| (e["first_name"].as_str().unwrap().to_owned(), e["last_name"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(names, people.iter().map(|p| (p.0.to_owned(), p.1.to_owned())).collect());
        let z = find(&list, "Źdźbło-Żmuda");
        assert_eq!((z["group"].as_str(), z["sex"].as_str(), &z["birth_year"]), (Some("at_risk"), Some("M"), &Value::Null));
        let l = find(&list, "Ćmielów");
        assert_eq!((l["group"].as_str(), l["sex"].as_str(), l["birth_year"].as_i64()), (Some("ngo"), Some("F"), Some(1981)));
        assert_eq!(teams(&app, "kohorta", &token).await["3026043"]["complete"], json!(true));
    }

    async fn a_utf8_bom_file_with_english_headers_in_odd_case_imports(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let csv = "\u{feff} First Name ,LAST-NAME,Gmina,group,E_Mail,SEX,Birth Year\n\
            Ewa,Kowalska,3026043,Official,Ewa.Kowalska@Example.pl,f,1980\n\
            \"Jan, Maria\",Nowak,3063011,AT_RISK,,,\n";
        let (status, body) = import(&app, "kohorta", &token, csv.as_bytes(), "").await;
        assert_eq!((status, &body["imported"]), (Status::Ok, &json!(2)), "{body}");
        let list = enrolments(&app, "kohorta", &token).await;
        let ewa = find(&list, "Kowalska");
        assert_eq!((ewa["first_name"].as_str(), ewa["group"].as_str(), ewa["sex"].as_str()), (Some("Ewa"), Some("official"), Some("F")));
        assert_eq!(ewa["email"].as_str().map(str::to_lowercase).as_deref(), Some("ewa.kowalska@example.pl"));
        let jan = find(&list, "Nowak");
        assert_eq!((jan["first_name"].as_str(), jan["group"].as_str(), &jan["sex"]), (Some("Jan, Maria"), Some("at_risk"), &Value::Null));
    }

    async fn a_dry_run_validates_and_writes_nothing(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let (status, body) = import(&app, "kohorta", &token, OK_CSV, "?dry_run=true").await;
        assert_eq!((status, &body["imported"], &body["valid"]), (Status::Ok, &json!(0), &json!(6)), "{body}");
        let (status, _) = import(&app, "kohorta", &token, BAD_CSV, "?dry_run=true").await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM participants").await, 0);
        assert!(enrolments(&app, "kohorta", &token).await.is_empty());
        assert_eq!(import(&app, "kohorta", &token, OK_CSV, "").await.1["imported"], json!(6));
    }

    async fn an_email_already_in_the_cohort_is_refused_by_post_and_by_import(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let (status, e) = post(&app, "/api/v1/cohorts/kohorta/enrolments", &token, json!({
            "first_name": "Małgosia", "last_name": "Inna", "email": "M.Zolkiewska@Example.PL",
            "gmina": "3063011", "group": "ngo"
        })).await;
        assert_eq!(status, Status::Created, "{e}");
        let (status, err) = import(&app, "kohorta", &token, OK_CSV, "").await;
        assert_eq!(status, Status::UnprocessableEntity);
        let found = details(&err);
        assert_eq!(found.len(), 1, "{err}");
        assert_eq!((found[0].0, found[0].1.as_str()), (2, "email"));
        let (status, err) = post(&app, "/api/v1/cohorts/kohorta/enrolments", &token, json!({
            "first_name": "Ktoś", "last_name": "Inny", "email": "m.zolkiewska@example.pl", "gmina": "3026043", "group": "official"
        })).await;
        assert_eq!((status, fields(&err)), (Status::UnprocessableEntity, vec!["email".to_owned()]), "{err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM participants").await, 1);
        // the same address in another cohort is fine
        cohort(&app, &token, "druga").await;
        assert_eq!(import(&app, "druga", &token, OK_CSV, "").await.0, Status::Ok);
    }

    async fn a_single_enrolment_checks_group_gmina_and_email(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let path = "/api/v1/cohorts/kohorta/enrolments";
        let base = json!({"first_name": "Anna", "last_name": "Lis", "email": "anna@example.pl", "phone": "600100200",
            "gmina": "3026043", "group": "official", "sex": "F", "birth_year": 1985});
        for (key, value, field) in [("group", json!("mayor"), "group"), ("gmina", json!("9999999"), "gmina"),
            ("email", json!("nie-email"), "email")] {
            let mut body = base.clone();
            body[key] = value;
            let (status, err) = post(&app, path, &token, body).await;
            assert_eq!(status, Status::UnprocessableEntity, "{key}: {err}");
            assert!(fields(&err).contains(&field.to_owned()), "{key}: {err}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 0);
        let (status, e) = post(&app, path, &token, base).await;
        assert_eq!(status, Status::Created, "{e}");
        assert!(e["id"].is_string() && e["participant"].is_string());
        assert_eq!((e["gmina"].as_str(), e["gmina_name"].as_str(), e["group"].as_str(), e["sex"].as_str()),
            (Some("3026043"), Some("Śrem"), Some("official"), Some("F")));
        assert_eq!((e["birth_year"].as_i64(), e["phone"].as_str(), e["status"].as_str()), (Some(1985), Some("600100200"), Some("enrolled")));
        assert_eq!(enrolments(&app, "kohorta", &token).await, vec![e]);
    }

    async fn a_gmina_given_by_an_unambiguous_name_resolves_to_its_code(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let csv = "imie,nazwisko,gmina,grupa\nJan,Pierwszy,Śrem,urzędnik\nEwa,Druga,srem,ngo\nOla,Trzecia, ŚREM ,onw\n";
        let (status, body) = import(&app, "kohorta", &token, csv.as_bytes(), "").await;
        assert_eq!((status, &body["imported"]), (Status::Ok, &json!(3)), "{body}");
        let gminas: BTreeSet<String> = enrolments(&app, "kohorta", &token).await.iter()
            .map(|e| e["gmina"].as_str().unwrap().to_owned()).collect();
        assert_eq!(gminas, BTreeSet::from(["3026043".to_owned()]));
        assert_eq!(teams(&app, "kohorta", &token).await["3026043"]["complete"], json!(true));
    }

    async fn the_same_name_in_the_same_gmina_is_flagged_as_a_possible_duplicate(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        let path = "/api/v1/cohorts/kohorta/enrolments";
        let (status, first) = post(&app, path, &token, json!({
            "first_name": "Jan", "last_name": "Kowalski", "gmina": "3026043", "group": "official"})).await;
        assert_eq!((status, &first["possible_duplicate"]), (Status::Created, &json!(false)));
        let (status, other) = post(&app, path, &token, json!({
            "first_name": "Jan", "last_name": "Kowalski", "gmina": "3063011", "group": "official"})).await;
        assert_eq!((status, &other["possible_duplicate"]), (Status::Created, &json!(false)), "another gmina");
        let (status, second) = post(&app, path, &token, json!({
            "first_name": "Jan", "last_name": "Kowalski", "gmina": "3026043", "group": "ngo", "email": "jan@example.pl"})).await;
        assert_eq!((status, &second["possible_duplicate"]), (Status::Created, &json!(true)), "{second}");
        let flags: BTreeMap<String, Value> = enrolments(&app, "kohorta", &token).await.iter()
            .map(|e| (e["id"].as_str().unwrap().to_owned(), e["possible_duplicate"].clone())).collect();
        assert_eq!(flags[first["id"].as_str().unwrap()], json!(true));
        assert_eq!(flags[second["id"].as_str().unwrap()], json!(true));
        assert_eq!(flags[other["id"].as_str().unwrap()], json!(false));
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 3);
    }

    async fn a_withdrawal_needs_a_date_and_leaves_the_team_incomplete(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        assert_eq!(import(&app, "kohorta", &token, OK_CSV, "").await.0, Status::Ok);
        let list = enrolments(&app, "kohorta", &token).await;
        let path = format!("/api/v1/enrolments/{}", find(&list, "Brzęczyszczykiewicz")["id"].as_str().unwrap());
        let (status, err) = app.api_json(Method::Patch, &path, Some(&token), &json!({"status": "withdrawn"})).await;
        assert_eq!(status, Status::UnprocessableEntity, "{err}");
        assert_eq!(teams(&app, "kohorta", &token).await["3026043"]["complete"], json!(true));
        let (status, e) = app.api_json(Method::Patch, &path, Some(&token), &json!({
            "status": "withdrawn", "withdrawn_on": "2026-03-15", "withdrawal_reason": "zmiana pracy"})).await;
        assert_eq!((status, e["status"].as_str()), (Status::Ok, Some("withdrawn")), "{e}");
        assert_eq!(e["last_name"], "Brzęczyszczykiewicz");
        let teams = teams(&app, "kohorta", &token).await;
        let srem = &teams["3026043"];
        assert_eq!(srem["members"], json!({"official": 1, "ngo": 0, "at_risk": 1}), "{srem}");
        assert_eq!((&srem["missing"], &srem["complete"]), (&json!(["ngo"]), &json!(false)));
        assert_eq!(teams["3063011"]["complete"], json!(true));
        let unknown = format!("/api/v1/enrolments/{}", uuid::Uuid::new_v4());
        assert_eq!(app.api_json(Method::Patch, &unknown, Some(&token), &json!({"status": "active"})).await.0, Status::NotFound);
    }

    async fn erasure_removes_identity_but_keeps_the_counts(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        cohort(&app, &token, "kohorta").await;
        assert_eq!(import(&app, "kohorta", &token, OK_CSV, "").await.0, Status::Ok);
        let before_teams = teams(&app, "kohorta", &token).await;
        let before = find(&enrolments(&app, "kohorta", &token).await, "Żółkiewska-Łęcka").clone();
        let pid = before["participant"].as_str().unwrap().to_owned();

        let (status, export) = get(&app, &format!("/api/v1/participants/{pid}/export"), &token).await;
        assert_eq!(status, Status::Ok, "{export}");
        assert_eq!((export["first_name"].as_str(), export["last_name"].as_str(), export["email"].as_str()),
            (Some("Małgorzata"), Some("Żółkiewska-Łęcka"), Some("m.zolkiewska@example.pl")));
        assert_eq!(export["enrolments"].as_array().map(Vec::len), Some(1), "{export}");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.export'").await, 1);

        let (status, body) = post(&app, &format!("/api/v1/participants/{pid}/erase"), &token, json!({})).await;
        assert_eq!((status, &body), (Status::Ok, &json!({"erased": true})));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.erase'").await, 1);

        assert_eq!(teams(&app, "kohorta", &token).await, before_teams);
        let list = enrolments(&app, "kohorta", &token).await;
        assert_eq!(list.len(), 6);
        let after = list.iter().find(|e| e["id"] == before["id"]).expect("the enrolment stays");
        for key in ["gmina", "group", "sex", "status", "participant"] {
            assert_eq!(after[key], before[key], "{key}");
        }
        assert_ne!(after["first_name"], "Małgorzata");
        assert_ne!(after["last_name"], "Żółkiewska-Łęcka");
        assert!(after["first_name"].is_string() && after["last_name"].is_string());
        assert_eq!((&after["email"], &after["phone"], &after["birth_year"]), (&Value::Null, &Value::Null, &Value::Null));
        let text = serde_json::to_string(&list).unwrap();
        for gone in ["Małgorzata", "Żółkiewska", "m.zolkiewska", "601 234 567"] {
            assert!(!text.contains(gone), "{gone} left in the list");
        }

        let (status, export) = get(&app, &format!("/api/v1/participants/{pid}/export"), &token).await;
        assert_eq!(status, Status::Ok);
        let text = export.to_string();
        for gone in ["Małgorzata", "Żółkiewska", "m.zolkiewska", "601 234 567"] {
            assert!(!text.contains(gone), "{gone} left in the export: {text}");
        }
        assert_eq!(export["email"], Value::Null);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.export'").await, 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM participants WHERE erased_at IS NOT NULL").await, 1);
        let unknown = uuid::Uuid::new_v4();
        assert_eq!(get(&app, &format!("/api/v1/participants/{unknown}/export"), &token).await.0, Status::NotFound);
        // another coordinator cannot reach the person
        let other = coordinator(&app, "inny@test.pl").await;
        let another = find(&list, "Ćwiek")["participant"].as_str().unwrap().to_owned();
        let (status, _) = get(&app, &format!("/api/v1/participants/{another}/export"), &other).await;
        assert!(matches!(status, Status::NotFound | Status::Forbidden), "{status}");
        let (status, _) = post(&app, &format!("/api/v1/participants/{another}/erase"), &other, json!({})).await;
        assert!(matches!(status, Status::NotFound | Status::Forbidden), "{status}");
        assert_eq!(app.count("SELECT COUNT(*) FROM participants WHERE erased_at IS NOT NULL").await, 1);
    }

    async fn organisations_have_a_kind_and_a_unique_zero_padded_krs(app) {
        let token = coordinator(&app, "koordynator@test.pl").await;
        let path = "/api/v1/organisations";
        let (status, org) = post(&app, path, &token, json!({
            "name": "Stowarzyszenie Ziemia Śremska", "kind": "ngo", "krs": "12345", "gmina": "3026043"})).await;
        assert_eq!(status, Status::Created, "{org}");
        assert!(org["id"].is_string());
        assert_eq!((org["krs"].as_str(), org["kind"].as_str()), (Some("0000012345"), Some("ngo")));
        let (status, _) = post(&app, path, &token, json!({"name": "Urząd Miejski w Śremie", "kind": "municipal_office"})).await;
        assert_eq!(status, Status::Created);
        for krs in ["0000012345", "12345678901", "12a45"] {
            let (status, err) = post(&app, path, &token, json!({"name": "Inna", "kind": "ngo", "krs": krs})).await;
            assert_eq!((status, fields(&err)), (Status::UnprocessableEntity, vec!["krs".to_owned()]), "{krs}: {err}");
        }
        let (status, err) = post(&app, path, &token, json!({"name": "Inna", "kind": "company"})).await;
        assert_eq!(status, Status::UnprocessableEntity, "{err}");
        let (status, list) = get(&app, path, &token).await;
        assert_eq!((status, list.as_array().map(Vec::len)), (Status::Ok, Some(2)));
    }
}
