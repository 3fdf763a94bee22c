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
    timeout: Duration,
}

impl HttpClient {
    pub fn new(base: BaseUrl, credentials: &Credentials, timeout: Duration) -> Self {
        // Loopback targets never go through a proxy; others honour HTTPS_PROXY and friends.
        let proxy = if base.is_loopback() {
            None
        } else {
            ureq::Proxy::try_from_env()
        };
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .proxy(proxy)
            .max_redirects(0)
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
            timeout,
        }
    }
}

impl HiBobApi for HttpClient {
    fn target(&self) -> String {
        self.base.to_string()
    }

    fn send(&self, request: &ApiRequest) -> Result<ApiResponse, TransportError> {
        let url = format!("{}{}", self.base, request.path_and_query());
        let result = match request.method {
            Method::Get => self
                .agent
                .get(&url)
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
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .send(body.as_bytes())
            }
        };
        let response = result.map_err(|e| self.transport_error(e))?;
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

impl HttpClient {
    fn transport_error(&self, e: ureq::Error) -> TransportError {
        match e {
            ureq::Error::Timeout(_) => TransportError::Timeout(self.timeout.as_secs()),
            ureq::Error::HostNotFound => TransportError::Connect("host not found".into()),
            ureq::Error::ConnectionFailed => {
                TransportError::Connect("connection refused or unreachable".into())
            }
            ureq::Error::Io(io) => TransportError::Io(io.kind().to_string()),
            other => {
                let text = other.to_string();
                if text.to_ascii_lowercase().contains("tls") || text.contains("certificate") {
                    TransportError::Tls(text)
                } else {
                    TransportError::Other(text)
                }
            }
        }
    }
}

/// ureq's body reader, with its errors turned into plain I/O errors that name no URL.
struct BodyReader(ureq::BodyReader<'static>);

impl std::io::Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}
