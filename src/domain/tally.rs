//! Counting the results report from plain rows of one cohort or of a whole programme: pure, so
//! every number is unit-tested without a database. `service::reports` loads the rows (a few
//! queries for any number of cohorts) and adds certificates and commissioned tasks.
//!
//! Attendance follows `domain::attendance` exactly: rosters are derived from each activity's
//! audience and the coordinator's exceptions (as `service::activities::RosterBook` does), present
//! and late count as attended, planned = non-cancelled activities already started whose roster
//! held the person. Rates are attended / planned hours summed over people, never averaged.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::activity::{ActivityKind, Audience};
use super::fold::fold;
use super::participant::{EnrolmentStatus, Group, Sex};
use super::report::{
    Activities, Attendance, Breakdown, CompetenceChange, CompetenceItem, CompetenceLine, Count,
    GminaLine, Gminas, KindStats, Participants, complement,
};
use super::survey::{Competence, GroupChange};
use crate::db::Id;

/// An enrolment as the report needs it: no name, email or phone ever leaves the database.
#[derive(Clone, Debug, FromRow)]
pub struct Person {
    pub id: Id,
    pub cohort_id: Id,
    pub gmina_teryt: String,
    pub grp: Group,
    pub status: EnrolmentStatus,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    /// Kept instead of the birth year after erasure.
    pub birth_decade: Option<i32>,
}

impl Person {
    fn current(&self) -> bool {
        self.status != EnrolmentStatus::Withdrawn
    }
}

/// An activity as the report needs it.
#[derive(Clone, Debug, FromRow)]
pub struct Session {
    pub id: Id,
    pub cohort_id: Id,
    pub kind: ActivityKind,
    pub hours_centi: i32,
    pub cancelled: bool,
    pub starts_at: DateTime<Utc>,
    /// Comma-separated group codes; empty = every group.
    pub audience_groups: String,
}

/// Everything the counting needs, loaded for one cohort or every cohort of a programme.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    pub people: Vec<Person>,
    /// (TERYT, name, powiat) of the gminas of `people` and of commissioned tasks.
    pub gminas: Vec<(String, String, String)>,
    pub sessions: Vec<Session>,
    /// (activity, gmina TERYT): the teams an activity is for; none = every team.
    pub teams: Vec<(Id, String)>,
    /// (activity, enrolment, included): a coordinator's exceptions to a derived roster.
    pub changes: Vec<(Id, Id, bool)>,
    /// (activity, enrolments marked present or late) of non-cancelled activities.
    pub attended: Vec<(Id, Vec<Id>)>,
}

/// How to count: the scope's first year (for age bands), the moment (what has started), and
/// whether cells about at-risk participants are hidden below a threshold (funder-facing).
#[derive(Clone, Copy, Debug)]
pub struct Counting {
    pub start_year: i32,
    pub now: DateTime<Utc>,
    pub suppress: bool,
    pub threshold: i64,
}

impl Counting {
    /// A count about `group`: hidden when it concerns at-risk participants and is small.
    fn count(&self, group: Group, n: i64) -> Count {
        Count::new(n, self.suppress && group == Group::AtRisk, self.threshold)
    }
}

pub const AGE_BANDS: [&str; 5] = ["18-29", "30-44", "45-59", "60+", "unknown"];
pub const SEXES: [&str; 3] = ["F", "M", "unknown"];

/// The age band in `year` of someone born in `birth_year`; for an erased person only the decade
/// is kept and its middle year stands in. Under-18s (not expected in an academy) join the youngest.
pub fn age_band(birth_year: Option<i32>, birth_decade: Option<i32>, year: i32) -> &'static str {
    let Some(born) = birth_year.or(birth_decade.map(|d| d + 5)) else {
        return "unknown";
    };
    match year - born {
        ..=29 => "18-29",
        30..=44 => "30-44",
        45..=59 => "45-59",
        _ => "60+",
    }
}

fn sex_key(sex: Option<Sex>) -> &'static str {
    sex.map_or("unknown", Sex::as_str)
}

/// Participants by group, sex and age band (current enrolments), and the withdrawn apart.
pub fn participants(rows: &Rows, c: &Counting) -> Participants {
    let mut by_group: BTreeMap<Group, i64> = Group::ALL.iter().map(|g| (*g, 0)).collect();
    let mut by_sex: BTreeMap<&str, i64> = SEXES.iter().map(|s| (*s, 0)).collect();
    let mut cells: BTreeMap<(Group, usize, usize), i64> = BTreeMap::new();
    let (mut total, mut withdrawn) = (0, 0);
    for p in &rows.people {
        if !p.current() {
            withdrawn += 1;
            continue;
        }
        total += 1;
        *by_group.entry(p.grp).or_default() += 1;
        let sex = sex_key(p.sex);
        *by_sex.entry(sex).or_default() += 1;
        let band = age_band(p.birth_year, p.birth_decade, c.start_year);
        let sex_i = SEXES.iter().position(|s| *s == sex).unwrap_or(2);
        let band_i = AGE_BANDS.iter().position(|b| *b == band).unwrap_or(4);
        *cells.entry((p.grp, sex_i, band_i)).or_default() += 1;
    }
    let mut out = Participants {
        total: Count::Exact(total),
        by_group: by_group
            .into_iter()
            .map(|(g, n)| (g.as_str().to_owned(), c.count(g, n)))
            .collect(),
        by_sex: by_sex
            .into_iter()
            .map(|(s, n)| (s.to_owned(), Count::Exact(n)))
            .collect(),
        breakdown: cells
            .into_iter()
            .map(|((g, s, b), n)| Breakdown {
                group: g.as_str().to_owned(),
                sex: SEXES[s].to_owned(),
                age_band: AGE_BANDS[b].to_owned(),
                count: c.count(g, n),
            })
            .collect(),
        withdrawn: Count::Exact(withdrawn),
    };
    // The at-risk cells add up to the at-risk count (shown, or total minus the other groups).
    complement(
        &mut out
            .breakdown
            .iter_mut()
            .filter(|b| b.group == Group::AtRisk.as_str())
            .map(|b| &mut b.count)
            .collect::<Vec<_>>(),
    );
    out
}

/// Gminas reached (distinct gminas of current enrolments), complete teams (a gmina with an
/// official, an NGO person and an at-risk person in the same cohort; summed over cohorts), and
/// one line per gmina. `new_tasks`: TERYT → new tasks commissioned there; a gmina with tasks but
/// nobody enrolled gets a line too, so the lines add up to the totals.
pub fn gminas(rows: &Rows, c: &Counting, new_tasks: &BTreeMap<String, i64>) -> Gminas {
    // (cohort, gmina) → people per group
    let mut teams: HashMap<(Id, &str), [i64; 3]> = HashMap::new();
    for p in rows.people.iter().filter(|p| p.current()) {
        teams.entry((p.cohort_id, &p.gmina_teryt)).or_default()[p.grp as usize] += 1;
    }
    let names: HashMap<&str, (&str, &str)> = rows
        .gminas
        .iter()
        .map(|(teryt, name, powiat)| (teryt.as_str(), (name.as_str(), powiat.as_str())))
        .collect();
    let complete = |n: &[i64; 3]| n.iter().all(|x| *x > 0);
    let complete_teams = teams.values().filter(|n| complete(n)).count() as i64;
    let mut lines: BTreeMap<&str, ([i64; 3], bool)> = BTreeMap::new();
    for ((_, teryt), n) in &teams {
        let line = lines.entry(teryt).or_default();
        for (sum, add) in line.0.iter_mut().zip(n) {
            *sum += add;
        }
        line.1 |= complete(n);
    }
    let reached = lines.len() as i64;
    let mut list: Vec<GminaLine> = lines
        .iter()
        .map(|(teryt, (n, complete))| {
            let (name, powiat) = names.get(teryt).copied().unwrap_or_default();
            GminaLine {
                teryt: (*teryt).to_owned(),
                name: name.to_owned(),
                powiat: powiat.to_owned(),
                official: c.count(Group::Official, n[0]),
                ngo: c.count(Group::Ngo, n[1]),
                at_risk: c.count(Group::AtRisk, n[2]),
                complete: *complete,
                new_tasks: new_tasks.get(*teryt).copied().unwrap_or(0),
            }
        })
        .collect();
    for (teryt, n) in new_tasks {
        if !lines.contains_key(teryt.as_str()) {
            let (name, powiat) = names.get(teryt.as_str()).copied().unwrap_or_default();
            list.push(GminaLine {
                teryt: teryt.clone(),
                name: name.to_owned(),
                powiat: powiat.to_owned(),
                new_tasks: *n,
                ..GminaLine::default()
            });
        }
    }
    list.sort_by_cached_key(|l| (fold(&l.name), l.teryt.clone()));
    // The gminas' at-risk people add up to the at-risk count.
    complement(&mut list.iter_mut().map(|l| &mut l.at_risk).collect::<Vec<_>>());
    Gminas {
        reached,
        complete_teams,
        list,
    }
}

/// Activities and academic hours by kind (cancelled ones counted apart); all four kinds present.
pub fn activities(rows: &Rows) -> Activities {
    let mut by_kind: BTreeMap<String, KindStats> = ActivityKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), KindStats::default()))
        .collect();
    let mut hours = [0i64; 4];
    for s in &rows.sessions {
        let stats = by_kind.entry(s.kind.as_str().to_owned()).or_default();
        if s.cancelled {
            stats.cancelled += 1;
        } else {
            stats.count += 1;
            hours[s.kind as usize] += i64::from(s.hours_centi);
        }
    }
    for k in ActivityKind::ALL {
        if let Some(stats) = by_kind.get_mut(k.as_str()) {
            stats.hours = centi(hours[*k as usize]);
        }
    }
    Activities {
        total_count: by_kind.values().map(|s| s.count).sum(),
        total_hours: centi(hours.iter().sum()),
        by_kind,
    }
}

fn centi(n: i64) -> f64 {
    n as f64 / 100.0
}

fn rate(attended: i64, planned: i64) -> Option<f64> {
    (planned > 0).then(|| attended as f64 / planned as f64)
}

/// Planned and attended hours (× 100) of one person, per kind.
#[derive(Clone, Copy, Default)]
struct Hours {
    planned: [i64; 4],
    attended: [i64; 4],
}

/// A held activity with what decides its roster, ready for many questions.
struct Held<'a> {
    session: &'a Session,
    audience: Audience,
    /// `audience.includes` by group, worked out once.
    groups: [bool; 3],
    /// The coordinator's exceptions, which win over the audience.
    own: &'a [(Id, bool)],
}

impl<'a> Held<'a> {
    fn new(session: &'a Session, audience: Audience, own: &'a [(Id, bool)]) -> Held<'a> {
        let groups = [Group::Official, Group::Ngo, Group::AtRisk]
            .map(|g| audience.groups.is_empty() || audience.groups.contains(&g));
        Held {
            session,
            audience,
            groups,
            own,
        }
    }

    /// Whether the roster held the (current) person: as `RosterBook::roster` derives it.
    fn holds(&self, p: &Person) -> bool {
        if let Some((_, included)) = self.own.iter().find(|(e, _)| *e == p.id) {
            return *included;
        }
        self.groups[p.grp as usize]
            && (self.audience.teams.is_empty() || self.audience.teams.contains(&p.gmina_teryt))
    }
}

/// Attendance over everyone: the overall rate, by group and by kind, and how many people are at
/// or above 80 %.
pub fn attendance(rows: &Rows, c: &Counting) -> Attendance {
    let person_at: HashMap<Id, usize> = rows
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.current())
        .map(|(i, p)| (p.id, i))
        .collect();
    let mut in_cohort: HashMap<Id, Vec<usize>> = HashMap::new();
    for (i, p) in rows.people.iter().enumerate().filter(|(_, p)| p.current()) {
        in_cohort.entry(p.cohort_id).or_default().push(i);
    }
    let mut teams: HashMap<Id, Vec<String>> = HashMap::new();
    for (a, teryt) in &rows.teams {
        teams.entry(*a).or_default().push(teryt.clone());
    }
    let mut changes: HashMap<Id, Vec<(Id, bool)>> = HashMap::new();
    for (a, e, included) in &rows.changes {
        changes.entry(*a).or_default().push((*e, *included));
    }
    // Held activities (started, not cancelled) with their audiences.
    let held: Vec<Held> = rows
        .sessions
        .iter()
        .filter(|s| !s.cancelled && s.starts_at <= c.now)
        .map(|s| {
            let audience = Audience {
                groups: Audience::parse_groups(&s.audience_groups),
                teams: teams.remove(&s.id).unwrap_or_default(),
            };
            let own = changes.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            Held::new(s, audience, own)
        })
        .collect();
    let mut hours = vec![Hours::default(); rows.people.len()];
    let mut held_at: HashMap<Id, usize> = HashMap::with_capacity(held.len());
    for (h, held) in held.iter().enumerate() {
        held_at.insert(held.session.id, h);
        let (k, centi) = (
            held.session.kind as usize,
            i64::from(held.session.hours_centi),
        );
        for &i in in_cohort
            .get(&held.session.cohort_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if held.holds(&rows.people[i]) {
                hours[i].planned[k] += centi;
            }
        }
    }
    for (a, people) in &rows.attended {
        let Some(held) = held_at.get(a).map(|h| &held[*h]) else {
            continue;
        };
        let (k, centi) = (
            held.session.kind as usize,
            i64::from(held.session.hours_centi),
        );
        for e in people {
            let Some(&i) = person_at.get(e) else {
                continue;
            };
            let p = &rows.people[i];
            if p.cohort_id == held.session.cohort_id && held.holds(p) {
                hours[i].attended[k] += centi;
            }
        }
    }
    let mut group_sums = [(0i64, 0i64); 3];
    let mut group_people = [0i64; 3];
    let mut kind_sums = [(0i64, 0i64); 4];
    let mut at_or_above_80 = 0;
    for (i, h) in hours.iter().enumerate() {
        let (attended, planned): (i64, i64) = (h.attended.iter().sum(), h.planned.iter().sum());
        if planned == 0 {
            continue;
        }
        let g = rows.people[i].grp as usize;
        group_sums[g].0 += attended;
        group_sums[g].1 += planned;
        group_people[g] += 1;
        for (k, sums) in kind_sums.iter_mut().enumerate() {
            sums.0 += h.attended[k];
            sums.1 += h.planned[k];
        }
        // attended / planned ≥ 0.8, in integers
        if attended * 5 >= planned * 4 {
            at_or_above_80 += 1;
        }
    }
    let attended: i64 = group_sums.iter().map(|s| s.0).sum();
    let planned: i64 = group_sums.iter().map(|s| s.1).sum();
    Attendance {
        rate: rate(attended, planned).unwrap_or(0.0),
        by_group: Group::ALL
            .iter()
            .map(|g| {
                let (a, p) = group_sums[*g as usize];
                // The rate of one or two at-risk people is theirs: hidden like their count.
                let hidden = c.count(*g, group_people[*g as usize]).hidden();
                (g.as_str().to_owned(), rate(a, p).filter(|_| !hidden))
            })
            .collect(),
        by_kind: ActivityKind::ALL
            .iter()
            .map(|k| {
                let (a, p) = kind_sums[*k as usize];
                (k.as_str().to_owned(), rate(a, p))
            })
            .collect(),
        attended_hours: centi(attended),
        planned_hours: centi(planned),
        at_or_above_80: Count::Exact(at_or_above_80),
    }
}

fn competence_line(change: &GroupChange, people: Count, improved: Count) -> CompetenceLine {
    if people.hidden() {
        return CompetenceLine::hidden(people);
    }
    CompetenceLine {
        people,
        improved,
        mean_pre: change.mean_pre,
        mean_post: change.mean_post,
        mean_change: change.mean_change,
        share_improved: change.share_improved,
    }
}

/// The competence change as the report shows it. For funders, a group of one or two at-risk
/// people is hidden, and then the smallest other group too, since the overall figures and the
/// other group would give it away; an item asked only of at-risk people is hidden the same way.
pub fn competence(change: &Competence, c: &Counting) -> CompetenceChange {
    let exact = |n: usize| Count::Exact(n as i64);
    let mut people: BTreeMap<Group, Count> = Group::ALL
        .iter()
        .map(|g| {
            let n = change.by_group.get(g.as_str()).map_or(0, |x| x.people);
            (*g, c.count(*g, n as i64))
        })
        .collect();
    complement(&mut people.values_mut().collect::<Vec<_>>());
    let by_group = Group::ALL
        .iter()
        .map(|g| {
            let line = change.by_group.get(g.as_str()).cloned().unwrap_or_default();
            let shown = people[g];
            (
                g.as_str().to_owned(),
                competence_line(&line, shown, exact(line.improved)),
            )
        })
        .collect();
    let items = change
        .items
        .iter()
        .map(|item| {
            let at_risk_only = item.groups == [Group::AtRisk];
            let people = if at_risk_only {
                c.count(Group::AtRisk, item.people as i64)
            } else {
                exact(item.people)
            };
            let shown = !people.hidden();
            CompetenceItem {
                text: item.text.clone(),
                groups: item.groups.iter().map(|g| g.as_str().to_owned()).collect(),
                people,
                mean_pre: item.mean_pre.filter(|_| shown),
                mean_post: item.mean_post.filter(|_| shown),
                mean_change: item.mean_change.filter(|_| shown),
            }
        })
        .collect();
    let overall = &change.overall;
    CompetenceChange {
        overall: competence_line(overall, exact(overall.people), exact(overall.improved)),
        by_group,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Id {
        Id(uuid::Uuid::from_u128(n))
    }

    fn person(
        n: u128,
        cohort: u128,
        teryt: &str,
        grp: Group,
        sex: Option<Sex>,
        born: Option<i32>,
    ) -> Person {
        Person {
            id: id(n),
            cohort_id: id(cohort),
            gmina_teryt: teryt.to_owned(),
            grp,
            status: EnrolmentStatus::Enrolled,
            sex,
            birth_year: born,
            birth_decade: None,
        }
    }

    fn session(n: u128, cohort: u128, kind: ActivityKind, hours: i32, groups: &str) -> Session {
        Session {
            id: id(n),
            cohort_id: id(cohort),
            kind,
            hours_centi: hours * 100,
            cancelled: false,
            starts_at: DateTime::parse_from_rfc3339("2021-05-01T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            audience_groups: groups.to_owned(),
        }
    }

    #[test]
    fn a_small_at_risk_group_hides_its_competence_and_the_smallest_other_group() {
        let group = |people: usize, improved: usize, pre: f64, post: f64| GroupChange {
            people,
            improved,
            mean_pre: Some(pre),
            mean_post: Some(post),
            mean_change: Some(post - pre),
            share_improved: Some(improved as f64 / people as f64),
            ..GroupChange::default()
        };
        let change = Competence {
            overall: group(11, 8, 2.5, 3.5),
            by_group: BTreeMap::from([
                ("official".to_owned(), group(5, 4, 3.0, 4.0)),
                ("ngo".to_owned(), group(4, 3, 2.0, 3.0)),
                ("at_risk".to_owned(), group(2, 1, 2.0, 3.5)),
            ]),
            items: vec![
                crate::domain::survey::ItemChange {
                    item: id(1),
                    text: "Znam swoje prawa".into(),
                    groups: vec![Group::AtRisk],
                    people: 2,
                    mean_pre: Some(2.0),
                    mean_post: Some(3.5),
                    mean_change: Some(1.5),
                },
                crate::domain::survey::ItemChange {
                    item: id(2),
                    text: "Wiem, czym jest program współpracy".into(),
                    groups: Vec::new(),
                    people: 11,
                    mean_pre: Some(2.5),
                    mean_post: Some(3.5),
                    mean_change: Some(1.0),
                },
            ],
        };
        let staff = competence(&change, &counting(false));
        assert_eq!(staff.by_group["at_risk"].people, Count::Exact(2));
        assert_eq!(staff.by_group["at_risk"].mean_change, Some(1.5));
        assert_eq!(staff.items[0].mean_post, Some(3.5));
        let funder = competence(&change, &counting(true));
        assert_eq!(funder.by_group["at_risk"].people, Count::Below(3));
        assert_eq!(funder.by_group["at_risk"].mean_pre, None);
        assert_eq!(
            funder.by_group["ngo"].people,
            Count::Withheld,
            "else 11 − 5 − 4 = 2"
        );
        assert_eq!(funder.by_group["ngo"].share_improved, None);
        assert_eq!(funder.by_group["official"].people, Count::Exact(5));
        assert_eq!(funder.by_group["official"].mean_change, Some(1.0));
        assert_eq!(funder.overall.people, Count::Exact(11));
        assert_eq!(funder.items[0].people, Count::Below(3));
        assert_eq!(funder.items[0].mean_change, None);
        assert_eq!(
            funder.items[1].mean_change,
            Some(1.0),
            "everyone's item stays"
        );
    }

    fn counting(suppress: bool) -> Counting {
        Counting {
            start_year: 2021,
            now: DateTime::parse_from_rfc3339("2022-01-01T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            suppress,
            threshold: 3,
        }
    }

    #[test]
    fn age_bands_by_the_scope_start_year() {
        assert_eq!(age_band(Some(1992), None, 2021), "18-29");
        assert_eq!(age_band(Some(1991), None, 2021), "30-44");
        assert_eq!(age_band(Some(1977), None, 2021), "30-44");
        assert_eq!(age_band(Some(1976), None, 2021), "45-59");
        assert_eq!(age_band(Some(1961), None, 2021), "60+");
        assert_eq!(age_band(None, Some(1950), 2021), "60+", "1955 stands in");
        assert_eq!(age_band(None, Some(1970), 2021), "45-59", "1975 stands in");
        assert_eq!(age_band(None, None, 2021), "unknown");
    }

    #[test]
    fn participants_gminas_and_suppression() {
        let mut people = vec![
            person(
                1,
                100,
                "3026043",
                Group::Official,
                Some(Sex::Female),
                Some(1979),
            ),
            person(2, 100, "3026043", Group::Ngo, Some(Sex::Male), Some(1985)),
            person(
                3,
                100,
                "3026043",
                Group::AtRisk,
                Some(Sex::Female),
                Some(1952),
            ),
            person(4, 100, "3063011", Group::Official, None, None),
            person(5, 200, "3063011", Group::Ngo, Some(Sex::Male), Some(1999)),
            person(
                6,
                200,
                "3063011",
                Group::AtRisk,
                Some(Sex::Male),
                Some(1950),
            ),
        ];
        let mut gone = person(7, 200, "3063011", Group::Official, None, None);
        gone.status = EnrolmentStatus::Withdrawn;
        people.push(gone);
        let rows = Rows {
            people,
            gminas: ["3026043", "3063011", "3001011"]
                .iter()
                .map(|t| (t.to_string(), format!("G{t}"), "p".to_owned()))
                .collect(),
            ..Rows::default()
        };
        let exact = participants(&rows, &counting(false));
        assert_eq!(exact.total, Count::Exact(6));
        assert_eq!(exact.withdrawn, Count::Exact(1));
        assert_eq!(exact.by_group["at_risk"], Count::Exact(2));
        assert_eq!(exact.by_sex["F"], Count::Exact(2));
        assert_eq!(exact.by_sex["unknown"], Count::Exact(1));
        let funder = participants(&rows, &counting(true));
        assert_eq!(funder.by_group["at_risk"], Count::Below(3));
        assert_eq!(
            funder.by_group["ngo"],
            Count::Exact(2),
            "only at-risk cells are hidden"
        );
        assert!(
            funder
                .breakdown
                .iter()
                .filter(|b| b.group == "at_risk")
                .all(|b| b.count == Count::Below(3))
        );
        let new_tasks = BTreeMap::from([("3063011".to_owned(), 2), ("3001011".to_owned(), 1)]);
        let g = gminas(&rows, &counting(true), &new_tasks);
        assert_eq!(g.reached, 2);
        assert_eq!(
            g.complete_teams, 1,
            "3063011 has all three groups only across two cohorts"
        );
        let leszno = g.list.iter().find(|l| l.teryt == "3063011").unwrap();
        assert!(!leszno.complete);
        assert_eq!(leszno.at_risk, Count::Below(3));
        assert_eq!(leszno.new_tasks, 2);
        assert_eq!(
            g.list.len(),
            3,
            "a gmina with tasks but nobody enrolled has a line"
        );
        assert_eq!(g.list[0].name, "G3001011");
        assert_eq!(g.list[0].powiat, "p");
    }

    #[test]
    fn attendance_follows_rosters_and_sums_hours() {
        let mut people = vec![
            person(1, 100, "3026043", Group::Official, None, None),
            person(2, 100, "3026043", Group::Ngo, None, None),
            person(3, 100, "3063011", Group::AtRisk, None, None),
        ];
        let mut gone = person(4, 100, "3063011", Group::AtRisk, None, None);
        gone.status = EnrolmentStatus::Withdrawn;
        people.push(gone);
        let mut future = session(13, 100, ActivityKind::Training, 8, "");
        future.starts_at = counting(false).now + chrono::Duration::days(1);
        let mut cancelled = session(14, 100, ActivityKind::Coaching, 2, "");
        cancelled.cancelled = true;
        let sessions = vec![
            session(10, 100, ActivityKind::Training, 4, ""),
            session(11, 100, ActivityKind::Webinar, 2, "official,ngo"),
            session(12, 100, ActivityKind::StudyVisit, 6, ""),
            future,
            cancelled,
        ];
        let teams = vec![(id(12), "3026043".to_owned())];
        // person 3 added to the study visit by hand, person 2 removed from it
        let changes = vec![(id(12), id(3), true), (id(12), id(2), false)];
        let attended = vec![
            // 4 has withdrawn: counts for nothing
            (id(10), vec![id(1), id(2), id(3), id(4)]),
            (id(11), vec![id(1)]),
            // 2 is no longer on the roster
            (id(12), vec![id(1), id(2)]),
        ];
        let rows = Rows {
            people,
            sessions,
            teams,
            changes,
            attended,
            ..Rows::default()
        };
        let a = attendance(&rows, &counting(false));
        // planned: 1 → 4+2+6 = 12, 2 → 4+2 = 6, 3 → 4+6 = 10; attended: 12, 4, 4
        assert_eq!(a.planned_hours, 28.0);
        assert_eq!(a.attended_hours, 20.0);
        assert!((a.rate - 20.0 / 28.0).abs() < 1e-12);
        assert_eq!(a.by_group["official"], Some(1.0));
        assert_eq!(a.by_group["ngo"], Some(4.0 / 6.0));
        assert_eq!(a.by_group["at_risk"], Some(0.4));
        assert_eq!(a.by_kind["training"], Some(1.0));
        assert_eq!(a.by_kind["webinar"], Some(0.5));
        assert_eq!(a.by_kind["study_visit"], Some(0.5));
        assert_eq!(a.by_kind["coaching"], None);
        assert_eq!(a.at_or_above_80, Count::Exact(1));
        let acts = activities(&rows);
        assert_eq!(acts.by_kind["training"].count, 2);
        assert_eq!(acts.by_kind["training"].hours, 12.0);
        assert_eq!(acts.by_kind["coaching"].count, 0);
        assert_eq!(acts.by_kind["coaching"].cancelled, 1);
        assert_eq!(acts.total_count, 4);
        assert_eq!(acts.total_hours, 20.0);
    }
}
