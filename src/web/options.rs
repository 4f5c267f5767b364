//! Choices for selects: the enumerations of the domain with their translated labels.

use crate::domain::participant::{EnrolmentStatus, Group, OrganisationKind, Sex};
use crate::i18n::{Lang, t};

/// `[value, label]` pairs, as the `m.select` macro takes them.
pub type Options = Vec<(String, String)>;

macro_rules! options_of {
    ($name:ident, $ty:ty) => {
        pub fn $name(lang: Lang) -> Options {
            <$ty>::ALL
                .iter()
                .map(|v| (v.as_str().to_owned(), t(lang, v.label_key())))
                .collect()
        }
    };
}

options_of!(groups, Group);
options_of!(sexes, Sex);
options_of!(statuses, EnrolmentStatus);
options_of!(organisation_kinds, OrganisationKind);
options_of!(activity_kinds, crate::domain::activity::ActivityKind);
