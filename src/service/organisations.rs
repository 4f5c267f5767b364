//! Organisations: reused across cohorts, one per KRS number.

use serde_json::json;

use crate::db::audit::{self, Actor, Change};
use crate::db::organisations::{self, Organisation, OrganisationFields};
use crate::db::users::User;
use crate::db::{Db, Id, gminy};
use crate::domain::Teryt;
use crate::domain::participant::{Krs, OrganisationKind};
use crate::error::{AppError, AppResult, ValidationErrors, invalid};
use crate::service::programmes::manages;

#[derive(Clone, Debug, Default)]
pub struct OrganisationInput {
    pub name: String,
    pub kind: String,
    pub krs: String,
    pub gmina: String,
}

async fn validate(db: &Db, input: &OrganisationInput) -> AppResult<OrganisationFields> {
    let mut errors = ValidationErrors::new();
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.add("name", "err.required");
    } else if name.chars().count() > 200 {
        errors.add("name", "err.too_long");
    }
    let kind = OrganisationKind::parse(&input.kind).or_else(|| {
        errors.add("kind", "err.orgkind_invalid");
        None
    });
    let krs = match input.krs.trim() {
        "" => None,
        text => Krs::parse(text).map_err(|k| errors.add("krs", k)).ok(),
    };
    let gmina = match input.gmina.trim() {
        "" => None,
        text => match Teryt::parse(text) {
            Ok(t) if gminy::find(db, t.as_str()).await?.is_some() => Some(t.to_string()),
            _ => {
                errors.add(
                    "gmina",
                    crate::i18n::Msg::new("err.gmina_unknown_code").arg("value", text),
                );
                None
            }
        },
    };
    errors.clone().into_result()?;
    let kind = kind.ok_or(AppError::Validation(errors))?;
    Ok(OrganisationFields {
        name,
        kind,
        krs: krs.map(|k| k.as_str().to_owned()),
        gmina_teryt: gmina,
    })
}

fn org_json(f: &OrganisationFields) -> serde_json::Value {
    json!({ "name": f.name, "kind": f.kind, "krs": f.krs, "gmina": f.gmina_teryt })
}

pub async fn list(db: &Db, user: &User) -> AppResult<Vec<Organisation>> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    Ok(organisations::list(db).await?)
}

pub async fn find(db: &Db, user: &User, id: Id) -> AppResult<Organisation> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    organisations::find(db, id).await?.ok_or(AppError::NotFound)
}

async fn krs_free(db: &Db, krs: Option<&str>, except: Option<Id>) -> AppResult<()> {
    if let Some(krs) = krs
        && let Some(other) = organisations::find_by_krs(db, krs).await?
        && Some(other.id) != except
    {
        return Err(invalid("krs", "err.krs_taken"));
    }
    Ok(())
}

pub async fn create(db: &Db, user: &User, input: &OrganisationInput) -> AppResult<Organisation> {
    if !manages(user) {
        return Err(AppError::Forbidden);
    }
    let fields = validate(db, input).await?;
    krs_free(db, fields.krs.as_deref(), None).await?;
    let mut tx = db.begin().await?;
    let id = organisations::insert(&mut tx, &fields).await?;
    let change = Change {
        action: "organisation.create",
        entity: "organisation",
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(org_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    organisations::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn update(
    db: &Db,
    user: &User,
    id: Id,
    input: &OrganisationInput,
) -> AppResult<Organisation> {
    let old = find(db, user, id).await?;
    let fields = validate(db, input).await?;
    krs_free(db, fields.krs.as_deref(), Some(id)).await?;
    let mut tx = db.begin().await?;
    organisations::update(&mut tx, id, &fields).await?;
    let change = Change {
        action: "organisation.update",
        entity: "organisation",
        entity_id: Some(id.to_string()),
        before: Some(
            json!({ "name": old.name, "kind": old.kind, "krs": old.krs, "gmina": old.gmina_teryt }),
        ),
        after: Some(org_json(&fields)),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    organisations::find(db, id).await?.ok_or(AppError::NotFound)
}
