//! The results report of a cohort or of a whole programme, and who may read it: admins and the
//! programme's coordinators (exact numbers), and funders who are members of the programme
//! (funder-facing: cells about at-risk participants below the programme's threshold hidden).
//! A report never holds a name, an email or a phone.

use std::collections::BTreeMap;

use chrono::{Datelike, Utc};
use rocket::tokio::{join, try_join};

use crate::db::Db;
use crate::db::programmes::{self as store, Cohort, Programme};
use crate::db::reports::{self as rows, Within};
use crate::db::tasks::{self as task_store, TaskRow};
use crate::db::users::User;
use crate::domain::Role;
use crate::domain::report::{Certificates, Report, Scope, Tally, TaskLine, Tasks};
use crate::domain::tally::{self, Counting, Rows};
use crate::domain::task::{TargetGroup, TaskStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t};
use crate::service::programmes::{find_cohort, find_programme};
use crate::service::{indicators, surveys};

/// Whom a report is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facing {
    /// Admins and coordinators: exact numbers.
    Staff,
    /// Funders (or staff previewing what funders see): small at-risk cells hidden.
    Funder,
}

/// The report of a cohort (id or slug) for `user`.
pub async fn cohort(db: &Db, user: &User, cohort_key: &str) -> AppResult<Report> {
    cohort_with(db, user, cohort_key, false).await
}

/// The report of a programme (id or slug) for `user`.
pub async fn programme(db: &Db, user: &User, programme_key: &str) -> AppResult<Report> {
    programme_with(db, user, programme_key, false).await
}

/// `cohort`, where staff may ask for the funder-facing version (`funder_view`).
pub async fn cohort_with(
    db: &Db,
    user: &User,
    cohort_key: &str,
    funder_view: bool,
) -> AppResult<Report> {
    refuse_outsiders(user)?;
    let cohort = find_cohort(db, cohort_key)
        .await?
        .ok_or(AppError::NotFound)?;
    let facing = reader(db, user, cohort.programme_id, funder_view).await?;
    cohort_of(db, &cohort, facing).await
}

/// `programme`, where staff may ask for the funder-facing version (`funder_view`).
pub async fn programme_with(
    db: &Db,
    user: &User,
    programme_key: &str,
    funder_view: bool,
) -> AppResult<Report> {
    refuse_outsiders(user)?;
    let programme = find_programme(db, programme_key)
        .await?
        .ok_or(AppError::NotFound)?;
    let facing = reader(db, user, programme.id, funder_view).await?;
    programme_of(db, &programme, facing).await
}

/// Roles that never read reports (trainers) get 403 before anything is looked up.
fn refuse_outsiders(user: &User) -> AppResult<()> {
    match user.role {
        Role::Admin | Role::Coordinator | Role::Funder => Ok(()),
        Role::Trainer => Err(AppError::Forbidden),
    }
}

/// How `user` reads the programme's reports; 404 for coordinators and funders outside it, so
/// nobody learns what exists elsewhere.
async fn reader(
    db: &Db,
    user: &User,
    programme_id: crate::db::Id,
    funder_view: bool,
) -> AppResult<Facing> {
    let member = user.role == Role::Admin || store::is_member(db, programme_id, user.id).await?;
    if !member {
        return Err(AppError::NotFound);
    }
    Ok(if user.role == Role::Funder || funder_view {
        Facing::Funder
    } else {
        Facing::Staff
    })
}

/// The report of a cohort already found (no access check: the command line, other services).
pub async fn cohort_of(db: &Db, cohort: &Cohort, facing: Facing) -> AppResult<Report> {
    let programme = store::find(db, cohort.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = Scope {
        kind: "cohort".to_owned(),
        slug: cohort.slug.clone(),
        name: cohort.name.clone(),
        programme: programme.name.clone(),
        funder: programme.funder.clone(),
        starts_on: Some(cohort.starts_on),
        ends_on: Some(cohort.ends_on),
        cohorts: 1,
        ..Scope::default()
    };
    let mut report = build(db, Within::Cohort(cohort.id), &programme, scope, facing).await?;
    // Indicators are set for a programme: a cohort's report carries them when it is the whole
    // programme, and otherwise leaves them to the programme's report.
    if store::cohorts_of(db, programme.id).await?.len() == 1 {
        report.indicators = indicators::lines(db, programme.id, &report).await?;
    }
    Ok(report)
}

/// The report of a programme already found, over all its cohorts (no access check).
pub async fn programme_of(db: &Db, programme: &Programme, facing: Facing) -> AppResult<Report> {
    let cohorts = store::cohorts_of(db, programme.id).await?;
    let scope = Scope {
        kind: "programme".to_owned(),
        slug: programme.slug.clone(),
        name: programme.name.clone(),
        programme: programme.name.clone(),
        funder: programme.funder.clone(),
        starts_on: Some(programme.starts_on),
        ends_on: Some(programme.ends_on),
        cohorts: cohorts.len() as i64,
        ..Scope::default()
    };
    let mut report = build(
        db,
        Within::Programme(programme.id),
        programme,
        scope,
        facing,
    )
    .await?;
    report.indicators = indicators::lines(db, programme.id, &report).await?;
    Ok(report)
}

async fn build(
    db: &Db,
    within: Within,
    programme: &Programme,
    mut scope: Scope,
    facing: Facing,
) -> AppResult<Report> {
    // Independent queries, run together: the database works while the rows already here decode.
    let tasks = async {
        match within {
            Within::Cohort(id) => task_store::for_cohort(db, id).await,
            Within::Programme(id) => task_store::for_programme(db, id).await,
        }
    };
    let competence = async {
        match within {
            Within::Cohort(id) => surveys::competence(db, id).await,
            Within::Programme(id) => surveys::competence_of_programme(db, id).await,
        }
    };
    let rows = async {
        try_join!(
            rows::people(db, within),
            rows::gminas(db, within),
            rows::sessions(db, within),
            rows::teams(db, within),
            rows::roster_changes(db, within),
            rows::attended(db, within),
            rows::certificates(db, within),
            tasks,
        )
    };
    let (rows, change) = join!(rows, competence);
    let (people, gminas, sessions, teams, changes, attended, (issued, revoked), tasks) = rows?;
    let change = change?;
    let data = Rows {
        people,
        gminas,
        sessions,
        teams,
        changes,
        attended,
    };
    let now = Utc::now();
    let counting = Counting {
        start_year: scope.starts_on.map_or(now.year(), |d| d.year()),
        now,
        suppress: facing == Facing::Funder,
        threshold: i64::from(programme.small_cell_threshold),
    };
    scope.generated_at = Some(now);
    scope.suppressed = counting.suppress;
    scope.threshold = counting.threshold;
    // A national programme is a few hundred thousand rows to count: off the async workers.
    let report = crate::service::blocking(move || {
        let mut new_by_gmina: BTreeMap<String, i64> = BTreeMap::new();
        for task in tasks.iter().filter(|t| t.status.counts() && t.is_new) {
            *new_by_gmina.entry(task.gmina_teryt.clone()).or_default() += 1;
        }
        Report {
            participants: tally::participants(&data, &counting),
            gminas: tally::gminas(&data, &counting, &new_by_gmina),
            activities: tally::activities(&data),
            attendance: tally::attendance(&data, &counting),
            certificates: Certificates { issued, revoked },
            commissioned_tasks: commissioned_tasks(&tasks),
            competence: tally::competence(&change, &counting),
            indicators: Vec::new(),
            scope,
        }
    })
    .await?;
    Ok(report)
}

fn pln(grosze: i64) -> f64 {
    grosze as f64 / 100.0
}

/// Tasks and their amount (grosze) under one key, with the key's label.
#[derive(Default)]
struct Tallies(BTreeMap<String, (String, i64, i64)>);

impl Tallies {
    fn add(&mut self, key: &str, label: &str, grosze: i64) {
        let entry = self
            .0
            .entry(key.to_owned())
            .or_insert_with(|| (label.to_owned(), 0, 0));
        entry.1 += 1;
        entry.2 += grosze;
    }

    /// Most frequent first, then by key, so the order is stable.
    fn into_list(self) -> Vec<Tally> {
        let mut list: Vec<Tally> = self
            .0
            .into_iter()
            .map(|(key, (label, count, grosze))| Tally {
                key,
                label,
                count,
                amount_pln: pln(grosze),
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        list
    }
}

/// Commissioned tasks: only commissioned or completed ones count as outcomes; labels in Polish
/// (sphere and mode names come from the Polish reference data; keys stay stable for translation).
pub fn commissioned_tasks(tasks: &[TaskRow]) -> Tasks {
    let counted: Vec<&TaskRow> = tasks.iter().filter(|t| t.status.counts()).collect();
    let new: Vec<&&TaskRow> = counted.iter().filter(|t| t.is_new).collect();
    let mut gminas: Vec<&str> = new.iter().map(|t| t.gmina_teryt.as_str()).collect();
    gminas.sort_unstable();
    gminas.dedup();
    let (mut by_sphere, mut by_mode, mut by_target_group) =
        (Tallies::default(), Tallies::default(), Tallies::default());
    let mut total = 0;
    for task in &counted {
        let amount = task.amount_grosze.unwrap_or(0);
        total += amount;
        by_sphere.add(&task.sphere, &task.sphere_label, amount);
        by_mode.add(&task.mode, &task.mode_name, amount);
        for group in target_groups(&task.target_groups) {
            by_target_group.add(group.as_str(), &t(Lang::Pl, group.label_key()), amount);
        }
    }
    Tasks {
        gminas_commissioning: gminas.len() as i64,
        new_tasks: new.len() as i64,
        commissioned: counted.len() as i64,
        in_preparation: tasks
            .iter()
            .filter(|t| matches!(t.status, TaskStatus::Planned | TaskStatus::Announced))
            .count() as i64,
        total_amount_pln: pln(total),
        by_sphere: by_sphere.into_list(),
        by_mode: by_mode.into_list(),
        by_target_group: by_target_group.into_list(),
        list: tasks.iter().map(task_line).collect(),
    }
}

fn target_groups(text: &str) -> Vec<TargetGroup> {
    text.split(',').filter_map(TargetGroup::parse).collect()
}

fn task_line(t: &TaskRow) -> TaskLine {
    TaskLine {
        gmina: t.gmina_teryt.clone(),
        gmina_name: t.gmina_name.clone(),
        title: t.title.clone(),
        sphere: t.sphere.clone(),
        sphere_label: t.sphere_label.clone(),
        mode: t.mode.clone(),
        mode_name: t.mode_name.clone(),
        contractor: t.contractor.clone(),
        amount_pln: t.amount_grosze.map(pln),
        commissioned_on: t.commissioned_on,
        status: t.status.as_str().to_owned(),
        is_new: t.is_new,
        target_groups: target_groups(&t.target_groups)
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
    }
}
