//! Redacted recordings of an audit's calls (`check --record`) and their offline replay
//! (`check --replay`). The format is documented in docs/recording.md.
//!
//! A recording keeps what the audit needs and nothing else: key presence and null-ness,
//! lifecycle labels, field metadata, policy type names, statuses and sizes. Employee IDs become
//! stable pseudonyms (`employee-0001`); every other employee value becomes a type marker. The
//! token and the Authorization header are never in it.

mod recorder;
mod redact;
mod replay;

pub use recorder::Recorder;
pub use replay::Replay;

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "hibob-audit-recording";
pub const VERSION: u32 = 1;

/// What every recording says about itself, for the human who reads it before sending it.
pub const NOTICE: &str = "Redacted by hibob-audit: employee IDs are pseudonyms (employee-0001, ...), every other employee value is a type marker (<text>, <number>, <bool>); null and empty values, key presence, lifecycle labels, field metadata and policy type names are kept. No token and no Authorization header.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    pub format: String,
    pub version: u32,
    pub tool: Tool,
    /// The day of the recording (UTC), YYYY-MM-DD.
    pub recorded_on: String,
    pub base_url: String,
    /// The rules' name the recording was made with.
    pub rules: String,
    pub notice: String,
    pub calls: Vec<Call>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// One attempt of one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub method: String,
    /// The path, with employee IDs replaced by their pseudonyms.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The request body (the people search's: field IDs and flags; no employee data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<serde_json::Value>,
    pub answer: Answer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Answer {
    /// An HTTP answer.
    Http {
        status: u16,
        /// Content type and rate-limit headers.
        headers: Vec<(String, String)>,
        /// How many bytes the audit read of the body.
        body_bytes: u64,
        /// `json` (redacted in `body`), `text` (not JSON, left out), `malformed` (JSON that
        /// does not parse; `json_error` says how), or `empty`.
        body_kind: BodyKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<serde_json::Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        json_error: Option<String>,
    },
    /// No HTTP answer: connection refused or reset, timeout, TLS.
    TransportError { error: String, detail: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Json,
    Text,
    Malformed,
    Empty,
}

/// Query parameters that carry dates: a replay on another day ignores them when matching.
pub(crate) const DATED_PARAMETERS: &[&str] = &["from", "to", "since", "date", "today"];

#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    #[error("cannot read the recording {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a hibob-audit recording: {why}")]
    Invalid { path: String, why: String },
    #[error(
        "{path} is a recording of format version {found}; this hibob-audit reads version {VERSION}"
    )]
    Version { path: String, found: u32 },
}

/// Reads and checks a recording file.
pub fn load(path: &std::path::Path) -> Result<Recording, RecordingError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| RecordingError::Read {
        path: shown.clone(),
        source,
    })?;
    let head: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| RecordingError::Invalid {
            path: shown.clone(),
            why: crate::probes::DecodeError::from_json(&e).message,
        })?;
    if head.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(RecordingError::Invalid {
            path: shown,
            why: format!("its `format` is not \"{FORMAT}\""),
        });
    }
    let found = head.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
    if found != VERSION {
        return Err(RecordingError::Version { path: shown, found });
    }
    serde_json::from_value(head).map_err(|e| RecordingError::Invalid {
        path: shown,
        why: crate::probes::DecodeError::from_json(&e).message,
    })
}
