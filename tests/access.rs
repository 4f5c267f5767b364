//! The access matrix: every mounted route, requested as anonymous, trainer, funder, coordinator
//! and admin, must give the outcome its decision below says — and nothing may answer 500.
//! A route mounted without a decision here fails the test: add one when you add a route.
mod common;

use std::collections::BTreeMap;

use akademia::domain::Role;
use common::{Browse, Browser, TestApp};
use rocket::http::{Header, Method, Status};

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user; anonymous browsers are sent to the login page.
    SignedIn,
    /// Signed-in users with these roles; other roles get 403, anonymous browsers the login page.
    Roles(&'static [Role]),
    /// API with a token of one of these roles; no token 401, other roles 403.
    Api(&'static [Role]),
    /// API without a token.
    ApiPublic,
    /// Everyone is sent to the login page (logout; setup once an admin exists).
    ToLogin,
}

use Access::*;

const ADMIN: &[Role] = &[Role::Admin];
const STAFF: &[Role] = &[Role::Admin, Role::Coordinator];
const EVERYONE: &[Role] = &[Role::Admin, Role::Coordinator, Role::Trainer, Role::Funder];
/// Who works with activities: staff, and trainers for the activities they train.
const ACTIVITY: &[Role] = &[Role::Admin, Role::Coordinator, Role::Trainer];
const TRAINER: &[Role] = &[Role::Trainer];
/// Who reads results reports: staff, and funders of the programme.
const REPORT_READERS: &[Role] = &[Role::Admin, Role::Coordinator, Role::Funder];

fn decisions() -> BTreeMap<&'static str, Access> {
    BTreeMap::from([
        ("GET /", SignedIn),
        ("GET /health", Public),
        ("GET /assets/<path..>", Public),
        ("GET /login", Public),
        ("POST /login", Public),
        ("POST /logout", ToLogin),
        ("GET /setup", ToLogin),
        ("POST /setup", Public),
        ("GET /account", SignedIn),
        ("POST /account/password", SignedIn),
        ("POST /account/tokens", SignedIn),
        ("POST /account/tokens/<id>/revoke", SignedIn),
        ("GET /gminy", SignedIn),
        ("GET /reference", SignedIn),
        ("GET /admin/users", Roles(ADMIN)),
        ("GET /admin/users/new", Roles(ADMIN)),
        ("POST /admin/users", Roles(ADMIN)),
        ("GET /admin/users/<id>", Roles(ADMIN)),
        ("POST /admin/users/<id>", Roles(ADMIN)),
        ("POST /admin/users/<id>/active", Roles(ADMIN)),
        ("POST /admin/users/<id>/password", Roles(ADMIN)),
        ("POST /admin/users/<id>/tokens/<token>/revoke", Roles(ADMIN)),
        ("GET /admin/audit", Roles(ADMIN)),
        ("GET /admin/gminy", Roles(ADMIN)),
        ("POST /admin/gminy", Roles(ADMIN)),
        ("GET /api/v1/gminy", Api(EVERYONE)),
        ("GET /api/v1/me", Api(EVERYONE)),
        ("GET /api/v1/openapi.json", ApiPublic),
        ("GET /programmes", Roles(STAFF)),
        ("POST /programmes", Roles(STAFF)),
        ("GET /programmes/new", Roles(STAFF)),
        ("GET /programmes/<p>", Roles(STAFF)),
        ("POST /programmes/<p>", Roles(STAFF)),
        ("GET /programmes/<p>/edit", Roles(STAFF)),
        ("POST /programmes/<p>/archive", Roles(STAFF)),
        ("POST /programmes/<p>/small-cells", Roles(STAFF)),
        ("POST /programmes/<p>/members", Roles(STAFF)),
        ("POST /programmes/<p>/members/<user>/remove", Roles(STAFF)),
        ("GET /programmes/<p>/cohorts/new", Roles(STAFF)),
        ("POST /programmes/<p>/cohorts", Roles(STAFF)),
        ("GET /cohorts/<c>", Roles(STAFF)),
        ("POST /cohorts/<c>", Roles(STAFF)),
        ("GET /cohorts/<c>/edit", Roles(STAFF)),
        ("GET /cohorts/<c>/gminas", Roles(STAFF)),
        ("POST /cohorts/<c>/gminas", Roles(STAFF)),
        ("POST /cohorts/<c>/gminas/<teryt>/remove", Roles(STAFF)),
        ("GET /cohorts/<c>/enrol", Roles(STAFF)),
        ("POST /cohorts/<c>/enrolments", Roles(STAFF)),
        ("GET /cohorts/<c>/import", Roles(STAFF)),
        ("POST /cohorts/<c>/import", Roles(STAFF)),
        ("GET /cohorts/<c>/import/template.csv", Roles(STAFF)),
        ("GET /cohorts/<c>/import/template.xlsx", Roles(STAFF)),
        ("GET /cohorts/<c>/export.csv", Roles(STAFF)),
        ("GET /cohorts/<c>/export.xlsx", Roles(STAFF)),
        ("GET /organisations", Roles(STAFF)),
        ("GET /organisations/new", Roles(STAFF)),
        ("POST /organisations", Roles(STAFF)),
        ("GET /organisations/<id>", Roles(STAFF)),
        ("POST /organisations/<id>", Roles(STAFF)),
        ("GET /enrolments/<id>", Roles(STAFF)),
        ("POST /enrolments/<id>", Roles(STAFF)),
        ("POST /enrolments/<id>/status", Roles(STAFF)),
        ("POST /enrolments/<id>/not-duplicate", Roles(STAFF)),
        ("POST /enrolments/<id>/merge", Roles(STAFF)),
        ("GET /participants/<participant>/export.json", Roles(STAFF)),
        ("POST /participants/<participant>/erase", Roles(STAFF)),
        ("GET /api/v1/programmes", Api(STAFF)),
        ("POST /api/v1/programmes", Api(STAFF)),
        ("GET /api/v1/programmes/<p>", Api(STAFF)),
        ("PUT /api/v1/programmes/<p>", Api(STAFF)),
        ("GET /api/v1/cohorts", Api(STAFF)),
        ("POST /api/v1/cohorts", Api(STAFF)),
        ("GET /api/v1/cohorts/<c>", Api(STAFF)),
        ("PUT /api/v1/cohorts/<c>", Api(STAFF)),
        ("GET /api/v1/cohorts/<c>/enrolments", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/enrolments", Api(STAFF)),
        ("GET /api/v1/cohorts/<c>/teams", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/import", Api(STAFF)),
        ("PATCH /api/v1/enrolments/<e>", Api(STAFF)),
        ("GET /api/v1/participants/<p>/export", Api(STAFF)),
        ("POST /api/v1/participants/<p>/erase", Api(STAFF)),
        ("GET /api/v1/organisations", Api(STAFF)),
        ("POST /api/v1/organisations", Api(STAFF)),
        ("GET /cohorts/<c>/schedule", Roles(STAFF)),
        ("GET /cohorts/<c>/activities/new", Roles(STAFF)),
        ("POST /cohorts/<c>/activities", Roles(STAFF)),
        ("POST /cohorts/<c>/feeds", Roles(STAFF)),
        ("GET /activities/<a>", Roles(ACTIVITY)),
        ("GET /activities/<a>/edit", Roles(STAFF)),
        ("POST /activities/<a>/edit", Roles(STAFF)),
        ("POST /activities/<a>/cancel", Roles(STAFF)),
        ("POST /activities/<a>/restore", Roles(STAFF)),
        ("POST /activities/<a>/roster", Roles(STAFF)),
        ("GET /activities/<a>/attendance-list.pdf", Roles(ACTIVITY)),
        ("GET /my/activities", Roles(TRAINER)),
        ("POST /my/feeds", Roles(TRAINER)),
        ("POST /feeds/<id>/revoke", SignedIn),
        ("GET /calendar/<file>", Public),
        ("GET /api/v1/cohorts/<c>/activities", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/activities", Api(STAFF)),
        ("GET /api/v1/activities/<a>", Api(ACTIVITY)),
        ("PUT /api/v1/activities/<a>", Api(STAFF)),
        ("POST /api/v1/activities/<a>/cancel", Api(STAFF)),
        ("POST /api/v1/activities/<a>/roster", Api(STAFF)),
        ("GET /api/v1/cohorts/<c>/calendar.ics", Api(STAFF)),
        ("GET /api/v1/me/activities", Api(EVERYONE)),
        (
            "GET /api/v1/activities/<a>/attendance-list.pdf",
            Api(ACTIVITY),
        ),
        ("GET /activities/<a>/attendance", Roles(ACTIVITY)),
        ("POST /activities/<a>/attendance", Roles(ACTIVITY)),
        ("GET /cohorts/<c>/attendance", Roles(STAFF)),
        ("GET /cohorts/<c>/attendance.csv", Roles(STAFF)),
        ("GET /cohorts/<c>/attendance.xlsx", Roles(STAFF)),
        ("GET /api/v1/activities/<a>/attendance", Api(ACTIVITY)),
        ("PUT /api/v1/activities/<a>/attendance", Api(ACTIVITY)),
        ("GET /api/v1/cohorts/<c>/attendance", Api(STAFF)),
        ("GET /api/v1/activities/<a>/evidence", Api(ACTIVITY)),
        ("POST /api/v1/activities/<a>/evidence", Api(ACTIVITY)),
        ("GET /api/v1/evidence/<id>", Api(ACTIVITY)),
        ("POST /activities/<a>/evidence", Roles(ACTIVITY)),
        ("GET /evidence/<id>", Roles(ACTIVITY)),
        ("GET /api/v1/cohorts/<c>/certificates", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/certificates", Api(STAFF)),
        (
            "GET /api/v1/cohorts/<c>/certificates/eligibility",
            Api(STAFF),
        ),
        ("GET /api/v1/cohorts/<c>/certificates.zip", Api(STAFF)),
        ("GET /api/v1/cohorts/<c>/certificate-rule", Api(STAFF)),
        ("PUT /api/v1/cohorts/<c>/certificate-rule", Api(STAFF)),
        ("GET /api/v1/certificates/<id>", Api(STAFF)),
        ("GET /api/v1/certificates/<id>/pdf", Api(STAFF)),
        ("POST /api/v1/certificates/<id>/revoke", Api(STAFF)),
        ("POST /api/v1/certificates/<id>/reissue", Api(STAFF)),
        ("GET /cohorts/<c>/certificates", Roles(STAFF)),
        ("POST /cohorts/<c>/certificates/issue", Roles(STAFF)),
        ("POST /cohorts/<c>/certificates/rule", Roles(STAFF)),
        ("GET /cohorts/<c>/certificates.zip", Roles(STAFF)),
        ("GET /certificates/<id>", Roles(STAFF)),
        ("GET /certificates/<id>/pdf", Roles(STAFF)),
        ("POST /certificates/<id>/revoke", Roles(STAFF)),
        ("POST /certificates/<id>/reissue", Roles(STAFF)),
        ("GET /api/v1/cohorts/<c>/tasks", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/tasks", Api(STAFF)),
        ("GET /api/v1/tasks/<id>", Api(STAFF)),
        ("PUT /api/v1/tasks/<id>", Api(STAFF)),
        ("DELETE /api/v1/tasks/<id>", Api(STAFF)),
        ("GET /cohorts/<c>/tasks", Roles(STAFF)),
        ("GET /cohorts/<c>/tasks/new", Roles(STAFF)),
        ("POST /cohorts/<c>/tasks", Roles(STAFF)),
        ("GET /tasks/<id>/edit", Roles(STAFF)),
        ("POST /tasks/<id>", Roles(STAFF)),
        ("POST /tasks/<id>/delete", Roles(STAFF)),
        // A task's documents: staff only; funders never get the files (personal data).
        ("GET /api/v1/tasks/<id>/evidence", Api(STAFF)),
        ("POST /api/v1/tasks/<id>/evidence", Api(STAFF)),
        ("GET /api/v1/task-evidence/<id>", Api(STAFF)),
        ("DELETE /api/v1/task-evidence/<id>", Api(STAFF)),
        ("POST /tasks/<id>/evidence", Roles(STAFF)),
        ("GET /task-evidence/<id>", Roles(STAFF)),
        ("POST /task-evidence/<id>/delete", Roles(STAFF)),
        ("GET /api/v1/programmes/<p>/indicators", Api(STAFF)),
        ("POST /api/v1/programmes/<p>/indicators", Api(STAFF)),
        ("PUT /api/v1/indicators/<id>", Api(STAFF)),
        ("DELETE /api/v1/indicators/<id>", Api(STAFF)),
        ("GET /programmes/<p>/indicators", Roles(STAFF)),
        ("POST /programmes/<p>/indicators", Roles(STAFF)),
        ("GET /indicators/<id>/edit", Roles(STAFF)),
        ("POST /indicators/<id>", Roles(STAFF)),
        ("POST /indicators/<id>/delete", Roles(STAFF)),
        ("GET /cohorts/<c>/survey", Roles(STAFF)),
        ("POST /cohorts/<c>/survey/items", Roles(STAFF)),
        ("POST /cohorts/<c>/survey/links", Roles(STAFF)),
        ("POST /survey-items/<id>", Roles(STAFF)),
        ("POST /survey-items/<id>/remove", Roles(STAFF)),
        ("POST /survey-items/<id>/move", Roles(STAFF)),
        ("GET /enrolments/<e>/survey/<phase>", Roles(STAFF)),
        ("POST /enrolments/<e>/survey/<phase>", Roles(STAFF)),
        ("POST /enrolments/<e>/survey/<phase>/link", Roles(STAFF)),
        ("GET /survey/<token>", Public),
        ("POST /survey/<token>", Public),
        ("GET /survey/thanks", Public),
        ("GET /api/v1/cohorts/<c>/survey/items", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/survey/items", Api(STAFF)),
        ("PUT /api/v1/survey-items/<id>", Api(STAFF)),
        ("DELETE /api/v1/survey-items/<id>", Api(STAFF)),
        ("GET /api/v1/enrolments/<e>/survey/<phase>", Api(STAFF)),
        ("PUT /api/v1/enrolments/<e>/survey/<phase>", Api(STAFF)),
        ("POST /api/v1/cohorts/<c>/survey/links", Api(STAFF)),
        ("GET /api/v1/cohorts/<c>/survey/results", Api(STAFF)),
        ("GET /cohorts/<c>/report", Roles(REPORT_READERS)),
        ("GET /cohorts/<c>/report.csv", Roles(REPORT_READERS)),
        ("GET /cohorts/<c>/report.xlsx", Roles(REPORT_READERS)),
        ("GET /cohorts/<c>/report.pdf", Roles(REPORT_READERS)),
        ("GET /cohorts/<c>/report.json", Roles(REPORT_READERS)),
        ("GET /programmes/<p>/report", Roles(REPORT_READERS)),
        ("GET /programmes/<p>/report.csv", Roles(REPORT_READERS)),
        ("GET /programmes/<p>/report.xlsx", Roles(REPORT_READERS)),
        ("GET /programmes/<p>/report.pdf", Roles(REPORT_READERS)),
        ("GET /programmes/<p>/report.json", Roles(REPORT_READERS)),
        ("GET /api/v1/cohorts/<c>/report", Api(REPORT_READERS)),
        ("GET /api/v1/programmes/<p>/report", Api(REPORT_READERS)),
        ("GET /programmes/<p>/attendance.csv", Roles(STAFF)),
        ("GET /api/v1/programmes/<p>/attendance.csv", Api(STAFF)),
        ("GET /verify", Public),
        ("GET /verify/<code>", Public),
    ])
}

/// Values for the dynamic segments of route paths.
fn fill(path: &str, own_id: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "<id>" => own_id.to_owned(),
            "<token>" | "<e>" | "<participant>" | "<a>" => {
                "01936b4c-0000-7000-8000-000000000000".to_owned()
            }
            "<user>" => own_id.to_owned(),
            "<c>" => "no-such-cohort".to_owned(),
            "<p>" if path.starts_with("/api/v1/participants") => {
                "01936b4c-0000-7000-8000-000000000001".to_owned()
            }
            "<p>" => "no-such-programme".to_owned(),
            "<teryt>" => "3026043".to_owned(),
            "<file>" => "cal_unknown.ics".to_owned(),
            "<code>" => "ZZZZ-ZZZZ-ZZZZ-ZZZZ".to_owned(),
            "<phase>" => "pre".to_owned(),
            "<path..>" => "css/app.css".to_owned(),
            s if s.starts_with('<') => {
                panic!("add a value for the segment {s} in access.rs fill()")
            }
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, PartialEq)]
enum Seen {
    Allowed(Status),
    LoginRedirect,
    Forbidden,
    Unauthorized,
    ServerError,
}

fn classify(status: Status, location: Option<&str>, api: bool) -> Seen {
    match status.code {
        500..=599 => Seen::ServerError,
        403 => Seen::Forbidden,
        401 if api => Seen::Unauthorized,
        303 | 302 if location.is_some_and(|l| l.starts_with("/login")) => Seen::LoginRedirect,
        _ => Seen::Allowed(status),
    }
}

/// `None` for anonymous.
fn expected(access: Access, role: Option<Role>) -> &'static str {
    match (access, role) {
        (Public | ApiPublic, _) => "allowed",
        (ToLogin, _) => "login",
        (SignedIn, None) | (Roles(_), None) => "login",
        (SignedIn, Some(_)) => "allowed",
        (Roles(roles), Some(r)) | (Api(roles), Some(r)) => {
            if roles.contains(&r) {
                "allowed"
            } else {
                "forbidden"
            }
        }
        (Api(_), None) => "unauthorized",
    }
}

fn matches(seen: &Seen, want: &str) -> bool {
    matches!(
        (seen, want),
        (Seen::Allowed(_), "allowed")
            | (Seen::LoginRedirect, "login")
            | (Seen::Forbidden, "forbidden")
            | (Seen::Unauthorized, "unauthorized")
    )
}

struct Actor {
    role: Option<Role>,
    browser: Browser,
    token: Option<String>,
}

async fn request(
    app: &TestApp,
    actor: &Actor,
    method: Method,
    path: &str,
) -> (Status, Option<String>) {
    if path.starts_with("/api/") {
        let mut req = app.client.req(method, path.to_owned());
        if let Some(t) = &actor.token {
            req = req.header(Header::new("Authorization", format!("Bearer {t}")));
        }
        let res = req.dispatch().await;
        return (
            res.status(),
            res.headers().get_one("Location").map(str::to_owned),
        );
    }
    match method {
        Method::Get => actor.browser.get_location(path).await,
        Method::Post => {
            let (status, location, _) = actor.browser.post_form(path, &[]).await;
            (status, location)
        }
        other => panic!("add request support for {other} in access.rs"),
    }
}

both_backends! {
    async fn every_route_answers_each_role_as_decided_and_never_500(app) {
        let mut actors = vec![Actor { role: None, browser: app.browser().await, token: None }];
        let mut admin_id = String::new();
        for role in [Role::Trainer, Role::Funder, Role::Coordinator, Role::Admin] {
            let (user, browser, token) = app.signed_in(&format!("{}@test.pl", role.as_str()), role).await;
            if role == Role::Admin {
                admin_id = user.id.to_string();
            }
            actors.push(Actor { role: Some(role), browser, token: Some(token) });
        }
        let decisions = decisions();
        let mut routes: Vec<(Method, String)> =
            app.client.rocket().routes().map(|r| (r.method, r.uri.path().to_string())).collect();
        routes.sort_by_key(|(m, p)| (p == "/logout", p.clone(), m.as_str()));
        routes.dedup();

        let mut problems = Vec::new();
        let mounted: Vec<String> = routes.iter().map(|(m, p)| format!("{m} {p}")).collect();
        for key in decisions.keys() {
            if !mounted.iter().any(|m| m == key) {
                problems.push(format!("decision for {key}, which is not mounted"));
            }
        }
        for (method, path) in &routes {
            let key = format!("{method} {path}");
            let Some(&access) = decisions.get(key.as_str()) else {
                problems.push(format!("{key} is mounted without a decision in access.rs"));
                continue;
            };
            let concrete = fill(path, &admin_id);
            for actor in &actors {
                let (status, location) = request(&app, actor, *method, &concrete).await;
                let seen = classify(status, location.as_deref(), path.starts_with("/api/"));
                let want = expected(access, actor.role);
                if !matches(&seen, want) {
                    let who = actor.role.map(|r| r.as_str()).unwrap_or("anonymous");
                    problems.push(format!("{key} as {who}: expected {want}, got {seen:?} ({location:?})"));
                }
            }
        }
        assert!(problems.is_empty(), "access matrix:\n{}", problems.join("\n"));
    }

    async fn every_state_changing_form_refuses_a_missing_token_before_doing_anything(app) {
        let (admin, browser, _) = app.signed_in("admin@test.pl", Role::Admin).await;
        let audit_before = app.count("SELECT COUNT(*) FROM audit_log").await;
        let posts: Vec<String> = app
            .client
            .rocket()
            .routes()
            .filter(|r| r.method == Method::Post && !r.uri.path().starts_with("/api/"))
            .map(|r| r.uri.path().to_string())
            .collect();
        assert!(posts.len() >= 10, "expected the HTML forms to be mounted: {posts:?}");
        for path in posts {
            let concrete = fill(&path, &admin.id.to_string());
            let (status, _, _) = browser.post_raw(&concrete, &[("name", "x"), ("active", "false")]).await;
            assert_eq!(status, Status::Forbidden, "POST {path} without a CSRF token");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit_before, "nothing was written");
        assert_eq!(browser.get("/").await.0, Status::Ok, "the session survived (logout needs a token too)");
    }
}
