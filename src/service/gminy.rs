//! Loading a newer GUS TERC register: all or nothing, gminas never deleted, the change audited.

use serde_json::json;

use crate::db::audit::{self, Actor, Change};
use crate::db::gminy::{self, LoadSummary};
use crate::db::reference::REGISTER_AS_OF_KEY;
use crate::db::{Db, settings};
use crate::domain::terc;
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::i18n::Msg;

/// A file with fewer voivodeships or gminas is a fragment, and applying it would retire the rest.
pub const MIN_VOIVODESHIPS: usize = 16;
pub const MIN_GMINY: usize = 2000;

pub async fn load_register(db: &Db, actor: &Actor, bytes: &[u8]) -> AppResult<LoadSummary> {
    let register = terc::parse(bytes).map_err(AppError::Validation)?;
    let voivodeships = register.voivodeships().len();
    if voivodeships < MIN_VOIVODESHIPS || register.gminy.len() < MIN_GMINY {
        let mut errors = ValidationErrors::new();
        errors.add(
            "file",
            Msg::new("err.terc_incomplete")
                .arg("gminy", register.gminy.len())
                .arg("voivodeships", voivodeships),
        );
        return Err(AppError::Validation(errors));
    }
    let retired_on = register
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut tx = db.begin().await?;
    let summary = gminy::apply_register(&mut tx, &register, retired_on).await?;
    let change = Change {
        action: "gminy.load",
        entity: "gminy",
        entity_id: register.as_of.map(|d| d.to_string()),
        before: None,
        after: Some(json!({
            "as_of": register.as_of,
            "gminy": register.gminy.len(),
            "added": summary.added,
            "updated": summary.updated,
            "retired": summary.retired,
            "unchanged": summary.unchanged,
        })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    if let Some(as_of) = register.as_of {
        settings::set(db, REGISTER_AS_OF_KEY, &as_of.to_string()).await?;
    }
    Ok(summary)
}
