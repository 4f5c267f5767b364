//! Template functions and filters: `t`, `tn` (translations in the page's language) and
//! `datetime` / `date` (UTC times shown in Europe/Warsaw).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Warsaw;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State};

use crate::i18n::{self, Lang};

pub fn register(env: &mut Environment<'static>) {
    env.add_function("t", t);
    env.add_function("tn", tn);
    env.add_filter("datetime", datetime);
    env.add_filter("date", date);
}

fn lang_of(state: &State<'_, '_>) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default()
}

/// `t("key")` or `t("key", name=value, …)`.
fn t(state: &State<'_, '_>, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let lang = lang_of(state);
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        args.push((name, value.to_string()));
    }
    kwargs.assert_all_used()?;
    Ok(i18n::tf(lang, key, &args))
}

/// `tn("key", n)`: the plural form of `key` for `n`.
fn tn(state: &State<'_, '_>, key: &str, n: i64) -> String {
    i18n::tn(lang_of(state), key, n)
}

fn parse_utc(value: &str) -> Result<DateTime<Utc>, Error> {
    DateTime::parse_from_rfc3339(value)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("not a date-time: {value}"),
            )
            .with_source(e)
        })
}

/// `22.11.2026, 08:15` in Warsaw time.
fn datetime(value: &str) -> Result<String, Error> {
    Ok(parse_utc(value)?
        .with_timezone(&Warsaw)
        .format("%d.%m.%Y, %H:%M")
        .to_string())
}

/// `22.11.2026` from a date or a date-time.
fn date(value: &str) -> Result<String, Error> {
    if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(d.format("%d.%m.%Y").to_string());
    }
    Ok(parse_utc(value)?
        .with_timezone(&Warsaw)
        .format("%d.%m.%Y")
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_shown_in_warsaw_time_across_dst() {
        assert_eq!(
            datetime("2026-07-01T10:00:00+00:00").unwrap(),
            "01.07.2026, 12:00"
        );
        assert_eq!(
            datetime("2026-11-22T10:00:00Z").unwrap(),
            "22.11.2026, 11:00"
        );
        assert_eq!(date("2026-03-29").unwrap(), "29.03.2026");
        assert!(datetime("yesterday").is_err());
    }
}
