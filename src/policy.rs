//! Severity policy: level overrides (rules file `[levels]`, `--deny/--warn/--allow`), accepted
//! gaps (rules file `[[suppress]]`, each with a reason) and `--strict`.
//!
//! Precedence, in one place (also in docs/ci.md):
//! 1. A `[[suppress]]` entry that matches a finding removes it from the verdict; the finding is
//!    still reported, as suppressed, with its reason, in every format.
//! 2. Else `--deny`, `--warn` or `--allow` for the finding's code sets its level (given to
//!    several, the strictest wins: deny over warn over allow).
//! 3. Else the rules file's `[levels]` entry for the code.
//! 4. Else the finding's own level (the rule's `level` for fields, lifecycle and time off; the
//!    code's default otherwise).
//! 5. Then `--strict` turns every remaining warning into an error.
//!
//! `allow` drops the finding from the report (it is counted in `summary.allowed`). A suppression
//! that matches nothing is stale and reported as `suppression-unused` (a warning).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::report::{Code, Finding, Level};

/// What a code's level is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Level(Level),
    Allow,
}

impl Severity {
    /// A level word ([`Level::parse`]), or `allow`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.trim().eq_ignore_ascii_case("allow") {
            return Some(Severity::Allow);
        }
        Level::parse(text).map(Severity::Level)
    }
}

/// An accepted gap: findings of `code` that match every given matcher, with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub code: Code,
    pub category: Option<String>,
    pub field: Option<String>,
    pub lifecycle_status: Option<String>,
    pub endpoint: Option<String>,
    pub reason: String,
    /// Where it is in the rules file (1-based line), for the stale warning.
    pub line: usize,
}

impl Suppression {
    pub fn matches(&self, f: &Finding) -> bool {
        let same = |want: &Option<String>, have: Option<&str>| {
            want.as_deref()
                .is_none_or(|w| have.is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        self.code == f.code
            && same(&self.category, f.category.as_deref())
            && same(&self.lifecycle_status, f.lifecycle_status.as_deref())
            && same(&self.endpoint, f.endpoint.as_deref())
            && self
                .field
                .as_deref()
                .is_none_or(|w| f.fields.iter().any(|x| x == w))
    }

    /// "code (category X, field Y)".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("category", &self.category),
            ("field", &self.field),
            ("lifecycle status", &self.lifecycle_status),
            ("endpoint", &self.endpoint),
        ] {
            if let Some(v) = value {
                parts.push(format!("{name} {v}"));
            }
        }
        if parts.is_empty() {
            self.code.to_string()
        } else {
            format!("{} ({})", self.code, parts.join(", "))
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// From the rules file's `[levels]`.
    pub rules_levels: BTreeMap<Code, Severity>,
    /// From `--deny/--warn/--allow`, in the order given (the last for a code wins).
    pub cli_levels: Vec<(Code, Severity)>,
    pub suppressions: Vec<Suppression>,
    pub strict: bool,
}

/// What became of a finding under the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Reported(Level),
    Suppressed(String),
    Allowed,
}

impl Policy {
    /// The severity a code is set to, if any (CLI over rules file).
    pub fn severity(&self, code: Code) -> Option<Severity> {
        self.cli_levels
            .iter()
            .rev()
            .find(|(c, _)| *c == code)
            .map(|(_, s)| *s)
            .or_else(|| self.rules_levels.get(&code).copied())
    }

    /// Applies steps 2 to 5 to a finding's level. Suppressions are matched by the caller,
    /// which keeps track of which were used.
    pub fn level(&self, code: Code, level: Level) -> Option<Level> {
        let level = match self.severity(code) {
            Some(Severity::Allow) => return None,
            Some(Severity::Level(l)) => l,
            None => level,
        };
        Some(if self.strict && level == Level::Warning {
            Level::Error
        } else {
            level
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_wins_over_the_rules_file_and_strict_comes_last() {
        let mut p = Policy::default();
        p.rules_levels.insert(Code::FieldEmpty, Severity::Allow);
        assert_eq!(p.level(Code::FieldEmpty, Level::Warning), None);
        p.cli_levels
            .push((Code::FieldEmpty, Severity::Level(Level::Warning)));
        assert_eq!(
            p.level(Code::FieldEmpty, Level::Warning),
            Some(Level::Warning)
        );
        p.cli_levels
            .push((Code::FieldEmpty, Severity::Level(Level::Info)));
        assert_eq!(
            p.level(Code::FieldEmpty, Level::Warning),
            Some(Level::Info),
            "the last flag wins"
        );
        p.strict = true;
        assert_eq!(
            p.level(Code::LifecycleStatusNotVisible, Level::Warning),
            Some(Level::Error)
        );
        assert_eq!(
            p.level(Code::FieldInOtherCategory, Level::Info),
            Some(Level::Info)
        );
    }

    #[test]
    fn rules_files_and_the_policy_read_level_words_alike() {
        for word in [
            "error",
            "DENY",
            " warning ",
            "warn",
            "Info",
            "fatal",
            "",
            "allow",
        ] {
            let level = Level::parse(word);
            let severity = Severity::parse(word);
            match level {
                Some(l) => assert_eq!(severity, Some(Severity::Level(l)), "{word}"),
                None if word.trim() == "allow" => assert_eq!(severity, Some(Severity::Allow)),
                None => assert_eq!(severity, None, "{word}"),
            }
        }
        let text = "[integration]\nname = \"x\"\n[[fields]]\nid = \"root.email\"\npurpose = \"E\"\nlevel = \"WARN\"\n[levels]\nfield-empty = \"Warn\"\n";
        let rules = crate::rules::parse(text, "x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rules.fields[0].level, Level::Warning);
        assert_eq!(
            rules.levels.get(&Code::FieldEmpty),
            Some(&Severity::Level(Level::Warning))
        );
    }

    #[test]
    fn suppressions_match_every_given_matcher() {
        let mut f = Finding::new(Code::CategoryNotReadable, Level::Error, "m");
        f.category = Some("Payroll".into());
        f.fields = vec!["payroll.salary".into()];
        let s = |category: Option<&str>, field: Option<&str>| Suppression {
            code: Code::CategoryNotReadable,
            category: category.map(str::to_string),
            field: field.map(str::to_string),
            lifecycle_status: None,
            endpoint: None,
            reason: "r".into(),
            line: 1,
        };
        assert!(s(Some("payroll"), None).matches(&f));
        assert!(s(None, Some("payroll.salary")).matches(&f));
        assert!(!s(Some("Work"), None).matches(&f));
        assert!(!s(Some("Payroll"), Some("work.title")).matches(&f));
    }
}
