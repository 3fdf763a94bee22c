//! Reading the two reports: untrusted JSON, bounded, checked to be reports of the same rules
//! and format version before anything is compared. Only the keys a comparison needs are read.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::report::{CheckStatus, Level, Outcome};

/// The report format this hibob-audit reads (docs/json.md).
pub(crate) use crate::report::FORMAT_VERSION;

/// The `kind` of a comparison's JSON document (`diff --format json`).
pub(crate) const KIND: &str = "diff";

/// A report file is refused above this size: real reports are a few hundred KiB.
pub(crate) const MAX_REPORT_BYTES: u64 = 64 << 20;

/// The parts of a report (`check --format json`) that a comparison reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct ReportDoc {
    pub format_version: String,
    #[serde(default)]
    pub tool: Option<ToolDoc>,
    pub profile: String,
    #[serde(default)]
    pub target: Option<TargetDoc>,
    pub outcome: Outcome,
    pub checks: Vec<CheckDoc>,
    pub findings: Vec<FindingDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct ToolDoc {
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct TargetDoc {
    #[serde(default)]
    pub base_url: Option<String>,
}

/// A report's check, as far as a comparison needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct CheckDoc {
    pub id: String,
    pub status: CheckStatus,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub what: String,
}

/// A report's finding, as far as a comparison needs it. The code is text: a code added by a
/// later version of hibob-audit still compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FindingDoc {
    pub code: String,
    pub level: Level,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub fix: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub lifecycle_status: Option<String>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub permission: Option<String>,
}

impl FindingDoc {
    /// What makes two findings the same finding: the code and what it is about.
    pub(crate) fn key(&self) -> FindingKey {
        let mut fields = self.fields.clone();
        fields.sort();
        (
            self.code.clone(),
            self.category.clone(),
            fields,
            self.endpoint.clone(),
            self.lifecycle_status.clone(),
        )
    }
}

type FindingKey = (
    String,
    Option<String>,
    Vec<String>,
    Option<String>,
    Option<String>,
);

/// One file to compare: its name for messages, and its text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Why two files cannot be compared. Each message names the cause and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DiffError {
    #[error(
        "{name} is not JSON ({why}): pass a report written by `hibob-audit check --format json > FILE` (or `--output json=FILE`)"
    )]
    NotJson { name: String, why: String },
    #[error("{name} is {what}, not a report: {fix}")]
    OtherDocument {
        name: String,
        what: &'static str,
        fix: &'static str,
    },
    #[error(
        "{name} is not a hibob-audit report ({why}): pass the JSON that `hibob-audit check --format json` writes"
    )]
    NotAReport { name: String, why: String },
    #[error(
        "{old_name} has format_version {old} and {new_name} has {new}: reports of different format versions cannot be compared; write both with one version of hibob-audit (`hibob-audit check --format json`)"
    )]
    FormatVersions {
        old_name: String,
        old: String,
        new_name: String,
        new: String,
    },
    #[error(
        "{name} has format_version {version}, and this hibob-audit ({tool}) reads format \"{FORMAT_VERSION}\": compare the reports with the hibob-audit that wrote them, or write both again with this one"
    )]
    UnsupportedVersion {
        name: String,
        version: String,
        tool: &'static str,
    },
    #[error(
        "{old_name} is a report of rules `{old}` and {new_name} of rules `{new}`: only reports of the same rules can be compared; run `hibob-audit check --profile {old} --format json` (or `--rules` with the same file) again"
    )]
    Profiles {
        old_name: String,
        old: String,
        new_name: String,
        new: String,
    },
}

/// The keys that tell what a JSON document is, before it is read as a report.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    format_version: Option<serde_json::Value>,
    #[serde(default)]
    format: Option<serde_json::Value>,
    #[serde(default)]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    checks: Option<IgnoredAny>,
    #[serde(default)]
    calls: Option<IgnoredAny>,
}

/// Serde's message, cut short: it can quote the file.
fn short(e: &serde_json::Error) -> String {
    const MOST: usize = 160;
    let text = e.to_string();
    match text.char_indices().nth(MOST) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// A JSON value in a message, cut short.
fn shown(v: &serde_json::Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Reads what a document is, and its format version (JSON-quoted, for messages).
fn header(input: Input) -> Result<String, DiffError> {
    use serde_json::error::Category;
    let name = input.name.to_string();
    // Serde reads a struct from an array too: a document that is not an object is refused
    // first (when it is JSON at all).
    let is_object = input.text.trim_start().starts_with('{');
    let parsed = if is_object {
        serde_json::from_str::<Header>(input.text)
    } else {
        serde_json::from_str::<IgnoredAny>(input.text).and_then(|_| {
            Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Other("a value"),
                &"an object",
            ))
        })
    };
    let h = parsed.map_err(|e| match e.classify() {
        Category::Data => DiffError::NotAReport {
            name: name.clone(),
            why: "the document is not a JSON object".into(),
        },
        Category::Eof => DiffError::NotJson {
            name: name.clone(),
            why: format!("it ends early, at line {} column {}", e.line(), e.column()),
        },
        Category::Syntax | Category::Io => DiffError::NotJson {
            name: name.clone(),
            why: format!("malformed at line {} column {}", e.line(), e.column()),
        },
    })?;
    let other = |what, fix| DiffError::OtherDocument {
        name: name.clone(),
        what,
        fix,
    };
    if h.format.as_ref().and_then(|f| f.as_str()) == Some(crate::record::FORMAT) {
        return Err(other(
            "a recording (`check --record`)",
            "replay it into a report first: `hibob-audit check --profile NAME --replay FILE --format json > report.json`",
        ));
    }
    if h.kind.as_ref().and_then(|k| k.as_str()) == Some(KIND) {
        return Err(other(
            "a comparison of two reports (`hibob-audit diff --format json`)",
            "pass the reports it compared",
        ));
    }
    if h.calls.is_some() && h.checks.is_none() {
        return Err(other(
            "a plan (`check --plan --format json`)",
            "run the audit without --plan to write a report",
        ));
    }
    let Some(version) = h.format_version else {
        return Err(DiffError::NotAReport {
            name,
            why: "it has no `format_version`".into(),
        });
    };
    if h.checks.is_none() {
        return Err(DiffError::NotAReport {
            name,
            why: "it has no `checks`".into(),
        });
    }
    Ok(shown(&version))
}

fn report(input: Input) -> Result<ReportDoc, DiffError> {
    serde_json::from_str(input.text).map_err(|e| DiffError::NotAReport {
        name: input.name.to_string(),
        why: short(&e),
    })
}

/// Reads two reports to compare: each must be a report, both of the same format version (the
/// one this hibob-audit reads) and of the same rules.
pub(crate) fn parse_pair(old: Input, new: Input) -> Result<(ReportDoc, ReportDoc), DiffError> {
    let (old_version, new_version) = (header(old)?, header(new)?);
    if old_version != new_version {
        return Err(DiffError::FormatVersions {
            old_name: old.name.to_string(),
            old: old_version,
            new_name: new.name.to_string(),
            new: new_version,
        });
    }
    if old_version != format!("\"{FORMAT_VERSION}\"") {
        return Err(DiffError::UnsupportedVersion {
            name: old.name.to_string(),
            version: old_version,
            tool: crate::report::VERSION,
        });
    }
    let (a, b) = (report(old)?, report(new)?);
    if a.profile != b.profile {
        return Err(DiffError::Profiles {
            old_name: old.name.to_string(),
            old: a.profile,
            new_name: new.name.to_string(),
            new: b.profile,
        });
    }
    Ok((a, b))
}
