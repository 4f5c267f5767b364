//! Uploaded evidence files (attendance scans, commissioned tasks' documents): refused when empty
//! or too large, judged by content rather than by name, stored under a safe name with a SHA-256.

use crate::error::{AppResult, invalid};
use crate::i18n::Msg;

/// Largest file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The kind of a file judged by its first bytes (not its name): PDF, JPEG or PNG.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("pdf", "application/pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("png", "image/png"))
    } else {
        None
    }
}

/// A file name safe to store and to send back: the base name, printable, at most 120 characters;
/// `fallback.ext` when nothing is left.
fn clean_name(name: &str, fallback: &str, ext: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if cleaned.is_empty() {
        format!("{fallback}.{ext}")
    } else {
        cleaned
    }
}

/// An upload that passed the checks, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedFile {
    pub name: String,
    pub content_type: &'static str,
    pub sha256: String,
}

/// Checks an upload; every refusal names the field `file`. `fallback` names a file sent without a
/// name (`lista-obecnosci` → `lista-obecnosci.pdf`).
pub fn check(file_name: &str, bytes: &[u8], fallback: &str) -> AppResult<CheckedFile> {
    if bytes.is_empty() {
        return Err(invalid("file", "err.required"));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(invalid(
            "file",
            Msg::new("err.evidence_too_large").arg("mb", MAX_EVIDENCE_BYTES / 1024 / 1024),
        ));
    }
    let Some((ext, content_type)) = sniff(bytes) else {
        return Err(invalid("file", "err.evidence_type"));
    };
    Ok(CheckedFile {
        name: clean_name(file_name, fallback, ext),
        content_type,
        sha256: crate::domain::token::sha256_hex(bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_judged_by_content_and_names_are_cleaned() {
        assert_eq!(sniff(b"%PDF-1.7 ...").map(|s| s.0), Some("pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|s| s.0), Some("jpg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]).map(|s| s.0),
            Some("png")
        );
        assert_eq!(sniff(b"MZ\x90\x00 not a scan"), None);
        assert_eq!(sniff(b"<html>%PDF-"), None);
        assert_eq!(
            clean_name("C:\\skany\\lista \"1\".pdf", "lista-obecnosci", "pdf"),
            "lista 1.pdf"
        );
        assert_eq!(
            clean_name("", "lista-obecnosci", "png"),
            "lista-obecnosci.png"
        );
    }

    #[test]
    fn a_checked_file_has_its_type_name_and_hash_and_refusals_name_the_field() {
        let file = check("", b"%PDF-1.4", "dokument").unwrap();
        assert_eq!(
            (file.name.as_str(), file.content_type),
            ("dokument.pdf", "application/pdf")
        );
        assert_eq!(file.sha256.len(), 64);
        for bytes in [&b""[..], b"plain text"] {
            let Err(crate::error::AppError::Validation(errors)) = check("x.pdf", bytes, "d") else {
                panic!("refused");
            };
            assert!(errors.for_field("file").is_some());
        }
    }
}
