//! `akademia synth`: a synthetic programme (slug `synth`) for benchmarks. `national` covers every
//! gmina: 300 cohorts, 30,000 participants, 12,000 activities, 600,000 attendance marks and 3,000
//! commissioned tasks. Rows go in with multi-row INSERTs inside one transaction, so either the
//! whole programme is there or none of it.

use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};

use crate::db::audit::Actor;
use crate::db::users::User;
use crate::db::{Db, Id, gminy, now};
use crate::domain::Role;
use crate::domain::activity::ActivityKind;
use crate::domain::participant::person_key;
use crate::error::{AppError, AppResult, invalid};
use crate::on_tx;
use crate::service::programmes::{self, ProgrammeInput};

/// How big the programme is.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub cohorts: usize,
    /// Participants per cohort (a multiple of 3: one third per group).
    pub people: usize,
    /// Group-specific activities per cohort (one per group in turn) and joint ones.
    pub group_activities: usize,
    pub joint_activities: usize,
    pub tasks: usize,
}

impl Scale {
    pub const SMALL: Scale = Scale {
        cohorts: 6,
        people: 30,
        group_activities: 9,
        joint_activities: 3,
        tasks: 2,
    };
    /// 300 × 100 = 30,000 people; 300 × 40 = 12,000 activities; per cohort 30 group activities of
    /// ~33 people and 10 joint ones of 100 = ~2,000 marks, 600,000 in all; 300 × 10 = 3,000 tasks.
    pub const NATIONAL: Scale = Scale {
        cohorts: 300,
        people: 100,
        group_activities: 30,
        joint_activities: 10,
        tasks: 10,
    };

    pub fn parse(name: &str) -> Option<Scale> {
        match name {
            "small" => Some(Scale::SMALL),
            "national" => Some(Scale::NATIONAL),
            _ => None,
        }
    }
}

/// A small deterministic generator (xorshift), so every run builds the same programme.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FIRST_F: [&str; 8] = [
    "Anna",
    "Małgorzata",
    "Łucja",
    "Żaneta",
    "Bożena",
    "Ewa",
    "Jadwiga",
    "Zofia",
];
const FIRST_M: [&str; 8] = [
    "Grzegorz",
    "Paweł",
    "Zdzisław",
    "Jędrzej",
    "Michał",
    "Ścibor",
    "Łukasz",
    "Piotr",
];
const LAST: [&str; 10] = [
    "Nowak",
    "Wiśniewska",
    "Kowalczyk",
    "Dąbrowski",
    "Ślęzak",
    "Pająk",
    "Łuczak",
    "Ćwiek",
    "Kaźmierczak",
    "Grześkowiak",
];
const GROUPS: [&str; 3] = ["official", "ngo", "at_risk"];
const SPHERES: [&str; 4] = ["10", "13", "5a", "15"];
const MODES: [&str; 3] = ["ART19A_MALE_GRANTY", "OKO_WSPARCIE", "OKO_POWIERZENIE"];
const TARGETS: [&str; 4] = ["seniors", "integration", "foreigners", "children_youth"];

struct Person {
    participant: Id,
    enrolment: Id,
    first: &'static str,
    last: &'static str,
    sex: &'static str,
    birth_year: i32,
    gmina: String,
    group: usize,
}

struct Activity {
    id: Id,
    kind: ActivityKind,
    title: String,
    starts: chrono::DateTime<Utc>,
    hours_centi: i32,
    /// Index into GROUPS, or None for everyone.
    group: Option<usize>,
}

struct Task {
    gmina: String,
    title: String,
    sphere: &'static str,
    mode: &'static str,
    amount: i64,
    on: NaiveDate,
    target: &'static str,
    is_new: bool,
}

/// Rows per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const CHUNK: usize = 1_000;

macro_rules! insert_rows {
    ($tx:expr, $head:literal, $rows:expr, |$b:ident, $row:ident| $push:block) => {
        for chunk in $rows.chunks(CHUNK) {
            on_tx!($tx, |conn| {
                let mut qb = sqlx::QueryBuilder::new($head);
                qb.push_values(chunk.iter(), |mut $b, $row| $push);
                qb.build().execute(&mut *conn).await?;
                Ok::<(), sqlx::Error>(())
            })?;
        }
    };
}

async fn synth_user(db: &Db) -> AppResult<User> {
    if let Some(user) = crate::db::users::find_by_email(db, "synth@akademia.invalid").await? {
        return Ok(user);
    }
    let input = crate::service::users::NewUserInput {
        email: "synth@akademia.invalid".into(),
        name: "Synthetic coordinator".into(),
        role: Role::Coordinator.as_str().into(),
        password: crate::domain::token::random_string(24),
        password_confirm: None,
    };
    crate::service::users::create(db, &Actor::system(), &input).await
}

/// Generates the programme `synth` and returns what was made and how long it took.
pub async fn generate(db: &Db, scale: Scale) -> AppResult<String> {
    let started = Instant::now();
    if programmes::find_programme(db, "synth").await?.is_some() {
        return Err(invalid("programme", "synth.err.exists"));
    }
    let user = synth_user(db).await?;
    let programme = programmes::create(
        db,
        &user,
        &ProgrammeInput {
            name: "Synthetic national academy".into(),
            slug: "synth".into(),
            funder: "Benchmark".into(),
            starts_on: "2024-01-01".into(),
            ends_on: "2025-12-31".into(),
            acknowledgement: "Synthetic data for benchmarks.".into(),
            ..Default::default()
        },
    )
    .await?;
    let gminas: Vec<String> = gminy::all_active(db)
        .await?
        .into_iter()
        .map(|g| g.teryt)
        .collect();
    if gminas.is_empty() {
        return Err(AppError::Unexpected(anyhow::anyhow!("no gminas loaded")));
    }
    let trainer = user.id;
    let mut dice = Dice(0x5eed_cafe_f00d_1234);
    let at = now();
    let base = Utc
        .with_ymd_and_hms(2024, 2, 5, 9, 0, 0)
        .single()
        .unwrap_or(at);
    let mut tx = db.begin().await?;
    let (mut people_n, mut activities_n, mut marks_n, mut tasks_n) =
        (0usize, 0usize, 0usize, 0usize);
    let per_gmina = gminas.len().div_ceil(scale.cohorts).max(1);
    for c in 0..scale.cohorts {
        let cohort = Id::new();
        let slug = format!("synth-{:03}", c + 1);
        let starts_on = base.date_naive() + Duration::days((c % 12) as i64 * 30);
        on_tx!(&mut tx, |conn| {
            sqlx::query(
                "INSERT INTO cohorts (id, programme_id, slug, name, starts_on, ends_on, archived, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $7)",
            )
            .bind(cohort)
            .bind(programme.id)
            .bind(&slug)
            .bind(format!("Edycja syntetyczna {}", c + 1))
            .bind(starts_on)
            .bind(starts_on + Duration::days(300))
            .bind(at)
            .execute(&mut *conn)
            .await?;
            Ok::<(), sqlx::Error>(())
        })?;
        // The cohort's gminas: a slice of the register, so every gmina is reached once.
        let mine: Vec<String> = (0..per_gmina)
            .map(|i| gminas[(c * per_gmina + i) % gminas.len()].clone())
            .collect();
        let people: Vec<Person> = (0..scale.people)
            .map(|i| {
                let female = dice.below(2) == 0;
                Person {
                    participant: Id::new(),
                    enrolment: Id::new(),
                    first: if female {
                        FIRST_F[dice.below(8)]
                    } else {
                        FIRST_M[dice.below(8)]
                    },
                    last: LAST[dice.below(LAST.len())],
                    sex: if female { "F" } else { "M" },
                    birth_year: 1950 + dice.below(55) as i32,
                    gmina: mine[(i / 3) % mine.len()].clone(),
                    group: i % 3,
                }
            })
            .collect();
        insert_rows!(
            &mut tx,
            "INSERT INTO cohort_teams (cohort_id, gmina_teryt, added_at) ",
            mine,
            |b, g| {
                b.push_bind(cohort).push_bind(g.clone()).push_bind(at);
            }
        );
        insert_rows!(
            &mut tx,
            "INSERT INTO participants (id, first_name, last_name, sex, birth_year, created_at, updated_at) ",
            people,
            |b, p| {
                b.push_bind(p.participant)
                    .push_bind(p.first)
                    .push_bind(p.last)
                    .push_bind(p.sex)
                    .push_bind(p.birth_year)
                    .push_bind(at)
                    .push_bind(at);
            }
        );
        insert_rows!(
            &mut tx,
            "INSERT INTO enrolments (id, cohort_id, participant_id, gmina_teryt, grp, status, person_key, \
             created_at, updated_at) ",
            people,
            |b, p| {
                b.push_bind(p.enrolment)
                    .push_bind(cohort)
                    .push_bind(p.participant)
                    .push_bind(p.gmina.clone())
                    .push_bind(GROUPS[p.group])
                    .push_bind("active")
                    .push_bind(person_key(p.first, p.last))
                    .push_bind(at)
                    .push_bind(at);
            }
        );
        let count = scale.group_activities + scale.joint_activities;
        let activities: Vec<Activity> = (0..count)
            .map(|i| {
                let group = (i < scale.group_activities).then_some(i % 3);
                let kind = match (group, i % 10) {
                    (None, 0) => ActivityKind::StudyVisit,
                    (None, _) => ActivityKind::Training,
                    (Some(_), 9) => ActivityKind::Webinar,
                    (Some(_), 4) => ActivityKind::Coaching,
                    _ => ActivityKind::Training,
                };
                Activity {
                    id: Id::new(),
                    kind,
                    title: format!("{} {}", kind.as_str(), i + 1),
                    starts: base + Duration::days((c % 12) as i64 * 30 + i as i64 * 5),
                    hours_centi: [400, 600, 800][i % 3],
                    group,
                }
            })
            .collect();
        insert_rows!(
            &mut tx,
            "INSERT INTO activities (id, cohort_id, kind, title, starts_at, ends_at, hours_centi, location, \
             online_url, audience_groups, sequence, created_at, updated_at) ",
            activities,
            |b, a| {
                let minutes = i64::from(a.hours_centi) * 45 / 100;
                b.push_bind(a.id)
                    .push_bind(cohort)
                    .push_bind(a.kind)
                    .push_bind(a.title.clone())
                    .push_bind(a.starts)
                    .push_bind(a.starts + Duration::minutes(minutes))
                    .push_bind(a.hours_centi)
                    .push_bind("Sala gminna")
                    .push_bind("https://meet.example.org/synth")
                    .push_bind(a.group.map(|g| GROUPS[g]).unwrap_or(""))
                    .push_bind(0)
                    .push_bind(at)
                    .push_bind(at);
            }
        );
        insert_rows!(
            &mut tx,
            "INSERT INTO activity_trainers (activity_id, user_id) ",
            activities,
            |b, a| {
                b.push_bind(a.id).push_bind(trainer);
            }
        );
        // Everyone on each roster is marked: mostly present, some late, excused or absent.
        let mut marks: Vec<(Id, Id, &'static str, chrono::DateTime<Utc>)> = Vec::new();
        for a in &activities {
            for p in people
                .iter()
                .filter(|p| a.group.is_none_or(|g| g == p.group))
            {
                let status = match dice.below(20) {
                    0..=14 => "present",
                    15 => "late",
                    16 => "excused",
                    _ => "absent",
                };
                marks.push((a.id, p.enrolment, status, a.starts + Duration::hours(4)));
            }
        }
        insert_rows!(
            &mut tx,
            "INSERT INTO attendance (activity_id, enrolment_id, status, marked_by, marked_at) ",
            marks,
            |b, m| {
                b.push_bind(m.0)
                    .push_bind(m.1)
                    .push_bind(m.2)
                    .push_bind(trainer)
                    .push_bind(m.3);
            }
        );
        let tasks: Vec<Task> = (0..scale.tasks)
            .map(|i| Task {
                gmina: mine[i % mine.len()].clone(),
                title: format!("Zadanie syntetyczne {}-{}", c + 1, i + 1),
                sphere: SPHERES[i % SPHERES.len()],
                mode: MODES[dice.below(MODES.len())],
                amount: 500_000 + dice.below(4_000_000) as i64,
                on: starts_on + Duration::days(200 + i as i64 * 7),
                target: TARGETS[i % TARGETS.len()],
                is_new: i % 5 != 4,
            })
            .collect();
        insert_rows!(
            &mut tx,
            "INSERT INTO commissioned_tasks (id, cohort_id, gmina_teryt, team_teryt, title, sphere, mode, \
             contractor, amount_grosze, commissioned_on, status, is_new, target_groups, evidence_url, \
             created_by, created_at, updated_at) ",
            tasks,
            |b, t| {
                b.push_bind(Id::new())
                    .push_bind(cohort)
                    .push_bind(t.gmina.clone())
                    .push_bind(t.gmina.clone())
                    .push_bind(t.title.clone())
                    .push_bind(t.sphere)
                    .push_bind(t.mode)
                    .push_bind("Stowarzyszenie Syntetyczne")
                    .push_bind(t.amount)
                    .push_bind(t.on)
                    .push_bind("commissioned")
                    .push_bind(t.is_new)
                    .push_bind(t.target)
                    .push_bind("")
                    .push_bind(user.id)
                    .push_bind(at)
                    .push_bind(at);
            }
        );
        people_n += people.len();
        activities_n += activities.len();
        marks_n += marks.len();
        tasks_n += tasks.len();
    }
    tx.commit().await?;
    let reached = scale.cohorts * per_gmina;
    Ok(format!(
        "programme synth on {}: {} cohorts, {people_n} participants in {} gminas, {activities_n} activities, \
         {marks_n} attendance marks, {tasks_n} commissioned tasks; generated in {:.1} s",
        db.backend().as_str(),
        scale.cohorts,
        reached.min(gminas.len()),
        started.elapsed().as_secs_f64()
    ))
}
