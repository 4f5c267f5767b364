//! Security headers on every response: a strict Content-Security-Policy (no inline scripts or
//! styles, nothing from other hosts), no framing, no MIME sniffing, and no caching of pages
//! that may hold personal data.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_header(Header::new(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ));
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        res.set_header(Header::new("Referrer-Policy", "same-origin"));
        if req.uri().path().starts_with("/assets/") {
            res.set_header(Header::new("Cache-Control", "public, max-age=3600"));
        } else {
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
    }
}
