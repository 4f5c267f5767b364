//! `Email`: a trimmed, lower-cased address with one `@`, a dotted domain and no spaces.

use std::fmt;

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an address as users type it; the error is a translation key.
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("err.required");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err("err.email_invalid");
        };
        let valid = value.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == ';');
        if valid {
            Ok(Email(value))
        } else {
            Err("err.email_invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn trims_and_lowercases() {
        assert_eq!(
            Email::parse("  Jan.Kowalski@Gmina.PL ").unwrap().as_str(),
            "jan.kowalski@gmina.pl"
        );
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "jan",
            "jan@",
            "@gmina.pl",
            "jan@gmina",
            "jan@@gmina.pl",
            "jan kowalski@gmina.pl",
            "jan@gmina..pl",
            "a@b.pl;c@d.pl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Email::parse(" ").unwrap_err(), "err.required");
    }
}
