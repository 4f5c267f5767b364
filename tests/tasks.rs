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

/// A small PDF, as a gmina's ordinance would start.
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// Records the Krzemieniewo task; its id.
async fn task(app: &TestApp, w: &World) -> String {
    let (status, task) = app
        .api_json(
            Method::Post,
            "/api/v1/cohorts/c1/tasks",
            Some(&w.coord),
            &krzemieniewo(),
        )
        .await;
    assert_eq!(status, Status::Created, "{task}");
    task["id"].as_str().unwrap().to_owned()
}

async fn upload_file(
    app: &TestApp,
    task: &str,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> (Status, Value) {
    let path = format!("/api/v1/tasks/{task}/evidence?name={name}");
    app.api_send(
        Method::Post,
        &path,
        Some(token),
        bytes,
        rocket::http::ContentType::Binary,
    )
    .await
}

/// The edit page's upload form as a browser sends it: multipart, with the token when given.
async fn post_file(
    browser: &common::Browser,
    task: &str,
    token: Option<&str>,
    file_name: &str,
    bytes: &[u8],
) -> (Status, Option<String>) {
    let boundary = "TaskEvidenceBoundary";
    let mut body = Vec::new();
    if let Some(token) = token {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n").as_bytes());
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = browser
        .client
        .post(format!("/tasks/{task}/evidence"))
        .header(
            rocket::http::ContentType::new("multipart", "form-data")
                .with_params(("boundary", boundary)),
        )
        .body(body)
        .dispatch()
        .await;
    (
        res.status(),
        res.headers().get_one("Location").map(str::to_owned),
    )
}

both_backends! {
    async fn task_documents_are_uploaded_listed_downloaded_and_removed_through_the_api(app) {
        let w = world(&app).await;
        let id = task(&app, &w).await;
        let (status, first) = upload_file(&app, &id, &w.coord, "zarzadzenie.pdf", PDF).await;
        assert_eq!(status, Status::Created, "{first}");
        assert_eq!((first["file_name"].as_str(), first["content_type"].as_str()), (Some("zarzadzenie.pdf"), Some("application/pdf")));
        assert_eq!(first["size_bytes"], PDF.len());
        assert_eq!(first["sha256"].as_str().unwrap().len(), 64);
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        let (status, second) = upload_file(&app, &id, &w.coord, "ogloszenie.png", &png).await;
        assert_eq!(status, Status::Created, "{second}");
        let (status, list) = app.api_get(&format!("/api/v1/tasks/{id}/evidence"), Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["id"], second["id"], "newest first");
        assert_eq!(list[1]["uploaded_by"], "Test coordinator");
        let first_id = first["id"].as_str().unwrap();
        let (status, content_type, bytes) = app.api_raw(&format!("/api/v1/task-evidence/{first_id}"), Some(&w.coord)).await;
        assert_eq!((status, content_type.as_str()), (Status::Ok, "application/pdf"));
        assert_eq!(bytes, PDF, "the file comes back byte for byte");
        let (_, listed) = app.api_get("/api/v1/cohorts/c1/tasks", Some(&w.coord)).await;
        assert_eq!(listed[0]["id"], id.as_str());
        // One file removed: the other stays; both actions are audited on the task.
        let (status, _) = app.api_json(Method::Delete, &format!("/api/v1/task-evidence/{first_id}"), Some(&w.coord), &json!(null)).await;
        assert_eq!(status, Status::NoContent);
        assert_eq!(app.api_raw(&format!("/api/v1/task-evidence/{first_id}"), Some(&w.coord)).await.0, Status::NotFound);
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'task.evidence_upload' AND entity = 'commissioned_task'").await, 2);
        let removed = app.count_text("SELECT CAST(before AS TEXT) FROM audit_log WHERE action = 'task.evidence_remove'").await;
        assert!(removed.contains("zarzadzenie.pdf") && removed.contains(first["sha256"].as_str().unwrap()), "{removed}");
        // Removing the task removes its files in the same transaction.
        let (status, _) = app.api_json(Method::Delete, &format!("/api/v1/tasks/{id}"), Some(&w.coord), &json!(null)).await;
        assert_eq!(status, Status::NoContent);
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioned_tasks").await, 0);
    }

    async fn a_document_too_large_of_an_unknown_type_or_empty_is_refused_naming_the_file(app) {
        let w = world(&app).await;
        let id = task(&app, &w).await;
        let mut big = vec![0u8; 10 * 1024 * 1024 + 10];
        big[..5].copy_from_slice(b"%PDF-");
        let (status, body) = upload_file(&app, &id, &w.coord, "duzy.pdf", &big).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert_eq!(body["details"][0]["field"], "file");
        assert!(body["details"][0]["message"].as_str().unwrap().contains("10 MB"), "{body}");
        // Judged by content, not by name: an executable called .pdf is refused.
        let (status, body) = upload_file(&app, &id, &w.coord, "umowa.pdf", b"MZ\x90\x00\x03 not a document").await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "file");
        assert!(body["details"][0]["message"].as_str().unwrap().contains("PDF"), "{body}");
        let (status, body) = upload_file(&app, &id, &w.coord, "pusty.pdf", b"").await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "file");
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 0, "nothing is stored");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'task.evidence_upload'").await, 0);
    }

    async fn funders_and_trainers_never_get_task_documents(app) {
        let w = world(&app).await;
        let id = task(&app, &w).await;
        let (_, file) = upload_file(&app, &id, &w.coord, "umowa.pdf", PDF).await;
        let file = file["id"].as_str().unwrap().to_owned();
        for token in [&w.funder, &w.trainer] {
            assert_eq!(app.api_get(&format!("/api/v1/tasks/{id}/evidence"), Some(token)).await.0, Status::Forbidden);
            assert_eq!(upload_file(&app, &id, token, "x.pdf", PDF).await.0, Status::Forbidden);
            let (status, _, bytes) = app.api_raw(&format!("/api/v1/task-evidence/{file}"), Some(token)).await;
            assert_eq!(status, Status::Forbidden);
            assert!(!bytes.starts_with(b"%PDF-"), "no file in a refusal");
            assert_eq!(app.api_json(Method::Delete, &format!("/api/v1/task-evidence/{file}"), Some(token), &json!(null)).await.0, Status::Forbidden);
        }
        // A coordinator of another programme does not learn the file exists.
        assert_eq!(app.api_raw(&format!("/api/v1/task-evidence/{file}"), Some(&w.outsider)).await.0, Status::NotFound);
        assert_eq!(upload_file(&app, &id, &w.outsider, "x.pdf", PDF).await.0, Status::NotFound);
        assert_eq!(app.api_get(&format!("/api/v1/task-evidence/{file}"), None).await.0, Status::Unauthorized);
        let funder = app.browser().await;
        assert_eq!(funder.login("fundator@test.pl", common::PASSWORD).await, Status::SeeOther);
        assert_eq!(funder.get(&format!("/task-evidence/{file}")).await.0, Status::Forbidden);
        assert_eq!(post_file(&funder, &id, Some(&funder.csrf().await), "x.pdf", PDF).await.0, Status::Forbidden);
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 1);
    }

    async fn coordinators_upload_and_remove_task_documents_on_the_edit_page(app) {
        let w = world(&app).await;
        let id = task(&app, &w).await;
        let browser = app.browser().await;
        assert_eq!(browser.login("koord@test.pl", common::PASSWORD).await, Status::SeeOther);
        let (status, page) = browser.get(&format!("/tasks/{id}/edit")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("<label for=\"f-evidence-file\""), "{page}");
        assert!(page.contains("Nie dodano jeszcze żadnego pliku."));
        // Without the token nothing is stored.
        assert_eq!(post_file(&browser, &id, None, "zarzadzenie.pdf", PDF).await.0, Status::Forbidden);
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 0);
        let token = browser.csrf().await;
        let (status, location) = post_file(&browser, &id, Some(&token), "Zarządzenie nr 12.pdf", PDF).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(location, Some(format!("/tasks/{id}/edit#evidence")));
        let (_, page) = browser.get(&format!("/tasks/{id}/edit")).await;
        assert!(page.contains("Plik zapisano.") && page.contains("Zarządzenie nr 12.pdf") && page.contains("1 KB"), "{page}");
        let (_, list) = browser.get("/cohorts/c1/tasks").await;
        assert!(list.contains("1 plik<"), "{list}");
        post_file(&browser, &id, Some(&token), "umowa.pdf", PDF).await;
        let (_, list) = browser.get("/cohorts/c1/tasks").await;
        assert!(list.contains("2 pliki<"), "{list}");
        // A wrong file: back to the page with the field named in the message, in either language.
        let (status, _) = post_file(&browser, &id, Some(&token), "umowa.pdf", b"<html>not a pdf").await;
        assert_eq!(status, Status::SeeOther);
        let (_, page) = browser.get(&format!("/tasks/{id}/edit")).await;
        assert!(page.contains("Plik z dokumentem: To nie jest plik PDF, JPG ani PNG"), "{page}");
        browser.get("/cohorts/c1/tasks?lang=en").await;
        post_file(&browser, &id, Some(&token), "umowa.pdf", b"").await;
        let (_, page) = browser.get(&format!("/tasks/{id}/edit?lang=pl")).await;
        assert!(page.contains("Document file: "), "{page}");
        let file = app.count_text("SELECT CAST(id AS TEXT) FROM task_evidence WHERE file_name = 'umowa.pdf'").await;
        assert!(page.contains(&format!("/task-evidence/{file}/delete")), "a remove button per file");
        let res = browser.client.get(format!("/task-evidence/{file}")).dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        assert_eq!(res.headers().get_one("Content-Disposition"), Some("inline; filename=\"umowa.pdf\""));
        assert_eq!(res.into_bytes().await.unwrap(), PDF);
        let (status, _, _) = browser.post_raw(&format!("/task-evidence/{file}/delete"), &[]).await;
        assert_eq!(status, Status::Forbidden, "no token, no removal");
        let (status, location, _) = browser.post_form(&format!("/task-evidence/{file}/delete"), &[]).await;
        assert_eq!((status, location), (Status::SeeOther, Some(format!("/tasks/{id}/edit#evidence"))));
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 1);
        let (status, _, _) = browser.post_form(&format!("/tasks/{id}/delete"), &[]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM task_evidence").await, 0, "the task's files go with it");
    }
}
