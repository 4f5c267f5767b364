//! A programme's indicators: coordinators define them (name, unit, baseline, target, source) and
//! enter the values of manual ones; the results report sets them against the actual figures.

use serde::Deserialize;
use serde_json::json;

use super::programmes::{programme_for, required_text};
use crate::db::audit::{self, Actor, Change};
use crate::db::indicators::{self as store, Indicator, IndicatorFields};
use crate::db::programmes::Programme;
use crate::db::users::User;
use crate::db::{Db, Id, now};
use crate::domain::indicator::{IndicatorLine, Source};
use crate::domain::report::Report;
use crate::error::{AppError, AppResult, ValidationErrors};
use crate::i18n::Msg;

/// An indicator as typed (numbers as text: `10`, `87,5`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct IndicatorInput {
    pub name: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub source: String,
    pub manual_value: String,
}

/// A number as people type it: `1 234,5` or `1234.5`; empty is `None`.
fn number(input: &str) -> Result<Option<f64>, ()> {
    let text: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && n.abs() < 1e12)
        .map(Some)
        .ok_or(())
}

fn validate(input: &IndicatorInput) -> AppResult<IndicatorFields> {
    let mut errors = ValidationErrors::new();
    let name = required_text(&mut errors, "name", &input.name, 200);
    let unit = input.unit.trim().to_owned();
    if unit.chars().count() > 30 {
        errors.add("unit", "err.too_long");
    }
    let mut num = |field: &str, value: &str| {
        number(value).unwrap_or_else(|()| {
            errors.add(field, "indicator.err.number");
            None
        })
    };
    let baseline = num("baseline", &input.baseline);
    let target = num("target", &input.target);
    let manual_value = num("manual_value", &input.manual_value);
    if target.is_none() && input.target.trim().is_empty() {
        errors.add("target", "err.required");
    }
    let source = Source::parse(&input.source);
    if source.is_none() {
        errors.add(
            "source",
            Msg::new("indicator.err.source").arg("value", input.source.trim()),
        );
    }
    errors.into_result()?;
    let source = source.unwrap_or(Source::Manual);
    Ok(IndicatorFields {
        name,
        unit,
        baseline,
        target: target.unwrap_or_default(),
        source,
        manual_value: manual_value.filter(|_| source == Source::Manual),
    })
}

pub async fn list(
    db: &Db,
    user: &User,
    programme_key: &str,
) -> AppResult<(Programme, Vec<Indicator>)> {
    let programme = programme_for(db, user, programme_key).await?;
    let list = store::for_programme(db, programme.id).await?;
    Ok((programme, list))
}

/// An indicator and its programme, for a coordinator of the programme (404 for others).
pub async fn indicator_for(db: &Db, user: &User, id: Id) -> AppResult<(Indicator, Programme)> {
    let indicator = store::find(db, id).await?.ok_or(AppError::NotFound)?;
    let programme = programme_for(db, user, &indicator.programme_id.to_string()).await?;
    Ok((indicator, programme))
}

fn change(
    action: &'static str,
    id: Id,
    before: Option<&Indicator>,
    after: Option<&IndicatorFields>,
) -> Change<'static> {
    Change {
        action,
        entity: "indicator",
        entity_id: Some(id.to_string()),
        before: before.map(|b| json!(b)),
        after: after.map(|a| json!(a)),
    }
}

pub async fn create(
    db: &Db,
    user: &User,
    programme_key: &str,
    input: &IndicatorInput,
) -> AppResult<Indicator> {
    let programme = programme_for(db, user, programme_key).await?;
    let fields = validate(input)?;
    let id = Id::new();
    let mut tx = db.begin().await?;
    store::insert(&mut tx, id, programme.id, &fields, now()).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        change("indicator.create", id, None, Some(&fields)),
    )
    .await?;
    tx.commit().await?;
    store::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn update(db: &Db, user: &User, id: Id, input: &IndicatorInput) -> AppResult<Indicator> {
    let (before, _) = indicator_for(db, user, id).await?;
    let fields = validate(input)?;
    let mut tx = db.begin().await?;
    store::update(&mut tx, id, &fields, now()).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        change("indicator.update", id, Some(&before), Some(&fields)),
    )
    .await?;
    tx.commit().await?;
    store::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn delete(db: &Db, user: &User, id: Id) -> AppResult<Programme> {
    let (before, programme) = indicator_for(db, user, id).await?;
    let mut tx = db.begin().await?;
    store::delete(&mut tx, id).await?;
    audit::record(
        &mut tx,
        &Actor::user(user),
        change("indicator.delete", id, Some(&before), None),
    )
    .await?;
    tx.commit().await?;
    Ok(programme)
}

/// The programme's indicators set against `report` (no access check: the caller made one).
pub async fn lines(db: &Db, programme_id: Id, report: &Report) -> AppResult<Vec<IndicatorLine>> {
    Ok(store::for_programme(db, programme_id)
        .await?
        .into_iter()
        .map(|i| {
            let actual = match i.source {
                Source::Manual => i.manual_value,
                s => s.actual(report),
            };
            let unit = if i.unit.is_empty() {
                i.source.default_unit().to_owned()
            } else {
                i.unit
            };
            IndicatorLine::new(i.name, unit, i.source, i.baseline, i.target, actual)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(number("1 234,5"), Ok(Some(1234.5)));
        assert_eq!(number(" 10 "), Ok(Some(10.0)));
        assert_eq!(number(""), Ok(None));
        assert_eq!(number("dziesięć"), Err(()));
        assert_eq!(number("NaN"), Err(()));
    }

    #[test]
    fn a_manual_value_only_stays_on_a_manual_indicator() {
        let input = IndicatorInput {
            name: "Nowe zadania".into(),
            target: "10".into(),
            source: "new_tasks".into(),
            manual_value: "3".into(),
            ..IndicatorInput::default()
        };
        let f = validate(&input).unwrap();
        assert_eq!(
            (f.source, f.manual_value, f.target),
            (Source::NewTasks, None, 10.0)
        );
        let bad = IndicatorInput {
            source: "stars".into(),
            target: "x".into(),
            ..IndicatorInput::default()
        };
        let AppError::Validation(errors) = validate(&bad).unwrap_err() else {
            panic!("validation error expected")
        };
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "target", "source"]);
    }
}
