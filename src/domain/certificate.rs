//! Certificates (zaświadczenia): the cohort's rule and who meets it, numbers, verification codes
//! and the file names certificates travel under.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::activity::ActivityKind;
use super::fold::fold;
use crate::i18n::{Lang, t, tf};

/// Attendance rate required when a cohort sets no rule.
pub const DEFAULT_MIN_RATE: u8 = 80;

/// Who earns a certificate: a minimum attendance rate, optionally a number of attended activities
/// of some kinds (e.g. one study visit) and an attended activity of each required module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Percent of the planned hours, 0–100.
    pub min_rate: u8,
    pub kinds: Vec<(ActivityKind, u32)>,
    pub modules: Vec<String>,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            min_rate: DEFAULT_MIN_RATE,
            kinds: Vec::new(),
            modules: Vec::new(),
        }
    }
}

/// What the rule is checked against, for one enrolment.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub withdrawn: bool,
    /// Hours × 100 of the held activities the person was on the roster of, and of those attended.
    pub planned: i64,
    pub attended: i64,
    /// Attended (present or late) activities per kind.
    pub kinds: HashMap<ActivityKind, u32>,
    /// Folded names of the modules with at least one attended activity.
    pub modules: HashSet<String>,
}

/// One reason someone is not yet eligible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shortfall {
    Withdrawn,
    /// Nothing has been held for them yet, so there is no rate.
    NothingHeld,
    /// Their rate in whole percent (rounded down) and the rate required.
    Rate {
        percent: i64,
        required: u8,
    },
    Kind {
        kind: ActivityKind,
        have: u32,
        need: u32,
    },
    Module(String),
}

/// The reasons `facts` fall short of `rule`; empty means eligible.
pub fn evaluate(rule: &Rule, facts: &Facts) -> Vec<Shortfall> {
    let mut out = Vec::new();
    if facts.withdrawn {
        out.push(Shortfall::Withdrawn);
    }
    if facts.planned <= 0 {
        out.push(Shortfall::NothingHeld);
    } else if facts.attended * 100 < i64::from(rule.min_rate) * facts.planned {
        out.push(Shortfall::Rate {
            percent: facts.attended * 100 / facts.planned,
            required: rule.min_rate,
        });
    }
    for (kind, need) in &rule.kinds {
        let have = facts.kinds.get(kind).copied().unwrap_or(0);
        if have < *need {
            out.push(Shortfall::Kind {
                kind: *kind,
                have,
                need: *need,
            });
        }
    }
    for module in &rule.modules {
        if !facts.modules.contains(&fold(module.trim())) {
            out.push(Shortfall::Module(module.clone()));
        }
    }
    out
}

impl Shortfall {
    /// "63 % obecności, wymagane 80 %", "brak wizyty studyjnej".
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Shortfall::Withdrawn => t(lang, "cert.short.withdrawn"),
            Shortfall::NothingHeld => t(lang, "cert.short.nothing_held"),
            Shortfall::Rate { percent, required } => tf(
                lang,
                "cert.short.rate",
                &[("rate", percent.to_string()), ("min", required.to_string())],
            ),
            Shortfall::Kind {
                kind,
                have: 0,
                need: 1,
            } => t(lang, &format!("cert.short.no.{}", kind.as_str())),
            Shortfall::Kind { kind, have, need } => tf(
                lang,
                "cert.short.kind",
                &[
                    ("kind", t(lang, &format!("cert.kinds.{}", kind.as_str()))),
                    ("have", have.to_string()),
                    ("need", need.to_string()),
                ],
            ),
            Shortfall::Module(m) => tf(lang, "cert.short.module", &[("module", m.clone())]),
        }
    }
}

/// Parses `study_visit=1, coaching=2` (kinds in any accepted spelling); a kind without a count
/// means one. Errors name the part that is wrong.
pub fn parse_kinds(input: &str) -> Result<Vec<(ActivityKind, u32)>, String> {
    let mut out: Vec<(ActivityKind, u32)> = Vec::new();
    for part in input.split([',', ';', '\n']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let (name, count) = match part.split_once(['=', ':']) {
            Some((n, c)) => (n.trim(), c.trim()),
            None => (part, "1"),
        };
        let kind = ActivityKind::parse(name).ok_or_else(|| part.to_owned())?;
        let count: u32 = count
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| part.to_owned())?;
        match out.iter_mut().find(|(k, _)| *k == kind) {
            Some(entry) => entry.1 = count,
            None => out.push((kind, count)),
        }
    }
    Ok(out)
}

/// The stored form of kind requirements: `study_visit=1,coaching=2`.
pub fn kinds_text(kinds: &[(ActivityKind, u32)]) -> String {
    kinds
        .iter()
        .map(|(k, n)| format!("{}={n}", k.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Required modules, one per line, trimmed, without blanks or repeats (ignoring case and diacritics).
pub fn parse_modules(input: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    input
        .lines()
        .map(str::trim)
        .filter(|m| !m.is_empty() && seen.insert(fold(m)))
        .map(str::to_owned)
        .collect()
}

/// A certificate-number prefix: 1–24 of A–Z, 0–9 and `-`, upper-cased.
pub fn parse_prefix(input: &str) -> Option<String> {
    let p = input.trim().to_ascii_uppercase();
    let ok = (1..=24).contains(&p.len())
        && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !p.starts_with('-')
        && !p.ends_with('-');
    ok.then_some(p)
}

/// The prefix a cohort gets until someone sets one: its slug in capitals.
pub fn default_prefix(slug: &str) -> String {
    let p: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(24)
        .collect::<String>()
        .trim_matches('-')
        .to_ascii_uppercase();
    if p.is_empty() { "CERT".to_owned() } else { p }
}

/// `WARNIK/2022/017`.
pub fn number(prefix: &str, year: i32, sequence: i32) -> String {
    format!("{prefix}/{year}/{sequence:03}")
}

/// Crockford's base 32: no I, L, O or U, so nothing is mistaken for 1 or 0.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 16 symbols of 5 bits: 80 random bits.
pub const CODE_LEN: usize = 16;

/// A new verification code (16 symbols, 80 bits from the OS's generator), unformatted.
pub fn new_code() -> String {
    let bytes = super::token::random_bytes(10);
    let mut bits: u128 = 0;
    for b in &bytes {
        bits = (bits << 8) | u128::from(*b);
    }
    (0..CODE_LEN)
        .map(|i| char::from(ALPHABET[((bits >> (5 * (CODE_LEN - 1 - i))) & 31) as usize]))
        .collect()
}

/// A typed code as stored: spaces and hyphens dropped, upper case, O read as 0 and I/L as 1;
/// `None` unless it is 16 valid symbols.
pub fn normalise_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// `7K3MQ9XD2HFBTR4W` → `7K3M-Q9XD-2HFB-TR4W`.
pub fn format_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Text reduced to ASCII letters, digits and hyphens: `Żółkiewska-Łęcka` → `Zolkiewska-Lecka`.
pub fn ascii_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'ł' => 'l',
            'Ł' => 'L',
            'ø' => 'o',
            'Ø' => 'O',
            'ß' => 's',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if (c == '-' || c.is_whitespace() || c == '\'') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// `2022-017_Zolkiewska-Lecka_Malgorzata.pdf`.
pub fn file_name(year: i32, sequence: i32, last_name: &str, first_name: &str) -> String {
    let mut name = format!("{year}-{sequence:03}");
    for part in [last_name, first_name] {
        let part = ascii_name(part);
        if !part.is_empty() {
            name.push('_');
            name.push_str(&part);
        }
    }
    name.push_str(".pdf");
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(planned: i64, attended: i64) -> Facts {
        Facts {
            planned,
            attended,
            ..Facts::default()
        }
    }

    #[test]
    fn the_rate_is_compared_exactly_and_shown_rounded_down() {
        let rule = Rule::default();
        assert!(evaluate(&rule, &facts(1000, 800)).is_empty());
        assert_eq!(
            evaluate(&rule, &facts(1000, 799)),
            vec![Shortfall::Rate {
                percent: 79,
                required: 80
            }]
        );
        assert_eq!(
            Shortfall::Rate {
                percent: 63,
                required: 80
            }
            .text(Lang::Pl),
            "63 % obecności, wymagane 80 %"
        );
        assert_eq!(evaluate(&rule, &facts(0, 0)), vec![Shortfall::NothingHeld]);
        let zero = Rule {
            min_rate: 0,
            ..Rule::default()
        };
        assert!(evaluate(&zero, &facts(400, 0)).is_empty());
    }

    #[test]
    fn kinds_and_modules_are_required_when_the_rule_says_so() {
        let rule = Rule {
            min_rate: 80,
            kinds: vec![(ActivityKind::StudyVisit, 1), (ActivityKind::Coaching, 2)],
            modules: vec!["Zlecanie zadań".into()],
        };
        let mut f = facts(1000, 1000);
        f.kinds.insert(ActivityKind::Coaching, 1);
        let short = evaluate(&rule, &f);
        assert_eq!(short.len(), 3);
        assert_eq!(short[0].text(Lang::Pl), "brak wizyty studyjnej");
        assert_eq!(short[0].text(Lang::En), "no study visit");
        assert_eq!(short[1].text(Lang::Pl), "coaching: 1 z 2");
        assert_eq!(short[2].text(Lang::Pl), "brak modułu „Zlecanie zadań”");
        f.kinds.insert(ActivityKind::StudyVisit, 1);
        f.kinds.insert(ActivityKind::Coaching, 2);
        f.modules.insert("zlecanie zadan".into());
        assert!(evaluate(&rule, &f).is_empty());
        f.withdrawn = true;
        assert_eq!(evaluate(&rule, &f), vec![Shortfall::Withdrawn]);
    }

    #[test]
    fn kind_requirements_parse_in_any_spelling() {
        assert_eq!(
            parse_kinds("wizyta studyjna, coaching=2"),
            Ok(vec![
                (ActivityKind::StudyVisit, 1),
                (ActivityKind::Coaching, 2)
            ])
        );
        assert_eq!(
            parse_kinds(&kinds_text(&[(ActivityKind::Webinar, 3)])),
            Ok(vec![(ActivityKind::Webinar, 3)])
        );
        assert_eq!(parse_kinds(""), Ok(vec![]));
        assert_eq!(parse_kinds("wycieczka=1"), Err("wycieczka=1".into()));
        assert_eq!(parse_kinds("coaching=0"), Err("coaching=0".into()));
        assert_eq!(
            parse_modules(" A \n\na\nB "),
            vec!["A".to_owned(), "B".to_owned()]
        );
    }

    #[test]
    fn codes_carry_80_bits_and_read_back_however_typed() {
        let code = new_code();
        assert_eq!(code.len(), 16);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(code, new_code());
        let shown = format_code(&code);
        assert_eq!(shown.len(), 19);
        assert_eq!(normalise_code(&shown), Some(code.clone()));
        assert_eq!(
            normalise_code(&shown.to_lowercase().replace('-', " ")),
            Some(code)
        );
        assert_eq!(
            normalise_code("oooo-iiii-llll-2222"),
            Some("0000111111112222".into())
        );
        assert_eq!(normalise_code("ZZZZ-ZZZZ-ZZZZ-ZZZ"), None);
        assert_eq!(normalise_code("UUUU-ZZZZ-ZZZZ-ZZZZ"), None);
    }

    #[test]
    fn numbers_prefixes_and_file_names() {
        assert_eq!(number("WARNIK", 2022, 17), "WARNIK/2022/017");
        assert_eq!(number("W", 2022, 1234), "W/2022/1234");
        assert_eq!(parse_prefix(" warnik-21 "), Some("WARNIK-21".into()));
        assert_eq!(parse_prefix("WAR NIK"), None);
        assert_eq!(parse_prefix(""), None);
        assert_eq!(default_prefix("warnik-2021"), "WARNIK-2021");
        assert_eq!(
            file_name(2022, 17, "Żółkiewska-Łęcka", "Małgorzata"),
            "2022-017_Zolkiewska-Lecka_Malgorzata.pdf"
        );
        assert_eq!(
            file_name(2022, 3, "O'Brien  Smith", "Zoë"),
            "2022-003_O-Brien-Smith_Zoe.pdf"
        );
        assert_eq!(file_name(2022, 4, "Usunięto", ""), "2022-004_Usunieto.pdf");
    }
}
