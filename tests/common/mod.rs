//! Test helpers: a fresh database per test (a temp SQLite file, or a fresh PostgreSQL database
//! when `TEST_DATABASE_URL` is set), the app on Rocket's local client, and browser-like helpers.
#![allow(dead_code)]

use akademia::db::audit::Actor;
use akademia::db::users::User;
use akademia::db::{Db, Id};
use akademia::domain::Role;
use akademia::service::{tokens, users as user_service};
use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::{Client, LocalResponse};

pub const PASSWORD: &str = "Haslo-testowe-2026";

/// Declares each test twice, `name::sqlite` and `name::postgres`; the PostgreSQL one is skipped
/// (with a message) when `TEST_DATABASE_URL` is not set.
#[macro_export]
macro_rules! both_backends {
    ($($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block)*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[rocket::async_test]
                async fn sqlite() {
                    let $app = $crate::common::TestApp::sqlite().await;
                    $body
                }

                #[rocket::async_test]
                async fn postgres() {
                    let Some($app) = $crate::common::TestApp::postgres().await else {
                        eprintln!("SKIPPED {}::postgres: TEST_DATABASE_URL is not set", stringify!($name));
                        return;
                    };
                    $body
                }
            }
        )*
    };
}

/// Removes the test's database when the test ends.
enum DbGuard {
    Sqlite(#[allow(unused)] tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { server_url, name } = self {
            let (server_url, name) = (server_url.clone(), name.clone());
            // A fresh runtime on its own thread: Drop cannot await on the test's runtime.
            let _ = std::thread::spawn(move || {
                let runtime = rocket::tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    use sqlx::Connection;
                    let mut conn = sqlx::PgConnection::connect(&server_url).await.ok()?;
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub client: Client,
    pub db: Db,
    pub url: String,
    figment: Figment,
    _guard: DbGuard,
}

/// The figment tests use: the given database, quiet logs unless `TEST_LOG=1`.
pub fn test_figment(url: &str) -> Figment {
    let level = if std::env::var("TEST_LOG").is_ok() {
        "normal"
    } else {
        "off"
    };
    akademia::config::figment(Some(url)).merge(("log_level", level))
}

/// The sample participants file every suite imports.
pub const SAMPLE_CSV: &[u8] = include_bytes!("../../../shared/fixtures/participants_ok.csv");

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestApp::start(url, DbGuard::Sqlite(dir)).await
    }

    pub async fn postgres() -> Option<TestApp> {
        let server_url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let name = format!("akademia_test_{}", uuid::Uuid::new_v4().simple());
        {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&server_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            let sql = format!("CREATE DATABASE {name}");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .expect("create test database");
        }
        let base = server_url.split('?').next().unwrap_or(&server_url);
        let url = format!(
            "{}/{}",
            &base[..base.rfind('/').expect("URL with a database")],
            name
        );
        Some(TestApp::start(url, DbGuard::Postgres { server_url, name }).await)
    }

    async fn start(url: String, guard: DbGuard) -> TestApp {
        let figment = test_figment(&url);
        let rocket = akademia::build(figment.clone()).await.expect("app builds");
        let db = rocket.state::<Db>().expect("db managed").clone();
        let figment = akademia::with_secret_key(figment, &db)
            .await
            .expect("secret key");
        let client = Client::tracked(rocket).await.expect("valid rocket");
        TestApp {
            client,
            db,
            url,
            figment,
            _guard: guard,
        }
    }

    /// Another browser (its own cookies) on the same database.
    pub async fn browser(&self) -> Browser {
        let rocket = self.rocket();
        Browser {
            client: Client::tracked(rocket).await.expect("valid rocket"),
        }
    }

    /// The app, unlaunched, on this test's database (to mount test-only routes).
    pub fn rocket(&self) -> rocket::Rocket<rocket::Build> {
        akademia::rocket(self.figment.clone(), self.db.clone()).expect("valid configuration")
    }

    /// This app's own browser.
    pub fn main_browser(&self) -> BrowserRef<'_> {
        BrowserRef(&self.client)
    }

    pub async fn user(&self, email: &str, role: Role) -> User {
        let input = user_service::NewUserInput {
            email: email.to_owned(),
            name: format!("Test {}", role.as_str()),
            role: role.as_str().to_owned(),
            password: PASSWORD.to_owned(),
            password_confirm: None,
        };
        user_service::create(&self.db, &Actor::cli(), &input)
            .await
            .expect("user created")
    }

    pub async fn token(&self, user: &User) -> String {
        tokens::issue(&self.db, &Actor::cli(), user, "test")
            .await
            .expect("token issued")
            .1
    }

    /// A user of `role` signed in in a browser of their own, with an API token.
    pub async fn signed_in(&self, email: &str, role: Role) -> (User, Browser, String) {
        let user = self.user(email, role).await;
        let browser = self.browser().await;
        let status = browser.login(email, PASSWORD).await;
        assert_eq!(status, Status::SeeOther, "login of {email}");
        let token = self.token(&user).await;
        (user, browser, token)
    }

    /// `SELECT COUNT(*) …` on either backend.
    pub async fn count(&self, sql: &'static str) -> i64 {
        akademia::on_pool!(&self.db, |pool| sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .expect(sql))
    }

    /// One text value (`SELECT … AS TEXT`) on either backend.
    pub async fn count_text(&self, sql: &'static str) -> String {
        akademia::on_pool!(&self.db, |pool| sqlx::query_scalar::<_, String>(sql)
            .fetch_one(pool)
            .await
            .expect(sql))
    }

    /// Imports the sample participants file (`shared/fixtures/participants_ok.csv`) into `cohort`.
    pub async fn import_sample(&self, token: &str, cohort: &str) {
        let (status, body) = self
            .api_send(
                rocket::http::Method::Post,
                &format!("/api/v1/cohorts/{cohort}/import"),
                Some(token),
                SAMPLE_CSV,
                rocket::http::ContentType::new("text", "csv"),
            )
            .await;
        assert_eq!(status, Status::Ok, "{body}");
    }

    /// Marks attendance through the API (`reason` for marks after the window); must succeed.
    pub async fn put_marks(
        &self,
        token: &str,
        activity: &str,
        marks: &[(&str, &str)],
        reason: Option<&str>,
    ) {
        let body: Vec<serde_json::Value> = marks
            .iter()
            .map(|(e, s)| serde_json::json!({"enrolment": e, "status": s}))
            .collect();
        let query = reason.map_or_else(String::new, |r| {
            format!("?reason={}", r.replace(' ', "%20"))
        });
        let (status, out) = self
            .api_json(
                rocket::http::Method::Put,
                &format!("/api/v1/activities/{activity}/attendance{query}"),
                Some(token),
                &serde_json::json!(body),
            )
            .await;
        assert_eq!(status, Status::Ok, "{out}");
    }

    /// (enrolment id, last name) of everyone enrolled in `cohort`, as the API lists them.
    pub async fn enrolled(&self, token: &str, cohort: &str) -> Vec<(String, String)> {
        let (status, list) = self
            .api_get(&format!("/api/v1/cohorts/{cohort}/enrolments"), Some(token))
            .await;
        assert_eq!(status, Status::Ok, "{list}");
        list.as_array()
            .expect("enrolments")
            .iter()
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_owned(),
                    e["last_name"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    pub async fn api_get(&self, path: &str, token: Option<&str>) -> (Status, serde_json::Value) {
        let mut req = self.client.get(path.to_owned());
        if let Some(t) = token {
            req = req.header(Header::new("Authorization", format!("Bearer {t}")));
        }
        let res = req.dispatch().await;
        let status = res.status();
        let body = res.into_string().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// A GET whose answer is not JSON (a PDF, a calendar): status, content type and bytes.
    pub async fn api_raw(&self, path: &str, token: Option<&str>) -> (Status, String, Vec<u8>) {
        let mut req = self.client.get(path.to_owned());
        if let Some(t) = token {
            req = req.header(Header::new("Authorization", format!("Bearer {t}")));
        }
        let res = req.dispatch().await;
        let status = res.status();
        let content_type = res
            .content_type()
            .map(|c| c.to_string())
            .unwrap_or_default();
        (
            status,
            content_type,
            res.into_bytes().await.unwrap_or_default(),
        )
    }

    /// Any method with a raw body of `content_type`; the answer parsed as JSON (Null if not JSON).
    pub async fn api_send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &[u8],
        content_type: ContentType,
    ) -> (Status, serde_json::Value) {
        let mut req = self
            .client
            .req(method, path.to_owned())
            .header(content_type)
            .body(body);
        if let Some(t) = token {
            req = req.header(Header::new("Authorization", format!("Bearer {t}")));
        }
        let res = req.dispatch().await;
        let status = res.status();
        let body = res.into_string().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Any method with a JSON body.
    pub async fn api_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> (Status, serde_json::Value) {
        let bytes = serde_json::to_vec(body).expect("JSON body");
        self.api_send(method, path, token, &bytes, ContentType::JSON)
            .await
    }

    pub async fn user_id(&self, email: &str) -> Id {
        akademia::db::users::find_by_email(&self.db, email)
            .await
            .unwrap()
            .expect("user exists")
            .id
    }
}

/// A browser session: a client with its own cookie jar.
pub struct Browser {
    pub client: Client,
}

pub struct BrowserRef<'a>(pub &'a Client);

/// What a browser does: GET pages, submit forms with the CSRF token of the last page seen.
pub trait Browse {
    fn client(&self) -> &Client;

    async fn get(&self, path: &str) -> (Status, String) {
        let res = self.client().get(path.to_owned()).dispatch().await;
        let status = res.status();
        (status, res.into_string().await.unwrap_or_default())
    }

    /// The `Location` of a redirect answer to GET `path`.
    async fn get_location(&self, path: &str) -> (Status, Option<String>) {
        let res = self.client().get(path.to_owned()).dispatch().await;
        (
            res.status(),
            res.headers().get_one("Location").map(str::to_owned),
        )
    }

    /// The CSRF token the site gives this browser (read from a page, as a browser would).
    async fn csrf(&self) -> String {
        // signed in, every page has the logout form; signed out, the login or setup form
        for page in ["/account", "/login", "/setup"] {
            let (_, body) = self.get(page).await;
            if let Some(token) = extract_csrf(&body) {
                return token;
            }
        }
        panic!("no page with a csrf_token field")
    }

    /// Submits a form with this browser's CSRF token added.
    async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (Status, Option<String>, String) {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Submits exactly these fields (no token added).
    async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (Status, Option<String>, String) {
        let res = self
            .client()
            .post(path.to_owned())
            .header(ContentType::Form)
            .body(encode_form(fields))
            .dispatch()
            .await;
        respond(res).await
    }

    async fn login(&self, email: &str, password: &str) -> Status {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
            .0
    }
}

impl Browse for Browser {
    fn client(&self) -> &Client {
        &self.client
    }
}

impl Browse for BrowserRef<'_> {
    fn client(&self) -> &Client {
        self.0
    }
}

async fn respond(res: LocalResponse<'_>) -> (Status, Option<String>, String) {
    let status = res.status();
    let location = res.headers().get_one("Location").map(str::to_owned);
    (
        status,
        location,
        res.into_string().await.unwrap_or_default(),
    )
}

pub fn encode_form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}
