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
pub const NOTICE: &str = "Redacted by hibob-audit: employee IDs are pseudonyms (employee-0001, ...), every other employee value is a type marker (<text>, <number>, <bool>); null and empty values, key presence, lifecycle labels, field metadata, policy type names, table rows' isCurrent flags, withheld column names and docs folder names are kept. No token and no Authorization header.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    #[serde(deserialize_with = "bounds::format")]
    pub format: String,
    #[serde(deserialize_with = "bounds::version")]
    pub version: u32,
    pub tool: Tool,
    /// The day of the recording (UTC), YYYY-MM-DD.
    #[serde(deserialize_with = "bounds::short")]
    pub recorded_on: String,
    #[serde(deserialize_with = "bounds::short")]
    pub base_url: String,
    /// The rules' name the recording was made with.
    #[serde(deserialize_with = "bounds::short")]
    pub rules: String,
    #[serde(deserialize_with = "bounds::long")]
    pub notice: String,
    pub calls: Vec<Call>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    #[serde(deserialize_with = "bounds::short")]
    pub name: String,
    #[serde(deserialize_with = "bounds::short")]
    pub version: String,
}

/// One attempt of one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    #[serde(deserialize_with = "bounds::short")]
    pub method: String,
    /// The path, with employee IDs replaced by their pseudonyms.
    #[serde(deserialize_with = "bounds::long")]
    pub path: String,
    #[serde(deserialize_with = "bounds::pairs")]
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
        #[serde(deserialize_with = "bounds::pairs")]
        headers: Vec<(String, String)>,
        /// How many bytes the audit read of the body. A replay never allocates by it: bodies
        /// it stands for are produced as they are read, within the answer limits.
        #[serde(deserialize_with = "bounds::body_bytes")]
        body_bytes: u64,
        /// `json` (redacted in `body`), `text` (not JSON, left out), `malformed` (JSON that
        /// does not parse; `json_error` says how), `truncated` (JSON cut off), or `empty`.
        body_kind: BodyKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<serde_json::Value>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "bounds::optional_long"
        )]
        json_error: Option<String>,
    },
    /// No HTTP answer: connection refused or reset, timeout, TLS.
    TransportError {
        error: crate::client::TransportKind,
        #[serde(deserialize_with = "bounds::long")]
        detail: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Json,
    Text,
    Malformed,
    /// JSON cut off before its end: a replay serves a body that is cut off the same way.
    Truncated,
    Empty,
}

/// Bounds on what a recording may hold, checked while it is read: a recording comes from
/// elsewhere, and nothing in it is trusted.
mod bounds {
    use std::cell::RefCell;

    use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

    /// The longest name, date, method or URL.
    pub const SHORT: usize = 2048;
    /// The longest path, message or header value.
    pub const LONG: usize = 64 * 1024;
    /// The most query parameters or headers of one call.
    pub const PAIRS: usize = 256;
    /// The largest body size a recording may claim: more than any answer limit allows.
    pub const BODY_BYTES: u64 = 1 << 40;

    thread_local! {
        /// Why the last value was refused: serde's own message may quote the file.
        pub static REFUSED: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    fn refuse<E: de::Error>(why: String) -> E {
        REFUSED.with(|r| *r.borrow_mut() = Some(why));
        E::custom("refused")
    }

    fn bounded<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<String, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() > max {
            return Err(refuse(format!(
                "a string of {} bytes (at most {max})",
                s.len()
            )));
        }
        Ok(s)
    }

    pub fn short<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        bounded(d, SHORT)
    }

    pub fn long<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        bounded(d, LONG)
    }

    pub fn optional_long<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        long(d).map(Some)
    }

    pub fn format<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let s = short(d)?;
        if s != super::FORMAT {
            return Err(refuse(format!("its `format` is not \"{}\"", super::FORMAT)));
        }
        Ok(s)
    }

    pub fn version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        let v = u64::deserialize(d)?;
        if v != u64::from(super::VERSION) {
            return Err(refuse(format!(
                "it is of format version {v}; this hibob-audit reads version {}",
                super::VERSION
            )));
        }
        Ok(super::VERSION)
    }

    pub fn body_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let n = u64::deserialize(d)?;
        if n > BODY_BYTES {
            return Err(refuse(format!(
                "a `body_bytes` of {n} (at most {BODY_BYTES})"
            )));
        }
        Ok(n)
    }

    /// A list of `[name, value]` pairs, counted as it is read.
    pub fn pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of [name, value] pairs")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(Pair(k, v)) = seq.next_element::<Pair>()? {
                    if out.len() == PAIRS {
                        return Err(refuse(format!("more than {PAIRS} pairs in one list")));
                    }
                    out.push((k, v));
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Pairs)
    }

    struct Pair(String, String);

    impl<'de> Deserialize<'de> for Pair {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(serde::Deserialize)]
            struct Raw(
                #[serde(deserialize_with = "long")] String,
                #[serde(deserialize_with = "long")] String,
            );
            let Raw(k, v) = Raw::deserialize(d)?;
            Ok(Pair(k, v))
        }
    }
}

/// Query parameters that carry dates: a replay on another day ignores them when matching.
pub(crate) const DATED_PARAMETERS: &[&str] = &["from", "to", "since", "date", "today"];

/// A recording file is read up to this size (larger ones are refused before being read).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    #[error("cannot read the recording {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is not a hibob-audit recording: {why}")]
    Invalid { path: String, why: String },
    #[error("{path} is larger than a recording may be ({size} bytes, at most {MAX_FILE_BYTES})")]
    TooLarge { path: String, size: u64 },
}

/// Reads and checks a recording file. Nothing in it is trusted: strings, lists and sizes are
/// bounded while it is read, and a refusal names its line and column.
pub fn load(path: &std::path::Path) -> Result<Recording, RecordingError> {
    let shown = path.display().to_string();
    let read_error = |e: std::io::Error| RecordingError::Read {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if meta.is_dir() {
        return Err(RecordingError::Read {
            path: shown,
            reason: "it is a directory".into(),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(RecordingError::TooLarge {
            path: shown,
            size: meta.len(),
        });
    }
    // A file that grows while it is read (or is not a regular file) is cut at the bound,
    // and then fails to parse.
    let reader = std::io::BufReader::new(std::io::Read::take(file, MAX_FILE_BYTES));
    parse(reader, &shown)
}

/// Parses a recording from `reader`; `shown` names it in messages.
pub fn parse(reader: impl std::io::Read, shown: &str) -> Result<Recording, RecordingError> {
    bounds::REFUSED.with(|r| r.borrow_mut().take());
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Recording::deserialize(&mut de).and_then(|r| de.end().map(|()| r));
    result.map_err(|e| {
        let why = match bounds::REFUSED.with(|r| r.borrow_mut().take()) {
            Some(why) => format!("{why} at line {} column {}", e.line(), e.column()),
            None => crate::client::body::DecodeError::from_json(&e).message,
        };
        RecordingError::Invalid {
            path: shown.to_string(),
            why,
        }
    })
}
