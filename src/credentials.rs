//! Service-user credentials: where they come from, and a token type that never shows itself.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const ENV_ID: &str = "HIBOB_SERVICE_USER_ID";
pub const ENV_TOKEN: &str = "HIBOB_SERVICE_USER_TOKEN";

/// A service-user token. Debug and Display print a mask; only the HTTP client reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(text: &str) -> Option<Self> {
        let t = text.trim();
        (!t.is_empty()).then(|| Token(t.to_string()))
    }

    /// The secret itself. Call it only to build the Authorization header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub service_user_id: String,
    pub token: Token,
}

/// Where the token is to be read from, as the command line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    File(PathBuf),
    Stdin,
    Environment,
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "no service-user ID given: set {ENV_ID}, or pass --service-user-id ID{}",
        HOW
    )]
    MissingId,
    #[error(
        "no service-user token given: set {ENV_TOKEN}, or pass --token-file PATH or --token-stdin{}",
        HOW
    )]
    MissingToken,
    #[error("the token file {path} is empty")]
    EmptyFile { path: String },
    #[error("the token read from standard input is empty")]
    EmptyStdin,
    #[error("cannot read the token file {path}: {source}")]
    ReadFile {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the token from standard input: {0}")]
    ReadStdin(std::io::Error),
}

const HOW: &str = " (the token is never taken from a command-line flag; find both in HiBob under Settings > Integrations > Service users)";

/// Resolves credentials from flags and the environment. `env` looks up a variable.
pub fn resolve(
    id_flag: Option<&str>,
    source: &TokenSource,
    env: &dyn Fn(&str) -> Option<String>,
    stdin: &mut dyn Read,
) -> Result<Credentials, CredentialError> {
    let service_user_id = id_flag
        .map(str::to_string)
        .or_else(|| env(ENV_ID))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or(CredentialError::MissingId)?;
    let token = match source {
        TokenSource::File(path) => read_file(path)?,
        TokenSource::Stdin => {
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(CredentialError::ReadStdin)?;
            Token::new(&text).ok_or(CredentialError::EmptyStdin)?
        }
        TokenSource::Environment => env(ENV_TOKEN)
            .as_deref()
            .and_then(Token::new)
            .ok_or(CredentialError::MissingToken)?,
    };
    Ok(Credentials {
        service_user_id,
        token,
    })
}

fn read_file(path: &Path) -> Result<Token, CredentialError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CredentialError::ReadFile {
        path: shown.clone(),
        source,
    })?;
    Token::new(&text).ok_or(CredentialError::EmptyFile { path: shown })
}

/// True when the file can be read by group or others (Unix permission bits).
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_never_shows_itself() {
        let t = Token::new(" s3cr3t \n").unwrap();
        assert_eq!(t.expose(), "s3cr3t");
        assert_eq!(format!("{t} {t:?}"), "*** Token(***)");
        let c = Credentials {
            service_user_id: "SERVICE-1".into(),
            token: t,
        };
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }

    #[test]
    fn missing_credentials_name_every_way() {
        let none = |_: &str| None;
        let err = resolve(
            None,
            &TokenSource::Environment,
            &none,
            &mut std::io::empty(),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(ENV_ID) && msg.contains("--service-user-id"),
            "{msg}"
        );
        let err = resolve(
            Some("id"),
            &TokenSource::Environment,
            &none,
            &mut std::io::empty(),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(ENV_TOKEN)
                && msg.contains("--token-file")
                && msg.contains("--token-stdin"),
            "{msg}"
        );
    }

    #[test]
    fn stdin_token_is_trimmed_and_empty_is_refused() {
        let none = |_: &str| None;
        let c = resolve(
            Some("id"),
            &TokenSource::Stdin,
            &none,
            &mut "tok\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(c.token.expose(), "tok");
        assert!(matches!(
            resolve(
                Some("id"),
                &TokenSource::Stdin,
                &none,
                &mut "  \n".as_bytes()
            ),
            Err(CredentialError::EmptyStdin)
        ));
    }
}
