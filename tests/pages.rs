//! Layout and language: every page in Polish and English, one h1, labelled fields, translated
//! error pages without internals, security headers, and every translation key defined.
mod common;

use akademia::domain::Role;
use common::Browse;
use rocket::http::Status;

/// The GET pages an admin can open (with real values for the ids; the demo academy loaded).
fn pages(
    user_id: &str,
    enrolment_id: &str,
    activity_id: &str,
    certificate_id: &str,
    task_id: &str,
) -> Vec<String> {
    [
        "/",
        "/account",
        "/gminy",
        "/gminy?q=srem",
        "/gminy?q=nic-takiego",
        "/reference",
        "/admin/users",
        "/admin/users/new",
        "/admin/audit",
        "/admin/audit?action=user.",
        "/admin/gminy",
        "/programmes",
        "/programmes/new",
        "/programmes/warnik",
        "/programmes/warnik/edit",
        "/programmes/warnik/cohorts/new",
        "/cohorts/warnik-2021",
        "/cohorts/warnik-2021/edit",
        "/cohorts/warnik-2021/gminas",
        "/cohorts/warnik-2021/gminas?q=leszno",
        "/cohorts/warnik-2021/enrol?gmina=3063011&group=ngo",
        "/cohorts/warnik-2021/import",
        "/cohorts/warnik-2021/schedule",
        "/cohorts/warnik-2021/schedule?view=month&month=2022-01",
        "/cohorts/warnik-2021/schedule?kind=coaching&team=3063011",
        "/cohorts/warnik-2021/activities/new?kind=coaching&day=2022-06-01&team=3063011",
        "/cohorts/warnik-2021/attendance",
        "/cohorts/warnik-2021/attendance?group=ngo&team=3063011",
        "/cohorts/warnik-2021/certificates",
        "/cohorts/warnik-2021/tasks",
        "/cohorts/warnik-2021/tasks/new",
        "/programmes/warnik/indicators",
        "/cohorts/warnik-2021/survey",
        "/organisations",
        "/organisations/new",
    ]
    .iter()
    .map(|p| p.to_string())
    .chain([
        format!("/admin/users/{user_id}"),
        format!("/enrolments/{enrolment_id}"),
        format!("/activities/{activity_id}"),
        format!("/activities/{activity_id}/edit"),
        format!("/activities/{activity_id}/attendance"),
        format!("/activities/{activity_id}/attendance?preset=present"),
        format!("/certificates/{certificate_id}"),
        format!("/tasks/{task_id}/edit"),
    ])
    .collect()
}

/// Problems a page has: missing lang, not exactly one h1, unlabelled inputs, untranslated keys.
fn page_problems(html: &str, lang: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !html.contains(&format!("<html lang=\"{lang}\">")) {
        problems.push(format!("no lang=\"{lang}\""));
    }
    let h1 = html.matches("<h1").count();
    if h1 != 1 {
        problems.push(format!("{h1} h1 elements"));
    }
    if html.contains("&amp;amp;") {
        problems.push("text escaped twice (&amp;amp;)".to_owned());
    }
    if html.contains('⟦') {
        problems.push("an untranslated key".to_owned());
    }
    if !html.contains("href=\"#main\"") || !html.contains("id=\"main\"") {
        problems.push("no skip link to main".to_owned());
    }
    for input in html
        .split("<input")
        .skip(1)
        .chain(html.split("<select").skip(1))
    {
        let tag = &input[..input.find('>').unwrap_or(input.len())];
        if tag.contains("type=\"hidden\"") {
            continue;
        }
        let id = tag.split("id=\"").nth(1).and_then(|s| s.split('"').next());
        match id {
            Some(id) if html.contains(&format!("<label for=\"{id}\"")) => {}
            _ => problems.push(format!("field without a label: <input{tag}>")),
        }
    }
    problems
}

both_backends! {
    async fn every_page_works_in_polish_and_in_english(app) {
        let (admin, browser, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        akademia::demo::load(&app.db).await.expect("demo academy");
        let enrolment = app.count_text("SELECT CAST(id AS TEXT) FROM enrolments ORDER BY id LIMIT 1").await;
        let activity = app.count_text("SELECT CAST(id AS TEXT) FROM activities WHERE kind = 'study_visit' ORDER BY id LIMIT 1").await;
        let certificate = app.count_text("SELECT CAST(id AS TEXT) FROM certificates ORDER BY number LIMIT 1").await;
        let code = app.count_text("SELECT code FROM certificates ORDER BY number LIMIT 1").await;
        let task = app.count_text("SELECT CAST(id AS TEXT) FROM commissioned_tasks ORDER BY title LIMIT 1").await;
        let mut problems = Vec::new();
        for lang in ["pl", "en"] {
            for page in pages(&admin.id.to_string(), &enrolment, &activity, &certificate, &task) {
                let sep = if page.contains('?') { '&' } else { '?' };
                let (status, html) = browser.get(&format!("{page}{sep}lang={lang}")).await;
                if status != Status::Ok {
                    problems.push(format!("{page} ({lang}): {status}"));
                }
                for p in page_problems(&html, lang) {
                    problems.push(format!("{page} ({lang}): {p}"));
                }
            }
        }
        let trainer = app.browser().await;
        let (status, _, _) = trainer.post_form("/login", &[("email", akademia::demo::TRAINER), ("password", akademia::demo::PASSWORD)]).await;
        assert_eq!(status, Status::SeeOther);
        for page in ["/my/activities".to_owned(), format!("/activities/{activity}"), format!("/activities/{activity}/attendance")] {
            let (status, html) = trainer.get(&page).await;
            if status != Status::Ok {
                problems.push(format!("{page} (trainer): {status}"));
            }
            problems.extend(page_problems(&html, "pl").into_iter().map(|p| format!("{page} (trainer): {p}")));
        }
        let anonymous = app.browser().await;
        let (_, html) = anonymous.get("/login").await;
        problems.extend(page_problems(&html, "pl").into_iter().map(|p| format!("/login: {p}")));
        for lang in ["pl", "en"] {
            for page in ["/verify".to_owned(), format!("/verify/{code}")] {
                let (status, html) = anonymous.get(&format!("{page}?lang={lang}")).await;
                if status != Status::Ok {
                    problems.push(format!("{page} ({lang}, anonymous): {status}"));
                }
                problems.extend(page_problems(&html, lang).into_iter().map(|p| format!("{page} ({lang}, anonymous): {p}")));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    async fn the_chosen_language_is_remembered(app) {
        app.user("koordynator@test.pl", Role::Coordinator).await;
        let browser = app.browser().await;
        let (_, html) = browser.get("/login").await;
        assert!(html.contains("<html lang=\"pl\">") && html.contains("Zaloguj się"));
        assert!(html.contains("href=\"&#x2f;login?lang=en\""), "language switch link");
        let (_, html) = browser.get("/login?lang=en").await;
        assert!(html.contains("<html lang=\"en\">") && html.contains("Sign in"));
        let (_, html) = browser.get("/login").await;
        assert!(html.contains("<html lang=\"en\">"), "remembered in a cookie");
        let (_, html) = browser.get("/login?lang=pl").await;
        assert!(html.contains("<html lang=\"pl\">"));
    }

    async fn error_pages_are_translated_and_show_no_internals(app) {
        let browser = app.browser().await;
        let (status, html) = browser.get("/no/such/page").await;
        assert_eq!(status, Status::NotFound);
        assert!(html.contains("<html lang=\"pl\">") && html.contains("Nie znaleziono takiej strony"));
        let (_, html) = browser.get("/no/such/page?lang=en").await;
        assert!(html.contains("<html lang=\"en\">") && html.contains("This page or resource does not exist."));

        let (_, trainer, _) = app.signed_in("trener@test.pl", Role::Trainer).await;
        let (status, html) = trainer.get("/admin/users").await;
        assert_eq!(status, Status::Forbidden);
        assert!(html.contains("Nie masz uprawnień"));

        // a database failure: a plain 500 page, nothing about the cause
        app.db.close().await;
        let (status, html) = trainer.get("/gminy?q=srem").await;
        assert_eq!(status, Status::InternalServerError);
        assert!(html.contains("Coś poszło nie tak po naszej stronie"));
        for internal in ["sqlx", "pool", "PoolClosed", "database", "panicked", "src/"] {
            assert!(!html.contains(internal), "500 page shows {internal:?}");
        }
        let (status, body) = app.api_get("/health", None).await;
        assert_eq!(status, Status::ServiceUnavailable);
        assert_eq!(body["status"], "error");
    }

    async fn responses_carry_security_headers(app) {
        let res = app.client.get("/login").dispatch().await;
        let csp = res.headers().get_one("Content-Security-Policy").unwrap_or_default().to_owned();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(res.headers().get_one("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"));
        let css = app.client.get("/assets/css/app.css").dispatch().await;
        assert_eq!(css.status(), Status::Ok);
        assert!(css.headers().get_one("Cache-Control").unwrap_or_default().starts_with("public"));
    }

    async fn health_reports_the_backend(app) {
        let (status, body) = app.api_get("/health", None).await;
        assert_eq!(status, Status::Ok);
        let backend = if app.url.starts_with("postgres") { "postgres" } else { "sqlite" };
        assert_eq!(body, serde_json::json!({ "status": "ok", "database": backend }));
    }
}

#[test]
fn every_translation_key_in_the_templates_is_defined() {
    let mut missing = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("templates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["t(\"", "tn(\"", "t('"] {
                let pieces: Vec<&str> = text.split(call).collect();
                for (before, part) in pieces.iter().zip(pieces.iter().skip(1)) {
                    // a call, not the end of another name such as default("…")
                    if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                        continue;
                    }
                    let end = part.find(['"', '\'']).unwrap();
                    let key = &part[..end];
                    // "role." ~ value builds the key at run time: check the prefix has entries
                    if part[end + 1..].trim_start().starts_with('~') {
                        if !akademia::i18n::keys().iter().any(|k| k.starts_with(key)) {
                            missing.push(format!("{}: {key}…", path.display()));
                        }
                        continue;
                    }
                    if !akademia::i18n::exists(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "undefined translation keys:\n{}",
        missing.join("\n")
    );
}
