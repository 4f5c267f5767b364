//! Random secrets: API tokens (stored as SHA-256 hashes), CSRF tokens, secret keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix that makes Akademia tokens recognisable in logs and secret scanners.
pub const API_TOKEN_PREFIX: &str = "akd_";

/// `bytes` random bytes from the thread's CSPRNG (ChaCha, seeded from the OS).
pub fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf
}

/// A URL-safe random string carrying `bytes` random bytes.
pub fn random_string(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

/// A new API token: 256 random bits behind a recognisable prefix.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_string(32))
}

/// The stored form of an API token: hex SHA-256 (tokens are random, so no salt or stretching is needed).
pub fn hash_api_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of any bytes (checksums of stored files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Constant-time comparison of two secrets.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_prefixed_and_hash_stably() {
        let a = new_api_token();
        let b = new_api_token();
        assert_ne!(a, b);
        assert!(a.starts_with(API_TOKEN_PREFIX));
        assert_eq!(a.len(), API_TOKEN_PREFIX.len() + 43);
        assert_eq!(hash_api_token(&a), hash_api_token(&a));
        assert_eq!(hash_api_token("abc").len(), 64);
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }
}
