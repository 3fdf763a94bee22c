//! What the probes saw: plain data, counts and statuses only, never an employee value.

use std::collections::BTreeMap;

/// Field IDs the audit itself reads, whatever the rules say.
pub mod field_ids {
    /// The employee's ID: always requested, returned without any permission.
    pub const ID: &str = "root.id";
    /// The lifecycle status (Lifecycle category), for the people condition.
    pub const LIFECYCLE: &str = "internal.lifecycleStatus";
    /// `Active` / `Inactive` (Lifecycle category), for the "Everyone" hint.
    pub const STATUS: &str = "internal.status";
}

/// Representative fields kept per category of the metadata: the people search asks for them
/// when rules name a whole category.
pub const SAMPLES_PER_CATEGORY: usize = 3;

/// Categories kept of the metadata, at most; a tenant has a few dozen.
pub const MAX_CATEGORIES: usize = 2_000;

/// One category of the tenant's metadata: its ID, its display name, how many fields it has,
/// its first few fields (in metadata order), for probing the category as a whole, and the one
/// field that stands for it in `check --excess`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryMeta {
    pub id: String,
    pub name: String,
    pub fields: u64,
    pub samples: Vec<FieldMeta>,
    /// The category's first field that is not sensitive by [`crate::sensitive::sensitive_field`],
    /// else its first field (never `root.id`): what `check --excess` asks for.
    pub representative: Option<FieldMeta>,
}

impl CategoryMeta {
    /// Whether a rules file's name means this category: its display name or its ID,
    /// case-insensitively.
    pub fn is_named(&self, name: &str) -> bool {
        let n = name.trim();
        self.name.eq_ignore_ascii_case(n) || self.id.eq_ignore_ascii_case(n)
    }
}

/// One field as the tenant's metadata describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMeta {
    pub id: String,
    pub name: Option<String>,
    pub category_id: String,
    /// The category's display name in this tenant (e.g. "Basic info").
    pub category_name: String,
    /// Where the value sits in a people record, dotted (root fields have no `root.` prefix).
    pub json_path: String,
}

impl FieldMeta {
    /// The key of the field's category in [`FieldCatalog::categories`]: its ID, or its display
    /// name when the metadata gives no ID.
    pub fn category_key(&self) -> &str {
        if self.category_id.is_empty() {
            &self.category_name
        } else {
            &self.category_id
        }
    }
}

/// `GET /company/people/fields`: the fields the audit asks about, by field ID, and how many
/// fields the tenant has in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldCatalog {
    pub fields: BTreeMap<String, FieldMeta>,
    /// Every entry with an ID, kept or not.
    pub total: u64,
    /// Every category, by ID (at most [`MAX_CATEGORIES`]).
    pub categories: BTreeMap<String, CategoryMeta>,
}

impl FieldCatalog {
    pub fn get(&self, id: &str) -> Option<&FieldMeta> {
        self.fields.get(id)
    }

    /// A field's metadata, whether it was wanted by ID or kept as a category's sample or
    /// representative.
    pub fn meta(&self, id: &str) -> Option<&FieldMeta> {
        self.fields.get(id).or_else(|| {
            self.categories
                .values()
                .flat_map(|c| c.samples.iter().chain(&c.representative))
                .find(|s| s.id == id)
        })
    }

    /// The categories a rules file's name means (display name or ID).
    pub fn categories_named(&self, name: &str) -> Vec<&CategoryMeta> {
        self.categories
            .values()
            .filter(|c| c.is_named(name))
            .collect()
    }
}

/// How one field showed up across the visible employees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldCounts {
    /// The key was in the record (null included).
    pub present: u64,
    /// The key was missing.
    pub absent: u64,
    /// The key was present but null or an empty string.
    pub empty: u64,
}

/// Visible employees with one lifecycle status, as HiBob gave it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LifecycleCount {
    /// The machine value of `internal.lifecycleStatus` (`employed`, `garden leave`, ...).
    pub value: Option<String>,
    /// Its human-readable label (`humanReadable` copy), when HiBob appended one.
    pub label: Option<String>,
    pub employees: u64,
}

/// `POST /people/search`, reduced to counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleCounts {
    pub employees: u64,
    /// By field ID: the rules' fields, and `root.id`, `internal.lifecycleStatus` and
    /// `internal.status` when requested, as far as the metadata knows them.
    pub fields: BTreeMap<String, FieldCounts>,
    /// Employees per lifecycle status (only employees whose status was readable).
    pub lifecycle: Vec<LifecycleCount>,
    /// Employees per `internal.status` value (`Active`, `Inactive`).
    pub statuses: BTreeMap<String, u64>,
    /// One visible employee's ID (an active one when known), for per-employee probes.
    /// Used only to build a request; never rendered.
    pub sample_employee: Option<String>,
}

/// HiBob refused a call (401 or 403).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// The error body speaks of permission ("No permissions to ...").
    pub mentions_permission: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No HTTP answer: the host name could not be resolved.
    Dns,
    /// No HTTP answer: the connection was refused, reset or not reachable.
    Connect,
    /// No HTTP answer: the server's TLS certificate was refused.
    Certificate,
    /// No HTTP answer: another TLS failure.
    Tls,
    /// No answer, or no whole answer, within `--timeout` or `--deadline`.
    Timeout,
    /// The connection broke, or another transport error.
    Transport,
    /// An answer that is not JSON (a login page: the URL is not HiBob's API).
    NotJson,
    /// JSON that does not parse or is cut off.
    Malformed,
    /// 5xx: HiBob had a server error.
    ServerError,
    /// 429, still there after waiting.
    RateLimited,
    /// Another HTTP status the audit cannot use (400, 404, ...).
    Response,
    /// Replay only: the recording has no answer for the call.
    NotRecorded,
    /// An answer larger than its limit (`--max-answer-size`): reading stopped there.
    TooLarge,
}

impl FailureKind {
    /// No HTTP answer came at all.
    pub fn is_transport(self) -> bool {
        matches!(
            self,
            FailureKind::Dns
                | FailureKind::Connect
                | FailureKind::Certificate
                | FailureKind::Tls
                | FailureKind::Timeout
                | FailureKind::Transport
        )
    }
}

/// A call that could not be completed. `detail` names status, content type and size, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub status: Option<u16>,
    pub detail: String,
}

/// What became of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome<T> {
    Answered(T),
    Refused(Refusal),
    Failed(Failure),
}

/// One probe's call and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed<T> {
    /// "METHOD /path".
    pub endpoint: String,
    pub outcome: CallOutcome<T>,
}

/// A probe that ran, or why it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeRun<T> {
    Ran(Observed<T>),
    /// The probe could not run (no visible employee, no known policy type, ...).
    NotRun(String),
}

/// The time-off probes, one call each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeoffProbe {
    /// `GET /timeoff/policy-types`.
    PolicyTypes,
    /// `GET /timeoff/whosout?from=&to=`.
    WhosOut,
    /// The same with `includePrivate=true`.
    WhosOutPrivate,
    /// The same with `includePending=true`.
    WhosOutPending,
    /// `GET /timeoff/outtoday`.
    OutToday,
    /// `GET /timeoff/requests/changes?since=`.
    RequestChanges,
    /// `GET /timeoff/employees/{id}/balance?policyType=&date=`.
    Balance,
}

/// A time-off answer, reduced to what the audit needs. Names of policy types are company
/// settings, not employee data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeoffAnswer {
    /// 200 with an empty body, or without the list the endpoint documents.
    Empty,
    /// Who's out / out today: how many absences, and their policy type names.
    Outs {
        count: u64,
        policy_types: Vec<String>,
    },
    /// Request changes: how many.
    Changes {
        count: u64,
    },
    PolicyTypes(Vec<String>),
    /// A balance came back.
    Balance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoffObservation {
    pub probe: TimeoffProbe,
    pub run: ProbeRun<TimeoffAnswer>,
}

/// An employee table HiBob serves read-only, whose rows show a category's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum EmployeeTable {
    Work,
    Employment,
    Lifecycle,
    Payroll,
}

impl EmployeeTable {
    pub const ALL: [EmployeeTable; 4] = [
        EmployeeTable::Work,
        EmployeeTable::Employment,
        EmployeeTable::Lifecycle,
        EmployeeTable::Payroll,
    ];

    /// The category's name in HiBob's UI.
    pub fn category(self) -> &'static str {
        match self {
            EmployeeTable::Work => "Work",
            EmployeeTable::Employment => "Employment",
            EmployeeTable::Lifecycle => "Lifecycle",
            EmployeeTable::Payroll => "Payroll",
        }
    }

    /// The table's path segment: `GET /people/{id}/{segment}`.
    pub fn segment(self) -> &'static str {
        match self {
            EmployeeTable::Work => "work",
            EmployeeTable::Employment => "employment",
            EmployeeTable::Lifecycle => "lifecycle",
            EmployeeTable::Payroll => "salaries",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.category().eq_ignore_ascii_case(text.trim()))
    }
}

/// One employee's table, reduced to counts: how many rows, how many of them are not the
/// current one, and which columns field-level permissions withhold. Never a row's values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableAnswer {
    pub rows: u64,
    /// Rows with `isCurrent: false` (past or future): only "section histories" shows them.
    pub other_rows: u64,
    /// `restricted_columns.no_view_history_permission`: columns whose history is withheld.
    pub restricted_history: Vec<String>,
    /// `restricted_columns.no_view_permission`: columns withheld altogether.
    pub restricted_view: Vec<String>,
    /// 200 without the documented `values` list.
    pub empty: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableObservation {
    pub table: EmployeeTable,
    pub run: ProbeRun<TableAnswer>,
}

/// One employee's documents, reduced to a count and the folders they name (folder names are
/// company settings). Never a document's name or link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocsAnswer {
    pub documents: u64,
    /// Folder names or IDs the documents carry, when they carry any.
    pub folders: Vec<String>,
    /// 200 without the documented `documents` list.
    pub empty: bool,
}

/// Everything the probes saw. `None` means the call was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observations {
    pub metadata: Observed<FieldCatalog>,
    pub people: Option<Observed<PeopleCounts>>,
    /// In plan order; empty when the rules need no time off or the metadata call failed.
    pub timeoff: Vec<TimeoffObservation>,
    /// Employee tables, for section histories.
    pub tables: Vec<TableObservation>,
    /// The docs list, when the rules name docs folders.
    pub docs: Option<ProbeRun<DocsAnswer>>,
    /// `check --excess`: the search also asked for one field of every category the rules do
    /// not need (and the time-off probes for the boxes they do not need, where the plain
    /// who's-out call runs anyway), so the audit can say what is granted beyond the rules.
    pub excess: bool,
}

impl Observations {
    pub fn table(&self, table: EmployeeTable) -> Option<&ProbeRun<TableAnswer>> {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map(|t| &t.run)
    }

    pub fn timeoff(&self, probe: TimeoffProbe) -> Option<&ProbeRun<TimeoffAnswer>> {
        self.timeoff
            .iter()
            .find(|t| t.probe == probe)
            .map(|t| &t.run)
    }
}
