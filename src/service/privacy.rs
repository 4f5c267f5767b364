//! Personal data rights (GDPR/RODO): a participant's data as JSON (art. 15) and erasure (art. 17).
//! Erasure anonymises the person but keeps group, gmina, sex, birth decade and enrolments,
//! so reports keep their numbers. Both are audited; the audit entry holds no personal data.

use serde_json::{Value, json};

use crate::db::audit::{self, Actor, Change};
use crate::db::enrolments::{self, EnrolmentRow};
use crate::db::users::User;
use crate::db::{Db, Id};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t};
use crate::service::programmes::{cohort_for, find_cohort};

/// The participant's enrolments `user` may see (admins: all); 404 when none.
async fn visible_enrolments(
    db: &Db,
    user: &User,
    participant_id: Id,
) -> AppResult<Vec<EnrolmentRow>> {
    if !crate::service::programmes::manages(user) {
        return Err(AppError::Forbidden);
    }
    let all = enrolments::for_participant(db, participant_id).await?;
    let mut visible = Vec::new();
    for e in all {
        match cohort_for(db, user, &e.cohort_id.to_string()).await {
            Ok(_) => visible.push(e),
            Err(AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    if visible.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(visible)
}

/// Everything stored about the person (art. 15), for the enrolments `user` may see.
pub async fn export(db: &Db, user: &User, participant_id: Id) -> AppResult<Value> {
    let visible = visible_enrolments(db, user, participant_id).await?;
    let p = enrolments::find_participant(db, participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut list = Vec::new();
    for e in &visible {
        let cohort = find_cohort(db, &e.cohort_id.to_string()).await?;
        list.push(json!({
            "enrolment": e.id,
            "programme": cohort.as_ref().map(|c| c.programme_name.clone()),
            "cohort": cohort.as_ref().map(|c| c.name.clone()),
            "gmina": e.gmina_teryt,
            "gmina_name": e.gmina_name,
            "group": e.grp,
            "organisation": e.organisation,
            "status": e.status,
            "withdrawn_on": e.withdrawn_on,
            "withdrawal_reason": e.withdrawal_reason,
            "enrolled_at": e.created_at,
        }));
    }
    let mut tx = db.begin().await?;
    let change = Change {
        action: "participant.export",
        entity: "participant",
        entity_id: Some(participant_id.to_string()),
        before: None,
        after: None,
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(json!({
        "participant": p.id,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "email": p.email,
        "phone": p.phone,
        "sex": p.sex,
        "birth_year": p.birth_year,
        "vulnerability": p.vulnerability,
        "consent_data_on": p.consent_data_on,
        "consent_image_on": p.consent_image_on,
        "erased_at": p.erased_at,
        "recorded_at": p.created_at,
        "updated_at": p.updated_at,
        "enrolments": list,
    }))
}

/// Anonymises the person (art. 17). Admins may erase anyone; a coordinator only a person all of
/// whose enrolments are in their programmes.
pub async fn erase(db: &Db, user: &User, participant_id: Id) -> AppResult<()> {
    let visible = visible_enrolments(db, user, participant_id).await?;
    let all = enrolments::for_participant(db, participant_id).await?;
    if user.role != Role::Admin && visible.len() != all.len() {
        return Err(AppError::Forbidden);
    }
    let p = enrolments::find_participant(db, participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.erased_at.is_some() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let placeholder = t(Lang::Pl, "privacy.erased_name");
    enrolments::erase_participant(&mut tx, participant_id, &placeholder).await?;
    // Their certificates stop naming them and verify as revoked from now on.
    let certificates = crate::db::certificates::erase_holder(
        &mut tx,
        participant_id,
        &placeholder,
        &t(Lang::Pl, "cert.erased_reason"),
        crate::db::now(),
    )
    .await?;
    let change = Change {
        action: "participant.erase",
        entity: "participant",
        entity_id: Some(participant_id.to_string()),
        before: None,
        after: Some(json!({ "enrolments": all.len(), "certificates": certificates })),
    };
    audit::record(&mut tx, &Actor::user(user), change).await?;
    tx.commit().await?;
    Ok(())
}
