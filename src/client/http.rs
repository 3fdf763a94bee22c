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
        let response =
            result.map_err(|e| transport_error(e, timeout, request, self.base.host()))?;
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

/// ureq's errors as ours, each naming its cause. Their text may name the URL: the path is
/// replaced by its route, so an employee ID in it (the balance call) never reaches a message.
fn transport_error(
    e: ureq::Error,
    timeout: Duration,
    request: &ApiRequest,
    host: &str,
) -> TransportError {
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout(timeout.as_secs().max(1)),
        ureq::Error::HostNotFound => TransportError::Dns(host.to_string()),
        ureq::Error::ConnectionFailed => {
            TransportError::Connect("connection refused or unreachable".into())
        }
        ureq::Error::Io(io) => io_error(&io, timeout, host),
        other => {
            let text = match &request.route {
                Some(route) => other.to_string().replace(&request.path, route),
                None => other.to_string(),
            };
            by_text(text, host)
        }
    }
}

/// An I/O error from the connection: a wrapped ureq error, a certificate or TLS failure, a
/// failed name lookup, or the socket's own error kind.
fn io_error(io: &std::io::Error, timeout: Duration, host: &str) -> TransportError {
    if let Some(inner) = io.get_ref().and_then(|e| e.downcast_ref::<ureq::Error>())
        && matches!(inner, ureq::Error::Timeout(_))
    {
        return TransportError::Timeout(timeout.as_secs().max(1));
    }
    match io.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            return TransportError::Timeout(timeout.as_secs().max(1));
        }
        std::io::ErrorKind::ConnectionRefused => {
            return TransportError::Connect("connection refused".into());
        }
        _ => {}
    }
    // Rustls's errors (a certificate refused, a TLS alert) and the resolver's come as I/O
    // errors whose text says what happened.
    match by_text(io.to_string(), host) {
        TransportError::Other(_) => TransportError::Io(io.kind().to_string()),
        named => named,
    }
}

/// Names the cause from an error's text, when the text says it.
fn by_text(text: String, host: &str) -> TransportError {
    let lower = text.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("unknownissuer") {
        TransportError::Certificate(text)
    } else if lower.contains("lookup address")
        || lower.contains("name or service not known")
        || lower.contains("name resolution")
        || lower.contains("nodename nor servname")
        || lower.contains("no address associated")
        || lower.contains("host not found")
    {
        TransportError::Dns(host.to_string())
    } else if lower.contains("tls") || lower.contains("alert") || lower.contains("handshake") {
        TransportError::Tls(text)
    } else if lower.contains("closed") || lower.contains("eof") || lower.contains("reset") {
        TransportError::Io(text)
    } else {
        TransportError::Other(text)
    }
}

/// ureq's body reader. A timeout while reading surfaces as `TimedOut`, whatever ureq wraps it
/// in, so the caller can say which limit ran out.
struct BodyReader(ureq::BodyReader<'static>);

impl std::io::Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let timed_out = matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) || e
                .get_ref()
                .and_then(|i| i.downcast_ref::<ureq::Error>())
                .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)));
            if timed_out {
                std::io::Error::new(std::io::ErrorKind::TimedOut, "the answer timed out")
            } else {
                e
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_named_from_the_text() {
        assert!(matches!(
            by_text("invalid peer certificate: UnknownIssuer".into(), "h"),
            TransportError::Certificate(_)
        ));
        assert!(matches!(
            by_text(
                "failed to lookup address information: Name or service not known".into(),
                "h"
            ),
            TransportError::Dns(h) if h == "h"
        ));
        assert!(matches!(
            by_text("received fatal alert: HandshakeFailure".into(), "h"),
            TransportError::Tls(_)
        ));
    }
}
