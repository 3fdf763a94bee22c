//! Base URL checks: the token must never travel in clear to another machine.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub(crate) const PRODUCTION: &str = "https://api.hibob.com/v1";
pub(crate) const SANDBOX: &str = "https://api.sandbox.hibob.com/v1";

/// A base URL that passed the checks: https anywhere, http only on loopback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
    host: String,
    loopback: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("`{0}` is not a URL: expected https://HOST[/PATH], e.g. {PRODUCTION}")]
    NotUrl(String),
    #[error("`{0}` uses a scheme other than https")]
    Scheme(String),
    #[error(
        "`{0}` uses http:// to a host that is not loopback: the token would travel in clear. Use https://, or http:// only for 127.0.0.0/8, localhost or [::1]"
    )]
    ClearText(String),
    #[error(
        "`{0}` carries a user name or password: give credentials through the environment, --token-file or --token-stdin"
    )]
    UserInfo(String),
    #[error("`{0}` cannot be requested: {1}")]
    Unusable(String, &'static str),
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<Self, BaseUrlError> {
        let text = text.trim();
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| BaseUrlError::NotUrl(text.to_string()))?;
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(BaseUrlError::UserInfo(redact_userinfo(text)));
        }
        if rest.contains(['?', '#']) {
            return Err(BaseUrlError::NotUrl(text.to_string()));
        }
        let shown = || crate::sanitize::terminal(text);
        if let Some(why) = unusable(rest) {
            return Err(BaseUrlError::Unusable(shown(), why));
        }
        let host = host_of(authority).ok_or_else(|| BaseUrlError::NotUrl(shown()))?;
        if let Some(why) = bad_port(authority) {
            return Err(BaseUrlError::Unusable(shown(), why));
        }
        let loopback = is_loopback(&host);
        match scheme.as_str() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(BaseUrlError::ClearText(text.to_string())),
            _ => return Err(BaseUrlError::Scheme(text.to_string())),
        }
        let url = format!("{scheme}://{}", rest.trim_end_matches('/'));
        // The HTTP client must be able to build a request from it.
        if ureq::http::Uri::try_from(format!("{url}/company/people/fields")).is_err() {
            return Err(BaseUrlError::Unusable(shown(), "it is not a valid URL"));
        }
        Ok(BaseUrl {
            url,
            host,
            loopback,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub(crate) fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// The host name or address, lower-cased (for messages: "could not be resolved").
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// Why the part after `scheme://` cannot go into a request: a character a URL cannot hold.
fn unusable(rest: &str) -> Option<&'static str> {
    if rest.chars().any(char::is_whitespace) {
        return Some("it holds a space or another blank");
    }
    if rest.chars().any(char::is_control) {
        return Some("it holds a control character");
    }
    if !rest.is_ascii() {
        return Some(
            "it holds a character outside ASCII (percent-encode it, or use the punycode host name)",
        );
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%[]".contains(c);
    (!rest.chars().all(allowed)).then_some("it holds a character a URL cannot hold")
}

/// Why the port of `host[:port]` cannot be connected to: out of range, or 0.
fn bad_port(authority: &str) -> Option<&'static str> {
    let after_host = match authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(_, after)| after),
        None => authority.rsplit_once(':').map_or("", |(_, p)| p),
    };
    let port = after_host.strip_prefix(':').unwrap_or(after_host);
    if port.is_empty() {
        return None;
    }
    match port.parse::<u16>() {
        Ok(0) => Some("port 0 cannot be connected to"),
        Ok(_) => None,
        Err(_) => Some("the port is not a number from 1 to 65535"),
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

fn redact_userinfo(text: &str) -> String {
    match (text.split_once("://"), text.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://***{}", &text[at..]),
        _ => "***".to_string(),
    }
}

/// The host of `host[:port]` or `[v6]:port`, lower-cased; None when empty or malformed.
fn host_of(authority: &str) -> Option<String> {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        inside
    } else {
        match authority.rsplit_once(':') {
            Some((h, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => h,
            Some(_) => return None,
            None => authority,
        }
    };
    if host.is_empty() {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return v4.is_loopback();
    }
    if let Ok(v6) = host.parse::<Ipv6Addr>() {
        return v6 == Ipv6Addr::LOCALHOST;
    }
    matches!(host.parse::<IpAddr>(), Ok(ip) if ip.is_loopback())
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass).
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(BaseUrl::parse(PRODUCTION).is_ok());
        assert!(
            BaseUrl::parse("http://127.0.0.1:8080/v1")
                .unwrap()
                .is_loopback()
        );
        assert!(BaseUrl::parse("http://127.8.9.10/v1").is_ok());
        assert!(BaseUrl::parse("http://localhost:1/v1/").is_ok());
        assert!(BaseUrl::parse("http://[::1]:9/v1").is_ok());
        assert!(matches!(
            BaseUrl::parse("http://api.hibob.com/v1"),
            Err(BaseUrlError::ClearText(_))
        ));
        assert!(matches!(
            BaseUrl::parse("http://10.0.0.1/v1"),
            Err(BaseUrlError::ClearText(_))
        ));
        assert!(matches!(
            BaseUrl::parse("http://localhost.evil.com/v1"),
            Err(BaseUrlError::ClearText(_))
        ));
        assert!(matches!(
            BaseUrl::parse("ftp://x/v1"),
            Err(BaseUrlError::Scheme(_))
        ));
        assert!(matches!(
            BaseUrl::parse("api.hibob.com"),
            Err(BaseUrlError::NotUrl(_))
        ));
        assert!(matches!(
            BaseUrl::parse("https:///v1"),
            Err(BaseUrlError::NotUrl(_))
        ));
    }

    #[test]
    fn urls_that_cannot_be_requested_are_refused() {
        for bad in [
            "http://127.0.0.1:99999/v1",
            "http://127.0.0.1:0/v1",
            "https://api.hibob.com/v 1",
            "https://api hibob.com/v1",
            "https://api.hibob.com/v1\u{7}",
            "https://api.hibob.com/v1/é",
            "https://api.hibob.com/v1/a\"b",
        ] {
            assert!(
                matches!(
                    BaseUrl::parse(bad),
                    Err(BaseUrlError::Unusable(..) | BaseUrlError::NotUrl(_))
                ),
                "{bad}"
            );
        }
        let ok = BaseUrl::parse("http://127.0.0.1:65535/v1").unwrap();
        assert_eq!(ok.host(), "127.0.0.1");
        assert_eq!(
            BaseUrl::parse("http://[::1]:8080/v1").unwrap().host(),
            "::1"
        );
    }

    #[test]
    fn userinfo_is_refused_and_never_echoed() {
        let err = BaseUrl::parse("https://id:SECRET@api.hibob.com/v1").unwrap_err();
        assert!(!err.to_string().contains("SECRET"));
    }

    #[test]
    fn trailing_slash_is_trimmed() {
        assert_eq!(
            BaseUrl::parse("https://x.test/v1/").unwrap().as_str(),
            "https://x.test/v1"
        );
    }

    #[test]
    fn query_components_are_encoded() {
        assert_eq!(
            encode_component("2026-01-01T00:00:00Z"),
            "2026-01-01T00%3A00%3A00Z"
        );
        assert_eq!(encode_component("Sick leave"), "Sick%20leave");
    }
}
