//! What every caller of HiBob needs to know about an answer's body, whoever reads it: the
//! probes, the recorder and the replay. Nothing here keeps a value from a body.

use std::io::Read;

/// Why a body could not be decoded. Never carries a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    /// The connection broke while reading: worth a retry.
    pub io: bool,
}

impl DecodeError {
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            io: false,
        }
    }

    /// Describes a serde_json error by its class and position only: its message can quote values.
    pub fn from_json(e: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let at = format!("line {} column {}", e.line(), e.column());
        match e.classify() {
            Category::Eof => DecodeError::new(format!("the JSON ends early (truncated at {at})")),
            Category::Syntax => DecodeError::new(format!("the JSON is malformed at {at}")),
            Category::Data => DecodeError::new(format!("the JSON has an unexpected shape at {at}")),
            Category::Io => DecodeError::broken(),
        }
    }

    pub fn broken() -> Self {
        DecodeError {
            message: "the connection broke while reading the answer".into(),
            io: true,
        }
    }
}

/// Whether a `Content-Type` says JSON (`application/json`, `*+json`); none at all is taken
/// as JSON, as HiBob sometimes sends it.
pub fn is_json(content_type: Option<&str>) -> bool {
    match content_type {
        None => true,
        Some(ct) => {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        }
    }
}

/// Whether a refusal's body speaks of a missing permission (`{"errorMessage": "No permissions
/// to ..."}`): HiBob refuses missing permissions with 401 too. One test, for the caller and the
/// recorder.
pub fn mentions_permission(body: &[u8]) -> bool {
    String::from_utf8_lossy(body)
        .to_ascii_lowercase()
        .contains("permission")
}

/// The body without its leading whitespace, or `None` when it is blank: an empty 200 is an
/// answer of its own, not malformed JSON.
pub fn non_blank(body: &mut dyn Read) -> Result<Option<impl Read + '_>, DecodeError> {
    let mut first = [0u8; 1];
    loop {
        match body.read(&mut first) {
            Ok(0) => return Ok(None),
            Ok(_) if first[0].is_ascii_whitespace() => continue,
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(DecodeError::broken()),
        }
    }
    Ok(Some(Read::chain(std::io::Cursor::new(first), body)))
}
