//! Languages and every user-facing string in Polish and English (`src/messages.txt`).
//!
//! Templates call `t("key")`, `t("key", name=…)` and `tn("key", n)`; Rust code uses `Msg`, a key
//! with arguments that is translated when it is shown, so one message serves both languages.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language an `Accept-Language` header prefers among ours; Polish unless English comes first.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("pl") => Lang::Pl,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

struct Entry {
    pl: &'static str,
    en: &'static str,
}

static MESSAGES: LazyLock<HashMap<&'static str, Entry>> = LazyLock::new(|| {
    let mut map = parse_messages(include_str!("messages.txt"));
    map.extend(parse_messages(include_str!("messages_enrolment.txt")));
    map.extend(parse_messages(include_str!("messages_people.txt")));
    map.extend(parse_messages(include_str!("messages_schedule.txt")));
    map.extend(parse_messages(include_str!("messages_attendance.txt")));
    map.extend(parse_messages(include_str!("messages_certificates.txt")));
    map.extend(parse_messages(include_str!("messages_outcomes.txt")));
    map.extend(parse_messages(include_str!("messages_surveys.txt")));
    map.extend(parse_messages(include_str!("messages_reports.txt")));
    map
});

/// Parses the messages file: a key on its own line, then `pl: …` and `en: …` lines.
fn parse_messages(text: &'static str) -> HashMap<&'static str, Entry> {
    let mut map = HashMap::new();
    let mut key: Option<&'static str> = None;
    let mut pl: Option<&'static str> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(v) = trimmed.strip_prefix("pl:") {
            pl = Some(v.trim());
        } else if let Some(v) = trimmed.strip_prefix("en:") {
            if let (Some(k), Some(p)) = (key.take(), pl.take()) {
                map.insert(
                    k,
                    Entry {
                        pl: p,
                        en: v.trim(),
                    },
                );
            }
        } else {
            key = Some(trimmed);
            pl = None;
        }
    }
    map
}

/// The text of `key` in `lang`; an unknown key shows as `⟦key⟧` so tests and eyes catch it.
pub fn t(lang: Lang, key: &str) -> String {
    match MESSAGES.get(key) {
        Some(e) => match lang {
            Lang::Pl => e.pl.to_owned(),
            Lang::En => e.en.to_owned(),
        },
        None => {
            tracing::warn!(key, "missing translation");
            format!("⟦{key}⟧")
        }
    }
}

/// True when `key` has a translation.
pub fn exists(key: &str) -> bool {
    MESSAGES.contains_key(key)
}

/// Every defined key (for tests).
pub fn keys() -> Vec<&'static str> {
    MESSAGES.keys().copied().collect()
}

/// `key` in `lang` with each `{name}` replaced by its argument.
pub fn tf(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let mut text = t(lang, key);
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A plural message: the entry holds the forms separated by ` | ` — Polish one | few | many,
/// English one | other — and `{n}` is replaced by the number.
pub fn tn(lang: Lang, key: &str, n: i64) -> String {
    let text = t(lang, key);
    let forms: Vec<&str> = text.split(" | ").collect();
    let index = match lang {
        Lang::Pl => polish_plural_form(n),
        Lang::En => usize::from(n != 1),
    };
    let form = forms
        .get(index)
        .or(forms.last())
        .copied()
        .unwrap_or_default();
    form.replace("{n}", &n.to_string())
}

/// Index of the Polish plural form: 0 for 1, 1 for 2–4 (not 12–14), 2 otherwise.
pub fn polish_plural_form(n: i64) -> usize {
    let n = n.unsigned_abs();
    if n == 1 {
        0
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        1
    } else {
        2
    }
}

/// A message to show later in the reader's language: a key and named arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        tf(lang, self.key, &self.args)
    }
}

impl From<&'static str> for Msg {
    fn from(key: &'static str) -> Msg {
        Msg::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_plurals_follow_the_grammar() {
        let forms: Vec<usize> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 102, 112, 1001]
            .iter()
            .map(|&n| polish_plural_form(n))
            .collect();
        assert_eq!(forms, vec![2, 0, 1, 1, 2, 2, 2, 2, 2, 1, 2, 1, 2, 2]);
    }

    #[test]
    fn plural_messages_pick_the_right_form() {
        assert_eq!(tn(Lang::Pl, "count.gminas", 1), "1 gmina");
        assert_eq!(tn(Lang::Pl, "count.gminas", 3), "3 gminy");
        assert_eq!(tn(Lang::Pl, "count.gminas", 12), "12 gmin");
        assert_eq!(tn(Lang::Pl, "count.gminas", 22), "22 gminy");
        assert_eq!(tn(Lang::Pl, "count.gminas", 2477), "2477 gmin");
        assert_eq!(tn(Lang::En, "count.gminas", 1), "1 gmina");
        assert_eq!(tn(Lang::En, "count.gminas", 5), "5 gminas");
    }

    #[test]
    fn every_message_has_both_languages_and_no_key_is_defined_twice() {
        let text = concat!(
            include_str!("messages.txt"),
            "\n",
            include_str!("messages_enrolment.txt"),
            "\n",
            include_str!("messages_people.txt"),
            "\n",
            include_str!("messages_schedule.txt"),
            "\n",
            include_str!("messages_attendance.txt"),
            "\n",
            include_str!("messages_certificates.txt"),
            "\n",
            include_str!("messages_outcomes.txt"),
            "\n",
            include_str!("messages_surveys.txt"),
            "\n",
            include_str!("messages_reports.txt")
        );
        let mut seen = std::collections::HashSet::new();
        let mut expecting: Option<(&str, u8)> = None;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            match (
                line.strip_prefix("pl:"),
                line.strip_prefix("en:"),
                expecting,
            ) {
                (Some(v), _, Some((k, 0))) => {
                    assert!(!v.trim().is_empty(), "{k}: empty Polish text");
                    expecting = Some((k, 1));
                }
                (_, Some(v), Some((k, 1))) => {
                    assert!(!v.trim().is_empty(), "{k}: empty English text");
                    expecting = None;
                }
                (None, None, None) => {
                    assert!(seen.insert(line), "key {line} defined twice");
                    expecting = Some((line, 0));
                }
                _ => panic!("messages.txt: unexpected line {line:?} (after {expecting:?})"),
            }
        }
        assert!(expecting.is_none(), "messages.txt ends inside an entry");
        assert_eq!(seen.len(), keys().len());
    }

    #[test]
    fn accept_language_prefers_polish_unless_english_leads() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,pl;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("pl-PL,pl;q=0.9,en;q=0.8"),
            Lang::Pl
        );
        assert_eq!(Lang::from_accept_language("de-DE"), Lang::Pl);
        assert_eq!(Lang::from_accept_language(""), Lang::Pl);
    }

    #[test]
    fn unknown_keys_are_marked() {
        assert_eq!(t(Lang::Pl, "no.such.key"), "⟦no.such.key⟧");
    }
}
