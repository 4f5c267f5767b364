//! The organisation pages and the participant record page: editing a person, changing the status,
//! possible duplicates, and personal data rights (art. 15 export, art. 17 erasure) in the browser.
mod common;

use akademia::db::enrolments::{self as enrolment_db, EnrolmentRow};
use akademia::db::users::User;
use akademia::db::{Db, Id};
use akademia::domain::Role;
use akademia::domain::participant::EnrolmentStatus;
use akademia::service::enrolments::{self as enrolment_service, PersonInput};
use akademia::service::programmes::{self, CohortInput, ProgrammeInput};
use common::{Browse, Browser, TestApp};
use rocket::http::Status;

/// Śrem, in the reference gmina list.
const SREM: &str = "3026043";

/// A programme and cohort `sremska` made by `coordinator`.
async fn cohort(db: &Db, coordinator: &User) {
    let programme = ProgrammeInput {
        name: "Akademia Rzecznictwa".into(),
        slug: "akademia".into(),
        funder: "Fundusz Regionalny".into(),
        starts_on: "2027-01-01".into(),
        ends_on: "2027-12-31".into(),
        ..Default::default()
    };
    let programme = programmes::create(db, coordinator, &programme)
        .await
        .expect("programme");
    let cohort = CohortInput {
        programme: programme.slug.clone(),
        name: "Edycja Śremska".into(),
        slug: "sremska".into(),
        starts_on: "2027-02-01".into(),
        ends_on: "2027-11-30".into(),
        ..Default::default()
    };
    programmes::create_cohort(db, coordinator, &cohort)
        .await
        .expect("cohort");
}

fn person(first: &str, last: &str, email: &str, group: &str) -> PersonInput {
    PersonInput {
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        gmina: SREM.into(),
        group: group.into(),
        ..Default::default()
    }
}

async fn enrol(db: &Db, coordinator: &User, input: &PersonInput) -> EnrolmentRow {
    enrolment_service::enrol(db, coordinator, "sremska", input)
        .await
        .expect("enrolled")
}

/// A signed-in coordinator with a cohort and Łucja Żółkiewska (at risk) enrolled in it.
async fn arrange(app: &TestApp) -> (User, Browser, EnrolmentRow) {
    let (coordinator, browser, _) = app
        .signed_in("koordynator@test.pl", Role::Coordinator)
        .await;
    cohort(&app.db, &coordinator).await;
    let row = enrol(
        &app.db,
        &coordinator,
        &person("Łucja", "Żółkiewska", "lucja@example.pl", "at_risk"),
    )
    .await;
    (coordinator, browser, row)
}

async fn reload(app: &TestApp, id: Id) -> EnrolmentRow {
    enrolment_db::find(&app.db, id)
        .await
        .expect("query")
        .expect("enrolment exists")
}

/// The full form of the person, as the record page sends it.
fn person_fields<'a>(first: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", first),
        ("last_name", "Żółkiewska"),
        ("email", email),
        ("phone", "+48 600 100 200"),
        ("gmina", SREM),
        ("group", "at_risk"),
        ("organisation", "Stowarzyszenie Śremskie"),
        ("sex", "F"),
        ("birth_year", "1984"),
        ("vulnerability", "niepełnosprawność"),
        ("consent_data_on", "2027-01-15"),
        ("consent_image_on", ""),
    ]
}

/// Problems of a page in `lang`: not exactly one h1, an untranslated key, the wrong language.
fn page_problems(html: &str, lang: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !html.contains(&format!("<html lang=\"{lang}\">")) {
        problems.push(format!("not in {lang}"));
    }
    let h1 = html.matches("<h1").count();
    if h1 != 1 {
        problems.push(format!("{h1} h1 elements"));
    }
    if html.contains('⟦') {
        problems.push("an untranslated key".to_owned());
    }
    problems
}

both_backends! {
    async fn the_pages_work_in_polish_and_in_english(app) {
        let (coordinator, browser, row) = arrange(&app).await;
        enrol(&app.db, &coordinator, &person("Łucja", "Żółkiewska", "", "ngo")).await;
        let (status, _, _) = browser
            .post_form("/organisations", &[("name", "Fundacja Razem"), ("kind", "ngo"), ("krs", ""), ("gmina", "")])
            .await;
        assert_eq!(status, Status::SeeOther);
        let org = akademia::db::organisations::list(&app.db).await.unwrap()[0].id;
        let other = enrol(&app.db, &coordinator, &person("Jan", "Kowalski", "", "official")).await;
        enrolment_service::set_status(&app.db, &coordinator, other.id, &enrolment_service::StatusInput {
            status: "withdrawn".into(),
            withdrawn_on: "2027-03-01".into(),
            withdrawal_reason: "choroba".into(),
        })
        .await
        .expect("withdrawn");
        let erased = enrol(&app.db, &coordinator, &person("Anna", "Nowak", "", "official")).await;
        akademia::service::privacy::erase(&app.db, &coordinator, erased.participant_id)
            .await
            .expect("erased");
        let mut problems = Vec::new();
        for lang in ["pl", "en"] {
            for path in [
                "/organisations".to_owned(),
                "/organisations/new".to_owned(),
                format!("/organisations/{org}"),
                format!("/enrolments/{}", row.id),
                format!("/enrolments/{}", other.id),
                format!("/enrolments/{}", erased.id),
            ] {
                let (status, html) = browser.get(&format!("{path}?lang={lang}")).await;
                if status != Status::Ok {
                    problems.push(format!("{path} ({lang}): {status}"));
                }
                problems.extend(page_problems(&html, lang).into_iter().map(|p| format!("{path} ({lang}): {p}")));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    async fn the_record_page_shows_the_person_and_editing_changes_the_database(app) {
        let (_, browser, row) = arrange(&app).await;
        let page_path = format!("/enrolments/{}", row.id);
        let (status, page) = browser.get(&page_path).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("<h1>Łucja Żółkiewska</h1>"), "{page}");
        assert!(page.contains("href=\"/cohorts/sremska\""), "breadcrumb to the cohort");
        assert!(page.contains("name=\"first_name\""), "the edit form");
        assert!(page.contains(&format!("/participants/{}/export.json", row.participant_id)));

        // an invalid value re-renders the form with the error and the typed values
        let mut bad = person_fields("Łucja Maria", "to-nie-email");
        bad.retain(|(k, _)| *k != "email");
        bad.push(("email", "to-nie-email"));
        let (status, _, body) = browser.post_form(&page_path, &bad).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(body.contains("value=\"Łucja Maria\""), "typed values kept");
        assert_eq!(reload(&app, row.id).await.first_name, "Łucja");

        let (status, location, body) = browser
            .post_form(&page_path, &person_fields("Łucja Maria", "lucja.maria@example.pl"))
            .await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location.as_deref(), Some(page_path.as_str()));
        let saved = reload(&app, row.id).await;
        assert_eq!(saved.first_name, "Łucja Maria");
        assert_eq!(saved.email.as_deref(), Some("lucja.maria@example.pl"));
        assert_eq!(saved.organisation.as_deref(), Some("Stowarzyszenie Śremskie"));
        assert_eq!(saved.birth_year, Some(1984));
        let participant = enrolment_db::find_participant(&app.db, row.participant_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(participant.vulnerability.as_deref(), Some("niepełnosprawność"));
        let (_, page) = browser.get(&page_path).await;
        assert!(page.contains("<h1>Łucja Maria Żółkiewska</h1>"), "{page}");
        assert!(page.contains("Zapisano dane uczestnika."), "flash after saving");
    }

    async fn withdrawing_needs_a_date(app) {
        let (_, browser, row) = arrange(&app).await;
        let path = format!("/enrolments/{}/status", row.id);
        let (status, _, body) = browser
            .post_form(&path, &[("status", "withdrawn"), ("withdrawn_on", ""), ("withdrawal_reason", "")])
            .await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(body.contains("id=\"f-withdrawn_on-error\""), "{body}");
        assert_eq!(reload(&app, row.id).await.status, EnrolmentStatus::Enrolled);

        let (status, location, body) = browser
            .post_form(
                &path,
                &[("status", "withdrawn"), ("withdrawn_on", "2027-03-10"), ("withdrawal_reason", "przeprowadzka")],
            )
            .await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location, Some(format!("/enrolments/{}", row.id)));
        let saved = reload(&app, row.id).await;
        assert_eq!(saved.status, EnrolmentStatus::Withdrawn);
        assert_eq!(saved.withdrawn_on.map(|d| d.to_string()).as_deref(), Some("2027-03-10"));
        let (_, page) = browser.get(&format!("/enrolments/{}", row.id)).await;
        assert!(page.contains("10.03.2027") && page.contains("przeprowadzka"), "{page}");
    }

    async fn erasure_needs_confirmation_and_replaces_the_names(app) {
        let (_, browser, row) = arrange(&app).await;
        let path = format!("/participants/{}/erase", row.participant_id);
        let enrolment = row.id.to_string();
        let (status, _, body) = browser.post_form(&path, &[("enrolment", enrolment.as_str())]).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(body.contains("id=\"f-confirm-error\""), "{body}");
        assert_eq!(reload(&app, row.id).await.first_name, "Łucja");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.erase'").await, 0);

        let (status, location, body) = browser
            .post_form(&path, &[("enrolment", enrolment.as_str()), ("confirm", "true")])
            .await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location.as_deref(), Some("/cohorts/sremska"));
        let erased = reload(&app, row.id).await;
        assert!(erased.erased);
        assert_ne!(erased.first_name, "Łucja");
        assert_ne!(erased.last_name, "Żółkiewska");
        assert_eq!(erased.email, None);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.erase'").await, 1);

        // the page says so, and offers no edit form
        let (status, page) = browser.get(&format!("/enrolments/{}", row.id)).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("dane usunięte"), "{page}");
        assert!(!page.contains("Żółkiewska") && !page.contains("name=\"first_name\""), "{page}");
        // the edit route refuses too
        let (status, _, _) = browser
            .post_form(&format!("/enrolments/{}", row.id), &person_fields("Łucja", ""))
            .await;
        assert_eq!(status, Status::Conflict);
    }

    async fn the_export_holds_the_email_and_is_audited(app) {
        let (_, browser, row) = arrange(&app).await;
        let res = browser
            .client
            .get(format!("/participants/{}/export.json", row.participant_id))
            .dispatch()
            .await;
        assert_eq!(res.status(), Status::Ok);
        let disposition = res.headers().get_one("Content-Disposition").unwrap_or_default().to_owned();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"dane-osobowe-{}.json\"", row.participant_id)
        );
        let body: serde_json::Value = serde_json::from_str(&res.into_string().await.unwrap()).expect("JSON");
        assert_eq!(body["email"], "lucja@example.pl");
        assert_eq!(body["first_name"], "Łucja");
        assert_eq!(body["enrolments"].as_array().map(Vec::len), Some(1));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.export'").await, 1);
    }

    async fn possible_duplicates_can_be_told_apart_or_merged(app) {
        let (coordinator, browser, row) = arrange(&app).await;
        let twin = enrol(&app.db, &coordinator, &PersonInput {
            phone: "600 700 800".into(),
            ..person("Łucja", "Żółkiewska", "", "at_risk")
        })
        .await;
        let path = format!("/enrolments/{}", row.id);
        let (_, page) = browser.get(&path).await;
        assert!(page.contains(&format!("href=\"/enrolments/{}\"", twin.id)), "{page}");
        assert!(page.contains("/not-duplicate") && page.contains("/merge"));

        // merging the twin into this enrolment removes it and keeps its phone
        let other = twin.id.to_string();
        let (status, location, body) = browser
            .post_form(&format!("{path}/merge"), &[("other", other.as_str())])
            .await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location.as_deref(), Some(path.as_str()));
        assert!(enrolment_db::find(&app.db, twin.id).await.unwrap().is_none());
        assert_eq!(reload(&app, row.id).await.phone.as_deref(), Some("600 700 800"));

        // a third one with the same name: the coordinator says they are different people
        let third = enrol(&app.db, &coordinator, &person("Łucja", "Żółkiewska", "inna@example.pl", "ngo")).await;
        let (_, page) = browser.get(&path).await;
        assert!(page.contains(&format!("href=\"/enrolments/{}\"", third.id)));
        let (status, _, body) = browser.post_form(&format!("{path}/not-duplicate"), &[]).await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert!(reload(&app, row.id).await.not_duplicate);
        assert!(reload(&app, third.id).await.not_duplicate);
        let (_, page) = browser.get(&path).await;
        assert!(!page.contains("/not-duplicate"), "no longer flagged");
    }

    async fn trainers_cannot_open_records_or_organisations(app) {
        let (_, _, row) = arrange(&app).await;
        let (_, trainer, _) = app.signed_in("trener@test.pl", Role::Trainer).await;
        for path in [
            format!("/enrolments/{}", row.id),
            format!("/participants/{}/export.json", row.participant_id),
            "/organisations".to_owned(),
            "/organisations/new".to_owned(),
        ] {
            let (status, _) = trainer.get(&path).await;
            assert_eq!(status, Status::Forbidden, "{path}");
        }
        let (status, _, _) = trainer
            .post_form(&format!("/participants/{}/erase", row.participant_id), &[("confirm", "true")])
            .await;
        assert_eq!(status, Status::Forbidden);
        assert!(!reload(&app, row.id).await.erased);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'participant.%'").await, 0);
    }

    async fn organisations_are_added_checked_and_edited(app) {
        let (_, browser, _) = app.signed_in("koordynator@test.pl", Role::Coordinator).await;
        let (status, page) = browser.get("/organisations").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("href=\"/organisations/new\""));

        let fields = |krs: &'static str| {
            vec![("name", "Fundacja Łódzka „Razem”"), ("kind", "ngo"), ("krs", krs), ("gmina", SREM)]
        };
        let (status, _, body) = browser.post_form("/organisations", &fields("12345678901")).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(body.contains("id=\"f-krs-error\""), "{body}");
        assert!(body.contains("value=\"12345678901\""), "typed value kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM organisations").await, 0);

        let (status, location, body) = browser.post_form("/organisations", &fields("123456")).await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location.as_deref(), Some("/organisations"));
        let (_, page) = browser.get("/organisations").await;
        assert!(page.contains("Fundacja Łódzka „Razem”"), "{page}");
        assert!(page.contains("0000123456"), "KRS padded");
        assert!(page.contains("Śrem"), "gmina name");
        assert!(page.contains("organizacja pozarządowa"), "kind label");

        // the same KRS again is refused; editing the organisation saves it
        let (status, _, _) = browser.post_form("/organisations", &fields("0000123456")).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let id = akademia::db::organisations::list(&app.db).await.unwrap()[0].id;
        let path = format!("/organisations/{id}");
        let (status, page) = browser.get(&path).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("value=\"0000123456\""), "{page}");
        let (status, location, body) = browser
            .post_form(&path, &[("name", "Fundacja Razem"), ("kind", "social_enterprise"), ("krs", ""), ("gmina", "")])
            .await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location.as_deref(), Some(path.as_str()));
        let saved = akademia::db::organisations::find(&app.db, id).await.unwrap().unwrap();
        assert_eq!(saved.name, "Fundacja Razem");
        assert_eq!(saved.krs, None);
        assert_eq!(saved.gmina_teryt, None);
    }
}
