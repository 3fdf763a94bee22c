//! Base URL checks: the token must never travel in clear to another machine.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const PRODUCTION: &str = "https://api.hibob.com/v1";
pub const SANDBOX: &str = "https://api.sandbox.hibob.com/v1";

/// A base URL that passed the checks: https anywhere, http only on loopback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
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
        let host = host_of(authority).ok_or_else(|| BaseUrlError::NotUrl(text.to_string()))?;
        let loopback = is_loopback(&host);
        match scheme.as_str() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(BaseUrlError::ClearText(text.to_string())),
            _ => return Err(BaseUrlError::Scheme(text.to_string())),
        }
        Ok(BaseUrl {
            url: format!("{scheme}://{}", rest.trim_end_matches('/')),
            loopback,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn is_loopback(&self) -> bool {
        self.loopback
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
pub fn encode_component(text: &str) -> String {
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
