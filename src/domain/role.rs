//! The four roles of Akademia's users.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Trainer,
    Funder,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Coordinator, Role::Trainer, Role::Funder];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Trainer => "trainer",
            Role::Funder => "funder",
        }
    }

    /// The translation key of the role's name as the UI shows it.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role.admin",
            Role::Coordinator => "role.coordinator",
            Role::Trainer => "role.trainer",
            Role::Funder => "role.funder",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: use admin, coordinator, trainer or funder")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "admin" | "administrator" => Ok(Role::Admin),
            "coordinator" | "koordynator" => Ok(Role::Coordinator),
            "trainer" | "trener" => Ok(Role::Trainer),
            "funder" | "grantodawca" => Ok(Role::Funder),
            _ => Err(UnknownRole(s.to_owned())),
        }
    }
}

crate::sql_text_enum!(Role);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_english_and_polish_names_in_any_case() {
        assert_eq!("Coordinator".parse::<Role>().unwrap(), Role::Coordinator);
        assert_eq!(" trener ".parse::<Role>().unwrap(), Role::Trainer);
        assert!("boss".parse::<Role>().is_err());
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
    }
}
