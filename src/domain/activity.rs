//! Activities: their kinds, times in Europe/Warsaw, academic hours, audiences and calendar maths.
//!
//! Times are entered and shown in Warsaw time and stored in UTC. A local time that happens twice
//! (the last Sunday of October, 02:00–03:00) means its first occurrence; one that never happens
//! (the last Sunday of March, 02:00–03:00) is an error rather than a silent shift.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Europe::Warsaw;
use serde::{Deserialize, Serialize};

use super::fold::fold;
use super::participant::{Group, UnknownValue, text_enum};
use crate::i18n::Lang;

text_enum!(
    /// The four kinds of activity of an academy (DESIGN.md).
    ActivityKind, "activity_kind", {
        Training => "training" | "szkolenie",
        StudyVisit => "study_visit" | "wizyta studyjna" | "wizyta" | "study visit",
        Webinar => "webinar" | "webinarium",
        Coaching => "coaching",
    }
);

/// Longest activity accepted (a study visit may last several days).
pub const MAX_SPAN_DAYS: i64 = 14;

/// Academic hours (45 minutes) of a span, × 100 and rounded: 3 hours → 400, 5 hours → 667.
pub fn academic_hours_centi(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> i64 {
    let minutes = (ends_at - starts_at).num_minutes().max(0);
    (minutes * 100 * 2 + 45) / (45 * 2)
}

/// Hours as typed (`4`, `4,5`, `6.67`) × 100; `None` when empty.
pub fn parse_hours(input: &str) -> Result<Option<i64>, &'static str> {
    let text = input.trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || whole.len() > 4 || frac.len() > 2 || (!frac.is_empty() && !digits(frac)) {
        return Err("err.hours_format");
    }
    let whole: i64 = whole.parse().map_err(|_| "err.hours_format")?;
    let frac: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| "err.hours_format")?;
    Ok(Some(whole * 100 + frac))
}

/// Hours × 100 as a number for JSON (`400` → 4.0).
pub fn hours_value(centi: i64) -> f64 {
    centi as f64 / 100.0
}

/// Hours × 100 as people read them: `4`, `6,67` (Polish) or `6.67` (English).
pub fn format_hours(centi: i64, lang: Lang) -> String {
    let text = if centi % 100 == 0 {
        (centi / 100).to_string()
    } else if centi % 10 == 0 {
        format!("{}.{}", centi / 100, (centi % 100) / 10)
    } else {
        format!("{}.{:02}", centi / 100, centi % 100)
    };
    match lang {
        Lang::Pl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A Warsaw wall-clock time in UTC: the first of two occurrences, an error inside the spring gap.
pub fn from_warsaw(local: NaiveDateTime) -> Result<DateTime<Utc>, &'static str> {
    match Warsaw.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err("err.time_gap"),
    }
}

/// A local time as forms send it (`2027-10-31T10:00`, `2027-10-31 10:00`, `31.10.2027 10:00`).
pub fn parse_local(input: &str) -> Result<DateTime<Utc>, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        return Err("err.required");
    }
    const FORMATS: [&str; 6] = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y, %H:%M",
    ];
    let local = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or("err.datetime_format")?;
    from_warsaw(local)
}

/// An instant as the API takes it: RFC 3339 with an offset, or a local Warsaw time without one.
pub fn parse_instant(input: &str) -> Result<DateTime<Utc>, &'static str> {
    match DateTime::parse_from_rfc3339(input.trim()) {
        Ok(t) => Ok(t.with_timezone(&Utc)),
        Err(_) => parse_local(input),
    }
}

/// Drops seconds and below: activities are planned to the minute.
pub fn to_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t)
}

/// The value of an `<input type="datetime-local">` for a UTC time: `2027-10-31T10:00` in Warsaw.
pub fn local_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&Warsaw)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The Warsaw calendar day of a UTC time.
pub fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Warsaw).date_naive()
}

/// `10:00` in Warsaw.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Warsaw).format("%H:%M").to_string()
}

/// Half-open spans overlap when each starts before the other ends.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Who an activity is for: every enrolment, some groups, some gmina teams, or both (intersection).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub groups: Vec<Group>,
    pub teams: Vec<String>,
}

impl Audience {
    pub fn whole_cohort(&self) -> bool {
        self.groups.is_empty() && self.teams.is_empty()
    }

    pub fn includes(&self, group: Group, teryt: &str) -> bool {
        (self.groups.is_empty() || self.groups.contains(&group))
            && (self.teams.is_empty() || self.teams.iter().any(|t| t == teryt))
    }

    /// The groups as stored: comma-separated codes.
    pub fn groups_text(&self) -> String {
        self.groups
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse_groups(text: &str) -> Vec<Group> {
        let mut groups: Vec<Group> = text.split(',').filter_map(Group::parse).collect();
        groups.sort();
        groups.dedup();
        groups
    }
}

const MONTHS_PL: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const MONTHS_PL_NOMINATIVE: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_PL: [&str; 7] = [
    "poniedziałek",
    "wtorek",
    "środa",
    "czwartek",
    "piątek",
    "sobota",
    "niedziela",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `niedziela, 31 października 2027` / `Sunday, 31 October 2027`.
pub fn long_date(day: NaiveDate, lang: Lang) -> String {
    let weekday = day.weekday().num_days_from_monday() as usize;
    let month = day.month0() as usize;
    match lang {
        Lang::Pl => format!(
            "{}, {} {} {}",
            DAYS_PL[weekday],
            day.day(),
            MONTHS_PL[month],
            day.year()
        ),
        Lang::En => format!(
            "{}, {} {} {}",
            DAYS_EN[weekday],
            day.day(),
            MONTHS_EN[month],
            day.year()
        ),
    }
}

/// `31 października 2027` / `31 October 2027`.
pub fn plain_date(day: NaiveDate, lang: Lang) -> String {
    let month = day.month0() as usize;
    match lang {
        Lang::Pl => format!("{} {} {}", day.day(), MONTHS_PL[month], day.year()),
        Lang::En => format!("{} {} {}", day.day(), MONTHS_EN[month], day.year()),
    }
}

/// `październik 2027` / `October 2027`.
pub fn month_name(year: i32, month: u32, lang: Lang) -> String {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Pl => format!("{} {year}", MONTHS_PL_NOMINATIVE[i]),
        Lang::En => format!("{} {year}", MONTHS_EN[i]),
    }
}

/// Short weekday names, Monday first.
pub fn weekday_names(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Pl => ["pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz."],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
}

/// The date and hours of an activity: `niedziela, 31 października 2027, 10:00–15:00`; a span over
/// several days names both ends.
pub fn span_text(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, lang: Lang) -> String {
    let (start_day, end_day) = (local_day(starts_at), local_day(ends_at));
    if start_day == end_day {
        format!(
            "{}, {}–{}",
            long_date(start_day, lang),
            local_time(starts_at),
            local_time(ends_at)
        )
    } else {
        format!(
            "{}, {} – {}, {}",
            long_date(start_day, lang),
            local_time(starts_at),
            long_date(end_day, lang),
            local_time(ends_at)
        )
    }
}

/// The weeks (Monday to Sunday) that show a month, with days of the neighbouring months filling
/// the first and last week.
pub fn month_weeks(year: i32, month: u32) -> Option<Vec<[NaiveDate; 7]>> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut day = start;
    loop {
        let mut week = [day; 7];
        for (i, slot) in week.iter_mut().enumerate() {
            *slot = day + Duration::days(i as i64);
        }
        day += Duration::days(7);
        weeks.push(week);
        if day.month() != month || day.year() != year {
            break;
        }
    }
    Some(weeks)
}

/// The UTC span `[start, end)` covering Warsaw calendar days `first..=last`.
pub fn days_span(first: NaiveDate, last: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let at_midnight = |d: NaiveDate| {
        from_warsaw(d.and_hms_opt(0, 0, 0).unwrap_or_default()).unwrap_or_else(|_| {
            // Midnight never falls in a DST gap in Warsaw; keep a sane value regardless.
            Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
    };
    (at_midnight(first), at_midnight(last + Duration::days(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn academic_hours_are_45_minutes() {
        let at = |h: u32, m: u32| utc(&format!("2027-03-10T{h:02}:{m:02}:00Z"));
        assert_eq!(academic_hours_centi(at(8, 0), at(11, 0)), 400);
        assert_eq!(academic_hours_centi(at(8, 0), at(8, 45)), 100);
        assert_eq!(academic_hours_centi(at(8, 0), at(9, 30)), 200);
        assert_eq!(academic_hours_centi(at(9, 0), at(14, 0)), 667);
        assert_eq!(academic_hours_centi(at(9, 0), at(9, 0)), 0);
    }

    #[test]
    fn hours_parse_and_print() {
        assert_eq!(parse_hours("4"), Ok(Some(400)));
        assert_eq!(parse_hours("4,5"), Ok(Some(450)));
        assert_eq!(parse_hours(" 6.67 "), Ok(Some(667)));
        assert_eq!(parse_hours(""), Ok(None));
        assert!(parse_hours("-1").is_err());
        assert!(parse_hours("4,567").is_err());
        assert!(parse_hours("cztery").is_err());
        assert_eq!(format_hours(400, Lang::Pl), "4");
        assert_eq!(format_hours(450, Lang::Pl), "4,5");
        assert_eq!(format_hours(667, Lang::Pl), "6,67");
        assert_eq!(format_hours(667, Lang::En), "6.67");
    }

    #[test]
    fn warsaw_times_across_dst() {
        // The last Sunday of October 2027 is the 31st: 10:00 there is CET (UTC+1).
        assert_eq!(
            parse_local("2027-10-31T10:00"),
            Ok(utc("2027-10-31T09:00:00Z"))
        );
        // The day before is still CEST (UTC+2).
        assert_eq!(
            parse_local("30.10.2027 10:00"),
            Ok(utc("2027-10-30T08:00:00Z"))
        );
        // 02:30 happens twice on that night: the first (summer) one is meant.
        assert_eq!(
            parse_local("2027-10-31 02:30"),
            Ok(utc("2027-10-31T00:30:00Z"))
        );
        // 02:30 on 28 March 2027 never happens.
        assert_eq!(parse_local("2027-03-28T02:30"), Err("err.time_gap"));
        assert_eq!(parse_local("jutro"), Err("err.datetime_format"));
        assert_eq!(
            parse_instant("2027-10-31T10:00:00+01:00"),
            Ok(utc("2027-10-31T09:00:00Z"))
        );
        assert_eq!(local_input(utc("2027-10-31T09:00:00Z")), "2027-10-31T10:00");
        assert_eq!(local_input(utc("2027-10-30T08:00:00Z")), "2027-10-30T10:00");
    }

    #[test]
    fn spans_and_overlap() {
        let a = (utc("2027-03-10T08:00:00Z"), utc("2027-03-10T11:00:00Z"));
        let b = (utc("2027-03-10T10:00:00Z"), utc("2027-03-10T12:00:00Z"));
        let c = (utc("2027-03-10T11:00:00Z"), utc("2027-03-10T12:00:00Z"));
        assert!(overlaps(a, b));
        assert!(!overlaps(a, c), "back to back is not a conflict");
        assert_eq!(
            span_text(a.0, a.1, Lang::Pl),
            "środa, 10 marca 2027, 09:00–12:00"
        );
        assert_eq!(
            span_text(
                utc("2027-10-30T08:00:00Z"),
                utc("2027-10-31T14:00:00Z"),
                Lang::En
            ),
            "Saturday, 30 October 2027, 10:00 – Sunday, 31 October 2027, 15:00"
        );
    }

    #[test]
    fn audiences_intersect_groups_and_teams() {
        let all = Audience::default();
        assert!(all.whole_cohort());
        assert!(all.includes(Group::Ngo, "3026043"));
        let officials_of_srem = Audience {
            groups: vec![Group::Official],
            teams: vec!["3026043".into()],
        };
        assert!(officials_of_srem.includes(Group::Official, "3026043"));
        assert!(!officials_of_srem.includes(Group::Ngo, "3026043"));
        assert!(!officials_of_srem.includes(Group::Official, "3063011"));
        assert_eq!(
            Audience::parse_groups("ngo,official,ngo"),
            vec![Group::Official, Group::Ngo]
        );
    }

    #[test]
    fn month_grid_starts_on_monday() {
        let weeks = month_weeks(2027, 10).unwrap();
        assert_eq!(weeks[0][0], NaiveDate::from_ymd_opt(2027, 9, 27).unwrap());
        assert_eq!(
            weeks.last().unwrap()[6],
            NaiveDate::from_ymd_opt(2027, 10, 31).unwrap()
        );
        assert_eq!(weeks.len(), 5);
        assert_eq!(month_weeks(2027, 2).unwrap().len(), 4);
        assert_eq!(month_name(2027, 10, Lang::Pl), "październik 2027");
        let (from, to) = days_span(
            NaiveDate::from_ymd_opt(2027, 10, 31).unwrap(),
            NaiveDate::from_ymd_opt(2027, 10, 31).unwrap(),
        );
        assert_eq!(from, utc("2027-10-30T22:00:00Z"));
        assert_eq!(to, utc("2027-10-31T23:00:00Z"));
    }
}
