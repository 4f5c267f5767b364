//! Commissioned public tasks (zlecone zadania publiczne): their status and target groups.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::fold::fold;
use super::participant::{UnknownValue, text_enum};

text_enum!(
    /// Where a task stands; only commissioned and completed tasks count as outcomes.
    TaskStatus, "task_status", {
        Planned => "planned" | "planowane" | "planowany",
        Announced => "announced" | "ogloszone" | "ogloszony",
        Commissioned => "commissioned" | "zlecone" | "zlecony",
        Completed => "completed" | "zrealizowane" | "zrealizowany" | "zakonczone",
    }
);

impl TaskStatus {
    /// Whether the gmina has actually commissioned it (the outcome funders count).
    pub fn counts(self) -> bool {
        matches!(self, TaskStatus::Commissioned | TaskStatus::Completed)
    }
}

text_enum!(
    /// Whom a task serves.
    TargetGroup, "target_group", {
        Seniors => "seniors" | "seniorzy" | "osoby starsze",
        ChildrenYouth => "children_youth" | "dzieci i mlodziez" | "children and youth",
        Foreigners => "foreigners" | "cudzoziemcy",
        Disabled => "disabled" | "osoby z niepelnosprawnosciami" | "people with disabilities",
        Integration => "integration" | "integracja mieszkancow" | "integracja",
        Other => "other" | "inne",
    }
);

/// `seniors,integration` → the groups; unknown names are returned as the error.
pub fn parse_groups(input: &[String]) -> Result<Vec<TargetGroup>, String> {
    let mut out = Vec::new();
    for g in input.iter().flat_map(|s| s.split(',')).map(str::trim) {
        if g.is_empty() {
            continue;
        }
        let group = TargetGroup::parse(g).ok_or_else(|| g.to_owned())?;
        if !out.contains(&group) {
            out.push(group);
        }
    }
    Ok(out)
}

pub fn groups_text(groups: &[TargetGroup]) -> String {
    groups
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_parse_in_polish_or_english_and_only_once() {
        let input = vec!["Seniorzy, integracja".to_owned(), "seniors".to_owned()];
        assert_eq!(
            parse_groups(&input),
            Ok(vec![TargetGroup::Seniors, TargetGroup::Integration])
        );
        assert_eq!(groups_text(&[TargetGroup::ChildrenYouth]), "children_youth");
        assert_eq!(parse_groups(&["koty".to_owned()]), Err("koty".to_owned()));
        assert!(TaskStatus::Completed.counts() && !TaskStatus::Planned.counts());
        assert_eq!(TaskStatus::parse("Zlecone"), Some(TaskStatus::Commissioned));
    }
}
