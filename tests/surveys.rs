//! Competence surveys on both backends: the questionnaire (one item for everyone, one for
//! officials), answers entered by the coordinator and by participants through single-use links,
//! exact statistics on a hand-made set, refused answers, the coordinator's pages and CSV, and who
//! may do what.
mod common;

use akademia::domain::Role;
use common::{Browse, TestApp, extract_csrf};
use rocket::http::{ContentType, Method, Status};
use serde_json::{Value, json};

const ITEM_ALL: &str = "Wiem, jak gmina może zlecić zadanie publiczne organizacji pozarządowej";
const ITEM_OFFICIALS: &str = "Umiem przygotować ogłoszenie otwartego konkursu ofert";

struct World {
    coord: String,
    trainer: String,
    funder: String,
    outsider: String,
    /// (enrolment id, last name)
    people: Vec<(String, String)>,
    /// The item for everyone and the officials' item.
    all: String,
    officials: String,
}

impl World {
    fn id(&self, last_name: &str) -> String {
        self.people
            .iter()
            .find(|(_, l)| l == last_name)
            .unwrap()
            .0
            .clone()
    }
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.user("koord@test.pl", Role::Coordinator).await;
    let coord = app.token(&coordinator).await;
    let t = app.user("trener@test.pl", Role::Trainer).await;
    let trainer = app.token(&t).await;
    let f = app.user("fundator@test.pl", Role::Funder).await;
    let funder = app.token(&f).await;
    let o = app.user("inny@test.pl", Role::Coordinator).await;
    let outsider = app.token(&o).await;
    let (status, programme) = app
        .api_json(
            Method::Post,
            "/api/v1/programmes",
            Some(&coord),
            &json!({
                "name": "Akademia Rzecznictwa", "slug": "prog", "funder": "Fundusz",
                "starts_on": "2020-01-01", "ends_on": "2030-12-31"
            }),
        )
        .await;
    assert_eq!(status, Status::Created, "{programme}");
    let (status, _) = app
        .api_json(
            Method::Post,
            "/api/v1/cohorts",
            Some(&coord),
            &json!({
                "programme": programme["id"], "name": "Edycja Leszno", "slug": "c1",
                "starts_on": "2020-01-01", "ends_on": "2030-12-31"
            }),
        )
        .await;
    assert_eq!(status, Status::Created);
    app.import_sample(&coord, "c1").await;
    let people = app.enrolled(&coord, "c1").await;
    let (status, all) = app
        .api_json(
            Method::Post,
            "/api/v1/cohorts/c1/survey/items",
            Some(&coord),
            &json!({ "text": ITEM_ALL }),
        )
        .await;
    assert_eq!(status, Status::Created, "{all}");
    let (status, officials) = app
        .api_json(
            Method::Post,
            "/api/v1/cohorts/c1/survey/items",
            Some(&coord),
            &json!({ "text": ITEM_OFFICIALS, "groups": ["urzędnik"] }),
        )
        .await;
    assert_eq!(status, Status::Created, "{officials}");
    World {
        coord,
        trainer,
        funder,
        outsider,
        people,
        all: all["id"].as_str().unwrap().to_owned(),
        officials: officials["id"].as_str().unwrap().to_owned(),
    }
}

/// The coordinator enters answers through the API.
async fn put_answers(
    app: &TestApp,
    token: &str,
    enrolment: &str,
    phase: &str,
    answers: &[(&str, i64)],
) -> (Status, Value) {
    let body: Vec<Value> = answers
        .iter()
        .map(|(item, v)| json!({ "item": item, "value": v }))
        .collect();
    app.api_json(
        Method::Put,
        &format!("/api/v1/enrolments/{enrolment}/survey/{phase}"),
        Some(token),
        &json!(body),
    )
    .await
}

/// Links for a phase: for everyone without answers, or for the listed people.
async fn links(
    app: &TestApp,
    w: &World,
    phase: &str,
    only: Option<&[&str]>,
) -> Vec<(String, String)> {
    let body = match only {
        Some(ids) => serde_json::to_vec(&json!({ "enrolments": ids })).unwrap(),
        None => Vec::new(),
    };
    let (status, out) = app
        .api_send(
            Method::Post,
            &format!("/api/v1/cohorts/c1/survey/links?phase={phase}"),
            Some(&w.coord),
            &body,
            ContentType::JSON,
        )
        .await;
    assert_eq!(status, Status::Ok, "{out}");
    out.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let link = l["link"].as_str().unwrap();
            let path = &link[link.find("/survey/").expect("a survey URL")..];
            (l["enrolment"].as_str().unwrap().to_owned(), path.to_owned())
        })
        .collect()
}

fn link_of<'a>(links: &'a [(String, String)], enrolment: &str) -> &'a str {
    &links
        .iter()
        .find(|(e, _)| e == enrolment)
        .expect("a link for the person")
        .1
}

/// A participant opens their link in a browser of their own and sends the answers.
async fn answer_link(
    app: &TestApp,
    path: &str,
    answers: &[(&str, &str)],
) -> (Status, Option<String>, String) {
    let browser = app.browser().await;
    let (status, page) = browser.get(path).await;
    assert_eq!(status, Status::Ok, "{page}");
    let csrf = extract_csrf(&page).expect("the survey form has a CSRF token");
    let names: Vec<String> = answers
        .iter()
        .map(|(item, _)| format!("answers[{item}]"))
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
    fields.extend(
        names
            .iter()
            .zip(answers)
            .map(|(n, (_, v))| (n.as_str(), *v)),
    );
    browser.post_raw(path, &fields).await
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

fn assert_change(g: &Value, people: u64, improved: u64, pre: f64, post: f64, share: f64) {
    assert_eq!(
        (g["people"].as_u64(), g["improved"].as_u64()),
        (Some(people), Some(improved)),
        "{g}"
    );
    assert!(close(&g["mean_pre"], pre), "mean_pre {g}");
    assert!(close(&g["mean_post"], post), "mean_post {g}");
    assert!(close(&g["mean_change"], post - pre), "mean_change {g}");
    assert!(close(&g["share_improved"], share), "share_improved {g}");
}

both_backends! {
    async fn coordinator_and_participants_answer_and_the_change_is_exact(app) {
        let w = world(&app).await;
        let (status, items) = app.api_get("/api/v1/cohorts/c1/survey/items", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok);
        assert_eq!(items[0]["text"], ITEM_ALL);
        assert_eq!(items[0]["groups"], json!([]));
        assert_eq!(items[1]["groups"], json!(["official"]));
        assert_eq!((items[0]["position"].as_i64(), items[1]["position"].as_i64()), (Some(1), Some(2)));
        let (a, b) = (w.all.as_str(), w.officials.as_str());
        // Officials by the coordinator: 1.5 → 3.5 (improved) and 4 → 3.
        let m = w.id("Żółkiewska-Łęcka");
        for (phase, answers) in [("pre", [(a, 2), (b, 1)]), ("post", [(a, 4), (b, 3)])] {
            let (status, out) = put_answers(&app, &w.coord, &m, phase, &answers).await;
            assert_eq!(status, Status::Ok, "{out}");
        }
        let l = w.id("Ślęzak");
        put_answers(&app, &w.coord, &l, "pre", &[(a, 4), (b, 4)]).await;
        let (status, out) = put_answers(&app, &w.coord, &l, "post", &[(b, 2), (a, 4)]).await;
        assert_eq!(status, Status::Ok, "{out}");
        assert_eq!(out["answers"], json!([{ "item": a, "value": 4 }, { "item": b, "value": 2 }]));
        // NGO by the coordinator: 3 → 3 (the same is not improved).
        let g = w.id("Brzęczyszczykiewicz");
        put_answers(&app, &w.coord, &g, "pre", &[(a, 3)]).await;
        put_answers(&app, &w.coord, &g, "post", &[(a, 3)]).await;
        // NGO through her links: 2 → 5; at risk through a link only before the course.
        let n = w.id("Nowak-Jeziorańska");
        let j = w.id("Ćwiek");
        let pre = links(&app, &w, "pre", None).await;
        assert_eq!(pre.len(), 3, "only those without answers before: {pre:?}");
        let (status, location, _) = answer_link(&app, link_of(&pre, &n), &[(a, "2")]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/survey/thanks")));
        let (status, _, _) = answer_link(&app, link_of(&pre, &j), &[(a, "1")]).await;
        assert_eq!(status, Status::SeeOther);
        let post = links(&app, &w, "post", Some(&[&n])).await;
        let (status, _, _) = answer_link(&app, link_of(&post, &n), &[(a, "5")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_answers WHERE entered_by IS NULL").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'survey_answers.save'").await, 9);

        let (status, c) = app.api_get("/api/v1/cohorts/c1/survey/results", Some(&w.coord)).await;
        assert_eq!(status, Status::Ok, "{c}");
        assert_change(&c["by_group"]["official"], 2, 1, 2.75, 3.25, 0.5);
        assert_change(&c["by_group"]["ngo"], 2, 1, 2.5, 4.0, 0.5);
        assert_change(&c["overall"], 4, 2, 2.625, 3.625, 0.5);
        let at_risk = &c["by_group"]["at_risk"];
        assert_eq!((at_risk["people"].as_u64(), at_risk["answered_pre"].as_u64()), (Some(0), Some(1)));
        assert!(at_risk["mean_pre"].is_null() && at_risk["share_improved"].is_null(), "{at_risk}");
        assert_eq!(c["overall"]["answered_pre"], 5);
        assert_eq!(c["overall"]["answered_post"], 4);
        let item = |i: usize| &c["items"][i];
        assert_eq!((item(0)["text"].as_str(), item(0)["people"].as_u64()), (Some(ITEM_ALL), Some(4)));
        assert!(close(&item(0)["mean_pre"], 2.75) && close(&item(0)["mean_post"], 4.0));
        assert_eq!(item(1)["groups"], json!(["official"]));
        assert!(close(&item(1)["mean_pre"], 2.5) && close(&item(1)["mean_change"], 0.0));

        // The same figures for the service the results report calls, and for the programme.
        let cohort = akademia::service::programmes::find_cohort(&app.db, "c1").await.unwrap().unwrap();
        let direct = akademia::service::surveys::competence(&app.db, cohort.id).await.unwrap();
        assert_eq!(serde_json::to_value(&direct).unwrap(), c);
        let whole = akademia::service::surveys::competence_of_programme(&app.db, cohort.programme_id).await.unwrap();
        assert_eq!(serde_json::to_value(&whole).unwrap(), c);

        // The coordinator's page shows the same in Polish.
        let (_, browser, _) = app.signed_in("koord2@test.pl", Role::Admin).await;
        let (status, page) = browser.get("/cohorts/c1/survey").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("<h1>Ankieta kompetencji</h1>"), "{page}");
        for shown in ["2,75", "3,25", "+0,50", "2,63", "3,63", "+1,00", "50 %", "+1,50"] {
            assert!(page.contains(shown), "{shown} missing");
        }
        let (_, cohort_page) = browser.get("/cohorts/c1").await;
        assert!(cohort_page.contains("href=\"/cohorts/c1/survey\""));
    }

    async fn a_link_works_once_greets_by_first_name_and_a_new_one_replaces_it(app) {
        let w = world(&app).await;
        let n = w.id("Nowak-Jeziorańska");
        let first = links(&app, &w, "pre", None).await;
        assert_eq!(first.len(), 6);
        let old = link_of(&first, &n).to_owned();
        let again = links(&app, &w, "pre", Some(&[&n])).await;
        let new = link_of(&again, &n).to_owned();
        assert_ne!(old, new);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_links WHERE replaced_at IS NOT NULL").await, 1);
        // Only hashes are kept.
        let token = new.trim_start_matches("/survey/");
        assert!(token.len() >= 22);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_links WHERE LENGTH(token_hash) = 64").await, 7);
        let browser = app.browser().await;
        let (status, page) = browser.get(&old).await;
        assert_eq!(status, Status::NotFound);
        assert!(page.contains("Ten link wygasł lub został już wykorzystany"), "{page}");

        let (status, page) = browser.get(&new).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Dzień dobry, Anna"), "{page}");
        assert!(page.contains("Edycja Leszno") && page.contains("przed szkoleniem"));
        assert!(page.contains(ITEM_ALL) && !page.contains(ITEM_OFFICIALS), "an NGO person is not asked the officials' item");
        // Each choice reads "1 – zdecydowanie nie zgadzam się" … "5 – zdecydowanie się zgadzam".
        let choice = |n: u8, text: &str| format!("<span class=\"scale-value\">{n}</span><span class=\"visually-hidden\"> – </span><span class=\"scale-text\">{text}</span>");
        assert!(page.contains(&choice(1, "zdecydowanie nie zgadzam się")) && page.contains(&choice(5, "zdecydowanie się zgadzam")), "{page}");
        for private in ["Nowak-Jeziorańska", "anna.nj@example.org", "Fundacja Leszczyńska"] {
            assert!(!page.contains(private), "{private} shown on the public page");
        }
        // An official is asked both items.
        let official = link_of(&first, &w.id("Ślęzak")).to_owned();
        let (_, page) = app.browser().await.get(&official).await;
        assert!(page.contains(ITEM_ALL) && page.contains(ITEM_OFFICIALS) && page.contains("Dzień dobry, Łukasz"));

        // Without the CSRF token nothing happens.
        let field = format!("answers[{}]", w.all);
        let (status, _, _) = browser.post_raw(&new, &[(field.as_str(), "4")]).await;
        assert_eq!(status, Status::Forbidden);
        let (status, location, _) = answer_link(&app, &new, &[(&w.all, "4")]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/survey/thanks")));
        let (status, thanks) = browser.get("/survey/thanks").await;
        assert!(status == Status::Ok && thanks.contains("Dziękujemy"));
        // Used: it neither opens nor saves again.
        let (status, _) = browser.get(&new).await;
        assert_eq!(status, Status::NotFound);
        let csrf = browser.csrf().await;
        let (status, _, _) = browser.post_raw(&new, &[("csrf_token", csrf.as_str()), (field.as_str(), "1")]).await;
        assert_eq!(status, Status::NotFound);
        let (_, out) = app.api_get(&format!("/api/v1/enrolments/{n}/survey/pre"), Some(&w.coord)).await;
        assert_eq!(out["answers"], json!([{ "item": w.all, "value": 4 }]));
        let (status, _) = browser.get("/survey/nonsense-token").await;
        assert_eq!(status, Status::NotFound);
        // She has answered now: the next round is for the other five.
        assert_eq!(links(&app, &w, "pre", None).await.len(), 5);
    }

    async fn a_missing_answer_is_refused_naming_the_item_and_nothing_is_saved(app) {
        let w = world(&app).await;
        let l = w.id("Ślęzak");
        let (status, out) = put_answers(&app, &w.coord, &l, "pre", &[(&w.all, 3)]).await;
        assert_eq!(status, Status::UnprocessableEntity, "{out}");
        assert_eq!(out["details"][0]["field"], format!("answers.{}", w.officials));
        assert_eq!(out["details"][0]["message"], format!("Brak odpowiedzi na pytanie „{ITEM_OFFICIALS}”"));
        let (status, out) = put_answers(&app, &w.coord, &l, "pre", &[(&w.all, 3), (&w.officials, 7)]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(out["details"][0]["message"].as_str().unwrap().contains("od 1 do 5"), "{out}");
        // An NGO person is not asked the officials' item.
        let g = w.id("Brzęczyszczykiewicz");
        let (status, out) = put_answers(&app, &w.coord, &g, "pre", &[(&w.all, 3), (&w.officials, 3)]).await;
        assert_eq!(status, Status::UnprocessableEntity, "{out}");
        let (status, _) = put_answers(&app, &w.coord, &l, "during", &[(&w.all, 3)]).await;
        assert_eq!(status, Status::NotFound);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_answers").await, 0);

        // Through a link: the page names the item, keeps the value chosen, and the link still works.
        let pre = links(&app, &w, "pre", Some(&[&l])).await;
        let path = link_of(&pre, &l).to_owned();
        let (status, _, page) = answer_link(&app, &path, &[(&w.all, "4")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains(&format!("Brak odpowiedzi na pytanie „{ITEM_OFFICIALS}”")), "{page}");
        assert!(page.contains(&format!("id=\"q-{}-4\" name=\"answers[{}]\" value=\"4\" checked", w.all, w.all)), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_answers").await, 0);
        let (status, _, _) = answer_link(&app, &path, &[(&w.all, "4"), (&w.officials, "2")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_answers").await, 2);
        // In English the message is English.
        let m = w.id("Żółkiewska-Łęcka");
        let (_, out) = app
            .api_json(Method::Put, &format!("/api/v1/enrolments/{m}/survey/post?lang=en"), Some(&w.coord), &json!([]))
            .await;
        let messages: Vec<&str> = out["details"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap()).collect();
        assert_eq!(messages, vec![format!("No answer to “{ITEM_ALL}”"), format!("No answer to “{ITEM_OFFICIALS}”")]);
    }

    async fn items_are_edited_reordered_and_removed_only_while_unanswered(app) {
        let w = world(&app).await;
        let (status, item) = app
            .api_json(Method::Put, &format!("/api/v1/survey-items/{}", w.officials), Some(&w.coord),
                &json!({ "text": "  Umiem   przygotować ogłoszenie konkursu ", "groups": ["official", "ngo"] }))
            .await;
        assert_eq!(status, Status::Ok, "{item}");
        assert_eq!((item["text"].as_str(), &item["groups"]), (Some("Umiem przygotować ogłoszenie konkursu"), &json!(["official", "ngo"])));
        let (status, out) = app
            .api_json(Method::Post, "/api/v1/cohorts/c1/survey/items", Some(&w.coord), &json!({ "text": ITEM_ALL.to_uppercase() }))
            .await;
        assert_eq!(status, Status::UnprocessableEntity, "{out}");
        let (status, out) = app
            .api_json(Method::Post, "/api/v1/cohorts/c1/survey/items", Some(&w.coord), &json!({ "text": "x".repeat(301) }))
            .await;
        assert_eq!((status, out["details"][0]["field"].as_str()), (Status::UnprocessableEntity, Some("text")));
        let (status, out) = app
            .api_json(Method::Post, "/api/v1/cohorts/c1/survey/items", Some(&w.coord), &json!({ "text": "Pytanie", "groups": ["radny"] }))
            .await;
        assert_eq!((status, out["details"][0]["field"].as_str()), (Status::UnprocessableEntity, Some("groups")));

        let g = w.id("Brzęczyszczykiewicz");
        let (status, _) = put_answers(&app, &w.coord, &g, "pre", &[(&w.all, 2), (&w.officials, 3)]).await;
        assert_eq!(status, Status::Ok);
        let (status, out) = app.api_send(Method::Delete, &format!("/api/v1/survey-items/{}", w.all), Some(&w.coord), b"", ContentType::JSON).await;
        assert_eq!(status, Status::Conflict, "{out}");
        let (status, out) = app
            .api_json(Method::Put, &format!("/api/v1/survey-items/{}", w.officials), Some(&w.coord),
                &json!({ "text": "Umiem przygotować ogłoszenie", "groups": ["official"] }))
            .await;
        assert_eq!((status, out["details"][0]["field"].as_str()), (Status::UnprocessableEntity, Some("groups")));
        let (_, extra) = app
            .api_json(Method::Post, "/api/v1/cohorts/c1/survey/items", Some(&w.coord), &json!({ "text": "Znam ustawę o pożytku" }))
            .await;
        let extra = extra["id"].as_str().unwrap();

        // Reordering and removing through the page.
        let (_, browser, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let (status, location, _) = browser.post_form(&format!("/survey-items/{extra}/move"), &[("dir", "up")]).await;
        assert_eq!(status, Status::SeeOther, "{location:?}");
        let (_, items) = app.api_get("/api/v1/cohorts/c1/survey/items", Some(&w.coord)).await;
        let order: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(order, vec![w.all.as_str(), extra, w.officials.as_str()]);
        let (status, _, _) = browser.post_form(&format!("/survey-items/{}/remove", w.all), &[]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_items").await, 3, "an answered item stays");
        let (status, _) = app.api_send(Method::Delete, &format!("/api/v1/survey-items/{extra}"), Some(&w.coord), b"", ContentType::JSON).await;
        assert_eq!(status, Status::NoContent);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_items").await, 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'survey_item.%'").await, 5);
    }

    async fn coordinators_use_the_pages_and_download_links_for_a_mail_merge(app) {
        let w = world(&app).await;
        let (_, browser, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        // A refused item keeps what was typed.
        let (status, _, page) = browser.post_form("/cohorts/c1/survey/items", &[("text", "  "), ("groups", "ngo")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("To pole jest wymagane.") && page.contains("value=\"ngo\" checked"), "{page}");
        let (status, location, _) = browser
            .post_form("/cohorts/c1/survey/items", &[("text", "Potrafię współpracować z radnymi"), ("groups", "ngo"), ("groups", "at_risk")])
            .await;
        assert_eq!(status, Status::SeeOther, "{location:?}");
        let (_, items) = app.api_get("/api/v1/cohorts/c1/survey/items", Some(&w.coord)).await;
        assert_eq!(items[2]["groups"], json!(["ngo", "at_risk"]));

        // The coordinator's form: the NGO person gets the item for everyone and the new one.
        let g = w.id("Brzęczyszczykiewicz");
        let (status, page) = browser.get(&format!("/enrolments/{g}/survey/pre")).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Grzegorz Brzęczyszczykiewicz") && !page.contains(ITEM_OFFICIALS));
        let new_item = items[2]["id"].as_str().unwrap();
        let (f1, f2) = (format!("answers[{}]", w.all), format!("answers[{new_item}]"));
        let (status, _, page) = browser.post_form(&format!("/enrolments/{g}/survey/pre"), &[(f1.as_str(), "3")]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Brak odpowiedzi na pytanie „Potrafię współpracować z radnymi”"), "{page}");
        let (status, location, _) = browser.post_form(&format!("/enrolments/{g}/survey/pre"), &[(f1.as_str(), "3"), (f2.as_str(), "2")]).await;
        assert_eq!((status, location), (Status::SeeOther, Some(format!("/cohorts/c1/survey#e-{g}"))));
        let (_, page) = browser.get("/cohorts/c1/survey").await;
        assert!(page.contains("przed szkoleniem odpowiedziała 1 osoba"), "{page}");

        // One person's link is shown once on their page.
        let (status, _, page) = browser.post_form(&format!("/enrolments/{g}/survey/post/link"), &[]).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("value=\"http:&#x2f;&#x2f;localhost&#x2f;survey&#x2f;"), "{page}");

        // Links for everyone else, as a CSV for a mail merge.
        let token = browser.csrf().await;
        let res = browser
            .client
            .post("/cohorts/c1/survey/links")
            .header(ContentType::Form)
            .body(common::encode_form(&[("csrf_token", token.as_str()), ("phase", "pre")]))
            .dispatch()
            .await;
        assert_eq!(res.status(), Status::Ok);
        assert!(res.headers().get_one("Content-Disposition").unwrap().contains("ankieta_c1_pre.csv"));
        let csv = res.into_string().await.unwrap();
        assert!(csv.starts_with("\u{feff}imię;nazwisko;e-mail;gmina;link\r\n"), "{csv}");
        let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(rows.len(), 6, "five people without answers and the header: {csv}");
        let anna = rows.iter().find(|r| r.starts_with("Anna;")).unwrap();
        assert!(anna.starts_with("Anna;Nowak-Jeziorańska;anna.nj@example.org;Leszno;http://localhost/survey/"), "{anna}");
        let path = &anna[anna.find("/survey/").unwrap()..];
        let (status, page) = app.browser().await.get(path).await;
        assert!(status == Status::Ok && page.contains("Dzień dobry, Anna"));
        // Nothing left: a message instead of an empty file.
        for id in w.people.iter().map(|(id, _)| id).filter(|id| **id != g) {
            let mut answers = vec![(w.all.as_str(), 3)];
            if *id == w.id("Żółkiewska-Łęcka") || *id == w.id("Ślęzak") {
                answers.push((w.officials.as_str(), 3));
            } else {
                answers.push((new_item, 3));
            }
            let (status, out) = put_answers(&app, &w.coord, id, "pre", &answers).await;
            assert_eq!(status, Status::Ok, "{out}");
        }
        let (status, location, _) = browser.post_form("/cohorts/c1/survey/links", &[("phase", "pre")]).await;
        assert_eq!((status, location.as_deref()), (Status::SeeOther, Some("/cohorts/c1/survey#links-h")));
    }

    async fn only_coordinators_of_the_programme_reach_surveys(app) {
        let w = world(&app).await;
        let m = w.id("Żółkiewska-Łęcka");
        let reads = [
            "/api/v1/cohorts/c1/survey/items".to_owned(),
            "/api/v1/cohorts/c1/survey/results".to_owned(),
            format!("/api/v1/enrolments/{m}/survey/pre"),
        ];
        for path in &reads {
            for token in [&w.trainer, &w.funder] {
                assert_eq!(app.api_get(path, Some(token)).await.0, Status::Forbidden, "{path}");
            }
            assert_eq!(app.api_get(path, Some(&w.outsider)).await.0, Status::NotFound, "{path}");
            assert_eq!(app.api_get(path, None).await.0, Status::Unauthorized, "{path}");
            assert_eq!(app.api_get(path, Some(&w.coord)).await.0, Status::Ok, "{path}");
        }
        let body = json!([{ "item": w.all, "value": 3 }, { "item": w.officials, "value": 3 }]);
        let put = format!("/api/v1/enrolments/{m}/survey/pre");
        assert_eq!(app.api_json(Method::Put, &put, Some(&w.funder), &body).await.0, Status::Forbidden);
        assert_eq!(app.api_json(Method::Put, &put, Some(&w.outsider), &body).await.0, Status::NotFound);
        let links = "/api/v1/cohorts/c1/survey/links?phase=pre";
        assert_eq!(app.api_send(Method::Post, links, Some(&w.trainer), b"", ContentType::JSON).await.0, Status::Forbidden);
        assert_eq!(app.api_send(Method::Post, links, Some(&w.outsider), b"", ContentType::JSON).await.0, Status::NotFound);
        assert_eq!(app.api_send(Method::Post, links, None, b"", ContentType::JSON).await.0, Status::Unauthorized);
        let (status, out) = app.api_send(Method::Post, "/api/v1/cohorts/c1/survey/links?phase=later", Some(&w.coord), b"", ContentType::JSON).await;
        assert_eq!((status, out["details"][0]["field"].as_str()), (Status::UnprocessableEntity, Some("phase")));
        let item = format!("/api/v1/survey-items/{}", w.all);
        assert_eq!(app.api_send(Method::Delete, &item, Some(&w.outsider), b"", ContentType::JSON).await.0, Status::NotFound);
        assert_eq!(app.api_send(Method::Delete, &item, Some(&w.funder), b"", ContentType::JSON).await.0, Status::Forbidden);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_items").await, 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_links").await, 0);
        // Pages: a coordinator of another programme sees nothing, a trainer is refused.
        let (_, other, _) = app.signed_in("inny2@test.pl", Role::Coordinator).await;
        assert_eq!(other.get("/cohorts/c1/survey").await.0, Status::NotFound);
        assert_eq!(other.get(&format!("/enrolments/{m}/survey/pre")).await.0, Status::NotFound);
        let (_, trainer, _) = app.signed_in("trener2@test.pl", Role::Trainer).await;
        assert_eq!(trainer.get("/cohorts/c1/survey").await.0, Status::Forbidden);
    }
}
