//! Signing in and out, login throttling, CSRF protection, first-admin setup, sessions.
mod common;

use akademia::domain::Role;
use common::{Browse, PASSWORD};
use rocket::http::{ContentType, Cookie, Status};

both_backends! {
    async fn login_sets_a_private_httponly_lax_session_cookie_with_expiry(app) {
        app.user("koordynator@test.pl", Role::Coordinator).await;
        let browser = app.browser().await;
        let token = browser.csrf().await;
        let body = common::encode_form(&[("csrf_token", &token), ("email", " Koordynator@Test.PL "), ("password", PASSWORD)]);
        let res = browser.client.post("/login").header(ContentType::Form).body(body).dispatch().await;
        assert_eq!(res.status(), Status::SeeOther);
        assert_eq!(res.headers().get_one("Location"), Some("/"));
        let set_cookies: Vec<&str> = res.headers().get("Set-Cookie").collect();
        let session = set_cookies.iter().find(|c| c.starts_with("akademia_session=")).expect("session cookie set");
        assert!(session.contains("HttpOnly"), "{session}");
        assert!(session.contains("SameSite=Lax"), "{session}");
        assert!(session.contains("Max-Age=43200"), "{session}");
        // the value is encrypted: it does not show the user id
        let id = app.user_id("koordynator@test.pl").await.to_string();
        assert!(!session.contains(&id));
        let (status, page) = browser.get("/").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Witaj, Test coordinator"));
    }

    async fn wrong_password_is_refused_without_saying_which_part_was_wrong(app) {
        app.user("trener@test.pl", Role::Trainer).await;
        let browser = app.browser().await;
        let (status, _, page) = browser.post_form("/login", &[("email", "trener@test.pl"), ("password", "zle-haslo-123")]).await;
        assert_eq!(status, Status::Unauthorized);
        assert!(page.contains("Nieprawidłowy adres e-mail lub hasło."));
        let (status, _, page) = browser.post_form("/login", &[("email", "nikt@test.pl"), ("password", "zle-haslo-123")]).await;
        assert_eq!(status, Status::Unauthorized);
        assert!(page.contains("Nieprawidłowy adres e-mail lub hasło."));
        assert_eq!(browser.get_location("/").await.1.as_deref(), Some("/login"));
    }

    async fn five_failures_lock_the_email_for_fifteen_minutes_with_429(app) {
        app.user("trener@test.pl", Role::Trainer).await;
        app.user("inna@test.pl", Role::Trainer).await;
        let browser = app.browser().await;
        for attempt in 1..=5 {
            let (status, _, _) = browser.post_form("/login", &[("email", "trener@test.pl"), ("password", "zle-haslo-123")]).await;
            assert_eq!(status, Status::Unauthorized, "attempt {attempt}");
        }
        // locked: even the right password is refused, from any browser, in any letter case
        let (status, _, page) = browser.post_form("/login", &[("email", "trener@test.pl"), ("password", PASSWORD)]).await;
        assert_eq!(status, Status::TooManyRequests);
        assert!(page.contains("Spróbuj ponownie za 15 min."), "{page}");
        let other = app.browser().await;
        assert_eq!(other.login("TRENER@test.pl", PASSWORD).await, Status::TooManyRequests);
        // another email is not affected
        assert_eq!(other.login("inna@test.pl", PASSWORD).await, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.lock'").await, 1);
    }

    async fn a_lock_ends_after_fifteen_minutes(app) {
        app.user("trener@test.pl", Role::Trainer).await;
        let browser = app.browser().await;
        for _ in 0..5 {
            browser.post_form("/login", &[("email", "trener@test.pl"), ("password", "zle-haslo-123")]).await;
        }
        assert_eq!(browser.login("trener@test.pl", PASSWORD).await, Status::TooManyRequests);
        // move the lock 16 minutes into the past
        let past = akademia::db::now() - chrono::Duration::minutes(1);
        akademia::on_pool!(&app.db, |pool| sqlx::query("UPDATE login_locks SET locked_until = $1")
            .bind(past).execute(pool).await.map(|_| ()).unwrap());
        assert_eq!(browser.login("trener@test.pl", PASSWORD).await, Status::SeeOther);
    }

    async fn failures_older_than_the_window_do_not_count(app) {
        app.user("trener@test.pl", Role::Trainer).await;
        let browser = app.browser().await;
        for _ in 0..4 {
            browser.post_form("/login", &[("email", "trener@test.pl"), ("password", "zle-haslo-123")]).await;
        }
        let old = akademia::db::now() - chrono::Duration::minutes(16);
        akademia::on_pool!(&app.db, |pool| sqlx::query("UPDATE login_failures SET failed_at = $1")
            .bind(old).execute(pool).await.map(|_| ()).unwrap());
        let (status, _, _) = browser.post_form("/login", &[("email", "trener@test.pl"), ("password", "zle-haslo-123")]).await;
        assert_eq!(status, Status::Unauthorized);
        assert_eq!(browser.login("trener@test.pl", PASSWORD).await, Status::SeeOther);
    }

    async fn post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let users_before = app.count("SELECT COUNT(*) FROM users").await;
        let audit_before = app.count("SELECT COUNT(*) FROM audit_log").await;
        let fields = [
            ("name", "Nowa Osoba"), ("email", "nowa@test.pl"), ("role", "trainer"),
            ("password", "Haslo-dla-nowej-1"), ("password_confirm", "Haslo-dla-nowej-1"),
        ];
        let (status, _, page) = admin.post_raw("/admin/users", &fields).await;
        assert_eq!(status, Status::Forbidden);
        assert!(page.contains("Formularz wygasł"), "{page}");
        let mut forged = vec![("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")];
        forged.extend_from_slice(&fields);
        assert_eq!(admin.post_raw("/admin/users", &forged).await.0, Status::Forbidden);
        // a token from another browser's session is not valid here either
        let other = app.browser().await;
        let foreign = other.csrf().await;
        let mut foreign_fields = vec![("csrf_token", foreign.as_str())];
        foreign_fields.extend_from_slice(&fields);
        assert_eq!(admin.post_raw("/admin/users", &foreign_fields).await.0, Status::Forbidden);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit_before);
        // with the right token the same form works
        assert_eq!(admin.post_form("/admin/users", &fields).await.0, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before + 1);
    }

    async fn login_without_csrf_token_is_403(app) {
        app.user("koordynator@test.pl", Role::Coordinator).await;
        let browser = app.browser().await;
        let (status, _, _) = browser.post_raw("/login", &[("email", "koordynator@test.pl"), ("password", PASSWORD)]).await;
        assert_eq!(status, Status::Forbidden);
        assert_eq!(browser.get_location("/").await.1.as_deref(), Some("/login"));
    }

    async fn first_visit_to_an_empty_installation_offers_only_the_first_admin(app) {
        let browser = app.browser().await;
        for path in ["/", "/admin/users", "/gminy", "/account"] {
            let (status, location) = browser.get_location(path).await;
            assert_eq!(status, Status::SeeOther, "{path}");
            assert!(location.unwrap_or_default().starts_with("/login"), "{path}");
        }
        assert_eq!(browser.get_location("/login").await, (Status::SeeOther, Some("/setup".to_owned())));
        let (status, page) = browser.get("/setup").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Pierwsze uruchomienie"));
        // a login attempt goes to setup too
        let (status, location, _) = browser.post_form("/login", &[("email", "a@b.pl"), ("password", "whatever-123")]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/setup")));

        let (status, _, page) = browser.post_form("/setup", &[
            ("name", "Anna Nowak"), ("email", "anna@test.pl"), ("password", "krótkie"), ("password_confirm", "krótkie"),
        ]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Hasło musi mieć co najmniej 10 znaków."));
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

        let (status, location, _) = browser.post_form("/setup", &[
            ("name", "Anna Nowak"), ("email", "anna@test.pl"), ("password", "Bezpieczne-haslo-1"), ("password_confirm", "Bezpieczne-haslo-1"),
        ]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/")));
        let (status, page) = browser.get("/admin/users").await;
        assert_eq!(status, Status::Ok, "the new admin is signed in");
        assert!(page.contains("anna@test.pl"));
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'").await, 1);

        // setup is closed now, for everyone
        let stranger = app.browser().await;
        assert_eq!(stranger.get_location("/setup").await, (Status::SeeOther, Some("/login".to_owned())));
        let (status, location, _) = stranger.post_form("/setup", &[
            ("name", "Intruz"), ("email", "intruz@test.pl"), ("password", "Bezpieczne-haslo-2"), ("password_confirm", "Bezpieczne-haslo-2"),
        ]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/login")));
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }

    async fn logout_ends_the_session(app) {
        let (_, browser, _) = app.signed_in("koordynator@test.pl", Role::Coordinator).await;
        assert_eq!(browser.get("/").await.0, Status::Ok);
        let (status, location, _) = browser.post_form("/logout", &[]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/login")));
        assert_eq!(browser.get_location("/").await.1.as_deref(), Some("/login"));
    }

    async fn deactivating_a_user_ends_their_session_and_login(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (trainer, trainer_browser, _) = app.signed_in("trener@test.pl", Role::Trainer).await;
        assert_eq!(trainer_browser.get("/").await.0, Status::Ok);
        let (status, _, _) = admin.post_form(&format!("/admin/users/{}/active", trainer.id), &[("active", "false")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(trainer_browser.get_location("/").await.1.as_deref(), Some("/login"));
        assert_eq!(trainer_browser.login("trener@test.pl", PASSWORD).await, Status::Unauthorized);
    }

    async fn a_tampered_or_plain_session_cookie_is_ignored(app) {
        let user = app.user("koordynator@test.pl", Role::Coordinator).await;
        let browser = app.browser().await;
        let expires = chrono::Utc::now().timestamp() + 3600;
        let res = browser.client.get("/")
            .cookie(Cookie::new("akademia_session", format!("{}:{expires}", user.id)))
            .dispatch().await;
        assert_eq!(res.status(), Status::SeeOther);
        assert_eq!(res.headers().get_one("Location"), Some("/login"));
    }

    async fn next_returns_to_the_page_asked_for_but_never_off_site(app) {
        app.user("admin@test.pl", Role::Admin).await;
        let browser = app.browser().await;
        let (_, location) = browser.get_location("/admin/users").await;
        assert_eq!(location.as_deref(), Some("/login?next=%2Fadmin%2Fusers"));
        let (status, location, _) = browser.post_form("/login", &[("email", "admin@test.pl"), ("password", PASSWORD), ("next", "/admin/users")]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/admin/users")));
        let other = app.browser().await;
        let (_, location, _) = other.post_form("/login", &[("email", "admin@test.pl"), ("password", PASSWORD), ("next", "//evil.example/x")]).await;
        assert_eq!(location.as_deref(), Some("/"));
    }
}
