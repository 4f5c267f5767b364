//! User administration: create, change role, rename, deactivate, reset password — each audited.
mod common;

use akademia::domain::Role;
use common::{Browse, PASSWORD};
use rocket::http::Status;

both_backends! {
    async fn admin_creates_a_user_who_can_then_sign_in_and_the_change_is_audited(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, location, _) = admin.post_form("/admin/users", &[
            ("name", "Małgorzata Żółkiewska-Łęcka"), ("email", "Gosia@Gmina-Srem.PL"), ("role", "coordinator"),
            ("password", "Tymczasowe-haslo-1"), ("password_confirm", "Tymczasowe-haslo-1"),
        ]).await;
        assert_eq!(status, Status::SeeOther);
        let id = app.user_id("gosia@gmina-srem.pl").await;
        assert_eq!(location, Some(format!("/admin/users/{id}")));
        let (_, page) = admin.get("/admin/users").await;
        assert!(page.contains("Małgorzata Żółkiewska-Łęcka"));
        assert!(page.contains("2 użytkowników") || page.contains("2 użytkownicy"), "{page}");

        let stored: String = akademia::on_pool!(&app.db, |pool| sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
            .bind("gosia@gmina-srem.pl").fetch_one(pool).await.unwrap());
        assert!(stored.starts_with("$argon2id$"), "argon2id hash, got {stored}");

        let after: Option<sqlx::types::Json<serde_json::Value>> = akademia::on_pool!(&app.db, |pool| sqlx::query_scalar(
            "SELECT after FROM audit_log WHERE action = 'user.create' AND actor_label = 'admin@test.pl'"
        ).fetch_one(pool).await.unwrap());
        let after = after.expect("after state recorded").0;
        assert_eq!(after["email"], "gosia@gmina-srem.pl");
        assert_eq!(after["role"], "coordinator");
        assert!(after.get("password_hash").is_none());

        let browser = app.browser().await;
        assert_eq!(browser.login("gosia@gmina-srem.pl", "Tymczasowe-haslo-1").await, Status::SeeOther);
    }

    async fn bad_input_names_every_field_and_creates_nothing(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, _, page) = admin.post_form("/admin/users", &[
            ("name", "  "), ("email", "to-nie-adres"), ("role", "boss"),
            ("password", "Dlugie-haslo-1"), ("password_confirm", "Inne-haslo-12"),
        ]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        for message in ["To pole jest wymagane.", "To nie jest poprawny adres e-mail.", "Wybierz rolę", "Hasła nie są takie same."] {
            assert!(page.contains(message), "missing {message:?}");
        }
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(page.contains("value=\"to-nie-adres\""), "typed values are kept");
        assert!(!page.contains("Dlugie-haslo-1"), "passwords are never echoed");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }

    async fn an_email_can_be_used_once_in_any_letter_case(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        app.user("trener@test.pl", Role::Trainer).await;
        let (status, _, page) = admin.post_form("/admin/users", &[
            ("name", "Drugi Trener"), ("email", "TRENER@test.pl"), ("role", "trainer"),
            ("password", "Tymczasowe-haslo-1"), ("password_confirm", "Tymczasowe-haslo-1"),
        ]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Konto z tym adresem e-mail już istnieje."));
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
    }

    async fn admin_changes_role_and_name_and_the_audit_keeps_before_and_after(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (trainer, trainer_browser, _) = app.signed_in("trener@test.pl", Role::Trainer).await;
        assert_eq!(trainer_browser.get("/admin/users").await.0, Status::Forbidden);
        let (status, _, _) = admin.post_form(&format!("/admin/users/{}", trainer.id), &[("name", "Jan Trener"), ("role", "admin")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(trainer_browser.get("/admin/users").await.0, Status::Ok, "the new role applies at once");
        let (before, after): (sqlx::types::Json<serde_json::Value>, sqlx::types::Json<serde_json::Value>) =
            akademia::on_pool!(&app.db, |pool| sqlx::query_as("SELECT before, after FROM audit_log WHERE action = 'user.role'")
                .fetch_one(pool).await.unwrap());
        assert_eq!((before.0["role"].as_str(), after.0["role"].as_str()), (Some("trainer"), Some("admin")));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.rename'").await, 1);
    }

    async fn the_last_active_admin_cannot_be_demoted_or_deactivated(app) {
        let (admin, browser, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, _, page) = browser.post_form(&format!("/admin/users/{}", admin.id), &[("name", "Admin"), ("role", "coordinator")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("To ostatni aktywny administrator"));
        let (status, _, page) = browser.post_form(&format!("/admin/users/{}/active", admin.id), &[("active", "false")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Nie możesz wyłączyć własnego konta."));
        let (second, _, _) = app.signed_in("admin2@test.pl", Role::Admin).await;
        // with a second admin the first may step down
        let (status, _, _) = browser.post_form(&format!("/admin/users/{}", second.id), &[("name", "Drugi"), ("role", "admin")]).await;
        assert_eq!(status, Status::SeeOther);
        let (status, _, _) = browser.post_form(&format!("/admin/users/{}", admin.id), &[("name", "Admin"), ("role", "coordinator")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'").await, 1);
    }

    async fn deactivated_users_can_be_reactivated(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let funder = app.user("fundator@test.pl", Role::Funder).await;
        let path = format!("/admin/users/{}/active", funder.id);
        assert_eq!(admin.post_form(&path, &[("active", "false")]).await.0, Status::SeeOther);
        let (_, page) = admin.get("/admin/users").await;
        assert!(page.contains("wyłączone"));
        let browser = app.browser().await;
        assert_eq!(browser.login("fundator@test.pl", PASSWORD).await, Status::Unauthorized);
        assert_eq!(admin.post_form(&path, &[("active", "true")]).await.0, Status::SeeOther);
        assert_eq!(browser.login("fundator@test.pl", PASSWORD).await, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('user.deactivate', 'user.reactivate')").await, 2);
    }

    async fn admin_resets_a_password_and_a_user_changes_their_own(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (trainer, trainer_browser, _) = app.signed_in("trener@test.pl", Role::Trainer).await;
        let path = format!("/admin/users/{}/password", trainer.id);
        assert_eq!(admin.post_form(&path, &[("password", "Nowe-haslo-trenera"), ("password_confirm", "Nowe-haslo-trenera")]).await.0, Status::SeeOther);
        assert_eq!(app.browser().await.login("trener@test.pl", PASSWORD).await, Status::Unauthorized);
        assert_eq!(app.browser().await.login("trener@test.pl", "Nowe-haslo-trenera").await, Status::SeeOther);

        let (status, _, page) = trainer_browser.post_form("/account/password", &[
            ("current_password", "zle-obecne-haslo"), ("password", "Moje-wlasne-haslo"), ("password_confirm", "Moje-wlasne-haslo"),
        ]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Obecne hasło jest nieprawidłowe."));
        let (status, _, _) = trainer_browser.post_form("/account/password", &[
            ("current_password", "Nowe-haslo-trenera"), ("password", "Moje-wlasne-haslo"), ("password_confirm", "Moje-wlasne-haslo"),
        ]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.browser().await.login("trener@test.pl", "Moje-wlasne-haslo").await, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('user.password_reset', 'user.password_change')").await, 2);
    }

    async fn names_are_escaped_in_pages(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        admin.post_form("/admin/users", &[
            ("name", "<script>alert(1)</script>"), ("email", "xss@test.pl"), ("role", "trainer"),
            ("password", "Tymczasowe-haslo-1"), ("password_confirm", "Tymczasowe-haslo-1"),
        ]).await;
        let (_, page) = admin.get("/admin/users").await;
        assert!(!page.contains("<script>alert(1)</script>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"), "{page}");
    }

    async fn unknown_user_ids_are_404(app) {
        let (_, admin, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        assert_eq!(admin.get("/admin/users/01936b4c-0000-7000-8000-000000000000").await.0, Status::NotFound);
        assert_eq!(admin.get("/admin/users/not-a-uuid").await.0, Status::NotFound);
    }
}
