//! The shipped profiles, embedded in the binary from `rules/*.toml`.

use super::{Rules, RulesError, parse};

/// A shipped profile: its name and its TOML text (which holds its title and source).
pub struct Profile {
    pub name: &'static str,
    pub text: &'static str,
}

pub const PROFILES: &[Profile] = &[
    Profile {
        name: "activtrak",
        text: include_str!("../../rules/activtrak.toml"),
    },
    Profile {
        name: "truto",
        text: include_str!("../../rules/truto.toml"),
    },
    Profile {
        name: "deel",
        text: include_str!("../../rules/deel.toml"),
    },
    Profile {
        name: "finch",
        text: include_str!("../../rules/finch.toml"),
    },
    Profile {
        name: "kombo",
        text: include_str!("../../rules/kombo.toml"),
    },
    Profile {
        name: "merge",
        text: include_str!("../../rules/merge.toml"),
    },
    Profile {
        name: "operating",
        text: include_str!("../../rules/operating.toml"),
    },
    Profile {
        name: "stackone",
        text: include_str!("../../rules/stackone.toml"),
    },
    Profile {
        name: "workos",
        text: include_str!("../../rules/workos.toml"),
    },
];

pub fn names() -> Vec<&'static str> {
    PROFILES.iter().map(|p| p.name).collect()
}

pub fn find(name: &str) -> Option<&'static Profile> {
    PROFILES
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
}

/// Parses a shipped profile.
pub fn load(profile: &Profile) -> Result<Rules, RulesError> {
    parse(profile.text, &format!("profile {}", profile.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_profile_is_valid() {
        for p in PROFILES {
            let rules = load(p).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(rules.name, p.name);
        }
    }
}
