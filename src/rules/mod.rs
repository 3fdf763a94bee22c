//! Rules: what an integration needs from HiBob, read from TOML and validated in two stages.
//!
//! Stage one deserializes the raw file (`deny_unknown_fields`, spans kept); stage two,
//! [`validate`], checks meaning and reports every problem with its line and column at once.

pub mod profiles;

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::report::Level;

/// At most this many fields in one people search (HiBob's limit is 400; the audit adds a few).
pub const MAX_FIELDS: usize = 390;

/// A lifecycle status that the permission group's people condition must include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LifecycleStatus {
    Hired,
    Employed,
    Terminated,
    /// HiBob's plain "Leave" status.
    Leave,
    GardenLeave,
    ParentalLeave,
    /// Every leave type: leave, garden leave, parental leave and custom leave types.
    LeaveAllTypes,
}

impl LifecycleStatus {
    pub const ALL: [LifecycleStatus; 7] = [
        LifecycleStatus::Hired,
        LifecycleStatus::Employed,
        LifecycleStatus::Terminated,
        LifecycleStatus::Leave,
        LifecycleStatus::GardenLeave,
        LifecycleStatus::ParentalLeave,
        LifecycleStatus::LeaveAllTypes,
    ];

    /// HiBob's UI label.
    pub fn label(self) -> &'static str {
        match self {
            LifecycleStatus::Hired => "Hired",
            LifecycleStatus::Employed => "Employed",
            LifecycleStatus::Terminated => "Terminated",
            LifecycleStatus::Leave => "Leave",
            LifecycleStatus::GardenLeave => "Garden leave",
            LifecycleStatus::ParentalLeave => "Parental leave",
            LifecycleStatus::LeaveAllTypes => "Leave (all types)",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL.into_iter().find(|s| {
            s.label().eq_ignore_ascii_case(t) || s.label().replace(' ', "-").eq_ignore_ascii_case(t)
        })
    }
}

/// A time-off capability an integration reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeoffCapability {
    /// `GET /timeoff/whosout`: "See who's out".
    WhosOut,
    /// `GET /timeoff/outtoday`: "See who's out".
    OutToday,
    /// `GET /timeoff/requests/changes`: "See who's out".
    Requests,
    /// `includePending=true`: Requests > "Create, edit and cancel people's requests that haven't been approved yet".
    PendingRequests,
    /// `includePrivate=true`: "See who's out because of private policy".
    PrivateRequests,
    /// `GET /timeoff/employees/{id}/balance`: "See selected people's time off and sick leave balances".
    Balance,
    /// `GET /timeoff/policy-types`: Features > Time off > Settings > "Manage company's time off settings".
    PolicyTypes,
}

impl TimeoffCapability {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeoffCapability::WhosOut => "whos-out",
            TimeoffCapability::OutToday => "out-today",
            TimeoffCapability::Requests => "requests",
            TimeoffCapability::PendingRequests => "pending-requests",
            TimeoffCapability::PrivateRequests => "private-requests",
            TimeoffCapability::Balance => "balance",
            TimeoffCapability::PolicyTypes => "policy-types",
        }
    }
}

/// A field the integration reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRule {
    /// HiBob field ID, e.g. `work.employeeIdInCompany`.
    pub id: String,
    /// What the vendor calls it, e.g. "Employee Number".
    pub purpose: String,
    /// The category (or categories) the vendor's guide names for it; empty when the guide names none.
    pub guide_categories: Vec<String>,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleRule {
    pub statuses: Vec<LifecycleStatus>,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeoffRule {
    pub require: Vec<TimeoffCapability>,
    /// Policy type names to probe balances with when the policy types cannot be read.
    pub policy_types: Vec<String>,
    pub level: Level,
}

/// A validated rules file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rules {
    pub name: String,
    pub title: String,
    pub guide: Option<String>,
    pub fields: Vec<FieldRule>,
    pub lifecycle: Option<LifecycleRule>,
    pub timeoff: Option<TimeoffRule>,
}

/// One problem in a rules file, at a line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why a rules file cannot be used: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// The file's path, or `profile NAME`.
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "the rules in {} are invalid ({n} problem{}):",
            self.origin,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(
                f,
                "\n  {}:{}:{}: {}",
                self.origin, p.line, p.column, p.message
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for RulesError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    integration: RawIntegration,
    #[serde(default)]
    fields: Vec<RawField>,
    lifecycle: Option<Spanned<RawLifecycle>>,
    timeoff: Option<Spanned<RawTimeoff>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntegration {
    name: Spanned<String>,
    title: Option<String>,
    guide: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: Spanned<String>,
    purpose: Spanned<String>,
    #[serde(default)]
    guide_categories: Vec<Spanned<String>>,
    #[serde(default = "default_level")]
    level: Level,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifecycle {
    statuses: Vec<Spanned<String>>,
    #[serde(default = "default_lifecycle_level")]
    level: Level,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeoff {
    require: Vec<Spanned<TimeoffCapability>>,
    #[serde(default)]
    policy_types: Vec<Spanned<String>>,
    #[serde(default = "default_level")]
    level: Level,
}

fn default_level() -> Level {
    Level::Error
}

fn default_lifecycle_level() -> Level {
    Level::Warning
}

/// Turns a byte offset into a 1-based line and column (in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

struct Problems<'a> {
    text: &'a str,
    list: Vec<(usize, Problem)>,
}

impl Problems<'_> {
    fn add(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.list.push((
            span.start,
            Problem {
                line,
                column,
                message: message.into(),
            },
        ));
    }
}

/// Parses and validates a rules file. `origin` names it in messages.
pub fn parse(text: &str, origin: &str) -> Result<Rules, RulesError> {
    let raw: RawRules = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        RulesError {
            origin: origin.to_string(),
            problems: vec![Problem {
                line,
                column,
                message: e.message().trim().to_string(),
            }],
        }
    })?;
    validate(raw, text, origin)
}

fn validate(raw: RawRules, text: &str, origin: &str) -> Result<Rules, RulesError> {
    let mut problems = Problems {
        text,
        list: Vec::new(),
    };

    let name = raw.integration.name.get_ref().trim().to_string();
    if name.is_empty() {
        problems.add(
            raw.integration.name.span(),
            "integration.name must not be empty",
        );
    }

    let mut seen = BTreeSet::new();
    let mut fields = Vec::new();
    for f in &raw.fields {
        let id = f.id.get_ref().trim();
        if id.is_empty() {
            problems.add(f.id.span(), "field id must not be empty");
        } else if !is_field_id(id) {
            problems.add(
                f.id.span(),
                format!("`{id}` is not a HiBob field ID: expected dotted IDs such as `root.email` or `work.employeeIdInCompany`"),
            );
        } else if id == "root.id" {
            problems.add(f.id.span(), "`root.id` is always requested; do not list it");
        } else if !seen.insert(id.to_string()) {
            problems.add(f.id.span(), format!("field `{id}` is listed twice"));
        }
        if f.purpose.get_ref().trim().is_empty() {
            problems.add(
                f.purpose.span(),
                "purpose must not be empty: say what the vendor calls the field",
            );
        }
        for c in &f.guide_categories {
            if c.get_ref().trim().is_empty() {
                problems.add(c.span(), "a guide category must not be empty");
            }
        }
        fields.push(FieldRule {
            id: id.to_string(),
            purpose: f.purpose.get_ref().trim().to_string(),
            guide_categories: f
                .guide_categories
                .iter()
                .map(|c| c.get_ref().trim().to_string())
                .collect(),
            level: f.level,
        });
    }
    if fields.len() > MAX_FIELDS {
        problems.add(
            raw.fields[MAX_FIELDS].id.span(),
            format!("at most {MAX_FIELDS} fields fit in one HiBob people search"),
        );
    }

    let lifecycle = raw.lifecycle.as_ref().map(|l| {
        let mut statuses = Vec::new();
        for s in &l.get_ref().statuses {
            match LifecycleStatus::parse(s.get_ref()) {
                Some(st) if statuses.contains(&st) => {
                    problems.add(
                        s.span(),
                        format!("lifecycle status `{}` is listed twice", s.get_ref()),
                    );
                }
                Some(st) => statuses.push(st),
                None => problems.add(
                    s.span(),
                    format!(
                        "unknown lifecycle status `{}`, expected one of: {}",
                        s.get_ref(),
                        LifecycleStatus::ALL.map(|s| s.label()).join(", ")
                    ),
                ),
            }
        }
        if l.get_ref().statuses.is_empty() {
            problems.add(l.span(), "lifecycle.statuses must list at least one status");
        }
        LifecycleRule {
            statuses,
            level: l.get_ref().level,
        }
    });

    let timeoff = raw.timeoff.as_ref().map(|t| {
        let mut require = Vec::new();
        for c in &t.get_ref().require {
            if require.contains(c.get_ref()) {
                problems.add(
                    c.span(),
                    format!(
                        "time-off capability `{}` is listed twice",
                        c.get_ref().as_str()
                    ),
                );
            } else {
                require.push(*c.get_ref());
            }
        }
        if require.is_empty() {
            problems.add(
                t.span(),
                "timeoff.require must list at least one capability",
            );
        }
        for p in &t.get_ref().policy_types {
            if p.get_ref().trim().is_empty() {
                problems.add(p.span(), "a policy type name must not be empty");
            }
        }
        TimeoffRule {
            require,
            policy_types: t
                .get_ref()
                .policy_types
                .iter()
                .map(|p| p.get_ref().trim().to_string())
                .collect(),
            level: t.get_ref().level,
        }
    });

    if fields.is_empty() && lifecycle.is_none() && timeoff.is_none() {
        problems.add(
            raw.integration.name.span(),
            "the rules require nothing: add [[fields]], [lifecycle] or [timeoff]",
        );
    }

    if !problems.list.is_empty() {
        problems.list.sort_by_key(|(offset, _)| *offset);
        return Err(RulesError {
            origin: origin.to_string(),
            problems: problems.list.into_iter().map(|(_, p)| p).collect(),
        });
    }

    Ok(Rules {
        title: raw
            .integration
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| name.clone()),
        name,
        guide: raw.integration.guide,
        fields,
        lifecycle,
        timeoff,
    })
}

/// A dotted HiBob field ID: segments of letters, digits and `_`, `-`, joined by dots.
fn is_field_id(id: &str) -> bool {
    id.contains('.')
        && id.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn unknown_key_gives_line_and_column() {
        let text = "[integration]\nname = \"x\"\n\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\ncolour = \"red\"\n";
        let err = parse(text, "x.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].line, 7);
        assert!(err.problems[0].message.contains("colour"), "{err}");
    }

    #[test]
    fn bad_level_value_is_an_error() {
        let text = "[integration]\nname = \"x\"\n[[fields]]\nid = \"root.email\"\npurpose = \"E\"\nlevel = \"fatal\"\n";
        let err = parse(text, "x.toml").unwrap_err();
        assert_eq!(err.problems[0].line, 6);
    }

    #[test]
    fn semantic_problems_are_all_reported() {
        let text = r#"[integration]
name = "x"
[[fields]]
id = "root email"
purpose = ""
[[fields]]
id = "work.title"
purpose = "Title"
[[fields]]
id = "work.title"
purpose = "Title again"
[lifecycle]
statuses = ["Hired", "Retired"]
"#;
        let err = parse(text, "x.toml").unwrap_err();
        let lines: Vec<usize> = err.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![4, 5, 10, 13], "{err}");
    }

    #[test]
    fn lifecycle_statuses_match_labels_case_insensitively() {
        assert_eq!(
            LifecycleStatus::parse("garden LEAVE"),
            Some(LifecycleStatus::GardenLeave)
        );
        assert_eq!(
            LifecycleStatus::parse("leave (all types)"),
            Some(LifecycleStatus::LeaveAllTypes)
        );
        assert_eq!(
            LifecycleStatus::parse("parental-leave"),
            Some(LifecycleStatus::ParentalLeave)
        );
        assert_eq!(LifecycleStatus::parse("retired"), None);
    }
}
