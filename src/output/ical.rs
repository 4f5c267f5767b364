//! iCalendar (RFC 5545) feeds of activities, written with the `icalendar` crate: a stable UID per
//! activity, SEQUENCE bumped on every change, STATUS:CANCELLED for cancelled ones, times in UTC.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

/// One activity as a calendar shows it.
pub struct CalendarEvent {
    /// Stable across edits: the activity's id at the server's host.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sequence: u32,
    pub cancelled: bool,
    pub updated_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// A whole calendar named `name` (shown by Google Calendar and Outlook as the calendar's title).
pub fn calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut cal = Calendar::new();
    cal.name(name)
        .append_property(("PRODID", "-//Akademia//Harmonogram//PL"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"));
    for e in events {
        let mut event = Event::new();
        event
            .uid(&e.uid)
            .summary(&e.summary)
            .starts(e.starts_at)
            .ends(e.ends_at)
            .sequence(e.sequence)
            .timestamp(e.updated_at)
            .last_modified(e.updated_at)
            .created(e.created_at)
            .status(if e.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if !e.description.is_empty() {
            event.description(&e.description);
        }
        if !e.location.is_empty() {
            event.location(&e.location);
        }
        if let Some(url) = &e.url {
            event.url(url);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{CalendarComponent, DatePerhapsTime};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn round_trip_through_a_parser() {
        let events = vec![
            CalendarEvent {
                uid: "0192-a@akademia".into(),
                summary: "Wizyta studyjna: CAL Leszno, Żółkiewka; ąęśćńół".into(),
                description: "Rodzaj: wizyta studyjna\nProwadzi: Anna Ślęzak".into(),
                location: "Centrum Aktywności Lokalnej, Leszno".into(),
                url: Some("https://example.org/activities/1".into()),
                starts_at: utc("2027-10-31T09:00:00Z"),
                ends_at: utc("2027-10-31T14:00:00Z"),
                sequence: 2,
                cancelled: false,
                updated_at: utc("2027-01-01T10:00:00Z"),
                created_at: utc("2026-12-01T10:00:00Z"),
            },
            CalendarEvent {
                uid: "0192-b@akademia".into(),
                summary: "Webinar".into(),
                description: String::new(),
                location: String::new(),
                url: None,
                starts_at: utc("2027-04-01T15:00:00Z"),
                ends_at: utc("2027-04-01T16:30:00Z"),
                sequence: 1,
                cancelled: true,
                updated_at: utc("2027-01-01T10:00:00Z"),
                created_at: utc("2026-12-01T10:00:00Z"),
            },
        ];
        let text = calendar("Edycja 1", &events);
        assert!(text.contains("DTSTART:20271031T090000Z"), "{text}");
        let parsed: Calendar = text.parse().expect("parses back");
        let parsed_events: Vec<&Event> = parsed
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(parsed_events.len(), 2);
        let visit = parsed_events[0];
        assert_eq!(visit.get_uid(), Some("0192-a@akademia"));
        assert_eq!(
            visit.get_summary(),
            Some("Wizyta studyjna: CAL Leszno, Żółkiewka; ąęśćńół")
        );
        assert_eq!(
            visit.get_start(),
            Some(DatePerhapsTime::DateTime(
                utc("2027-10-31T09:00:00Z").into()
            ))
        );
        assert_eq!(visit.get_sequence(), Some(2));
        assert_eq!(visit.get_status(), Some(EventStatus::Confirmed));
        assert_eq!(
            visit.get_location(),
            Some("Centrum Aktywności Lokalnej, Leszno")
        );
        assert_eq!(parsed_events[1].get_status(), Some(EventStatus::Cancelled));
        assert!(
            text.lines().all(|l| l.len() <= 75),
            "lines folded at 75 octets"
        );
    }
}
