//! The public certificate check: anyone with a code (typed, or from the QR code) learns whether
//! the certificate is valid or revoked, its holder, cohort and date of issue, and nothing else.
//! Every answer takes the same minimum time, so known and unknown codes cannot be told apart by
//! timing, and each client may look up a limited number of codes per minute.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use minijinja::context;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::{Json, Value, json};
use rocket::{Either, Route, State, get, routes};
use rocket_dyn_templates::Template;

use crate::db::Db;
use crate::domain::activity::plain_date;
use crate::domain::certificate::{format_code, normalise_code};
use crate::error::AppResult;
use crate::service::certificates as service;
use crate::web::Ctx;

pub fn routes() -> Vec<Route> {
    routes![form, check]
}

/// Lookups allowed per client within `WINDOW`.
pub const MAX_LOOKUPS: u32 = 30;
const WINDOW: Duration = Duration::from_secs(60);
/// Every answer takes at least this long, whatever the code.
const FLOOR: Duration = Duration::from_millis(60);

/// Lookups per client address in the current window (per app instance).
#[derive(Default)]
pub struct VerifyLimiter(Mutex<HashMap<IpAddr, (Instant, u32)>>);

impl VerifyLimiter {
    /// Counts a lookup; false when the client is over the limit.
    fn admit(&self, ip: IpAddr, at: Instant) -> bool {
        let Ok(mut map) = self.0.lock() else {
            return true;
        };
        if map.len() > 50_000 {
            map.retain(|_, (start, _)| at.duration_since(*start) < WINDOW);
        }
        let entry = map.entry(ip).or_insert((at, 0));
        if at.duration_since(entry.0) >= WINDOW {
            *entry = (at, 0);
        }
        entry.1 += 1;
        entry.1 <= MAX_LOOKUPS
    }
}

/// Whether the client asked for JSON (`Accept: application/json`).
pub struct WantsJson(bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for WantsJson {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let json = req
            .headers()
            .get_one("Accept")
            .is_some_and(|a| a.contains("application/json"));
        Outcome::Success(WantsJson(json))
    }
}

/// The client's address for the limit (the configured real-IP header behind a proxy).
pub struct ClientIp(Option<IpAddr>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ClientIp(req.client_ip()))
    }
}

/// The page where a code is typed (`/verify?code=…` goes to the check).
#[get("/verify?<code>")]
async fn form(ctx: Ctx, code: Option<&str>) -> Either<Template, rocket::response::Redirect> {
    if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
        let shown = normalise_code(code)
            .map(|c| format_code(&c))
            .unwrap_or_else(|| {
                code.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(40)
                    .collect()
            });
        return Either::Right(rocket::response::Redirect::to(format!("/verify/{shown}")));
    }
    Either::Left(ctx.render("verify/form", context! {}))
}

type Answer = Either<(Status, Template), (Status, Json<Value>)>;

#[get("/verify/<code>")]
async fn check(
    ctx: Ctx,
    db: &State<Db>,
    limiter: &State<VerifyLimiter>,
    ip: ClientIp,
    wants: WantsJson,
    code: &str,
) -> AppResult<Answer> {
    let started = Instant::now();
    if let Some(ip) = ip.0
        && !limiter.admit(ip, started)
    {
        let message = ctx.t("verify.too_many");
        return Ok(if wants.0 {
            Either::Right((Status::TooManyRequests, Json(json!({ "error": message }))))
        } else {
            Either::Left((
                Status::TooManyRequests,
                ctx.render("verify/form", context! { error => message }),
            ))
        });
    }
    let found = service::verify(db, code).await?;
    let answer = match found {
        Some(p) => {
            let holder = format!("{} {}", p.first_name, p.last_name)
                .trim()
                .to_owned();
            let cohort = format!("{} – {}", p.programme, p.cohort);
            let revoked = p.revoked_at.is_some();
            if wants.0 {
                Either::Right((
                    Status::Ok,
                    Json(json!({
                        "valid": !revoked, "revoked": revoked, "holder": holder, "cohort": cohort,
                        "issued_on": p.issued_on.format("%Y-%m-%d").to_string(),
                        "revoked_on": p.revoked_at.map(|r| crate::domain::activity::local_day(r).format("%Y-%m-%d").to_string()),
                    })),
                ))
            } else {
                Either::Left((
                    Status::Ok,
                    ctx.render(
                        "verify/show",
                        context! {
                            code => normalise_code(code).map(|c| format_code(&c)),
                            holder, cohort, revoked,
                            issued_on => plain_date(p.issued_on, ctx.lang),
                            revoked_on => p.revoked_at.map(|r| plain_date(crate::domain::activity::local_day(r), ctx.lang)),
                        },
                    ),
                ))
            }
        }
        None => {
            let message = ctx.t("verify.unknown");
            if wants.0 {
                Either::Right((Status::NotFound, Json(json!({ "error": message }))))
            } else {
                Either::Left((
                    Status::NotFound,
                    ctx.render("verify/form", context! { error => message, typed => code }),
                ))
            }
        }
    };
    if let Some(rest) = FLOOR.checked_sub(started.elapsed()) {
        rocket::tokio::time::sleep(rest).await;
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_limited_per_window_and_others_are_not() {
        let limiter = VerifyLimiter::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..MAX_LOOKUPS {
            assert!(limiter.admit(a, t0));
        }
        assert!(!limiter.admit(a, t0));
        assert!(limiter.admit(b, t0));
        assert!(limiter.admit(a, t0 + WINDOW));
    }
}
