//! Gminas: the 7-digit TERYT code and the three kinds of gmina.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A TERYT gmina code: 7 digits `WWPPGGR`, the last digit the gmina type (1, 2 or 3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Teryt(String);

impl Teryt {
    /// Parses a code; the error is a translation key.
    pub fn parse(input: &str) -> Result<Teryt, &'static str> {
        let code = input.trim();
        if code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit()) {
            if matches!(code.as_bytes()[6], b'1' | b'2' | b'3') {
                Ok(Teryt(code.to_owned()))
            } else {
                Err("err.teryt_kind")
            }
        } else {
            Err("err.teryt_format")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kind of gmina the code's last digit says.
    pub fn kind(&self) -> GminaKind {
        match self.0.as_bytes()[6] {
            b'1' => GminaKind::Urban,
            b'2' => GminaKind::Rural,
            _ => GminaKind::UrbanRural,
        }
    }

    pub fn voivodeship_code(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for Teryt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum GminaKind {
    #[serde(rename = "urban")]
    Urban,
    #[serde(rename = "rural")]
    Rural,
    #[serde(rename = "urban-rural")]
    UrbanRural,
}

impl GminaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GminaKind::Urban => "urban",
            GminaKind::Rural => "rural",
            GminaKind::UrbanRural => "urban-rural",
        }
    }

    /// The translation key of the kind's Polish/English name.
    pub fn label_key(self) -> &'static str {
        match self {
            GminaKind::Urban => "gmina.kind.urban",
            GminaKind::Rural => "gmina.kind.rural",
            GminaKind::UrbanRural => "gmina.kind.urban_rural",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown gmina kind {0:?}")]
pub struct UnknownKind(String);

impl FromStr for GminaKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "urban" => Ok(GminaKind::Urban),
            "rural" => Ok(GminaKind::Rural),
            "urban-rural" => Ok(GminaKind::UrbanRural),
            other => Err(UnknownKind(other.to_owned())),
        }
    }
}

crate::sql_text_enum!(GminaKind);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_reads_the_kind() {
        let srem = Teryt::parse(" 3026043 ").unwrap();
        assert_eq!(srem.as_str(), "3026043");
        assert_eq!(srem.kind(), GminaKind::UrbanRural);
        assert_eq!(srem.voivodeship_code(), "30");
        assert_eq!(Teryt::parse("3063011").unwrap().kind(), GminaKind::Urban);
        assert_eq!(Teryt::parse("3003032").unwrap().kind(), GminaKind::Rural);
    }

    #[test]
    fn rejects_malformed_codes() {
        assert_eq!(Teryt::parse("302604").unwrap_err(), "err.teryt_format");
        assert_eq!(Teryt::parse("30260431").unwrap_err(), "err.teryt_format");
        assert_eq!(Teryt::parse("30a6043").unwrap_err(), "err.teryt_format");
        assert_eq!(Teryt::parse("3026048").unwrap_err(), "err.teryt_kind");
        assert_eq!(Teryt::parse("").unwrap_err(), "err.teryt_format");
    }
}
