//! `check --record`: a `HiBobApi` that passes calls through and keeps a copy of each answer,
//! redacted when the audit is done.

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::redact::{self, Pseudonyms};
use super::{Answer, BodyKind, Call, FORMAT, NOTICE, Recording, Tool, VERSION};
use crate::client::body::DecodeError;
use crate::client::{ApiRequest, ApiResponse, HiBobApi, TransportError};

struct Pending {
    request: ApiRequest,
    answer: Result<Received, TransportError>,
}

struct Received {
    status: u16,
    headers: Vec<(String, String)>,
    content_type: Option<String>,
    body: Arc<Mutex<Vec<u8>>>,
}

/// Records every attempt of every call made through it.
pub struct Recorder<'a> {
    inner: &'a dyn HiBobApi,
    calls: Mutex<Vec<Pending>>,
}

/// Copies what the probe reads.
struct Tee {
    inner: Box<dyn Read>,
    copy: Arc<Mutex<Vec<u8>>>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut copy) = self.copy.lock() {
            copy.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }
}

/// Headers worth keeping: the content type and HiBob's rate-limit headers.
fn kept_header(name: &str) -> bool {
    name == "content-type" || name == "retry-after" || name.starts_with("x-ratelimit-")
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn HiBobApi) -> Self {
        Recorder {
            inner,
            calls: Mutex::new(Vec::new()),
        }
    }

    fn push(&self, pending: Pending) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(pending);
        }
    }

    /// The redacted recording of every call so far.
    pub fn finish(self, rules: &str, recorded_on: &str) -> Recording {
        let mut ids = Pseudonyms::default();
        let calls = self
            .calls
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .into_iter()
            .map(|p| {
                let route = p
                    .request
                    .route
                    .clone()
                    .unwrap_or_else(|| p.request.path.clone());
                Call {
                    method: p.request.method.as_str().to_string(),
                    path: ids.by_route(&p.request.path, p.request.route.as_deref()),
                    query: p.request.query.clone(),
                    request_body: p.request.body.clone(),
                    answer: match p.answer {
                        Err(e) => Answer::TransportError {
                            error: e.kind(),
                            detail: e.to_string(),
                        },
                        Ok(r) => answer(&route, r, &mut ids),
                    },
                }
            })
            .collect();
        Recording {
            format: FORMAT.into(),
            version: VERSION,
            tool: Tool {
                name: "hibob-audit".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            recorded_on: recorded_on.into(),
            base_url: self.inner.target(),
            rules: rules.into(),
            notice: NOTICE.into(),
            calls,
        }
    }
}

fn answer(route: &str, r: Received, ids: &mut Pseudonyms) -> Answer {
    let bytes = r
        .body
        .lock()
        .map(|mut b| std::mem::take(&mut *b))
        .unwrap_or_default();
    let body_bytes = bytes.len() as u64;
    let (body_kind, body, json_error) = if bytes.is_empty() {
        (BodyKind::Empty, None, None)
    } else {
        match r.status {
            200..=299 if crate::client::body::is_json(r.content_type.as_deref()) => {
                match serde_json::from_slice::<serde_json::Value>(&bytes) {
                    Ok(v) => (BodyKind::Json, Some(redact::answer(route, &v, ids)), None),
                    Err(e) => (
                        if e.is_eof() {
                            BodyKind::Truncated
                        } else {
                            BodyKind::Malformed
                        },
                        None,
                        Some(DecodeError::from_json(&e).message),
                    ),
                }
            }
            401 | 403 if crate::client::body::mentions_permission(&bytes) => (
                BodyKind::Json,
                Some(
                    serde_json::json!({ "errorMessage": "[redacted; it spoke of a missing permission]" }),
                ),
                None,
            ),
            _ => (BodyKind::Text, None, None),
        }
    };
    Answer::Http {
        status: r.status,
        headers: r.headers,
        body_bytes,
        body_kind,
        body,
        json_error,
    }
}

impl HiBobApi for Recorder<'_> {
    fn target(&self) -> String {
        self.inner.target()
    }

    fn send(&self, request: &ApiRequest, timeout: Duration) -> Result<ApiResponse, TransportError> {
        match self.inner.send(request, timeout) {
            Err(e) => {
                self.push(Pending {
                    request: request.clone(),
                    answer: Err(e.clone()),
                });
                Err(e)
            }
            Ok(response) => {
                let copy = Arc::new(Mutex::new(Vec::new()));
                self.push(Pending {
                    request: request.clone(),
                    answer: Ok(Received {
                        status: response.status,
                        headers: response
                            .headers
                            .iter()
                            .filter(|(k, _)| kept_header(k))
                            .cloned()
                            .collect(),
                        content_type: response.content_type.clone(),
                        body: copy.clone(),
                    }),
                });
                Ok(ApiResponse {
                    body: Box::new(Tee {
                        inner: response.body,
                        copy,
                    }),
                    ..response
                })
            }
        }
    }
}
