//! The real HiBob client over ureq. The only code that sends the token anywhere.

use std::time::Duration;

use base64::Engine as _;
use ureq::Agent;

use super::url::BaseUrl;
use super::{ApiRequest, ApiResponse, HiBobApi, Method, TransportError};
use crate::credentials::Credentials;

pub struct HttpClient {
    agent: Agent,
    base: BaseUrl,
    authorization: String,
}

impl HttpClient {
    pub fn new(base: BaseUrl, credentials: &Credentials) -> Self {
        // Loopback targets never go through a proxy; others honour HTTPS_PROXY and friends.
        let proxy = if base.is_loopback() {
            None
        } else {
            ureq::Proxy::try_from_env()
        };
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .proxy(proxy)
            .max_redirects(0)
            // Large reads: the people search answers tens of megabytes at once.
            .input_buffer_size(1024 * 1024)
            .user_agent(concat!("hibob-audit/", env!("CARGO_PKG_VERSION")))
            .build();
        let pair = format!(
            "{}:{}",
            credentials.service_user_id,
            credentials.token.expose()
        );
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        );
        HttpClient {
            agent: config.into(),
            base,
            authorization,
        }
    }
}

impl HiBobApi for HttpClient {
    fn target(&self) -> String {
        self.base.to_string()
    }

    fn send(&self, request: &ApiRequest, timeout: Duration) -> Result<ApiResponse, TransportError> {
        let url = format!("{}{}", self.base, request.path_and_query());
        let result = match request.method {
            Method::Get => self
                .agent
                .get(&url)
                .config()
                .timeout_global(Some(timeout))
                .build()
                .header("Authorization", &self.authorization)
                .header("Accept", "application/json")
                .call(),
            Method::Post => {
                let body = request
                    .body
                    .as_ref()
                    .map(|b| b.to_string())
                    .unwrap_or_default();
                self.agent
                    .post(&url)
                    .config()
                    .timeout_global(Some(timeout))
                    .build()
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .send(body.as_bytes())
            }
        };
        let response = result.map_err(|e| transport_error(e, timeout, request))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().ok()?.to_string(),
                ))
            })
            .collect();
        let content_type = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.clone());
        Ok(ApiResponse {
            status,
            content_type,
            headers,
            body: Box::new(BodyReader(response.into_body().into_reader())),
        })
    }
}

/// ureq's errors as ours. Their text may name the URL: the path is replaced by its route, so
/// an employee ID in it (the balance call) never reaches a message.
fn transport_error(e: ureq::Error, timeout: Duration, request: &ApiRequest) -> TransportError {
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout(timeout.as_secs().max(1)),
        ureq::Error::HostNotFound => TransportError::Connect("host not found".into()),
        ureq::Error::ConnectionFailed => {
            TransportError::Connect("connection refused or unreachable".into())
        }
        ureq::Error::Io(io) => TransportError::Io(io.kind().to_string()),
        other => {
            let text = match &request.route {
                Some(route) => other.to_string().replace(&request.path, route),
                None => other.to_string(),
            };
            let lower = text.to_ascii_lowercase();
            if lower.contains("tls") || lower.contains("certificate") {
                TransportError::Tls(text)
            } else if lower.contains("closed") || lower.contains("eof") || lower.contains("reset") {
                TransportError::Io(text)
            } else {
                TransportError::Other(text)
            }
        }
    }
}

/// ureq's body reader; a timeout while reading surfaces as an I/O error the caller retries.
struct BodyReader(ureq::BodyReader<'static>);

impl std::io::Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}
