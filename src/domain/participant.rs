//! Participants and enrolments: group, sex, birth year, enrolment status, organisation kind, KRS.
//! Each parser accepts the spellings coordinators type (Polish or English, any case).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::fold::fold;

/// Declares a text-backed enum with `as_str`, `label_key`, `ALL`, `Display`, `FromStr`, serde and SQL.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, { $($variant:ident => $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The translation key of the value's name as the UI shows it.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $text)),+ }
            }

            /// Parses any accepted spelling, ignoring case, diacritics and surrounding spaces.
            pub fn parse(input: &str) -> Option<$name> {
                let folded = fold(input.trim());
                match folded.as_str() {
                    $($text $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| UnknownValue(s.to_owned()))
            }
        }

        crate::sql_text_enum!($name);
    };
}
pub(crate) use text_enum;

#[derive(Debug, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

text_enum!(
    /// The three groups of a gmina team (DESIGN.md).
    Group, "group", {
        Official => "official" | "urzednik" | "urzedniczka" | "jst" | "pracownik jst",
        Ngo => "ngo" | "organizacja",
        AtRisk => "at_risk" | "onw" | "at risk" | "at-risk",
    }
);

text_enum!(
    /// Sex as funders disaggregate it; `K` (kobieta) and `F` are the same.
    Sex, "sex", {
        Female => "F" | "k" | "f" | "kobieta" | "female",
        Male => "M" | "m" | "mezczyzna" | "male",
    }
);

text_enum!(
    /// Where an enrolment stands.
    EnrolmentStatus, "status", {
        Enrolled => "enrolled" | "zapisany" | "zapisana",
        Active => "active" | "aktywny" | "aktywna",
        Withdrawn => "withdrawn" | "wycofany" | "wycofana" | "rezygnacja",
        Completed => "completed" | "ukonczyl" | "ukonczyla",
    }
);

text_enum!(
    /// The kinds of organisation participants come from.
    OrganisationKind, "orgkind", {
        Ngo => "ngo" | "organizacja pozarzadowa",
        SocialEnterprise => "social_enterprise" | "przedsiebiorstwo spoleczne",
        MunicipalOffice => "municipal_office" | "urzad gminy" | "urzad",
        PublicInstitution => "public_institution" | "instytucja publiczna",
        Partner => "partner",
        Other => "other" | "inna",
    }
);

/// The currency of a grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Currency {
    #[serde(rename = "PLN")]
    Pln,
    #[serde(rename = "EUR")]
    Eur,
}

impl Currency {
    pub fn as_str(self) -> &'static str {
        match self {
            Currency::Pln => "PLN",
            Currency::Eur => "EUR",
        }
    }
}

impl FromStr for Currency {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "PLN" | "ZL" | "ZŁ" => Ok(Currency::Pln),
            "EUR" => Ok(Currency::Eur),
            _ => Err(UnknownValue(s.to_owned())),
        }
    }
}
crate::sql_text_enum!(Currency);

/// Earliest birth year accepted; older entries are typing mistakes.
pub const MIN_BIRTH_YEAR: i32 = 1900;

/// A birth year: exactly four digits, not before 1900 and not after `this_year`.
pub fn parse_birth_year(input: &str, this_year: i32) -> Result<Option<i32>, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("err.birth_year_format");
    }
    let year: i32 = text.parse().map_err(|_| "err.birth_year_format")?;
    if (MIN_BIRTH_YEAR..=this_year).contains(&year) {
        Ok(Some(year))
    } else {
        Err("err.birth_year_range")
    }
}

/// The decade a birth year falls in (1979 → 1970): what an erased record keeps for age bands.
pub fn birth_decade(year: i32) -> i32 {
    year.div_euclid(10) * 10
}

/// A KRS number (National Court Register): 10 digits; shorter numbers are zero-padded as the
/// register prints them, spaces and dashes are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Krs(String);

impl Krs {
    pub fn parse(input: &str) -> Result<Krs, &'static str> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = digits
            .strip_prefix("KRS")
            .or_else(|| digits.strip_prefix("krs"))
            .unwrap_or(&digits)
            .to_owned();
        if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("err.krs_format");
        }
        if digits.bytes().all(|b| b == b'0') {
            return Err("err.krs_format");
        }
        Ok(Krs(format!("{digits:0>10}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as typed, trimmed: digits, spaces, `+`, `-`, parentheses; 6 to 20 characters.
pub fn parse_phone(input: &str) -> Result<Option<String>, &'static str> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Ok(None);
    }
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '/'));
    if allowed && (6..=15).contains(&digits) && text.len() <= 25 {
        Ok(Some(text))
    } else {
        Err("err.phone_format")
    }
}

/// The key that makes two records "possibly the same person": folded first and last name.
pub fn person_key(first_name: &str, last_name: &str) -> String {
    let join = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}|{}", join(first_name), join(last_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_spellings_in_any_case() {
        for (text, group) in [
            ("urzędnik", Group::Official),
            ("URZĘDNIK", Group::Official),
            ("Official", Group::Official),
            ("NGO", Group::Ngo),
            ("ngo", Group::Ngo),
            ("ONW", Group::AtRisk),
            (" at_risk ", Group::AtRisk),
        ] {
            assert_eq!(Group::parse(text), Some(group), "{text}");
        }
        assert_eq!(Group::parse("citizen"), None);
        assert_eq!(Group::parse("mayor"), None);
        assert_eq!(Group::AtRisk.as_str(), "at_risk");
    }

    #[test]
    fn sex_accepts_k_f_m() {
        assert_eq!(Sex::parse("K"), Some(Sex::Female));
        assert_eq!(Sex::parse("f"), Some(Sex::Female));
        assert_eq!(Sex::parse("m"), Some(Sex::Male));
        assert_eq!(Sex::parse("X"), None);
        assert_eq!(Sex::Female.as_str(), "F");
    }

    #[test]
    fn birth_year_is_four_digits_in_range() {
        assert_eq!(parse_birth_year("1979", 2026), Ok(Some(1979)));
        assert_eq!(parse_birth_year(" ", 2026), Ok(None));
        assert_eq!(parse_birth_year("19x5", 2026), Err("err.birth_year_format"));
        assert_eq!(parse_birth_year("79", 2026), Err("err.birth_year_format"));
        assert_eq!(parse_birth_year("1850", 2026), Err("err.birth_year_range"));
        assert_eq!(parse_birth_year("2030", 2026), Err("err.birth_year_range"));
        assert_eq!(birth_decade(1979), 1970);
    }

    #[test]
    fn krs_is_ten_digits_zero_padded() {
        assert_eq!(Krs::parse("0000123456").unwrap().as_str(), "0000123456");
        assert_eq!(Krs::parse("123456").unwrap().as_str(), "0000123456");
        assert_eq!(
            Krs::parse("KRS 0000 123 456").unwrap().as_str(),
            "0000123456"
        );
        assert!(Krs::parse("12345678901").is_err());
        assert!(Krs::parse("12a456").is_err());
        assert!(Krs::parse("0000000000").is_err());
    }

    #[test]
    fn phone_and_person_key() {
        assert_eq!(
            parse_phone(" +48 601  234 567 "),
            Ok(Some("+48 601 234 567".into()))
        );
        assert!(parse_phone("call me").is_err());
        assert_eq!(
            person_key(" Małgorzata ", "Żółkiewska-Łęcka"),
            person_key("malgorzata", "ZOLKIEWSKA-LECKA")
        );
    }
}
