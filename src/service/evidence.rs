//! Uploaded evidence files (attendance scans, commissioned tasks' documents): refused when empty
//! or too large, judged by content rather than by name, stored under a safe name with a SHA-256.

use serde_json::{Value, json};

use crate::db::audit::{self, Actor, Change};
use crate::db::evidence::{self as store, Evidence, Kind, NewEvidence};
use crate::db::users::User;
use crate::db::{Db, Id};
use crate::error::{AppError, AppResult, invalid};
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

/// What the audit keeps of a file: enough to recognise it, not its content.
pub fn file_record(id: Id, name: &str, bytes: i64, sha256: &str) -> Value {
    json!({ "evidence": id, "file": name, "bytes": bytes, "sha256": sha256 })
}

/// How a kind's uploads are named: the fallback file name (before its extension), the audit's
/// action and the owner's audit entity.
fn upload_terms(kind: Kind) -> (&'static str, &'static str, &'static str) {
    match kind {
        Kind::Attendance => ("lista-obecnosci", "attendance.evidence_upload", "activity"),
        Kind::Task => ("dokument", "task.evidence_upload", "commissioned_task"),
    }
}

/// Checks an upload, stores it under its owner (whom the caller has authorised) and audits it, in
/// one transaction; earlier files are kept.
pub async fn store(
    db: &Db,
    user: &User,
    kind: Kind,
    owner_id: Id,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Evidence> {
    let (fallback, action, entity) = upload_terms(kind);
    let CheckedFile {
        name,
        content_type,
        sha256,
    } = check(file_name, bytes, fallback)?;
    let new = NewEvidence {
        owner_id,
        file_name: &name,
        content_type,
        sha256: &sha256,
        content: bytes,
        uploaded_by: user.id,
    };
    let mut tx = db.begin().await?;
    let id = store::insert(&mut tx, kind, &new).await?;
    let change = Change {
        action,
        entity,
        entity_id: Some(owner_id.to_string()),
        before: None,
        after: Some(file_record(id, &name, bytes.len() as i64, &sha256)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    store::find(db, kind, id).await?.ok_or(AppError::NotFound)
}

/// A file's bytes, once the caller has found its metadata and authorised it.
pub async fn with_content(db: &Db, kind: Kind, meta: Evidence) -> AppResult<(Evidence, Vec<u8>)> {
    let bytes = store::content(db, kind, meta.id).await?;
    Ok((meta, bytes))
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
