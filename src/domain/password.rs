//! Passwords: argon2id hashes (PHC strings) and the minimum a new password must meet.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_LENGTH: usize = 10;

/// Checks a new password; the error is a translation key.
pub fn check_new(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_LENGTH {
        Err("err.password_short")
    } else if password.len() > 1024 {
        Err("err.password_long")
    } else {
        Ok(())
    }
}

/// Hashes with argon2id and a random salt (OWASP's default parameters).
pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
}

/// True when `password` matches the PHC string `stored`; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the email is unknown,
/// so a login for an unknown address takes as long as one for a known address.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        hash(&crate::domain::token::random_string(24)).unwrap_or_else(|_| String::from("$invalid"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_argon2id_and_verifies() {
        let h = hash("Zażółć-gęślą-jaźń").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Zażółć-gęślą-jaźń", &h));
        assert!(!verify("zażółć-gęślą-jaźń", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn new_passwords_need_ten_characters() {
        assert_eq!(check_new("krótkie"), Err("err.password_short"));
        assert_eq!(check_new("ąęółśżźćń1"), Ok(()));
    }
}
