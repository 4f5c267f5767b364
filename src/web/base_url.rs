//! `BaseUrl`: the address of this app as people reach it, for links that leave the browser
//! (calendar subscriptions, links inside calendar events). `public_url` in the configuration wins;
//! otherwise the request's Host header, over HTTPS when cookies are marked secure.

use rocket::request::{FromRequest, Outcome, Request};

use crate::config::AppConfig;

pub struct BaseUrl(pub String);

impl BaseUrl {
    pub fn of(req: &Request<'_>) -> BaseUrl {
        let config = req.rocket().state::<AppConfig>();
        if let Some(url) = config.and_then(|c| c.public_url.as_deref())
            && !url.trim().is_empty()
        {
            return BaseUrl(url.trim().trim_end_matches('/').to_owned());
        }
        let scheme = if config.is_some_and(|c| c.secure_cookies) {
            "https"
        } else {
            "http"
        };
        let host = req
            .headers()
            .get_one("Host")
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or("localhost");
        BaseUrl(format!("{scheme}://{host}"))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for BaseUrl {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(BaseUrl::of(req))
    }
}
