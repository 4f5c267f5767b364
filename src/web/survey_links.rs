//! The survey a participant answers through their personal link, without an account: it greets
//! them by first name (the only personal data it shows), saves all answers at once and then stops
//! working. Unknown, used and replaced links look the same; each client may try only a limited
//! number of links that do not work per minute.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use minijinja::context;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::Template;

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::service::surveys::{self as service, LinkSheet};
use crate::web::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::surveys::{AnswersForm, answer_errors, item_views, scale};

pub fn routes() -> Vec<Route> {
    routes![form, save, thanks]
}

/// Links that do not work allowed per client within `WINDOW`. Working links are not counted, so
/// a whole group answering from one training-room network is never stopped.
pub const MAX_MISSES: u32 = 30;
const WINDOW: Duration = Duration::from_secs(60);

/// Misses per client address in the current window (per app instance).
#[derive(Default)]
pub struct SurveyLimiter(Mutex<HashMap<IpAddr, (Instant, u32)>>);

impl SurveyLimiter {
    /// Whether the client may still look a link up.
    fn allows(&self, ip: Option<IpAddr>, at: Instant) -> bool {
        let (Some(ip), Ok(map)) = (ip, self.0.lock()) else {
            return true;
        };
        map.get(&ip)
            .is_none_or(|(start, n)| at.duration_since(*start) >= WINDOW || *n < MAX_MISSES)
    }

    /// Counts a link that did not work.
    fn miss(&self, ip: Option<IpAddr>, at: Instant) {
        let (Some(ip), Ok(mut map)) = (ip, self.0.lock()) else {
            return;
        };
        if map.len() > 50_000 {
            map.retain(|_, (start, _)| at.duration_since(*start) < WINDOW);
        }
        let entry = map.entry(ip).or_insert((at, 0));
        if at.duration_since(entry.0) >= WINDOW {
            *entry = (at, 0);
        }
        entry.1 += 1;
    }
}

/// The client's address for the limit (the configured real-IP header behind a proxy).
struct ClientIp(Option<IpAddr>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ClientIp(req.client_ip()))
    }
}

type Page = (Status, Template);

fn gone(ctx: &Ctx) -> Page {
    (Status::NotFound, ctx.render("surveys/gone", context! {}))
}

fn too_many(ctx: &Ctx) -> Page {
    (
        Status::TooManyRequests,
        ctx.render("surveys/gone", context! { too_many => true }),
    )
}

fn sheet_page(
    ctx: &Ctx,
    token: &str,
    s: &LinkSheet,
    values: Option<&std::collections::BTreeMap<String, String>>,
    errors: Option<&crate::error::ValidationErrors>,
) -> Template {
    let (errs, summary) = errors
        .map(|e| answer_errors(e, ctx.lang))
        .unwrap_or_default();
    let l = &s.link;
    ctx.render(
        "surveys/public",
        context! {
            token, first_name => &l.first_name, cohort_name => &l.cohort_name,
            phase => l.phase.as_str(), phase_label => ctx.t(l.phase.label_key()),
            items => item_views(&s.items), scale => scale(ctx),
            values => values.cloned().unwrap_or_default(), errors => errs, summary,
        },
    )
}

/// Opens the link, counting a miss; `Err(page)` is the answer when it does not work.
async fn opened(
    ctx: &Ctx,
    db: &Db,
    limiter: &SurveyLimiter,
    ip: &ClientIp,
    token: &str,
) -> AppResult<Result<LinkSheet, Page>> {
    let at = Instant::now();
    if !limiter.allows(ip.0, at) {
        return Ok(Err(too_many(ctx)));
    }
    match service::open(db, token).await? {
        Some(sheet) => Ok(Ok(sheet)),
        None => {
            limiter.miss(ip.0, at);
            Ok(Err(gone(ctx)))
        }
    }
}

#[get("/survey/<token>")]
async fn form(
    ctx: Ctx,
    db: &State<Db>,
    limiter: &State<SurveyLimiter>,
    ip: ClientIp,
    token: &str,
) -> AppResult<Page> {
    Ok(match opened(&ctx, db, limiter, &ip, token).await? {
        Ok(sheet) => (Status::Ok, sheet_page(&ctx, token, &sheet, None, None)),
        Err(page) => page,
    })
}

#[post("/survey/<token>", data = "<form>")]
async fn save(
    ctx: Ctx,
    db: &State<Db>,
    limiter: &State<SurveyLimiter>,
    ip: ClientIp,
    token: &str,
    form: CsrfForm<AnswersForm>,
) -> AppResult<Either<Page, Redirect>> {
    let sheet = match opened(&ctx, db, limiter, &ip, token).await? {
        Ok(sheet) => sheet,
        Err(page) => return Ok(Either::Left(page)),
    };
    let f = form.0;
    match service::answer_by_link(db, token, &f.given()).await {
        Ok(()) => Ok(Either::Right(Redirect::to("/survey/thanks"))),
        Err(AppError::Validation(errors)) => Ok(Either::Left((
            Status::UnprocessableEntity,
            sheet_page(&ctx, token, &sheet, Some(&f.answers), Some(&errors)),
        ))),
        Err(AppError::NotFound) => Ok(Either::Left(gone(&ctx))),
        Err(e) => Err(e),
    }
}

/// Where a saved survey lands (the link itself no longer opens).
#[get("/survey/thanks")]
fn thanks(ctx: Ctx) -> Template {
    ctx.render("surveys/thanks", context! {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_misses_count_and_the_window_resets() {
        let limiter = SurveyLimiter::default();
        let a: Option<IpAddr> = "192.0.2.1".parse().ok();
        let b: Option<IpAddr> = "192.0.2.2".parse().ok();
        let t0 = Instant::now();
        for _ in 0..MAX_MISSES {
            assert!(limiter.allows(a, t0));
            limiter.miss(a, t0);
        }
        assert!(!limiter.allows(a, t0));
        assert!(limiter.allows(b, t0));
        assert!(limiter.allows(None, t0));
        assert!(limiter.allows(a, t0 + WINDOW));
    }
}
