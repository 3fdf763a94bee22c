//! Rules: what an integration needs from HiBob, read from TOML in two stages.
//!
//! Stage one parses the TOML into a tree that keeps every value's span (`input`); stage two
//! (`validate`) walks it, rejects unknown keys and checks meaning, and reports every problem
//! with its line and column at once. `guide` ties each requirement to the vendor guide's line
//! it answers.

pub(crate) mod diff;
pub mod guide;
mod input;
pub mod profiles;
pub(crate) mod show;
mod validate;

pub use input::{LineIndex, line_col};

/// The commented template that `rules init` writes.
pub(crate) const TEMPLATE: &str = include_str!("template.toml");

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use toml::de::DeTable;

use crate::policy::{Severity, Suppression};
use crate::report::{Code, Level};

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
    /// A guide's phrase, not a HiBob status: every leave type (Leave, Garden leave, Parental
    /// leave and the tenant's custom leave types). The audit checks each of them.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
    pub const ALL: [TimeoffCapability; 7] = [
        TimeoffCapability::WhosOut,
        TimeoffCapability::OutToday,
        TimeoffCapability::Requests,
        TimeoffCapability::PendingRequests,
        TimeoffCapability::PrivateRequests,
        TimeoffCapability::Balance,
        TimeoffCapability::PolicyTypes,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }

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

/// Where a requirement comes from: the guide's own words, or why it is needed although the
/// guide does not ask for it. Never both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The guide's lines this requirement answers, verbatim.
    pub guide_text: Vec<String>,
    /// Not in the guide: why the integration needs it anyway.
    pub inferred: Option<String>,
}

impl Provenance {
    /// The first of the guide's lines, for messages.
    pub fn quote(&self) -> Option<&str> {
        self.guide_text.first().map(String::as_str)
    }
}

impl crate::report::Check {
    /// Attaches where the requirement comes from.
    pub(crate) fn sourced(mut self, source: &Provenance) -> Self {
        self.guide_text = source.guide_text.clone();
        self.inferred = source.inferred.clone();
        self
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
    #[serde(flatten)]
    pub source: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleRule {
    pub statuses: Vec<LifecycleStatus>,
    /// The rule's level, for statuses without their own.
    pub level: Level,
    /// Statuses with a level of their own (`{ status = "Terminated", level = "info" }`): an
    /// optional status is `info`, so nobody is warned when it is missing.
    pub levels: BTreeMap<LifecycleStatus, Level>,
    #[serde(flatten)]
    pub source: Provenance,
}

impl LifecycleRule {
    /// The level of a missing status.
    pub fn level_of(&self, status: LifecycleStatus) -> Level {
        self.levels.get(&status).copied().unwrap_or(self.level)
    }
}

/// A whole People's-data category the integration reads, without naming its fields: the audit
/// picks representative fields of it from the tenant's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRule {
    /// The category's display name (matched case-insensitively, custom categories too) or ID.
    pub name: String,
    pub level: Level,
    #[serde(flatten)]
    pub source: Provenance,
}

/// An employee table whose history HiBob serves read-only, and so can be probed.
pub use crate::observations::EmployeeTable as HistoryTable;

/// "View selected employees' X section histories" for one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRule {
    pub table: HistoryTable,
    pub level: Level,
    #[serde(flatten)]
    pub source: Provenance,
}

/// One docs folder whose documents the integration reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocsFolder {
    /// The folder's name in HiBob: "Shared", "Confidential", or a custom folder's name.
    pub folder: String,
    #[serde(flatten)]
    pub source: Provenance,
}

/// People's data > Docs: "View selected employees' docs in the folder".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocsRule {
    pub folders: Vec<DocsFolder>,
    pub level: Level,
}

/// One time-off capability the integration reads, and where that comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeoffNeed {
    pub capability: TimeoffCapability,
    /// Its own level, over `[timeoff] level` (`{ capability = "…", level = "warning" }`).
    pub level: Option<Level>,
    #[serde(flatten)]
    pub source: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeoffRule {
    pub require: Vec<TimeoffNeed>,
    /// Policy type names to probe balances with when the policy types cannot be read.
    pub policy_types: Vec<String>,
    pub level: Level,
}

impl TimeoffRule {
    pub fn requires(&self, cap: TimeoffCapability) -> bool {
        self.require.iter().any(|n| n.capability == cap)
    }

    pub(crate) fn capabilities(&self) -> impl Iterator<Item = TimeoffCapability> + '_ {
        self.require.iter().map(|n| n.capability)
    }
}

/// A line of the guide that a read-only audit cannot prove: shown as "confirm by hand".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualRule {
    /// Stable within the rules: the check is `manual:{id}`.
    pub id: String,
    /// Where it sits in HiBob, for the table's category column ("Group members", "Features").
    pub category: Option<String>,
    /// The setting in HiBob's UI words.
    pub permission: String,
    /// Why a read-only audit cannot prove it.
    pub reason: String,
    #[serde(flatten)]
    pub source: Provenance,
}

/// What an `[[allow_extra]]` entry accepts beyond the rules' needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraTarget {
    /// A People's-data category, by display name (case-insensitive) or ID.
    Category(String),
    /// A Time off box `check --excess` can see: `private-requests` or `pending-requests`.
    Timeoff(TimeoffCapability),
}

/// `[[allow_extra]]`: something the organisation grants the service user on purpose although
/// the rules do not need it. `check --excess` reports it as suppressed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowExtra {
    pub target: ExtraTarget,
    /// Why it is granted anyway; shown in every format.
    pub reason: String,
    /// Where it is in the rules file (1-based line), for the stale warning.
    pub line: usize,
}

impl AllowExtra {
    /// "the Personal category" or "the Time off box private-requests".
    pub(crate) fn describe(&self) -> String {
        match &self.target {
            ExtraTarget::Category(c) => format!("the {c} category"),
            ExtraTarget::Timeoff(cap) => format!("the Time off box {}", cap.as_str()),
        }
    }
}

/// One line of the vendor's guide that asks for a setting, in the guide's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideLine {
    pub text: String,
    /// The guide's heading the line sits under, when it helps to find it.
    pub section: Option<String>,
}

/// A validated rules file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rules {
    pub name: String,
    pub title: String,
    pub guide: Option<String>,
    /// The guide's address (URL) or document.
    pub source: Option<String>,
    /// When the source was read (YYYY-MM-DD).
    pub read: Option<String>,
    /// What the source leaves open, e.g. "the stored copy is cut off; the list may be incomplete".
    pub note: Option<String>,
    /// `[[guide]]`: the guide's lines that ask for a setting, in its order.
    pub guide_lines: Vec<GuideLine>,
    pub fields: Vec<FieldRule>,
    /// `[[categories]]`: whole categories, by name.
    pub categories: Vec<CategoryRule>,
    pub lifecycle: Option<LifecycleRule>,
    pub timeoff: Option<TimeoffRule>,
    /// `[[histories]]`: section histories of employee tables.
    pub histories: Vec<HistoryRule>,
    /// `[docs]`: docs folders.
    pub docs: Option<DocsRule>,
    /// `[[manual]]`: what the admin must confirm by hand.
    pub manual: Vec<ManualRule>,
    /// `[levels]`: finding code to severity.
    pub levels: BTreeMap<Code, Severity>,
    /// `[[suppress]]`: accepted gaps, each with a reason.
    pub suppressions: Vec<Suppression>,
    /// `[[allow_extra]]`: what is granted on purpose beyond the needs, each with a reason
    /// (judged with `check --excess` only).
    pub allow_extra: Vec<AllowExtra>,
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

impl Rules {
    /// True when any requirement quotes the guide: the rules carry their provenance, so the
    /// audit can say what the guide's own steps leave out.
    pub(crate) fn quotes_guide(&self) -> bool {
        !self.guide_lines.is_empty()
            || self.fields.iter().any(|f| !f.source.guide_text.is_empty())
            || self
                .categories
                .iter()
                .any(|c| !c.source.guide_text.is_empty())
            || self
                .histories
                .iter()
                .any(|h| !h.source.guide_text.is_empty())
            || self
                .docs
                .iter()
                .flat_map(|d| &d.folders)
                .any(|f| !f.source.guide_text.is_empty())
            || self
                .lifecycle
                .as_ref()
                .is_some_and(|l| !l.source.guide_text.is_empty())
            || self
                .timeoff
                .iter()
                .flat_map(|t| &t.require)
                .any(|n| !n.source.guide_text.is_empty())
            || self.manual.iter().any(|m| !m.source.guide_text.is_empty())
    }

    /// The rules file's part of the severity policy: its `[levels]` and `[[suppress]]`.
    pub fn policy(&self) -> crate::policy::Policy {
        crate::policy::Policy {
            rules_levels: self.levels.clone(),
            suppressions: self.suppressions.clone(),
            ..crate::policy::Policy::default()
        }
    }

    /// "ActivTrak's guide" for the title "ActivTrak (through Merge)", or "The guide".
    pub(crate) fn guide_name(&self) -> String {
        let vendor = self.title.split(" (").next().unwrap_or_default().trim();
        if vendor.is_empty() {
            "The guide".into()
        } else {
            format!("{vendor}'s guide")
        }
    }
}

/// Parses and validates a rules file. `origin` names it in messages. A TOML syntax error
/// stops at the first; a file that parses gets every problem at once, each with its line and
/// column: unknown keys, values of the wrong type or out of range, and meaning.
pub fn parse(text: &str, origin: &str) -> Result<Rules, RulesError> {
    let doc = DeTable::parse(text).map_err(|e| {
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
    let mut p = input::Problems {
        text,
        lines: input::LineIndex::new(text),
        list: Vec::new(),
    };
    let rules = validate::validate(doc.get_ref(), &mut p);
    if !p.list.is_empty() {
        p.list.sort_by_key(|(offset, _)| *offset);
        return Err(RulesError {
            origin: origin.to_string(),
            problems: p.list.into_iter().map(|(_, p)| p).collect(),
        });
    }
    Ok(rules)
}

/// A dotted HiBob field ID: segments of letters, digits and `_`, `-`, joined by dots.
pub(crate) fn is_field_id(id: &str) -> bool {
    id.contains('.')
        && id.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

#[cfg(test)]
mod tests;
