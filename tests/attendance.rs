//! Attendance through the API and the marking page, on both backends: who may mark and when,
//! partial and idempotent PUTs, two writers at once, roster and status checks, rates.
mod common;

use akademia::domain::Role;
use chrono::{Duration, Utc};
use common::{Browse, TestApp};
use rocket::http::{ContentType, Method, Status};
use serde_json::{Value, json};

struct World {
    coord: String,
    trainer: String,
    other_trainer: String,
    funder: String,
    people: Vec<(String, String)>,
}

impl World {
    fn id(&self, last_name: &str) -> &str {
        &self.people.iter().find(|(_, l)| l == last_name).unwrap().0
    }
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.user("koord@test.pl", Role::Coordinator).await;
    let coord = app.token(&coordinator).await;
    let t = app.user("trener@test.pl", Role::Trainer).await;
    let trainer = app.token(&t).await;
    let t2 = app.user("trenerka@test.pl", Role::Trainer).await;
    let other_trainer = app.token(&t2).await;
    let f = app.user("fundator@test.pl", Role::Funder).await;
    let funder = app.token(&f).await;
    let (_, programme) = app.api_json(Method::Post, "/api/v1/programmes", Some(&coord), &json!({
        "name": "Akademia", "slug": "prog", "funder": "Fundusz", "starts_on": "2020-01-01", "ends_on": "2030-12-31"
    })).await;
    let (status, _) = app.api_json(Method::Post, "/api/v1/cohorts", Some(&coord), &json!({
        "programme": programme["id"], "name": "Edycja", "slug": "c1", "starts_on": "2020-01-01", "ends_on": "2030-12-31"
    })).await;
    assert_eq!(status, Status::Created);
    app.import_sample(&coord, "c1").await;
    let people = app.enrolled(&coord, "c1").await;
    World {
        coord,
        trainer,
        other_trainer,
        funder,
        people,
    }
}

/// An activity from `from` to `to` hours from now, trained by trener@test.pl, for everyone.
async fn activity(app: &TestApp, w: &World, kind: &str, from: f64, to: f64) -> String {
    let at = |h: f64| (Utc::now() + Duration::minutes((h * 60.0) as i64)).to_rfc3339();
    let (status, a) = app.api_json(Method::Post, "/api/v1/cohorts/c1/activities", Some(&w.coord), &json!({
        "kind": kind, "title": format!("Zajęcia {from}"), "starts_at": at(from), "ends_at": at(to),
        "location": "Leszno", "online_url": "https://meet.example.org/a",
        "trainers": ["trener@test.pl"], "audience": {}, "allow_conflicts": true
    })).await;
    assert_eq!(status, Status::Created, "{a}");
    a["id"].as_str().unwrap().to_owned()
}

async fn put(app: &TestApp, id: &str, token: &str, body: Value) -> (Status, Value) {
    app.api_json(
        Method::Put,
        &format!("/api/v1/activities/{id}/attendance"),
        Some(token),
        &body,
    )
    .await
}

fn status_of(list: &Value, enrolment: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["enrolment"] == enrolment)
        .unwrap()["status"]
        .clone()
}

both_backends! {
    async fn marks_are_partial_idempotent_and_survive_two_writers(app) {
        let w = world(&app).await;
        let a = activity(&app, &w, "training", -2.0, 1.0).await;
        let (m, g) = (w.id("Żółkiewska-Łęcka").to_owned(), w.id("Brzęczyszczykiewicz").to_owned());
        let (status, list) = put(&app, &a, &w.trainer, json!([{"enrolment": m, "status": "present"}, {"enrolment": g, "status": "late"}])).await;
        assert_eq!(status, Status::Ok, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 6, "the whole roster comes back");
        assert_eq!(status_of(&list, &m), "present");
        assert_eq!(status_of(&list, w.id("Ćwiek")), Value::Null, "unmarked");
        let marked_by = list.as_array().unwrap().iter().find(|x| x["enrolment"] == m).unwrap()["marked_by"].clone();
        assert_eq!(marked_by, "Test trainer");
        let audits = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.mark'").await;
        assert_eq!(audits, 1);
        // The same again changes nothing and logs nothing.
        put(&app, &a, &w.trainer, json!([{"enrolment": m, "status": "present"}])).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.mark'").await, 1);

        // Two writers at once on different people: both marks stay.
        let (l, n) = (w.id("Ślęzak").to_owned(), w.id("Nowak-Jeziorańska").to_owned());
        let first = put(&app, &a, &w.trainer, json!([{"enrolment": l, "status": "present"}]));
        let second = put(&app, &a, &w.coord, json!([{"enrolment": n, "status": "excused"}]));
        let ((s1, _), (s2, _)) = rocket::tokio::join!(first, second);
        assert_eq!((s1, s2), (Status::Ok, Status::Ok));
        let (_, list) = app.api_get(&format!("/api/v1/activities/{a}/attendance"), Some(&w.trainer)).await;
        assert_eq!(status_of(&list, &l), "present");
        assert_eq!(status_of(&list, &n), "excused");
        assert_eq!(status_of(&list, &g), "late");
        assert_eq!(app.count("SELECT COUNT(*) FROM attendance").await, 4);
    }

    async fn who_may_mark_what_and_when(app) {
        let w = world(&app).await;
        let a = activity(&app, &w, "training", -2.0, 1.0).await;
        let m = w.id("Żółkiewska-Łęcka").to_owned();
        let one = json!([{"enrolment": m, "status": "absent"}]);
        assert_eq!(put(&app, &a, &w.other_trainer, one.clone()).await.0, Status::Forbidden);
        assert_eq!(put(&app, &a, &w.funder, one.clone()).await.0, Status::Forbidden);
        assert_eq!(app.api_get(&format!("/api/v1/activities/{a}/attendance"), Some(&w.other_trainer)).await.0, Status::Forbidden);
        // Not on the roster, an unknown status: 422 naming the entry; nothing written.
        let (status, body) = put(&app, &a, &w.trainer, json!([{"enrolment": m, "status": "present"}, {"enrolment": "00000000-0000-0000-0000-000000000000", "status": "present"}])).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "[1].enrolment", "{body}");
        assert!(body["details"][0]["message"].as_str().unwrap().contains("00000000-0000-0000-0000-000000000000"));
        let (status, body) = put(&app, &a, &w.trainer, json!([{"enrolment": m, "status": "sleeping"}])).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "[0].status", "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM attendance").await, 0);

        // Too early for anyone; an hour before the start is fine.
        let future = activity(&app, &w, "training", 240.0, 243.0).await;
        assert_eq!(put(&app, &future, &w.trainer, one.clone()).await.0, Status::UnprocessableEntity);
        assert_eq!(put(&app, &future, &w.coord, one.clone()).await.0, Status::UnprocessableEntity);
        let soon = activity(&app, &w, "training", 0.5, 2.0).await;
        assert_eq!(put(&app, &soon, &w.trainer, one.clone()).await.0, Status::Ok);

        // 20 days after: the trainer no longer, the coordinator with a reason, which is logged.
        let old = activity(&app, &w, "webinar", -24.0 * 20.0, -24.0 * 20.0 + 1.5).await;
        assert_eq!(put(&app, &old, &w.trainer, one.clone()).await.0, Status::Forbidden);
        let (status, body) = put(&app, &old, &w.coord, one.clone()).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "reason");
        let (status, _) = app.api_json(Method::Put, &format!("/api/v1/activities/{old}/attendance?reason=Lista%20papierowa"), Some(&w.coord), &one).await;
        assert_eq!(status, Status::Ok);
        let after = app.count_text("SELECT CAST(after AS TEXT) FROM audit_log WHERE action = 'attendance.mark' ORDER BY at DESC LIMIT 1").await;
        assert!(after.contains("Lista papierowa"), "{after}");

        // A cohort with a longer window lets the trainer in again.
        let (status, body) = app.api_json(Method::Put, "/api/v1/cohorts/c1", Some(&w.coord), &json!({
            "name": "Edycja", "slug": "c1", "starts_on": "2020-01-01", "ends_on": "2030-12-31", "marking_days": 30
        })).await;
        assert_eq!(status, Status::Ok, "{body}");
        assert_eq!(body["marking_days"], 30);
        assert_eq!(put(&app, &old, &w.trainer, json!([{"enrolment": m, "status": "present"}])).await.0, Status::Ok);
        let (status, _) = app.api_json(Method::Put, "/api/v1/cohorts/c1", Some(&w.coord), &json!({
            "name": "Edycja", "slug": "c1", "starts_on": "2020-01-01", "ends_on": "2030-12-31", "marking_days": 1000
        })).await;
        assert_eq!(status, Status::UnprocessableEntity);

        // A cancelled activity takes no marks.
        app.api_json(Method::Post, &format!("/api/v1/activities/{a}/cancel"), Some(&w.coord), &json!({"reason": "Burza"})).await;
        assert_eq!(put(&app, &a, &w.coord, one).await.0, Status::UnprocessableEntity);
    }

    async fn rates_count_present_and_late_over_started_rostered_hours(app) {
        let w = world(&app).await;
        let a = activity(&app, &w, "training", -2.0, 1.0).await; // 4 academic hours
        let b = activity(&app, &w, "webinar", -30.0, -28.5).await; // 2
        activity(&app, &w, "training", 240.0, 243.0).await; // future: counts for nobody
        let (m, g, n) = (w.id("Żółkiewska-Łęcka").to_owned(), w.id("Brzęczyszczykiewicz").to_owned(), w.id("Nowak-Jeziorańska").to_owned());
        put(&app, &a, &w.trainer, json!([{"enrolment": m, "status": "present"}, {"enrolment": g, "status": "late"}, {"enrolment": n, "status": "excused"}])).await;
        put(&app, &b, &w.coord, json!([{"enrolment": m, "status": "absent"}, {"enrolment": g, "status": "present"}])).await;
        let (status, rates) = app.api_get("/api/v1/cohorts/c1/attendance", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        let of = |id: &str| rates.as_array().unwrap().iter().find(|x| x["enrolment"] == id).unwrap().clone();
        let (rm, rg, rn) = (of(&m), of(&g), of(&n));
        assert_eq!(rm["planned_hours"], 6.0);
        assert_eq!(rm["attended_hours"], 4.0);
        assert!((rm["rate"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(rg["rate"], 1.0);
        assert_eq!(rn["rate"], 0.0);
        assert_eq!(rn["excused_hours"], 4.0);
        assert_eq!(rm["by_kind"]["webinar"]["planned_hours"], 2.0);
        assert_eq!(rm["by_kind"]["webinar"]["attended_hours"], 0.0);
        assert_eq!(rg["by_kind"]["training"]["attended_hours"], 4.0);
        // Cancelling the webinar takes it out of everyone's planned hours.
        app.api_json(Method::Post, &format!("/api/v1/activities/{b}/cancel"), Some(&w.coord), &json!({"reason": "Awaria"})).await;
        let (_, rates) = app.api_get("/api/v1/cohorts/c1/attendance", Some(&w.coord)).await;
        let rm = rates.as_array().unwrap().iter().find(|x| x["enrolment"] == m.as_str()).unwrap().clone();
        assert_eq!(rm["planned_hours"], 4.0);
        assert_eq!(rm["rate"], 1.0);
        // Narrowing A's audience to officials after marking: the NGO person's hours and mark
        // no longer count (their rate has nothing planned), the official's stay.
        let (_, current) = app.api_get(&format!("/api/v1/activities/{a}"), Some(&w.coord)).await;
        let mut body = json!({
            "kind": "training", "title": current["title"], "starts_at": current["starts_at"], "ends_at": current["ends_at"],
            "location": "Leszno", "trainers": ["trener@test.pl"], "audience": {"groups": ["official"]}, "allow_conflicts": true
        });
        let (status, moved) = app.api_json(Method::Put, &format!("/api/v1/activities/{a}"), Some(&w.coord), &body).await;
        assert_eq!(status, Status::Ok, "{moved}");
        let (_, rates) = app.api_get("/api/v1/cohorts/c1/attendance", Some(&w.coord)).await;
        let of = |id: &str| rates.as_array().unwrap().iter().find(|x| x["enrolment"] == id).unwrap().clone();
        assert_eq!(of(&g)["planned_hours"], 0.0);
        assert_eq!(of(&g)["rate"], Value::Null, "nothing planned: no rate rather than 0 %");
        assert_eq!(of(&m)["rate"], 1.0);
        body["audience"] = json!({});
        app.api_json(Method::Put, &format!("/api/v1/activities/{a}"), Some(&w.coord), &body).await;
        let (_, rates) = app.api_get("/api/v1/cohorts/c1/attendance", Some(&w.coord)).await;
        let g_again = rates.as_array().unwrap().iter().find(|x| x["enrolment"] == g.as_str()).unwrap().clone();
        assert_eq!(g_again["rate"], 1.0, "back in the audience, the kept mark counts again");
        assert_eq!(app.api_get("/api/v1/cohorts/c1/attendance", Some(&w.trainer)).await.0, Status::Forbidden);
    }

    async fn the_marking_page_works_as_a_plain_form_and_the_matrix_shows_it(app) {
        let w = world(&app).await;
        let a = activity(&app, &w, "training", -1.0, 2.0).await;
        let trainer = app.browser().await;
        assert_eq!(trainer.login("trener@test.pl", common::PASSWORD).await, Status::SeeOther);
        let (status, page) = trainer.get(&format!("/activities/{a}/attendance?preset=present")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Wszyscy obecni") && page.contains("Sprawdzono 0 z 6"), "{page}");
        assert_eq!(page.matches("value=\"present\" checked").count(), 6, "everyone preset to present");
        let m = w.id("Żółkiewska-Łęcka").to_owned();
        let mut fields: Vec<(String, String)> = w.people.iter().map(|(id, _)| (format!("marks[{id}]"), "present".to_owned())).collect();
        fields.retain(|(k, _)| !k.contains(&m));
        fields.push((format!("marks[{m}]"), "absent".to_owned()));
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, location, _) = trainer.post_form(&format!("/activities/{a}/attendance"), &pairs).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(location.as_deref(), Some(format!("/activities/{a}/attendance").as_str()));
        let (_, page) = trainer.get(&format!("/activities/{a}/attendance")).await;
        assert!(page.contains("Zapisano 6 zmian.") && page.contains("Sprawdzono 6 z 6"), "{page}");
        assert!(page.contains("Zaznaczył(a): Test trainer"));
        assert_eq!(app.count("SELECT COUNT(*) FROM attendance WHERE status = 'absent'").await, 1);

        let (_, coord, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, record) = coord.get(&format!("/enrolments/{m}")).await;
        assert_eq!(status, Status::Ok);
        assert!(record.contains("Frekwencja 0 %: 0 z 4 godz. dydaktycznych") && record.contains("Nieobecny"), "{record}");
        let (status, matrix) = coord.get("/cohorts/c1/attendance").await;
        assert_eq!(status, Status::Ok);
        assert!(matrix.contains("Żółkiewska-Łęcka") && matrix.contains("0 %") && matrix.contains("100 %"), "{matrix}");
        assert!(matrix.contains("poniżej progu"));
        let (_, filtered) = coord.get("/cohorts/c1/attendance?group=ngo").await;
        assert!(!filtered.contains("Żółkiewska-Łęcka") && filtered.contains("Brzęczyszczykiewicz"), "an official is filtered out");
    }

    async fn scans_are_checked_by_content_and_size_and_every_version_is_kept(app) {
        let w = world(&app).await;
        let a = activity(&app, &w, "training", -2.0, 1.0).await;
        let upload = async |token: &str, name: &str, bytes: &[u8]| {
            app.api_send(Method::Post, &format!("/api/v1/activities/{a}/evidence?name={name}"), Some(token), bytes, ContentType::Binary).await
        };
        let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let (status, first) = upload(&w.trainer, "lista.pdf", &pdf).await;
        assert_eq!(status, Status::Created, "{first}");
        assert_eq!(first["content_type"], "application/pdf");
        // A text file named .pdf, an executable named .jpg: refused by content.
        let (status, body) = upload(&w.trainer, "lista.pdf", b"just text, not a scan").await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "file");
        assert_eq!(upload(&w.trainer, "skan.jpg", b"MZ\x90\x00\x03").await.0, Status::UnprocessableEntity);
        // Over 10 MB: refused, nothing stored.
        let mut big = vec![0u8; 10 * 1024 * 1024 + 10];
        big[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
        let (status, body) = upload(&w.coord, "duzy.jpg", &big).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(body["details"][0]["message"].as_str().unwrap().contains("10 MB"));
        // A PNG replaces the PDF as the current scan; the PDF is kept.
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        let (status, second) = upload(&w.coord, "skan.png", &png).await;
        assert_eq!(status, Status::Created);
        let (_, list) = app.api_get(&format!("/api/v1/activities/{a}/evidence"), Some(&w.coord)).await;
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["id"], second["id"], "newest first");
        let (status, content_type, bytes) = app.api_raw(&format!("/api/v1/evidence/{}", first["id"].as_str().unwrap()), Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(content_type, "application/pdf");
        assert_eq!(bytes, pdf, "the earlier version comes back byte for byte");
        assert_eq!(app.api_raw(&format!("/api/v1/evidence/{}", first["id"].as_str().unwrap()), Some(&w.other_trainer)).await.0, Status::Forbidden);
        assert_eq!(app.api_raw(&format!("/api/v1/evidence/{}", first["id"].as_str().unwrap()), Some(&w.funder)).await.0, Status::Forbidden);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.evidence_upload'").await, 2);
    }

    async fn the_matrix_exports_as_csv_and_xlsx(app) {
        let w = world(&app).await;
        let a = activity(&app, &w, "training", -2.0, 1.0).await;
        let m = w.id("Żółkiewska-Łęcka").to_owned();
        put(&app, &a, &w.trainer, json!([{"enrolment": m, "status": "late"}])).await;
        let (_, browser, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, csv) = browser.get("/cohorts/c1/attendance.csv").await;
        assert_eq!(status, Status::Ok);
        let csv = csv.trim_start_matches('\u{feff}');
        let header = csv.lines().next().unwrap();
        assert!(header.starts_with("gmina;kod TERYT;imię;nazwisko;grupa;godziny zaplanowane;godziny obecności"), "{header}");
        assert!(header.contains("Zajęcia -2"), "a column per activity: {header}");
        let row = csv.lines().find(|l| l.contains("Żółkiewska-Łęcka")).unwrap();
        assert!(row.contains(";4;4;0;100,0;Spóźniony/a"), "{row}");
        let row = csv.lines().find(|l| l.contains("Ćwiek")).unwrap();
        assert!(row.contains(";4;0;0;0,0;nie sprawdzono"), "{row}");
        assert_eq!(browser.get_location("/cohorts/c1/attendance.xlsx").await.0, Status::Ok);
        let admin = akademia::db::users::find_by_email(&app.db, "admin@test.pl").await.unwrap().unwrap();
        let (name, bytes) = akademia::service::exports::attendance(&app.db, &admin, "c1", akademia::service::exports::Format::Xlsx, akademia::i18n::Lang::Pl).await.unwrap();
        assert_eq!(name, "frekwencja-c1.xlsx");
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX");
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        let row = rows.iter().find(|r| r.contains(&"Żółkiewska-Łęcka".to_owned())).unwrap();
        assert_eq!(row.last().unwrap(), "Spóźniony/a");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.export'").await, 3);
    }
}
