//! The register of commissioned tasks on both backends: API and pages, validation naming the
//! fields, amounts in grosze, audit, and who may do what.
mod common;

use akademia::domain::Role;
use common::{Browse, TestApp};
use rocket::http::{Method, Status};
use serde_json::{Value, json};

struct World {
    coord: String,
    trainer: String,
    funder: String,
    outsider: String,
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.user("koord@test.pl", Role::Coordinator).await;
    let coord = app.token(&coordinator).await;
    let trainer = app
        .token(&app.user("trener@test.pl", Role::Trainer).await)
        .await;
    let funder = app
        .token(&app.user("fundator@test.pl", Role::Funder).await)
        .await;
    let outsider = app
        .token(&app.user("inny@test.pl", Role::Coordinator).await)
        .await;
    let (_, programme) = app.api_json(Method::Post, "/api/v1/programmes", Some(&coord), &json!({
        "name": "Akademia", "slug": "prog", "funder": "Fundusz", "starts_on": "2020-01-01", "ends_on": "2030-12-31"
    })).await;
    let (status, _) = app.api_json(Method::Post, "/api/v1/cohorts", Some(&coord), &json!({
        "programme": programme["id"], "name": "Edycja", "slug": "c1", "starts_on": "2020-01-01", "ends_on": "2030-12-31"
    })).await;
    assert_eq!(status, Status::Created);
    World {
        coord,
        trainer,
        funder,
        outsider,
    }
}

fn krzemieniewo() -> Value {
    json!({
        "gmina": "3013012", "title": "Klub seniora w Krzemieniewie", "sphere": "10",
        "mode": "ART19A_MALE_GRANTY", "contractor": "Fundacja „Aktywna Wieś”", "amount_pln": 9500.5,
        "commissioned_on": "2022-09-01", "is_new": true, "target_groups": ["seniors", "integracja"],
        "evidence_url": "https://bip.example.pl/ogloszenie/1"
    })
}

both_backends! {
    async fn tasks_are_recorded_corrected_and_removed_through_the_api(app) {
        let w = world(&app).await;
        let (status, task) = app.api_json(Method::Post, "/api/v1/cohorts/c1/tasks", Some(&w.coord), &krzemieniewo()).await;
        assert_eq!(status, Status::Created, "{task}");
        assert_eq!(task["gmina_name"], "Krzemieniewo");
        assert_eq!(task["team"], "3013012", "attributed to its own gmina by default");
        assert_eq!(task["sphere_label"], "seniorzy");
        assert_eq!(task["amount_pln"], 9500.5);
        assert_eq!(task["status"], "commissioned");
        assert_eq!(task["target_groups"], json!(["seniors", "integration"]));
        assert_eq!(app.count("SELECT amount_grosze FROM commissioned_tasks").await, 950_050);
        let id = task["id"].as_str().unwrap().to_owned();
        let mut changed = krzemieniewo();
        changed["status"] = json!("completed");
        changed["amount_pln"] = json!(10000);
        let (status, task) = app.api_json(Method::Put, &format!("/api/v1/tasks/{id}"), Some(&w.coord), &changed).await;
        assert_eq!(status, Status::Ok, "{task}");
        assert_eq!((task["status"].clone(), task["amount_pln"].clone()), (json!("completed"), json!(100.0 * 100.0)));
        let (_, list) = app.api_get("/api/v1/cohorts/c1/tasks", Some(&w.coord)).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        let (status, _) = app.api_json(Method::Delete, &format!("/api/v1/tasks/{id}"), Some(&w.coord), &json!(null)).await;
        assert_eq!(status, Status::NoContent);
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioned_tasks").await, 0);
        let actions = app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'commissioned_task'").await;
        assert_eq!(actions, 3, "create, update and delete are audited");
        let before = app.count_text("SELECT CAST(before AS TEXT) FROM audit_log WHERE action = 'task.delete'").await;
        assert!(before.contains("Klub seniora w Krzemieniewie"), "{before}");
    }

    async fn a_bad_task_is_refused_field_by_field_and_nothing_is_written(app) {
        let w = world(&app).await;
        let (status, body) = app.api_json(Method::Post, "/api/v1/cohorts/c1/tasks", Some(&w.coord), &json!({
            "gmina": "9999999", "title": " ", "sphere": "99", "mode": "nope", "amount_pln": -5,
            "commissioned_on": "2022-13-01", "is_new": true, "status": "dreaming", "target_groups": ["cats"],
            "evidence_url": "ftp://x"
        })).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let mut fields: Vec<&str> = body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["amount_pln", "commissioned_on", "evidence_url", "gmina", "mode", "sphere", "status", "target_groups", "title"], "{body}");
        let gmina = body["details"].as_array().unwrap().iter().find(|d| d["field"] == "gmina").unwrap();
        assert!(gmina["message"].as_str().unwrap().contains("9999999"));
        // A missing field names itself too.
        let (status, body) = app.api_json(Method::Post, "/api/v1/cohorts/c1/tasks", Some(&w.coord), &json!({"gmina": "3013012"})).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "title");
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioned_tasks").await, 0);
    }

    async fn only_the_programmes_coordinators_keep_the_register(app) {
        let w = world(&app).await;
        let (_, task) = app.api_json(Method::Post, "/api/v1/cohorts/c1/tasks", Some(&w.coord), &krzemieniewo()).await;
        let id = task["id"].as_str().unwrap();
        for path in ["/api/v1/cohorts/c1/tasks".to_owned(), format!("/api/v1/tasks/{id}")] {
            assert_eq!(app.api_get(&path, None).await.0, Status::Unauthorized);
            assert_eq!(app.api_get(&path, Some(&w.trainer)).await.0, Status::Forbidden);
            assert_eq!(app.api_get(&path, Some(&w.funder)).await.0, Status::Forbidden);
            assert_eq!(app.api_get(&path, Some(&w.outsider)).await.0, Status::NotFound);
        }
        assert_eq!(app.api_json(Method::Post, "/api/v1/cohorts/c1/tasks", Some(&w.funder), &krzemieniewo()).await.0, Status::Forbidden);
        assert_eq!(app.api_json(Method::Put, &format!("/api/v1/tasks/{id}"), Some(&w.outsider), &krzemieniewo()).await.0, Status::NotFound);
        assert_eq!(app.api_json(Method::Delete, &format!("/api/v1/tasks/{id}"), Some(&w.outsider), &json!(null)).await.0, Status::NotFound);
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioned_tasks").await, 1);
    }

    async fn coordinators_keep_the_register_on_its_pages(app) {
        let w = world(&app).await;
        let (status, _) = app.api_send(Method::Post, "/api/v1/cohorts/c1/import", Some(&w.coord),
            include_bytes!("../../shared/fixtures/participants_ok.csv"), rocket::http::ContentType::new("text", "csv")).await;
        assert_eq!(status, Status::Ok);
        let browser = app.browser().await;
        assert_eq!(browser.login("koord@test.pl", common::PASSWORD).await, Status::SeeOther);
        let (status, page) = browser.get("/cohorts/c1/tasks/new").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Śrem") && page.contains("ART19A_MALE_GRANTY"), "the cohort's gminas and the modes are offered");
        let fields = |date: &'static str| vec![
            ("gmina", "3026043"), ("title", "Śremska Rada Seniorów – wsparcie"), ("sphere", "10"),
            ("mode", "OKO_WSPARCIE"), ("contractor", "Stowarzyszenie „Razem dla Śremu”"), ("amount", "12 500,00"),
            ("commissioned_on", date), ("status", "commissioned"), ("is_new", "true"),
            ("target_groups", "seniors"), ("team", ""), ("evidence_url", ""),
        ];
        let (status, _, page) = browser.post_form("/cohorts/c1/tasks", &fields("2022-02-30")).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Śremska Rada Seniorów") && page.contains("aria-invalid"), "typed values and the error are shown");
        let (status, location, _) = browser.post_form("/cohorts/c1/tasks", &fields("2022-02-28")).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(location.as_deref(), Some("/cohorts/c1/tasks"));
        let (_, page) = browser.get("/cohorts/c1/tasks").await;
        assert!(page.contains("Śremska Rada Seniorów") && page.contains("12\u{a0}500,00\u{a0}zł"), "{page}");
        assert_eq!(app.count("SELECT amount_grosze FROM commissioned_tasks").await, 1_250_000);
        let id = app.count_text("SELECT CAST(id AS TEXT) FROM commissioned_tasks").await;
        let (status, page) = browser.get(&format!("/tasks/{id}/edit")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("12500,00"), "the amount comes back editable");
        let mut edited = fields("2022-03-01");
        edited[0] = ("gmina", "3063011");
        let (status, _, _) = browser.post_form(&format!("/tasks/{id}"), &edited).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count_text("SELECT gmina_teryt FROM commissioned_tasks").await, "3063011");
        let (status, _, _) = browser.post_raw(&format!("/tasks/{id}/delete"), &[]).await;
        assert_eq!(status, Status::Forbidden, "no token, no removal");
        let (status, _, _) = browser.post_form(&format!("/tasks/{id}/delete"), &[]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioned_tasks").await, 0);
    }
}
