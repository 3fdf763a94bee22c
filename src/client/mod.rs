//! The edge to HiBob: a small trait over its endpoints, so probes run the same against the
//! real API (`http`), the embedded demo tenant, and later a recording.

pub mod body;
pub mod http;
pub mod url;

use std::fmt;
use std::io::Read;
use std::time::Duration;

/// HTTP method. The audit only reads: `POST` is used for `/people/search` alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One call to HiBob, relative to the base URL (path starts with `/`, no `/v1`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    pub method: Method,
    pub path: String,
    /// The path as reports show it, with employee IDs as `{id}`; `None` when it is `path`.
    pub route: Option<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
}

impl ApiRequest {
    pub fn get(path: &str) -> Self {
        ApiRequest {
            method: Method::Get,
            path: path.to_string(),
            route: None,
            query: Vec::new(),
            body: None,
        }
    }

    pub fn post(path: &str, body: serde_json::Value) -> Self {
        ApiRequest {
            method: Method::Post,
            path: path.to_string(),
            route: None,
            query: Vec::new(),
            body: Some(body),
        }
    }

    /// "METHOD /route", as findings and logs name it: never an employee ID. Flags set to
    /// `true` are part of it (`GET /timeoff/whosout?includePrivate=true`), so that two calls of
    /// one endpoint read apart; dates and other parameters are not.
    pub fn endpoint(&self) -> String {
        let flags: Vec<String> = self
            .query
            .iter()
            .filter(|(_, v)| v == "true")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(
            "{} {}{}",
            self.method.as_str(),
            self.route.as_deref().unwrap_or(&self.path),
            if flags.is_empty() {
                String::new()
            } else {
                format!("?{}", flags.join("&"))
            }
        )
    }

    /// Path plus encoded query string.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let q: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", url::encode_component(k), url::encode_component(v)))
            .collect();
        format!("{}?{}", self.path, q.join("&"))
    }
}

/// HiBob's answer: status, the headers the audit uses, and the body as a stream.
pub struct ApiResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// Lower-cased header names with their values (rate-limit headers and the like).
    pub headers: Vec<(String, String)>,
    pub body: Box<dyn Read>,
}

impl ApiResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// A call that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("TLS failed: {0}")]
    Tls(String),
    /// The server's TLS certificate was refused: never retried.
    #[error(
        "the server's TLS certificate was refused ({0}): it is not signed by a trusted authority (self-signed, expired, or for another host), or a proxy intercepts TLS"
    )]
    Certificate(String),
    /// The host name could not be resolved: never retried.
    #[error("the host `{0}` could not be resolved (DNS): check --base-url and the network")]
    Dns(String),
    #[error("connection failed: {0}")]
    Io(String),
    /// Replay only: the recording has no answer for this call.
    #[error("{0}")]
    NotRecorded(String),
    #[error("{0}")]
    Other(String),
}

/// The kind of a transport error, as recordings name it: one enum for the recorder and the
/// replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransportKind {
    Timeout,
    Connect,
    Tls,
    Certificate,
    Dns,
    Io,
    NotRecorded,
    /// Any other, and any kind a recording names that this version does not know.
    #[serde(other)]
    Other,
}

impl TransportError {
    pub fn kind(&self) -> TransportKind {
        match self {
            TransportError::Timeout(_) => TransportKind::Timeout,
            TransportError::Connect(_) => TransportKind::Connect,
            TransportError::Tls(_) => TransportKind::Tls,
            TransportError::Certificate(_) => TransportKind::Certificate,
            TransportError::Dns(_) => TransportKind::Dns,
            TransportError::Io(_) => TransportKind::Io,
            TransportError::NotRecorded(_) => TransportKind::NotRecorded,
            TransportError::Other(_) => TransportKind::Other,
        }
    }

    /// The error a recording of this kind stands for, with its detail.
    pub fn of_kind(kind: TransportKind, detail: String) -> Self {
        match kind {
            TransportKind::Timeout => TransportError::Timeout(0),
            TransportKind::Connect => TransportError::Connect(detail),
            TransportKind::Tls => TransportError::Tls(detail),
            TransportKind::Certificate => TransportError::Certificate(detail),
            TransportKind::Dns => TransportError::Dns(detail),
            TransportKind::Io => TransportError::Io(detail),
            TransportKind::NotRecorded | TransportKind::Other => TransportError::Other(detail),
        }
    }
}

/// HiBob's endpoints as the probes see them. Implementations never write to HiBob. They are
/// shared between the probes' threads, hence `Sync`.
pub trait HiBobApi: Sync {
    /// A short description of where calls go (the base URL, or "embedded sample tenant").
    fn target(&self) -> String;

    /// Sends one request; `timeout` bounds the whole call, body included.
    fn send(&self, request: &ApiRequest, timeout: Duration) -> Result<ApiResponse, TransportError>;
}
