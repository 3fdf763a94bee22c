//! `check --replay`: a `HiBobApi` that answers from a recording. No network, no credentials.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};
use std::sync::Mutex;
use std::time::Duration;

use super::{Answer, BodyKind, DATED_PARAMETERS, Recording};
use crate::client::{ApiRequest, ApiResponse, HiBobApi, TransportError};

pub struct Replay {
    recording: Recording,
    /// How often each recorded call was served, by index.
    served: Mutex<Vec<usize>>,
}

fn undated(query: &[(String, String)]) -> BTreeSet<(&str, &str)> {
    query
        .iter()
        .filter(|(k, _)| !DATED_PARAMETERS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn fields(body: Option<&serde_json::Value>) -> BTreeSet<String> {
    body.and_then(|b| b.get("fields"))
        .and_then(|f| f.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl Replay {
    pub fn new(recording: Recording) -> Self {
        let n = recording.calls.len();
        Replay {
            recording,
            served: Mutex::new(vec![0; n]),
        }
    }

    /// Indices of the recorded attempts of this call, in order.
    fn attempts(&self, request: &ApiRequest) -> Vec<usize> {
        let query = undated(&request.query);
        let wanted = fields(request.body.as_ref());
        self.recording
            .calls
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.method == request.method.as_str()
                    && c.path == request.path
                    && undated(&c.query) == query
                    && wanted.is_subset(&fields(c.request_body.as_ref()))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

impl HiBobApi for Replay {
    fn target(&self) -> String {
        self.recording.base_url.clone()
    }

    fn send(
        &self,
        request: &ApiRequest,
        _timeout: Duration,
    ) -> Result<ApiResponse, TransportError> {
        let attempts = self.attempts(request);
        // Serve the attempts in the order they were recorded; the last one stays.
        let mut served = self
            .served
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let done: usize = attempts.iter().map(|&i| served[i]).sum();
        let Some(&index) = attempts.get(done.min(attempts.len().saturating_sub(1))) else {
            return Err(TransportError::NotRecorded(format!(
                "the recording has no answer for {}{}",
                request.endpoint(),
                if request.body.is_some() {
                    " with the fields these rules need"
                } else {
                    ""
                }
            )));
        };
        served[index] += 1;
        match &self.recording.calls[index].answer {
            Answer::TransportError { error, detail } => {
                Err(TransportError::of_kind(*error, detail.clone()))
            }
            Answer::Http {
                status,
                headers,
                body_bytes,
                body_kind,
                body,
                json_error: _,
            } => {
                // Bodies the recording stands for by size are produced as they are read, so a
                // claimed size allocates nothing; the answer limits stop the reading.
                let size = *body_bytes;
                let bytes: Box<dyn Read> = match body_kind {
                    BodyKind::Json => Box::new(Cursor::new(
                        body.as_ref()
                            .map(|b| b.to_string().into_bytes())
                            .unwrap_or_default(),
                    )),
                    BodyKind::Empty => Box::new(std::io::empty()),
                    // The same size, failing the same way: an opening bracket and blanks read
                    // as cut off; anything else as malformed.
                    BodyKind::Truncated => Box::new(
                        (&b"["[..]).chain(std::io::repeat(b' ').take(size.saturating_sub(1))),
                    ),
                    BodyKind::Malformed | BodyKind::Text => {
                        Box::new(std::io::repeat(b'x').take(size))
                    }
                };
                let content_type = headers
                    .iter()
                    .find(|(k, _)| k == "content-type")
                    .map(|(_, v)| v.clone());
                Ok(ApiResponse {
                    status: *status,
                    content_type,
                    headers: headers.clone(),
                    body: bytes,
                })
            }
        }
    }
}
