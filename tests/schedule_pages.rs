//! Scheduling through the HTML pages: the form with conflict confirmation, cancelling, roster
//! exceptions, filters, the trainer's page, subscription URLs, on both backends.
mod common;

use akademia::domain::Role;
use common::{Browse, TestApp};
use rocket::http::{Method, Status};
use serde_json::json;

/// Programme and cohort `c1` with the six people of participants_ok.csv, made by `coord@test.pl`
/// through the API; the trainer `trener@test.pl` exists.
async fn setup(app: &TestApp, token: &str) {
    app.user("trener@test.pl", Role::Trainer).await;
    let (status, programme) = app
        .api_json(Method::Post, "/api/v1/programmes", Some(token), &json!({
            "name": "Akademia", "slug": "prog", "funder": "Fundusz", "starts_on": "2027-01-01", "ends_on": "2027-12-31"
        }))
        .await;
    assert_eq!(status, Status::Created);
    let (status, _) = app
        .api_json(Method::Post, "/api/v1/cohorts", Some(token), &json!({
            "programme": programme["id"], "name": "Edycja wiosenna", "slug": "c1", "starts_on": "2027-01-01", "ends_on": "2027-12-31"
        }))
        .await;
    assert_eq!(status, Status::Created);
    app.import_sample(token, "c1").await;
}

fn activity_id(location: &Option<String>) -> String {
    let location = location.as_deref().expect("a redirect");
    location
        .strip_prefix("/activities/")
        .unwrap_or_else(|| panic!("redirected to {location}"))
        .split(['#', '?'])
        .next()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn coordinators_plan_confirm_conflicts_cancel_and_change_rosters_in_the_browser(app) {
        let (_, browser, token) = app.signed_in("coord@test.pl", Role::Coordinator).await;
        setup(&app, &token).await;
        let trainer_id = app.user_id("trener@test.pl").await.to_string();
        let form = |title: &'static str, starts: &'static str, ends: &'static str, trainer: String| {
            vec![
                ("kind", "training".to_owned()), ("title", title.to_owned()), ("module", "Partycypacja".to_owned()),
                ("starts_at", starts.to_owned()), ("ends_at", ends.to_owned()), ("location", "Leszno".to_owned()),
                ("trainers", trainer), ("groups", "official".to_owned()), ("groups", "ngo".to_owned()),
            ]
        };
        let fields = form("Partycypacja społeczna", "2027-03-10T09:00", "2027-03-10T12:00", trainer_id.clone());
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, location, _) = browser.post_form("/cohorts/c1/activities", &pairs).await;
        assert_eq!(status, Status::SeeOther);
        let first = activity_id(&location);
        let (status, page) = browser.get(&format!("/activities/{first}")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Partycypacja społeczna"));
        assert!(page.contains("środa, 10 marca 2027, 09:00–12:00"), "shown in Warsaw time");
        assert!(page.contains("4 osoby"), "officials and NGO people of two teams: {page}");

        // The same trainer an hour later: the form comes back with the clash and a confirmation box.
        let fields = form("Negocjacje", "2027-03-10T11:00", "2027-03-10T13:00", trainer_id.clone());
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, page) = browser.post_form("/cohorts/c1/activities", &pairs).await;
        assert_eq!(status, Status::Conflict);
        assert!(page.contains("Termin koliduje z innymi zajęciami"));
        assert!(page.contains("Partycypacja społeczna"));
        assert!(page.contains("name=\"allow_conflicts\""));
        assert!(page.contains("value=\"Negocjacje\""), "what was typed is kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM activities").await, 1);
        let mut confirmed = pairs.clone();
        confirmed.push(("allow_conflicts", "true"));
        let (status, location, _) = browser.post_form("/cohorts/c1/activities", &confirmed).await;
        assert_eq!(status, Status::SeeOther);
        let second = activity_id(&location);

        // Errors come back beside the fields.
        let (status, _, page) = browser.post_form("/cohorts/c1/activities", &[("kind", "webinar"), ("title", ""), ("starts_at", "2027-03-28T02:30"), ("ends_at", "2027-03-28T04:00")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Ta godzina nie istnieje w Polsce"), "{page}");
        assert!(page.contains("Webinar wymaga linku"));

        // Cancel needs a reason; then the activity stays, marked cancelled.
        let (status, location, _) = browser.post_form(&format!("/activities/{second}/cancel"), &[("reason", "")]).await;
        assert_eq!(status, Status::SeeOther);
        assert!(location.unwrap().ends_with("#cancel"));
        assert_eq!(app.count("SELECT COUNT(*) FROM activities WHERE cancelled_at IS NOT NULL").await, 0);
        browser.post_form(&format!("/activities/{second}/cancel"), &[("reason", "Sala zajęta")]).await;
        let (_, page) = browser.get(&format!("/activities/{second}")).await;
        assert!(page.contains("Sala zajęta"));
        let (_, schedule) = browser.get("/cohorts/c1/schedule").await;
        assert!(schedule.contains("Negocjacje") && schedule.contains("Odwołane"));
        assert!(schedule.contains("2 zajęcia"), "{schedule}");
        // Godziny dydaktyczne (bez odwołanych): 4 of the remaining training only.
        assert!(schedule.contains("<strong>4</strong>"), "{schedule}");

        // Roster: take a person off, put them back.
        let enrolment = app.count_text("SELECT CAST(e.id AS TEXT) FROM enrolments e JOIN participants p ON p.id = e.participant_id WHERE e.grp = 'official' ORDER BY p.last_name LIMIT 1").await;
        browser.post_form(&format!("/activities/{first}/roster"), &[("enrolment", &enrolment), ("action", "remove")]).await;
        let (_, page) = browser.get(&format!("/activities/{first}")).await;
        assert!(page.contains("3 osoby") && page.contains("Usunięci z listy"), "{page}");
        browser.post_form(&format!("/activities/{first}/roster"), &[("enrolment", &enrolment), ("action", "reset")]).await;
        let (_, page) = browser.get(&format!("/activities/{first}")).await;
        assert!(page.contains("4 osoby"));

        // Moving it through the edit form keeps it one activity and bumps its sequence.
        let fields = form("Partycypacja społeczna", "2027-03-17T09:00", "2027-03-17T12:00", trainer_id.clone());
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, _) = browser.post_form(&format!("/activities/{first}/edit"), &pairs).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count_text("SELECT CAST(sequence AS TEXT) FROM activities WHERE title = 'Partycypacja społeczna'").await, "1");

        // Filters and the month view.
        let (_, filtered) = browser.get("/cohorts/c1/schedule?kind=coaching").await;
        assert!(filtered.contains("Żadne zajęcia nie pasują do filtrów"));
        let (status, month) = browser.get("/cohorts/c1/schedule?view=month&month=2027-03").await;
        assert_eq!(status, Status::Ok);
        assert!(month.contains("marzec 2027") && month.contains("Partycypacja społeczna"));
    }

    async fn trainers_see_their_day_and_roster_and_subscribe(app) {
        let (_, coord, token) = app.signed_in("coord@test.pl", Role::Coordinator).await;
        setup(&app, &token).await;
        let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Warsaw);
        let today = now.date_naive();
        let body = json!({
            "kind": "coaching", "title": "Coaching zespołu Śrem", "starts_at": format!("{today}T00:05"),
            "ends_at": format!("{today}T23:55"), "location": "Śrem", "trainers": ["trener@test.pl"],
            "audience": {"teams": ["3026043"]}
        });
        let (status, created) = app.api_json(Method::Post, "/api/v1/cohorts/c1/activities", Some(&token), &body).await;
        assert_eq!(status, Status::Created, "{created}");
        let id = created["id"].as_str().unwrap();

        let trainer = app.browser().await;
        assert_eq!(trainer.login("trener@test.pl", common::PASSWORD).await, Status::SeeOther);
        let (status, page) = trainer.get("/my/activities").await;
        assert_eq!(status, Status::Ok);
        let today_section = page.split("id=\"upcoming-h\"").next().unwrap();
        assert!(today_section.contains("Coaching zespołu Śrem"), "today's activity comes first: {page}");
        let (status, page) = trainer.get(&format!("/activities/{id}")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Ślęzak") || page.contains("Pająk") || page.contains("Ćwiek"), "the roster's names");
        assert!(!page.contains("/edit") && !page.contains("/enrolments/"), "no coordinator's links");
        assert!(!page.contains("@"), "no emails for trainers");
        assert_eq!(trainer.get_location(&format!("/activities/{id}/edit")).await.0, Status::Forbidden);

        // A private subscription URL for the trainer: shown once, works without login, revocable.
        let (status, _, page) = trainer.post_form("/my/feeds", &[]).await;
        assert_eq!(status, Status::Ok);
        let page = page.replace("&#x2f;", "/");
        let url = page.split("value=\"").find(|s| s.starts_with("http")).and_then(|s| s.split('"').next()).expect("the URL").to_owned();
        let path = url.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned())).unwrap();
        let anonymous = app.browser().await;
        let (status, ics) = anonymous.get(&path).await;
        assert_eq!(status, Status::Ok);
        assert!(ics.contains("Coaching zespołu Śrem"));
        let feed = app.count_text("SELECT CAST(id AS TEXT) FROM calendar_feeds").await;
        // The coordinator cannot revoke the trainer's own feed; the trainer can.
        let (status, _, _) = coord.post_form(&format!("/feeds/{feed}/revoke"), &[]).await;
        assert_eq!(status, Status::NotFound);
        let (status, _, _) = trainer.post_form(&format!("/feeds/{feed}/revoke"), &[]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(anonymous.get(&path).await.0, Status::NotFound);

        // The coordinator's cohort feed from the schedule page.
        let (status, _, page) = coord.post_form("/cohorts/c1/feeds", &[]).await;
        assert_eq!(status, Status::Ok);
        assert!(page.replace("&#x2f;", "/").contains("/calendar/cal_"));
    }
}
