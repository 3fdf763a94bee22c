//! What the probes saw: plain data, counts and statuses only, never an employee value.

use std::collections::BTreeMap;

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

/// `GET /company/people/fields`, by field ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldCatalog {
    pub fields: BTreeMap<String, FieldMeta>,
}

impl FieldCatalog {
    pub fn get(&self, id: &str) -> Option<&FieldMeta> {
        self.fields.get(id)
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

/// `POST /people/search`, reduced to counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleCounts {
    pub employees: u64,
    /// By field ID, for the fields the rules need that the metadata knows.
    pub fields: BTreeMap<String, FieldCounts>,
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
    /// No HTTP answer: connection, TLS, timeout.
    Transport,
    /// An HTTP answer the audit cannot use: 5xx, 429, 404, non-JSON, malformed JSON.
    Response,
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

/// Everything the probes saw. `None` means the call was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observations {
    pub metadata: Observed<FieldCatalog>,
    pub people: Option<Observed<PeopleCounts>>,
}
