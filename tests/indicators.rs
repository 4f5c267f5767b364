//! Programme indicators on both backends: defined through the API and the page, validated field
//! by field, audited, and kept to the programme's coordinators.
mod common;

use akademia::domain::Role;
use common::{Browse, TestApp};
use rocket::http::{Method, Status};
use serde_json::json;

async fn programme(app: &TestApp) -> (String, String, String) {
    let coord = app
        .token(&app.user("koord@test.pl", Role::Coordinator).await)
        .await;
    let funder = app
        .token(&app.user("fundator@test.pl", Role::Funder).await)
        .await;
    let outsider = app
        .token(&app.user("inny@test.pl", Role::Coordinator).await)
        .await;
    let (status, _) = app.api_json(Method::Post, "/api/v1/programmes", Some(&coord), &json!({
        "name": "Akademia", "slug": "prog", "funder": "Fundusz", "starts_on": "2020-01-01", "ends_on": "2030-12-31"
    })).await;
    assert_eq!(status, Status::Created);
    (coord, funder, outsider)
}

both_backends! {
    async fn indicators_are_defined_changed_and_removed(app) {
        let (coord, funder, outsider) = programme(&app).await;
        let (status, first) = app.api_json(Method::Post, "/api/v1/programmes/prog/indicators", Some(&coord), &json!({
            "name": "Gminy, które zleciły nowe zadania", "baseline": 0, "target": 8, "source": "gminas_commissioning"
        })).await;
        assert_eq!(status, Status::Created, "{first}");
        assert_eq!(first["position"], 1);
        let (status, manual) = app.api_json(Method::Post, "/api/v1/programmes/prog/indicators", Some(&coord), &json!({
            "name": "Rekomendacje przyjęte przez rady gmin", "unit": "uchwały", "target": 5, "source": "manual", "manual_value": 3
        })).await;
        assert_eq!(status, Status::Created, "{manual}");
        assert_eq!((manual["position"].clone(), manual["manual_value"].clone()), (json!(2), json!(3.0)));
        let (status, body) = app.api_json(Method::Post, "/api/v1/programmes/prog/indicators", Some(&coord), &json!({
            "name": " ", "target": 5, "source": "horoscope"
        })).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let fields: Vec<&str> = body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["name", "source"], "{body}");
        let id = manual["id"].as_str().unwrap();
        let (status, changed) = app.api_json(Method::Put, &format!("/api/v1/indicators/{id}"), Some(&coord), &json!({
            "name": "Rekomendacje przyjęte przez rady gmin", "target": 5, "source": "manual", "manual_value": 4
        })).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(changed["manual_value"], 4.0);
        let (_, list) = app.api_get("/api/v1/programmes/prog/indicators", Some(&coord)).await;
        assert_eq!(list.as_array().unwrap().len(), 2);
        for token in [&funder] {
            assert_eq!(app.api_get("/api/v1/programmes/prog/indicators", Some(token)).await.0, Status::Forbidden);
        }
        assert_eq!(app.api_get("/api/v1/programmes/prog/indicators", Some(&outsider)).await.0, Status::NotFound);
        assert_eq!(app.api_json(Method::Delete, &format!("/api/v1/indicators/{id}"), Some(&outsider), &json!(null)).await.0, Status::NotFound);
        assert_eq!(app.api_json(Method::Delete, &format!("/api/v1/indicators/{id}"), Some(&coord), &json!(null)).await.0, Status::NoContent);
        assert_eq!(app.count("SELECT COUNT(*) FROM indicators").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator'").await, 4);
    }

    async fn coordinators_define_indicators_on_the_page(app) {
        programme(&app).await;
        let browser = app.browser().await;
        assert_eq!(browser.login("koord@test.pl", common::PASSWORD).await, Status::SeeOther);
        let (status, page) = browser.get("/programmes/prog/indicators").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("gminy, które zleciły nowe zadania"), "the sources are offered");
        let fields = |target: &'static str| vec![
            ("name", "Nowe zadania publiczne"), ("source", "new_tasks"), ("unit", "zadania"),
            ("baseline", "0"), ("target", target), ("manual_value", ""),
        ];
        let (status, _, page) = browser.post_form("/programmes/prog/indicators", &fields("dziesięć")).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Nowe zadania publiczne") && page.contains("aria-invalid"));
        let (status, location, _) = browser.post_form("/programmes/prog/indicators", &fields("10,5")).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(location.as_deref(), Some("/programmes/prog/indicators"));
        let id = app.count_text("SELECT CAST(id AS TEXT) FROM indicators").await;
        let (_, page) = browser.get(&format!("/indicators/{id}/edit")).await;
        assert!(page.contains("value=\"10,5\""), "the target comes back as typed in Polish");
        let (status, _, _) = browser.post_form(&format!("/indicators/{id}/delete"), &[]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM indicators").await, 0);
    }
}
