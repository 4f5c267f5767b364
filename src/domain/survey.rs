//! Competence surveys: the phases, what an item and an answer may be, and the change funders read
//! (mean before, mean after, mean change and the share who improved, by group and per item).
//!
//! Every figure is computed from people, not from averages of averages: a person's mean is the
//! mean of their answers to the items they were asked, and only items they answered in both
//! phases count, so an item added between the phases does not distort anyone's change.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::fold::fold;
use super::participant::{Group, UnknownValue, text_enum};
use crate::db::Id;

text_enum!(
    /// When a survey is answered: before the course or after it.
    Phase, "survey.phase", {
        Pre => "pre" | "przed" | "before",
        Post => "post" | "po" | "after",
    }
);

/// The lowest and highest value of the 1–5 scale.
pub const SCALE: std::ops::RangeInclusive<i32> = 1..=5;

/// The longest item text, in characters.
pub const MAX_TEXT: usize = 300;

/// An item's text with runs of spaces collapsed, or why it cannot be one.
pub fn parse_text(input: &str) -> Result<String, &'static str> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        Err("err.required")
    } else if text.chars().count() > MAX_TEXT {
        Err("survey.err.text_long")
    } else {
        Ok(text)
    }
}

/// A value typed on the scale: `1`–`5`.
pub fn parse_value(input: &str) -> Option<i32> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|v| SCALE.contains(v))
}

/// The groups an item is for, in the order of `Group::ALL`; empty means everyone. Returns the
/// first spelling that is not a group.
pub fn parse_groups<S: AsRef<str>>(inputs: &[S]) -> Result<Vec<Group>, String> {
    let mut groups = Vec::new();
    for input in inputs.iter().map(AsRef::as_ref) {
        if input.trim().is_empty() {
            continue;
        }
        let group = Group::parse(input).ok_or_else(|| input.trim().to_owned())?;
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups.sort();
    // All three groups is everyone.
    if groups.len() == Group::ALL.len() {
        groups.clear();
    }
    Ok(groups)
}

/// Groups as stored: `official,ngo`; empty for everyone.
pub fn groups_text(groups: &[Group]) -> String {
    groups
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Groups from their stored text (unknown parts are skipped).
pub fn groups_of(text: &str) -> Vec<Group> {
    let parts: Vec<&str> = text.split(',').collect();
    let mut groups: Vec<Group> = parts.iter().filter_map(|p| Group::parse(p)).collect();
    groups.sort();
    groups.dedup();
    groups
}

/// Whether a person of `group` is asked an item for `groups`.
pub fn asks(groups: &[Group], group: Group) -> bool {
    groups.is_empty() || groups.contains(&group)
}

/// What the statistics need of an item.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: Id,
    pub text: String,
    pub groups: Vec<Group>,
}

/// One person's answers to one item: before, after, or both.
#[derive(Clone, Copy, Debug)]
pub struct Pair {
    pub person: Id,
    pub group: Group,
    pub item: Id,
    pub pre: Option<i32>,
    pub post: Option<i32>,
}

/// The change in one group (or overall). Means are on the 1–5 scale; `share_improved` is a
/// fraction from 0 to 1; each is `None` when nobody counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupChange {
    /// People with answers before and after (to at least one same item): the ones counted.
    pub people: usize,
    /// Counted people whose mean after is higher than their mean before.
    pub improved: usize,
    /// People who answered before / after at all (counted or not).
    pub answered_pre: usize,
    pub answered_post: usize,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    /// Mean of (after − before) over the counted people.
    pub mean_change: Option<f64>,
    pub share_improved: Option<f64>,
}

/// The change on one item, over the people who answered it before and after.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ItemChange {
    /// The item (in a programme, the first of the cohorts' items with this text and groups).
    #[schema(value_type = String, format = Uuid)]
    pub item: Id,
    pub text: String,
    /// The groups asked; empty = everyone.
    pub groups: Vec<Group>,
    pub people: usize,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    pub mean_change: Option<f64>,
}

/// Competence change of a cohort or a programme: overall, by group (`official`, `ngo`,
/// `at_risk`, always all three) and per item in questionnaire order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Competence {
    pub overall: GroupChange,
    pub by_group: BTreeMap<String, GroupChange>,
    pub items: Vec<ItemChange>,
}

/// Sums of counted people, turned into a `GroupChange` at the end.
#[derive(Default)]
struct Acc {
    people: usize,
    improved: usize,
    answered_pre: usize,
    answered_post: usize,
    pre: f64,
    post: f64,
}

impl Acc {
    fn finish(&self) -> GroupChange {
        let n = self.people as f64;
        let mean = |sum: f64| (self.people > 0).then(|| sum / n);
        GroupChange {
            people: self.people,
            improved: self.improved,
            answered_pre: self.answered_pre,
            answered_post: self.answered_post,
            mean_pre: mean(self.pre),
            mean_post: mean(self.post),
            mean_change: mean(self.post - self.pre),
            share_improved: (self.people > 0).then(|| self.improved as f64 / n),
        }
    }
}

/// One person's answers to the items they were asked.
#[derive(Default)]
struct Person {
    group: Option<Group>,
    any_pre: bool,
    any_post: bool,
    /// Sums over the items answered in both phases, and how many there were.
    pre: i64,
    post: i64,
    paired: i64,
}

/// The competence change over `items` (in questionnaire order) and everyone's answers. Items with
/// the same text (ignoring case and diacritics) and groups are one item, so a programme whose
/// cohorts share a questionnaire reads per item; answers to items a person was not asked (their
/// group changed) and values off the scale are ignored.
pub fn competence(items: &[Item], pairs: &[Pair]) -> Competence {
    // Each item id → the index of its merged item.
    let mut merged: Vec<&Item> = Vec::new();
    let mut index_of: HashMap<Id, usize> = HashMap::new();
    let mut by_key: HashMap<(String, Vec<Group>), usize> = HashMap::new();
    for item in items {
        let key = (fold(&item.text), item.groups.clone());
        let index = *by_key.entry(key).or_insert_with(|| {
            merged.push(item);
            merged.len() - 1
        });
        index_of.insert(item.id, index);
    }
    let valid = |v: Option<i32>| v.filter(|v| SCALE.contains(v));
    let mut people: HashMap<Id, Person> = HashMap::new();
    let mut per_item: Vec<(usize, i64, i64)> = vec![(0, 0, 0); merged.len()];
    for p in pairs {
        let Some(&index) = index_of.get(&p.item) else {
            continue;
        };
        if !asks(&merged[index].groups, p.group) {
            continue;
        }
        let (pre, post) = (valid(p.pre), valid(p.post));
        let person = people.entry(p.person).or_default();
        person.group = Some(p.group);
        person.any_pre |= pre.is_some();
        person.any_post |= post.is_some();
        if let (Some(pre), Some(post)) = (pre, post) {
            person.pre += i64::from(pre);
            person.post += i64::from(post);
            person.paired += 1;
            let it = &mut per_item[index];
            it.0 += 1;
            it.1 += i64::from(pre);
            it.2 += i64::from(post);
        }
    }
    let mut overall = Acc::default();
    let mut groups: BTreeMap<Group, Acc> =
        Group::ALL.iter().map(|g| (*g, Acc::default())).collect();
    for person in people.values() {
        let Some(group) = person.group else { continue };
        for acc in [&mut overall, groups.entry(group).or_default()] {
            acc.answered_pre += usize::from(person.any_pre);
            acc.answered_post += usize::from(person.any_post);
            if person.paired > 0 {
                let n = person.paired as f64;
                let (pre, post) = (person.pre as f64 / n, person.post as f64 / n);
                acc.people += 1;
                acc.pre += pre;
                acc.post += post;
                acc.improved += usize::from(post > pre);
            }
        }
    }
    let items = merged
        .iter()
        .zip(&per_item)
        .map(|(item, &(n, pre, post))| {
            let mean = |sum: i64| (n > 0).then(|| sum as f64 / n as f64);
            ItemChange {
                item: item.id,
                text: item.text.clone(),
                groups: item.groups.clone(),
                people: n,
                mean_pre: mean(pre),
                mean_post: mean(post),
                mean_change: mean(post - pre),
            }
        })
        .collect();
    Competence {
        overall: overall.finish(),
        by_group: groups
            .iter()
            .map(|(g, acc)| (g.as_str().to_owned(), acc.finish()))
            .collect(),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    fn item(text: &str, groups: &[Group]) -> Item {
        Item {
            id: Id::new(),
            text: text.to_owned(),
            groups: groups.to_vec(),
        }
    }

    fn pair(person: Id, group: Group, item: &Item, pre: Option<i32>, post: Option<i32>) -> Pair {
        Pair {
            person,
            group,
            item: item.id,
            pre,
            post,
        }
    }

    #[test]
    fn phases_parse_in_both_languages() {
        assert_eq!(Phase::parse("PRZED"), Some(Phase::Pre));
        assert_eq!(Phase::parse("po"), Some(Phase::Post));
        assert_eq!(Phase::parse("post").map(Phase::as_str), Some("post"));
        assert_eq!(Phase::parse("during"), None);
    }

    #[test]
    fn text_values_and_groups_are_checked() {
        assert_eq!(
            parse_text("  Wiem,\n jak   zlecić zadanie "),
            Ok("Wiem, jak zlecić zadanie".to_owned())
        );
        assert_eq!(parse_text("  "), Err("err.required"));
        assert_eq!(
            parse_text(&"ą".repeat(300)).map(|t| t.chars().count()),
            Ok(300)
        );
        assert_eq!(parse_text(&"ą".repeat(301)), Err("survey.err.text_long"));
        assert_eq!(parse_value(" 5 "), Some(5));
        for bad in ["0", "6", "", "3.5", "x"] {
            assert_eq!(parse_value(bad), None, "{bad}");
        }
        assert_eq!(
            parse_groups(&["ngo", "urzędnik", "ngo"]),
            Ok(vec![Group::Official, Group::Ngo])
        );
        assert_eq!(parse_groups(&["official", "ngo", "onw"]), Ok(vec![]));
        assert_eq!(parse_groups(&["", " "]), Ok(vec![]));
        assert_eq!(parse_groups(&["radny"]), Err("radny".to_owned()));
        assert_eq!(
            groups_text(&[Group::Official, Group::AtRisk]),
            "official,at_risk"
        );
        assert_eq!(
            groups_of("at_risk,official"),
            vec![Group::Official, Group::AtRisk]
        );
        assert_eq!(groups_of(""), vec![]);
        assert!(asks(&[], Group::Ngo));
        assert!(asks(&[Group::Official], Group::Official));
        assert!(!asks(&[Group::Official], Group::Ngo));
    }

    #[test]
    fn change_is_computed_from_people_by_group_and_per_item() {
        let all = item("Wiem, jak gmina zleca zadania", &[]);
        let off = item("Umiem przygotować ogłoszenie konkursu", &[Group::Official]);
        let (a, b, c, d, e) = (Id::new(), Id::new(), Id::new(), Id::new(), Id::new());
        let pairs = vec![
            // a, official: before (2 + 1) / 2 = 1.5, after (4 + 3) / 2 = 3.5 → +2, improved
            pair(a, Group::Official, &all, Some(2), Some(4)),
            pair(a, Group::Official, &off, Some(1), Some(3)),
            // b, official: 4 → 3, worse
            pair(b, Group::Official, &all, Some(4), Some(4)),
            pair(b, Group::Official, &off, Some(4), Some(2)),
            // c, NGO: 3 → 3, the same (not improved); its answer to the officials' item is ignored
            pair(c, Group::Ngo, &all, Some(3), Some(3)),
            pair(c, Group::Ngo, &off, Some(1), Some(5)),
            // d, at risk: answered only before, not counted
            pair(d, Group::AtRisk, &all, Some(2), None),
            // e, at risk: only after
            pair(e, Group::AtRisk, &all, None, Some(5)),
        ];
        let c = competence(&[all.clone(), off.clone()], &pairs);
        let o = &c.overall;
        assert_eq!(
            (o.people, o.improved, o.answered_pre, o.answered_post),
            (3, 1, 4, 4)
        );
        assert!(close(o.mean_pre, (1.5 + 4.0 + 3.0) / 3.0));
        assert!(close(o.mean_post, (3.5 + 3.0 + 3.0) / 3.0));
        assert!(close(o.mean_change, (2.0 - 1.0 + 0.0) / 3.0));
        assert!(close(o.share_improved, 1.0 / 3.0));
        let official = &c.by_group["official"];
        assert_eq!((official.people, official.improved), (2, 1));
        assert!(close(official.mean_pre, 2.75));
        assert!(close(official.mean_post, 3.25));
        assert!(close(official.mean_change, 0.5));
        assert!(close(official.share_improved, 0.5));
        let ngo = &c.by_group["ngo"];
        assert!(close(ngo.mean_change, 0.0) && close(ngo.share_improved, 0.0));
        let at_risk = &c.by_group["at_risk"];
        assert_eq!(
            (at_risk.people, at_risk.answered_pre, at_risk.answered_post),
            (0, 1, 1)
        );
        assert_eq!(
            (
                at_risk.mean_pre,
                at_risk.mean_change,
                at_risk.share_improved
            ),
            (None, None, None)
        );
        assert_eq!(c.items.len(), 2);
        assert_eq!((c.items[0].item, c.items[0].people), (all.id, 3));
        assert!(close(c.items[0].mean_pre, 3.0) && close(c.items[0].mean_post, 11.0 / 3.0));
        assert_eq!(c.items[1].people, 2);
        assert!(close(c.items[1].mean_pre, 2.5) && close(c.items[1].mean_post, 2.5));
        assert!(close(c.items[1].mean_change, 0.0));
    }

    #[test]
    fn only_items_answered_in_both_phases_count_for_a_person() {
        let first = item("Pierwsze", &[]);
        let added = item("Dodane po ankiecie przed", &[]);
        let p = Id::new();
        let pairs = [
            pair(p, Group::Ngo, &first, Some(2), Some(3)),
            pair(p, Group::Ngo, &added, None, Some(1)),
        ];
        let c = competence(&[first, added], &pairs);
        assert!(close(c.overall.mean_pre, 2.0) && close(c.overall.mean_post, 3.0));
        assert_eq!(c.overall.improved, 1);
        assert_eq!(c.items[1].people, 0);
        assert_eq!(c.items[1].mean_pre, None);
    }

    #[test]
    fn items_with_the_same_text_merge_and_nobody_gives_nones() {
        let one = item("Znam ustawę o pożytku", &[]);
        let two = item("znam ustawe o POŻYTKU", &[]);
        let (p, q) = (Id::new(), Id::new());
        let c = competence(
            &[one.clone(), two.clone()],
            &[
                pair(p, Group::Ngo, &one, Some(1), Some(2)),
                pair(q, Group::Ngo, &two, Some(3), Some(5)),
            ],
        );
        assert_eq!(c.items.len(), 1);
        assert_eq!((c.items[0].item, c.items[0].people), (one.id, 2));
        assert!(close(c.items[0].mean_change, 1.5));
        let empty = competence(&[one], &[]);
        assert_eq!(empty.overall, GroupChange::default());
        assert_eq!(empty.by_group.len(), 3);
        assert_eq!(empty.items[0].mean_post, None);
    }
}
