//! Scheduling through the JSON API and the calendar feeds, on both backends: Warsaw times across
//! DST, academic hours, conflict rules, audience rosters, cancellation, iCalendar parsed back by a
//! real parser, feed revocation, and who may see and change what.
mod common;

use akademia::domain::Role;
use common::TestApp;
use icalendar::{
    Calendar, CalendarComponent, Component, DatePerhapsTime, Event, EventLike, EventStatus,
};
use rocket::http::{Method, Status};
use serde_json::{Value, json};

const SREM: &str = "3026043";

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (Status, Value) {
    app.api_json(Method::Post, path, Some(token), &body).await
}

/// A coordinator's token, trainers, and cohort `slug` holding the six people of
/// participants_ok.csv (Śrem and Leszno teams, one person of each group in each).
struct World {
    coord: String,
    trainer: String,
    trainer2: String,
}

async fn world(app: &TestApp, slug: &str) -> World {
    let coordinator = app
        .user(&format!("koord-{slug}@test.pl"), Role::Coordinator)
        .await;
    let coord = app.token(&coordinator).await;
    let t1 = app
        .user(&format!("trener-{slug}@test.pl"), Role::Trainer)
        .await;
    let t2 = app
        .user(&format!("trenerka-{slug}@test.pl"), Role::Trainer)
        .await;
    let (status, programme) = post(app, "/api/v1/programmes", &coord, json!({
        "name": "Akademia Rzecznictwa", "slug": format!("{slug}-prog"), "funder": "Fundusze EOG",
        "starts_on": "2026-01-01", "ends_on": "2028-12-31",
        "acknowledgement": "Projekt finansowany ze środków Funduszy EOG."
    })).await;
    assert_eq!(status, Status::Created, "{programme}");
    let (status, cohort) = post(
        app,
        "/api/v1/cohorts",
        &coord,
        json!({
            "programme": programme["id"], "name": "Edycja 1", "slug": slug,
            "starts_on": "2026-01-01", "ends_on": "2028-12-31"
        }),
    )
    .await;
    assert_eq!(status, Status::Created, "{cohort}");
    app.import_sample(&coord, slug).await;
    World {
        coord,
        trainer: t1.email,
        trainer2: t2.email,
    }
}

fn activity(
    kind: &str,
    title: &str,
    starts: &str,
    ends: &str,
    trainers: &[&str],
    audience: Value,
) -> Value {
    json!({
        "kind": kind, "title": title, "starts_at": starts, "ends_at": ends,
        "location": "Leszno, ul. Słowiańska 1", "trainers": trainers, "audience": audience
    })
}

async fn create(app: &TestApp, w: &World, slug: &str, body: Value) -> (Status, Value) {
    post(
        app,
        &format!("/api/v1/cohorts/{slug}/activities"),
        &w.coord,
        body,
    )
    .await
}

async fn enrolment_ids(
    app: &TestApp,
    w: &World,
    slug: &str,
) -> Vec<(String, String, String, String)> {
    let (status, list) = app
        .api_get(
            &format!("/api/v1/cohorts/{slug}/enrolments"),
            Some(&w.coord),
        )
        .await;
    assert_eq!(status, Status::Ok);
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["last_name"].as_str().unwrap().to_owned(),
                e["group"].as_str().unwrap().to_owned(),
                e["gmina"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn roster_len(a: &Value) -> usize {
    a["roster"].as_array().map(Vec::len).unwrap_or(usize::MAX)
}

fn reasons(conflict_body: &Value) -> Vec<String> {
    conflict_body["conflicts"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["reasons"].as_array().cloned().unwrap_or_default())
        .map(|r| r["type"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn events(text: &str) -> Vec<Event> {
    let calendar: Calendar = text.parse().expect("the feed parses as iCalendar");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

both_backends! {
    async fn warsaw_times_keep_their_local_hour_across_dst_and_hours_are_academic(app) {
        let w = world(&app, "dst").await;
        // The last Sunday of October 2027 (the clocks go back that night), given without an offset.
        let (status, visit) = create(&app, &w, "dst", activity("study_visit", "Wizyta studyjna", "2027-10-31T10:00", "2027-10-31T15:00", &[&w.trainer], json!({}))).await;
        assert_eq!(status, Status::Created, "{visit}");
        assert_eq!(visit["starts_at"], "2027-10-31T10:00:00+01:00");
        assert_eq!(visit["ends_at"], "2027-10-31T15:00:00+01:00");
        assert_eq!(visit["hours"], 6.67, "5 clock hours = 6.67 academic hours");
        // The day before is still summer time, and an offset given explicitly is honoured.
        let (status, saturday) = create(&app, &w, "dst", activity("training", "Sobota", "2027-10-30T10:00:00+02:00", "2027-10-30T13:00:00+02:00", &[], json!({}))).await;
        assert_eq!(status, Status::Created, "{saturday}");
        assert_eq!(saturday["starts_at"], "2027-10-30T10:00:00+02:00");
        assert_eq!(saturday["hours"], 4.0);
        // Hours given by hand win over the span.
        let mut body = activity("training", "Ręcznie", "2027-11-02T09:00", "2027-11-02T12:00", &[], json!({}));
        body["hours"] = json!("4,5");
        let (status, manual) = create(&app, &w, "dst", body).await;
        assert_eq!(status, Status::Created, "{manual}");
        assert_eq!(manual["hours"], 4.5);
        // A time that never happens (spring forward) and an end before the start are refused.
        let (status, body) = create(&app, &w, "dst", activity("training", "Luka", "2027-03-28T02:30", "2027-03-28T04:00", &[], json!({}))).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "starts_at", "{body}");
        let (status, body) = create(&app, &w, "dst", activity("training", "Wstecz", "2027-05-01T12:00", "2027-05-01T10:00", &[], json!({}))).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "ends_at");
        // The stored instant is UTC.
        let stored = app.count_text("SELECT CAST(COUNT(*) AS TEXT) FROM activities WHERE title = 'Wizyta studyjna'").await;
        assert_eq!(stored, "1");
        // In the calendar feed the visit starts at 09:00 UTC = 10:00 in Warsaw.
        let (status, _, ics) = app.api_raw("/api/v1/cohorts/dst/calendar.ics", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        let parsed = events(&String::from_utf8(ics).unwrap());
        let visit_event = parsed.iter().find(|e| e.get_summary() == Some("Wizyta studyjna")).unwrap();
        assert_eq!(visit_event.get_start(), Some(DatePerhapsTime::DateTime(utc("2027-10-31T09:00:00Z").into())));
    }

    async fn validation_names_the_field(app) {
        let w = world(&app, "val").await;
        let mut webinar = activity("webinar", "Webinar", "2027-04-01T17:00", "2027-04-01T18:30", &[], json!({}));
        webinar["location"] = json!("");
        let (status, body) = create(&app, &w, "val", webinar.clone()).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["details"][0]["field"], "online_url", "{body}");
        webinar["online_url"] = json!("https://meet.example.org/oslo");
        assert_eq!(create(&app, &w, "val", webinar).await.0, Status::Created);
        let (status, body) = create(&app, &w, "val", json!({
            "kind": "party", "title": "", "starts_at": "jutro", "ends_at": "2027-01-01T10:00",
            "trainers": ["nikt@test.pl", "koord-val@test.pl"], "audience": {"groups": ["kosmici"], "teams": ["3004023"]}
        })).await;
        assert_eq!(status, Status::UnprocessableEntity);
        let fields: Vec<&str> = body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        for f in ["kind", "title", "starts_at", "trainers[0]", "trainers[1]", "audience.groups[0]", "audience.teams[0]"] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM activities").await, 1, "nothing half-written");
    }

    async fn conflicts_of_trainers_teams_and_participants(app) {
        let w = world(&app, "conf").await;
        let officials = json!({"groups": ["official"]});
        let (status, training) = create(&app, &w, "conf", activity("training", "Partycypacja", "2027-03-10T09:00:00+01:00", "2027-03-10T12:00:00+01:00", &[&w.trainer], officials.clone())).await;
        assert_eq!(status, Status::Created, "{training}");
        assert_eq!(training["hours"], 4.0);

        // The same trainer at an overlapping time: 409 naming the training and the trainer.
        let coaching = activity("coaching", "Coaching Śrem", "2027-03-10T11:00:00+01:00", "2027-03-10T13:00:00+01:00", &[&w.trainer], json!({"teams": [SREM]}));
        let (status, body) = create(&app, &w, "conf", coaching.clone()).await;
        assert_eq!(status, Status::Conflict, "{body}");
        assert_eq!(body["conflicts"][0]["activity"], training["id"]);
        let why = reasons(&body);
        assert!(why.contains(&"trainer".to_owned()), "{body}");
        assert!(why.contains(&"participants".to_owned()), "the official of Śrem is in both: {body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM activities").await, 1, "nothing saved on 409");

        // Another trainer, but a participant is still double-booked.
        let mut other_trainer = coaching.clone();
        other_trainer["trainers"] = json!([w.trainer2]);
        let (status, body) = create(&app, &w, "conf", other_trainer).await;
        assert_eq!(status, Status::Conflict);
        assert_eq!(reasons(&body), vec!["participants"], "{body}");

        // NGO people at the same time as officials, with another trainer: disjoint rosters, no conflict.
        let (status, ngo) = create(&app, &w, "conf", activity("training", "Rola NGO", "2027-03-10T09:00:00+01:00", "2027-03-10T12:00:00+01:00", &[&w.trainer2], json!({"groups": ["ngo"]}))).await;
        assert_eq!(status, Status::Created, "{ngo}");

        // Back to back is not a conflict.
        let (status, after) = create(&app, &w, "conf", activity("training", "Po przerwie", "2027-03-10T12:00:00+01:00", "2027-03-10T14:00:00+01:00", &[&w.trainer], officials.clone())).await;
        assert_eq!(status, Status::Created, "{after}");

        // Two coaching sessions of one team at once: a team conflict.
        let (status, c1) = create(&app, &w, "conf", activity("coaching", "Coaching A", "2027-03-11T09:00", "2027-03-11T11:00", &[&w.trainer], json!({"teams": [SREM]}))).await;
        assert_eq!(status, Status::Created, "{c1}");
        let (status, body) = create(&app, &w, "conf", activity("coaching", "Coaching B", "2027-03-11T10:00", "2027-03-11T12:00", &[&w.trainer2], json!({"teams": [SREM]}))).await;
        assert_eq!(status, Status::Conflict);
        assert!(reasons(&body).contains(&"team".to_owned()), "{body}");

        // Allowed explicitly, it is saved.
        let mut allowed = coaching.clone();
        allowed["allow_conflicts"] = json!(true);
        assert_eq!(create(&app, &w, "conf", allowed).await.0, Status::Created);

        // A cancelled activity no longer blocks anyone.
        let id = c1["id"].as_str().unwrap();
        let (status, cancelled) = post(&app, &format!("/api/v1/activities/{id}/cancel"), &w.coord, json!({"reason": "Choroba trenera"})).await;
        assert_eq!(status, Status::Ok, "{cancelled}");
        let (status, body) = create(&app, &w, "conf", activity("coaching", "Coaching B", "2027-03-11T10:00", "2027-03-11T12:00", &[&w.trainer2], json!({"teams": [SREM]}))).await;
        assert_eq!(status, Status::Created, "{body}");

        // A trainer booked in another cohort is a conflict too.
        let other = world(&app, "conf2").await;
        let (status, body) = post(&app, "/api/v1/cohorts/conf2/activities", &other.coord, activity("training", "Gdzie indziej", "2027-03-10T10:00:00+01:00", "2027-03-10T11:00:00+01:00", &[&w.trainer], json!({}))).await;
        assert_eq!(status, Status::Conflict, "{body}");
        assert!(reasons(&body).contains(&"trainer".to_owned()));
    }

    async fn rosters_follow_the_audience_and_the_coordinators_exceptions(app) {
        let w = world(&app, "ros").await;
        let people = enrolment_ids(&app, &w, "ros").await;
        let mut day = 1;
        let mut make = |audience: Value| {
            day += 1;
            activity("training", &format!("Zajęcia {day}"), &format!("2027-05-{day:02}T09:00"), &format!("2027-05-{day:02}T10:00"), &[], audience)
        };
        let cases = [
            (json!({}), 6),
            (json!({"groups": ["official"]}), 2),
            (json!({"groups": ["official", "ngo"]}), 4),
            (json!({"teams": [SREM]}), 3),
            (json!({"groups": ["official"], "teams": [SREM]}), 1),
        ];
        let mut whole = Value::Null;
        for (audience, expected) in cases {
            let (status, a) = create(&app, &w, "ros", make(audience.clone())).await;
            assert_eq!(status, Status::Created, "{a}");
            assert_eq!(roster_len(&a), expected, "audience {audience}");
            if whole.is_null() {
                whole = a;
            }
        }
        let (_, officials_of_srem) = create(&app, &w, "ros", make(json!({"groups": ["official"], "teams": [SREM]}))).await;
        let the_official = officials_of_srem["roster"][0].as_str().unwrap().to_owned();
        let (_, _, group, gmina) = people.iter().find(|p| p.0 == the_official).unwrap();
        assert_eq!((group.as_str(), gmina.as_str()), ("official", SREM));

        // Exceptions: add someone from outside the audience, take someone off.
        let id = officials_of_srem["id"].as_str().unwrap();
        let outsider = people.iter().find(|p| p.2 == "at_risk" && p.3 != SREM).unwrap().0.clone();
        let (status, a) = post(&app, &format!("/api/v1/activities/{id}/roster"), &w.coord, json!({"enrolment": outsider, "included": true})).await;
        assert_eq!(status, Status::Ok, "{a}");
        assert_eq!(roster_len(&a), 2);
        let (_, a) = post(&app, &format!("/api/v1/activities/{id}/roster"), &w.coord, json!({"enrolment": the_official, "included": false})).await;
        assert_eq!(a["roster"], json!([outsider]));
        let (_, a) = post(&app, &format!("/api/v1/activities/{id}/roster"), &w.coord, json!({"enrolment": the_official, "included": null})).await;
        assert_eq!(roster_len(&a), 2, "back to what the audience says, plus the outsider");

        // A withdrawn person leaves every roster.
        let (status, body) = app.api_json(Method::Patch, &format!("/api/v1/enrolments/{the_official}"), Some(&w.coord),
            &json!({"status": "withdrawn", "withdrawn_on": "2027-04-01", "withdrawal_reason": "Zmiana pracy"})).await;
        assert_eq!(status, Status::Ok, "{body}");
        let (_, list) = app.api_get("/api/v1/cohorts/ros/activities", Some(&w.coord)).await;
        let whole_now = list.as_array().unwrap().iter().find(|a| a["id"] == whole["id"]).unwrap();
        assert_eq!(roster_len(whole_now), 5);

        // Someone from another cohort cannot be put on the roster.
        let other = world(&app, "ros2").await;
        let stranger = enrolment_ids(&app, &other, "ros2").await[0].0.clone();
        let (status, _) = post(&app, &format!("/api/v1/activities/{id}/roster"), &w.coord, json!({"enrolment": stranger, "included": true})).await;
        assert_eq!(status, Status::UnprocessableEntity);
    }

    async fn cancellation_stays_visible_counts_for_no_hours_and_reaches_the_calendar(app) {
        let w = world(&app, "can").await;
        let (_, a) = create(&app, &w, "can", activity("training", "Negocjacje", "2027-06-01T09:00", "2027-06-01T12:00", &[&w.trainer], json!({}))).await;
        let mut webinar = activity("webinar", "Webinar z Oslo", "2027-06-02T17:00", "2027-06-02T18:30", &[&w.trainer2], json!({}));
        webinar["online_url"] = json!("https://meet.example.org/oslo");
        let (status, b) = create(&app, &w, "can", webinar).await;
        assert_eq!(status, Status::Created, "{b}");
        let id = a["id"].as_str().unwrap();
        let (status, body) = post(&app, &format!("/api/v1/activities/{id}/cancel"), &w.coord, json!({"reason": " "})).await;
        assert_eq!(status, Status::UnprocessableEntity, "a reason is required: {body}");
        let (status, cancelled) = post(&app, &format!("/api/v1/activities/{id}/cancel"), &w.coord, json!({"reason": "Brak sali"})).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(cancelled["cancelled"], true);
        assert_eq!(cancelled["cancel_reason"], "Brak sali");
        assert_eq!(cancelled["sequence"], 1);
        let (_, list) = app.api_get("/api/v1/cohorts/can/activities", Some(&w.coord)).await;
        assert_eq!(list.as_array().unwrap().len(), 2, "still listed");
        let coordinator = akademia::db::users::find_by_email(&app.db, "koord-can@test.pl").await.unwrap().unwrap();
        let (_, views, _) = akademia::service::activities::schedule(&app.db, &coordinator, "can").await.unwrap();
        assert_eq!(akademia::service::activities::planned_hours_centi(&views), 200, "only the 1.5-hour webinar counts: 2 academic hours");
        let (_, _, ics) = app.api_raw("/api/v1/cohorts/can/calendar.ics", Some(&w.coord)).await;
        let parsed = events(&String::from_utf8(ics).unwrap());
        let negotiation = parsed.iter().find(|e| e.get_summary() == Some("Negocjacje")).unwrap();
        assert_eq!(negotiation.get_status(), Some(EventStatus::Cancelled));
        assert_eq!(negotiation.get_sequence(), Some(1));
        let webinar = parsed.iter().find(|e| e.get_summary() == Some("Webinar z Oslo")).unwrap();
        assert_eq!(webinar.get_status(), Some(EventStatus::Confirmed));
        assert_eq!(webinar.get_uid().map(|u| u.starts_with(b["id"].as_str().unwrap())), Some(true));
        // Restoring brings the hours back.
        let (status, restored) = post(&app, &format!("/api/v1/activities/{id}/cancel"), &w.coord, json!({"restore": true})).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(restored["cancelled"], false);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('activity.cancel', 'activity.restore')").await, 2);
    }

    async fn icalendar_round_trip_keeps_uid_and_bumps_sequence_on_edits(app) {
        let w = world(&app, "ics").await;
        let (_, a) = create(&app, &w, "ics", activity("study_visit", "Wizyta: CAL Żółkiewka", "2027-10-31T10:00:00+01:00", "2027-10-31T15:00:00+01:00", &[&w.trainer], json!({}))).await;
        let id = a["id"].as_str().unwrap().to_owned();
        let feed = async |app: &TestApp| {
            let (status, content_type, ics) = app.api_raw("/api/v1/cohorts/ics/calendar.ics", Some(&w.coord)).await;
            assert_eq!(status, Status::Ok);
            assert!(content_type.starts_with("text/calendar"), "{content_type}");
            events(&String::from_utf8(ics).unwrap())
        };
        let before = feed(&app).await;
        assert_eq!(before.len(), 1);
        let uid = before[0].get_uid().unwrap().to_owned();
        assert!(uid.starts_with(&id));
        assert_eq!(before[0].get_summary(), Some("Wizyta: CAL Żółkiewka"));
        assert_eq!(before[0].get_location(), Some("Leszno, ul. Słowiańska 1"));
        assert_eq!(before[0].get_sequence(), Some(0));
        assert_eq!(before[0].get_end(), Some(DatePerhapsTime::DateTime(utc("2027-10-31T14:00:00Z").into())));
        assert!(before[0].get_url().is_some_and(|u| u.ends_with(&format!("/activities/{id}"))));

        // Move it one week later: same UID, SEQUENCE 1, new times.
        let mut moved = activity("study_visit", "Wizyta: CAL Żółkiewka", "2027-11-07T10:00", "2027-11-07T15:00", &[&w.trainer], json!({}));
        moved["location"] = json!("Żółkiewka, ul. Lubelska 5");
        let (status, body) = app.api_json(Method::Put, &format!("/api/v1/activities/{id}"), Some(&w.coord), &moved).await;
        assert_eq!(status, Status::Ok, "{body}");
        let after = feed(&app).await;
        assert_eq!(after[0].get_uid(), Some(uid.as_str()));
        assert_eq!(after[0].get_sequence(), Some(1));
        assert_eq!(after[0].get_start(), Some(DatePerhapsTime::DateTime(utc("2027-11-07T09:00:00Z").into())));
        assert_eq!(after[0].get_location(), Some("Żółkiewka, ul. Lubelska 5"));
        // Saving the same again changes nothing.
        app.api_json(Method::Put, &format!("/api/v1/activities/{id}"), Some(&w.coord), &moved).await;
        assert_eq!(feed(&app).await[0].get_sequence(), Some(1));
    }

    async fn private_feeds_work_without_login_until_revoked(app) {
        let w = world(&app, "feed").await;
        create(&app, &w, "feed", activity("training", "Szkolenie", "2027-06-01T09:00", "2027-06-01T12:00", &[&w.trainer], json!({}))).await;
        let coordinator = akademia::db::users::find_by_email(&app.db, "koord-feed@test.pl").await.unwrap().unwrap();
        let trainer = akademia::db::users::find_by_email(&app.db, &w.trainer).await.unwrap().unwrap();
        let (_, token) = akademia::service::calendar::create_cohort_feed(&app.db, &coordinator, "feed").await.unwrap();
        let own = akademia::service::calendar::create_own_feed(&app.db, &trainer).await.unwrap();
        assert!(akademia::service::calendar::create_own_feed(&app.db, &coordinator).await.is_err(), "only trainers have their own feed");
        for t in [&token, &own] {
            let (status, _, body) = app.api_raw(&format!("/calendar/{t}.ics"), None).await;
            assert_eq!(status, Status::Ok);
            assert_eq!(events(&String::from_utf8(body).unwrap()).len(), 1);
        }
        assert_eq!(app.api_raw("/calendar/cal_guess.ics", None).await.0, Status::NotFound);
        let feeds = akademia::service::calendar::feeds(&app.db, &trainer, None).await.unwrap();
        assert_eq!(feeds.len(), 1);
        // Another trainer cannot revoke it; its owner can, and the URL stops working.
        let stranger = app.user("obcy@test.pl", Role::Trainer).await;
        assert!(akademia::service::calendar::revoke(&app.db, &stranger, feeds[0].id).await.is_err());
        akademia::service::calendar::revoke(&app.db, &trainer, feeds[0].id).await.unwrap();
        assert_eq!(app.api_raw(&format!("/calendar/{own}.ics"), None).await.0, Status::NotFound);
        assert_eq!(app.api_raw(&format!("/calendar/{token}.ics"), None).await.0, Status::Ok);
        assert_eq!(app.count("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash LIKE 'cal_%'").await, 0, "only hashes are stored");
    }

    async fn trainers_see_their_own_activities_and_nobody_else_sees_anything(app) {
        let w = world(&app, "rol").await;
        let (_, a) = create(&app, &w, "rol", activity("training", "Szkolenie", "2027-06-01T09:00", "2027-06-01T12:00", &[&w.trainer], json!({}))).await;
        let id = a["id"].as_str().unwrap();
        let trainer = akademia::db::users::find_by_email(&app.db, &w.trainer).await.unwrap().unwrap();
        let trainer_token = app.token(&trainer).await;
        let trainer2 = akademia::db::users::find_by_email(&app.db, &w.trainer2).await.unwrap().unwrap();
        let trainer2_token = app.token(&trainer2).await;
        let funder = app.user("fundator@test.pl", Role::Funder).await;
        let funder_token = app.token(&funder).await;
        let stranger = app.user("inny-koord@test.pl", Role::Coordinator).await;
        let stranger_token = app.token(&stranger).await;

        // The trainer sees the activity and its roster; they cannot plan, change or list the cohort.
        assert_eq!(app.api_get(&format!("/api/v1/activities/{id}"), Some(&trainer_token)).await.0, Status::Ok);
        let (status, mine) = app.api_get("/api/v1/me/activities", Some(&trainer_token)).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(mine.as_array().unwrap().len(), 1);
        assert_eq!(post(&app, "/api/v1/cohorts/rol/activities", &trainer_token, activity("training", "x", "2027-06-02T09:00", "2027-06-02T10:00", &[], json!({}))).await.0, Status::Forbidden);
        assert_eq!(app.api_get("/api/v1/cohorts/rol/activities", Some(&trainer_token)).await.0, Status::Forbidden);
        assert_eq!(post(&app, &format!("/api/v1/activities/{id}/cancel"), &trainer_token, json!({"reason": "x"})).await.0, Status::Forbidden);
        // Another trainer and another programme's coordinator don't learn it exists; a funder is refused.
        assert_eq!(app.api_get(&format!("/api/v1/activities/{id}"), Some(&trainer2_token)).await.0, Status::NotFound);
        assert_eq!(app.api_raw(&format!("/api/v1/activities/{id}/attendance-list.pdf"), Some(&trainer2_token)).await.0, Status::NotFound);
        assert_eq!(app.api_get(&format!("/api/v1/activities/{id}"), Some(&stranger_token)).await.0, Status::NotFound);
        assert_eq!(app.api_get("/api/v1/cohorts/rol/activities", Some(&stranger_token)).await.0, Status::NotFound);
        assert_eq!(app.api_get(&format!("/api/v1/activities/{id}"), Some(&funder_token)).await.0, Status::Forbidden);
        assert_eq!(app.api_raw("/api/v1/cohorts/rol/calendar.ics", Some(&funder_token)).await.0, Status::Forbidden);
        // Every change was audited.
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'activity.create'").await, 1);
    }

    async fn attendance_list_pdf_names_everyone_with_diacritics(app) {
        let w = world(&app, "pdf").await;
        let (_, a) = create(&app, &w, "pdf", activity("study_visit", "Wizyta studyjna: CAL Leszno", "2027-10-31T10:00", "2027-10-31T15:00", &[&w.trainer], json!({}))).await;
        let id = a["id"].as_str().unwrap();
        let (status, content_type, pdf) = app.api_raw(&format!("/api/v1/activities/{id}/attendance-list.pdf"), Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(content_type, "application/pdf");
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).expect("text extracts");
        let text = pages.concat();
        for name in ["Żółkiewska-Łęcka", "Brzęczyszczykiewicz", "Ćwiek", "Ślęzak", "Nowak-Jeziorańska", "Pająk"] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
        for expected in ["LISTA OBECNOŚCI", "Akademia Rzecznictwa", "Projekt finansowany ze środków Funduszy EOG.",
                         "Wizyta studyjna: CAL Leszno", "niedziela, 31 października 2027, 10:00–15:00", "6,67",
                         "Leszno, ul. Słowiańska 1", "Test trainer", "Podpis prowadzącego", "Strona 1 z 1"] {
            assert!(text.contains(expected), "{expected} missing from:\n{text}");
        }
        // Its trainer may print it too, from the page as well as the API.
        let trainer = akademia::db::users::find_by_email(&app.db, &w.trainer).await.unwrap().unwrap();
        let token = app.token(&trainer).await;
        assert_eq!(app.api_raw(&format!("/api/v1/activities/{id}/attendance-list.pdf"), Some(&token)).await.0, Status::Ok);
    }
}
