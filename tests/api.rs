//! The API frame: bearer tokens (hashed, revocable), JSON errors, gmina search, OpenAPI coverage.
mod common;

use akademia::db::audit::Actor;
use akademia::domain::Role;
use akademia::service::tokens;
use common::Browse;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;

#[derive(serde::Deserialize)]
struct Probe {
    name: String,
    #[allow(dead_code)]
    starts_on: chrono::NaiveDate,
}

/// A route that exists only in this test, to exercise the API's body handling.
#[rocket::post("/probe", data = "<body>")]
fn probe(_user: akademia::api::ApiUser, body: akademia::api::ApiJson<Probe>) -> String {
    body.0.name
}

both_backends! {
    async fn requests_without_a_valid_token_get_401_in_json(app) {
        let (status, body) = app.api_get("/api/v1/gminy?q=srem", None).await;
        assert_eq!(status, Status::Unauthorized);
        assert!(body["error"].as_str().unwrap().contains("Authorization: Bearer"));
        assert_eq!(body["details"], serde_json::json!([]));
        assert_eq!(app.api_get("/api/v1/gminy?q=srem", Some("akd_not-a-token")).await.0, Status::Unauthorized);
        let res = app.client.get("/api/v1/me").header(Header::new("Authorization", "Basic abc")).dispatch().await;
        assert_eq!(res.status(), Status::Unauthorized);
    }

    async fn tokens_are_stored_hashed_and_identify_their_user(app) {
        let user = app.user("koordynator@test.pl", Role::Coordinator).await;
        let token = app.token(&user).await;
        let (status, me) = app.api_get("/api/v1/me", Some(&token)).await;
        assert_eq!(status, Status::Ok);
        assert_eq!((me["email"].as_str(), me["role"].as_str()), (Some("koordynator@test.pl"), Some("coordinator")));
        let stored: Vec<String> = akademia::on_pool!(&app.db, |pool| sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(pool).await.unwrap());
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], token);
        assert_eq!(stored[0], akademia::domain::token::hash_api_token(&token));
    }

    async fn a_token_revoked_on_the_account_page_stops_working(app) {
        let (user, browser, _) = app.signed_in("trener@test.pl", Role::Trainer).await;
        let (status, _, page) = browser.post_form("/account/tokens", &[("label", "arkusz obecności")]).await;
        assert_eq!(status, Status::Created);
        assert!(page.contains("Skopiuj go teraz"));
        let marker = "id=\"new-token\" class=\"mono\" type=\"text\" readonly value=\"";
        let start = page.find(marker).expect("token shown once") + marker.len();
        let token = &page[start..start + page[start..].find('"').unwrap()];
        assert!(token.starts_with("akd_"));
        assert_eq!(app.api_get("/api/v1/me", Some(token)).await.0, Status::Ok);
        let (_, again) = browser.get("/account").await;
        assert!(!again.contains(token), "the plain token is never shown again");
        assert!(again.contains("arkusz obecności"));

        let ids: Vec<akademia::db::Id> = akademia::on_pool!(&app.db, |pool| sqlx::query_scalar(
            "SELECT id FROM api_tokens WHERE label = 'arkusz obecności'").fetch_all(pool).await.unwrap());
        // another user cannot revoke it
        let (_, other, _) = app.signed_in("inny@test.pl", Role::Trainer).await;
        assert_eq!(other.post_form(&format!("/account/tokens/{}/revoke", ids[0]), &[]).await.0, Status::NotFound);
        assert_eq!(app.api_get("/api/v1/me", Some(token)).await.0, Status::Ok);
        let (status, _, _) = browser.post_form(&format!("/account/tokens/{}/revoke", ids[0]), &[]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.api_get("/api/v1/me", Some(token)).await.0, Status::Unauthorized);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'token.revoke'").await, 1);
        let _ = user;
    }

    async fn revoke_all_and_deactivation_end_api_access(app) {
        let user = app.user("fundator@test.pl", Role::Funder).await;
        let first = app.token(&user).await;
        let second = app.token(&user).await;
        assert_eq!(tokens::revoke_all(&app.db, &Actor::cli(), &user).await.unwrap(), 2);
        for t in [&first, &second] {
            assert_eq!(app.api_get("/api/v1/me", Some(t)).await.0, Status::Unauthorized);
        }
        let third = app.token(&user).await;
        assert_eq!(app.api_get("/api/v1/me", Some(&third)).await.0, Status::Ok);
        akademia::service::users::set_active(&app.db, &Actor::cli(), user.id, false).await.unwrap();
        assert_eq!(app.api_get("/api/v1/me", Some(&third)).await.0, Status::Unauthorized);
    }

    async fn gmina_search_ignores_case_and_diacritics_and_tells_namesakes_apart(app) {
        let user = app.user("fundator@test.pl", Role::Funder).await;
        let token = app.token(&user).await;
        let (status, found) = app.api_get("/api/v1/gminy?q=srem", Some(&token)).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(found[0], serde_json::json!({
            "teryt": "3026043", "name": "Śrem", "type": "urban-rural", "powiat": "śremski", "voivodeship": "wielkopolskie"
        }));
        let (_, found) = app.api_get("/api/v1/gminy?q=GNIEZNO", Some(&token)).await;
        let gnieznos: Vec<(&str, &str)> = found.as_array().unwrap().iter()
            .filter(|g| g["name"] == "Gniezno")
            .map(|g| (g["teryt"].as_str().unwrap(), g["type"].as_str().unwrap()))
            .collect();
        assert_eq!(gnieznos, [("3003011", "urban"), ("3003032", "rural")]);
        let (_, found) = app.api_get("/api/v1/gminy?q=%C5%81%C3%B3d%C5%BA", Some(&token)).await; // Łódź
        assert_eq!(found[0]["teryt"], "1061011");
        let (_, found) = app.api_get("/api/v1/gminy?q=lodz", Some(&token)).await;
        assert_eq!(found[0]["name"], "Łódź");
        let (_, found) = app.api_get("/api/v1/gminy?q=leszno", Some(&token)).await;
        let leszno: Vec<(&str, &str)> = found.as_array().unwrap().iter()
            .filter(|g| g["name"] == "Leszno")
            .map(|g| (g["teryt"].as_str().unwrap(), g["voivodeship"].as_str().unwrap()))
            .collect();
        assert!(leszno.contains(&("3063011", "wielkopolskie")) && leszno.contains(&("1432042", "mazowieckie")), "{leszno:?}");
        // a word inside a name, a code prefix, a limit, and nothing for nonsense or wildcards
        let (_, found) = app.api_get("/api/v1/gminy?q=zdroj", Some(&token)).await;
        assert!(found.as_array().unwrap().iter().any(|g| g["name"] == "Duszniki-Zdrój"));
        let (_, found) = app.api_get("/api/v1/gminy?q=302604", Some(&token)).await;
        assert_eq!(found[0]["teryt"], "3026043");
        let (_, found) = app.api_get("/api/v1/gminy?q=a&limit=5", Some(&token)).await;
        assert_eq!(found.as_array().unwrap().len(), 5);
        for q in ["xyzzy", "%25", "_", ""] {
            let (status, found) = app.api_get(&format!("/api/v1/gminy?q={q}"), Some(&token)).await;
            assert_eq!((status, found), (Status::Ok, serde_json::json!([])), "q={q}");
        }
    }

    async fn the_openapi_document_covers_every_api_route(app) {
        let (status, doc) = app.api_get("/api/v1/openapi.json", None).await;
        assert_eq!(status, Status::Ok);
        assert!(doc["openapi"].as_str().unwrap().starts_with('3'));
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        for route in app.client.rocket().routes().filter(|r| r.uri.path().starts_with("/api/v1")) {
            // `/cohorts/<c>` in Rocket is `/cohorts/{c}` in OpenAPI
            let path = route.uri.path().to_string().replace('<', "{").replace('>', "}");
            let method = route.method.as_str().to_lowercase();
            assert!(doc["paths"][&path][&method].is_object(), "{method} {path} is not in the OpenAPI document");
        }
    }

    async fn api_errors_speak_english_when_asked(app) {
        let res = app.client.get("/api/v1/me").header(Header::new("Accept-Language", "en-GB,en;q=0.9")).dispatch().await;
        assert_eq!(res.status(), Status::Unauthorized);
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert!(body["error"].as_str().unwrap().starts_with("Missing or invalid API token"));
        let (status, body) = app.api_get("/api/v1/no-such-thing?lang=en", None).await;
        assert_eq!(status, Status::NotFound);
        assert!(body["error"].is_string());
    }

    async fn an_invalid_json_body_is_422_naming_the_field(app) {
        let user = app.user("koordynator@test.pl", Role::Coordinator).await;
        let token = app.token(&user).await;
        let client = Client::tracked(app.rocket().mount("/api/v1/test", rocket::routes![probe])).await.unwrap();
        let post = |body: &'static str| {
            client.post("/api/v1/test/probe")
                .header(ContentType::JSON)
                .header(Header::new("Authorization", format!("Bearer {token}")))
                .body(body)
        };
        let res = post(r#"{"name":"Edycja 1","starts_on":"1 stycznia"}"#).dispatch().await;
        assert_eq!(res.status(), Status::UnprocessableEntity);
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(body["error"], "Nieprawidłowe dane w treści żądania — nic nie zostało zapisane.");
        assert_eq!(body["details"][0]["field"], "starts_on");
        assert!(body["details"][0].get("row").is_none());
        let res = post(r#"{"starts_on":"2026-01-01"}"#).dispatch().await;
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!((body["details"][0]["field"].as_str(), body["details"][0]["message"].as_str()), (Some("name"), Some("To pole jest wymagane.")));
        let res = post("{not json").dispatch().await;
        assert_eq!(res.status(), Status::UnprocessableEntity);
        let res = post(r#"{"name":"Edycja 1","starts_on":"2026-01-01"}"#).dispatch().await;
        assert_eq!(res.status(), Status::Ok);
        assert_eq!(res.into_string().await.unwrap(), "Edycja 1");
        // without a token the body is never read
        let res = client.post("/api/v1/test/probe").header(ContentType::JSON).body("{}").dispatch().await;
        assert_eq!(res.status(), Status::Unauthorized);
    }
}
