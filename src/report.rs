//! The audit's result: checks, findings and the outcome. Pure data, rendered elsewhere.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The tool's name and version, as every format prints it.
pub const TOOL: &str = "hibob-audit";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The JSON report's `format_version` (docs/json.md): changes within it are additive, and
/// `hibob-audit diff` reads reports of this version.
pub const FORMAT_VERSION: &str = "1";

/// How serious a finding is, and what it does to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; never changes the exit code.
    Info,
    /// Something to look at; the audit still passes (exit 0).
    Warning,
    /// A missing permission or broken setup; the audit fails (exit 1).
    Error,
}

impl Level {
    /// The one parser of level words, for rules files and the policy: `error` (or `deny`),
    /// `warning` (or `warn`), `info`; any case, blanks around ignored.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "error" | "deny" => Some(Level::Error),
            "warning" | "warn" => Some(Level::Warning),
            "info" => Some(Level::Info),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Stable finding codes. Renaming one is a breaking change: see docs/findings.md. The names
/// come from the variants (kebab-case), in one place, for parsing, printing and listing.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    CredentialsRejected,
    EndpointForbidden,
    NoEmployeesVisible,
    CategoryNotReadable,
    CategoryPartlyReadable,
    CategoryUnknown,
    CategoryNotNeeded,
    FieldEmpty,
    FieldUnknown,
    FieldInOtherCategory,
    LifecycleStatusNotVisible,
    LifecycleUnverifiable,
    TimeoffPermissionMissing,
    FeaturePermissionMissing,
    SectionHistoryMissing,
    DocsPermissionMissing,
    GuideOmitsPermission,
    GuideWordingDiffers,
    RequestFailed,
    UnexpectedResponse,
    CallNotRecorded,
    SuppressionUnused,
}

impl Code {
    /// Every code, in declaration order.
    pub fn all() -> impl Iterator<Item = Code> {
        <Code as strum::IntoEnumIterator>::iter()
    }

    /// Every code's name, in declaration order.
    pub fn names() -> Vec<&'static str> {
        Self::all().map(Code::as_str).collect()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// One line on what the code means; the long form is in docs/findings.md.
    pub fn description(self) -> &'static str {
        match self {
            Code::CredentialsRejected => {
                "HiBob answered 401 to the metadata call, which needs no permission: the service-user ID or token is wrong."
            }
            Code::EndpointForbidden => {
                "HiBob refused an endpoint (403, or 401 naming a permission) that the audit needs."
            }
            Code::NoEmployeesVisible => {
                "The people search answered, but with no employee: the group selects nobody or grants no People's data."
            }
            Code::CategoryNotReadable => {
                "A required field is absent for every visible employee: its category is not ticked in the permission group."
            }
            Code::CategoryPartlyReadable => {
                "A required field is present for some employees and absent for others: the category is granted for only part of the people."
            }
            Code::CategoryUnknown => {
                "A category the rules name is not in the tenant's field metadata: nothing to tick, and no data there to read."
            }
            Code::CategoryNotNeeded => {
                "check --excess: the permission group grants a category (or a Time off box) the rules do not need; a warning when it is sensitive."
            }
            Code::SectionHistoryMissing => {
                "HiBob refused an employee table, or withheld its history: \"View selected employees' X section histories\" is missing."
            }
            Code::DocsPermissionMissing => {
                "HiBob refused the docs list: no docs folder's \"View selected employees' docs in the folder\" is granted."
            }
            Code::FieldEmpty => {
                "A required field is readable but empty (null) for every visible employee: no data, not a missing permission."
            }
            Code::FieldUnknown => {
                "A field the rules require is not in the tenant's field metadata."
            }
            Code::FieldInOtherCategory => {
                "A field sits in another category in this tenant than the vendor's guide says: tick the tenant's category."
            }
            Code::LifecycleStatusNotVisible => {
                "No visible employee has a lifecycle status the rules require: the people condition leaves it out, or nobody has it."
            }
            Code::LifecycleUnverifiable => {
                "Lifecycle statuses cannot be read, so the people condition cannot be verified."
            }
            Code::TimeoffPermissionMissing => {
                "HiBob refused a time-off endpoint the integration reads: a Time off permission is missing."
            }
            Code::FeaturePermissionMissing => {
                "HiBob refused an endpoint that needs a Features permission (Time off > Settings)."
            }
            Code::GuideOmitsPermission => {
                "The vendor's guide never asks for a permission that a requirement inferred from the vendor's product needs: following the guide exactly leaves it out."
            }
            Code::GuideWordingDiffers => {
                "The vendor's guide names a setting in other words than HiBob's UI: the finding quotes both."
            }
            Code::RequestFailed => {
                "A call could not be completed (connection, TLS, timeout): the audit is incomplete."
            }
            Code::SuppressionUnused => {
                "A suppression in the rules file matched no finding: it is stale."
            }
            Code::CallNotRecorded => {
                "Replay: the recording has no answer for a call these rules need; record again with them."
            }
            Code::UnexpectedResponse => {
                "HiBob answered something the audit cannot read (server error, non-JSON, malformed JSON): the audit is incomplete."
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Counts behind a field finding. Never values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldEvidence {
    pub field: String,
    pub employees: u64,
    /// The key was in the record (null included).
    pub present: u64,
    /// The key was missing from the record.
    pub absent: u64,
    /// The key was present with null or an empty string.
    pub empty: u64,
}

/// What a finding rests on: counts and statuses, never an employee value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employees: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub fields: Vec<FieldEvidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Visible employees per lifecycle status label.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub lifecycle_statuses: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: Code,
    pub level: Level,
    pub message: String,
    pub fix: Option<String>,
    /// The tenant's category display name, when the finding is about one.
    pub category: Option<String>,
    pub fields: Vec<String>,
    pub lifecycle_status: Option<String>,
    /// "METHOD /path", when the finding is about one call.
    pub endpoint: Option<String>,
    /// The permission to grant, in HiBob's UI words (for `category-not-needed`: to untick).
    pub permission: Option<String>,
    pub evidence: Evidence,
    /// `category-not-needed` only: whether the category (or Time off box) is sensitive
    /// (docs/findings.md). Left out of JSON for every other finding.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sensitive: Option<bool>,
}

impl Finding {
    pub fn new(code: Code, level: Level, message: impl Into<String>) -> Self {
        Finding {
            code,
            level,
            message: message.into(),
            fix: None,
            category: None,
            fields: Vec::new(),
            lifecycle_status: None,
            endpoint: None,
            permission: None,
            evidence: Evidence::default(),
            sensitive: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
    Unknown,
    /// A line of the guide that a read-only audit cannot prove: the admin confirms it by hand.
    /// Never changes the outcome.
    Manual,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "fail",
            CheckStatus::Unknown => "unknown",
            CheckStatus::Manual => "manual",
        }
    }
}

/// One row of the report: something the rules require, and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable id, e.g. `credentials` or `field:work.employeeIdInCompany`.
    pub id: String,
    pub status: CheckStatus,
    /// The tenant's category display name, when known.
    pub category: Option<String>,
    /// What is checked, in the vendor's words.
    pub what: String,
    /// Counts, as a sentence.
    pub evidence: String,
    /// Why the check has its status.
    pub reason: String,
    /// What to do when the check fails or warns, in HiBob's words.
    pub fix: Option<String>,
    pub findings: Vec<Code>,
    /// The setting in HiBob's UI words, when the check is about one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub permission: Option<String>,
    /// The vendor guide's words for what is checked.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub guide_text: Vec<String>,
    /// Not in the guide: why the rules require it anyway.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub inferred: Option<String>,
}

impl Check {
    /// A check with no permission, guide text or inference attached.
    /// Whether the check is one of `check --excess` (`excess:...`): shown in the report's
    /// "Granted but not needed" section rather than among the rules' checks.
    pub fn is_excess(&self) -> bool {
        self.id == EXCESS_CHECK || self.id.starts_with("excess:")
    }

    /// What an excess check is about, without "not needed by the rules": "Payroll".
    pub fn excess_label(&self) -> &str {
        self.what.split(NOT_NEEDED).next().unwrap_or(&self.what)
    }

    pub fn new(id: impl Into<String>, status: CheckStatus, what: impl Into<String>) -> Self {
        Check {
            id: id.into(),
            status,
            category: None,
            what: what.into(),
            evidence: String::new(),
            reason: String::new(),
            fix: None,
            findings: Vec::new(),
            permission: None,
            guide_text: Vec::new(),
            inferred: None,
        }
    }
}

/// The check that stands for all of `check --excess` when nothing could be judged.
pub const EXCESS_CHECK: &str = "excess";

/// How an excess check's `what` ends: "Payroll: not needed by the rules".
pub const NOT_NEEDED: &str = ": not needed by the rules";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Incomplete,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Incomplete => "incomplete",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub checks: usize,
    pub passed: usize,
    pub warned: usize,
    pub failed: usize,
    pub unknown: usize,
    /// Checks to confirm by hand (status `manual`); they never change the outcome.
    #[serde(default)]
    pub manual: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings accepted by a `[[suppress]]` entry (listed in `suppressed`).
    pub suppressed: usize,
    /// Findings dropped by an `allow`.
    pub allowed: usize,
    /// Employees the service user can see, when the search answered.
    pub employees_visible: Option<u64>,
}

/// A finding the rules file accepts, with its reason. It does not count for the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub reason: String,
}

/// Why the audit could not proceed, and what to do: what the human formats lead with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    pub cause: String,
    pub fix: String,
}

/// The audit's verdict. Built by `evaluate`, rendered by `render`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Set when the audit could not proceed (credentials rejected, host unreachable, TLS,
    /// HiBob down, a web page instead of the API): the one thing that matters first.
    pub headline: Option<Headline>,
    pub checks: Vec<Check>,
    pub findings: Vec<Finding>,
    pub suppressed: Vec<SuppressedFinding>,
    /// Findings dropped by an `allow`.
    pub allowed: usize,
    /// False when a call that the audit needs could not be completed.
    pub complete: bool,
    pub employees_visible: Option<u64>,
}

impl Report {
    pub fn outcome(&self) -> Outcome {
        if !self.complete {
            Outcome::Incomplete
        } else if self.findings.iter().any(|f| f.level == Level::Error) {
            Outcome::Fail
        } else {
            Outcome::Pass
        }
    }

    /// The checks to confirm by hand.
    pub fn manual_checks(&self) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.status == CheckStatus::Manual)
            .collect()
    }

    /// What `check --excess` found granted but not needed, reported or suppressed: sensitive
    /// first, then by level (highest first) and category. Each with its suppression's reason.
    pub fn granted_not_needed(&self) -> Vec<(&Finding, Option<&str>)> {
        let mut list: Vec<(&Finding, Option<&str>)> = self
            .findings
            .iter()
            .map(|f| (f, None))
            .chain(
                self.suppressed
                    .iter()
                    .map(|s| (&s.finding, Some(s.reason.as_str()))),
            )
            .filter(|(f, _)| f.code == Code::CategoryNotNeeded)
            .collect();
        list.sort_by(|(a, ra), (b, rb)| {
            b.sensitive
                .cmp(&a.sensitive)
                .then(ra.is_some().cmp(&rb.is_some()))
                .then(b.level.cmp(&a.level))
                .then(a.category.cmp(&b.category))
                .then(a.permission.cmp(&b.permission))
        });
        list
    }

    /// The suppressed findings but `category-not-needed` ones, which renderers show under
    /// "Granted but not needed" instead.
    pub fn suppressed_gaps(&self) -> Vec<&SuppressedFinding> {
        self.suppressed
            .iter()
            .filter(|s| s.finding.code != Code::CategoryNotNeeded)
            .collect()
    }

    /// The `check --excess` checks that found nothing granted: least privilege holds there.
    pub fn not_granted(&self) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.is_excess() && c.status == CheckStatus::Pass && c.findings.is_empty())
            .collect()
    }

    /// The `check --excess` check behind a `category-not-needed` finding.
    pub fn excess_check(&self, finding: &Finding) -> Option<&Check> {
        self.checks
            .iter()
            .find(|c| c.is_excess() && c.permission.is_some() && c.permission == finding.permission)
    }

    /// The checks that could not be judged.
    pub fn unknown_checks(&self) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.status == CheckStatus::Unknown)
            .collect()
    }

    pub fn summary(&self) -> Summary {
        let count = |s: CheckStatus| self.checks.iter().filter(|c| c.status == s).count();
        let level = |l: Level| self.findings.iter().filter(|f| f.level == l).count();
        Summary {
            checks: self.checks.len(),
            passed: count(CheckStatus::Pass),
            warned: count(CheckStatus::Warn),
            failed: count(CheckStatus::Fail),
            unknown: count(CheckStatus::Unknown),
            manual: count(CheckStatus::Manual),
            errors: level(Level::Error),
            warnings: level(Level::Warning),
            infos: level(Level::Info),
            suppressed: self.suppressed.len(),
            allowed: self.allowed,
            employees_visible: self.employees_visible,
        }
    }
}
