//! Zero-configuration start: the secret key is generated once, stored in the database and shared
//! by every instance; a configured key always wins.
mod common;

use akademia::domain::Role;
use common::{Browse, test_figment};
use rocket::http::{Cookie, Status};
use rocket::local::asynchronous::Client;

/// The encrypted session cookie a browser got at login.
async fn session_cookie(app: &common::TestApp) -> String {
    app.user("koordynator@test.pl", Role::Coordinator).await;
    let browser = app.browser().await;
    assert_eq!(
        browser.login("koordynator@test.pl", common::PASSWORD).await,
        Status::SeeOther
    );
    browser
        .client
        .cookies()
        .get("akademia_session")
        .expect("session cookie")
        .value()
        .to_owned()
}

async fn is_signed_in(client: &Client, cookie: &str) -> bool {
    let res = client
        .get("/")
        .cookie(Cookie::new("akademia_session", cookie.to_owned()))
        .dispatch()
        .await;
    res.status() == Status::Ok
}

both_backends! {
    async fn a_generated_key_is_stored_once_and_shared_by_instances(app) {
        let stored = akademia::db::settings::get(&app.db, "secret_key").await.unwrap().expect("key stored");
        assert_eq!(base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &stored).unwrap().len(), 64);
        let cookie = session_cookie(&app).await;
        // a second instance (or a restart) on the same database accepts the session
        let second = Client::tracked(akademia::build(test_figment(&app.url)).await.unwrap()).await.unwrap();
        assert!(is_signed_in(&second, &cookie).await);
        assert_eq!(akademia::db::settings::get(&app.db, "secret_key").await.unwrap(), Some(stored));
    }

    async fn a_configured_secret_key_wins(app) {
        let cookie = session_cookie(&app).await;
        let configured = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [7u8; 64]);
        let figment = test_figment(&app.url).merge(("secret_key", configured));
        let other = Client::tracked(akademia::build(figment).await.unwrap()).await.unwrap();
        assert!(!is_signed_in(&other, &cookie).await, "the stored key must not be used");
    }
}
