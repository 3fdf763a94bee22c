//! Service-user credentials: where they come from, and a token type that never shows itself.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) const ENV_ID: &str = "HIBOB_SERVICE_USER_ID";
pub(crate) const ENV_TOKEN: &str = "HIBOB_SERVICE_USER_TOKEN";

/// A service-user token. Debug and Display print a mask; only the HTTP client reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(text: &str) -> Option<Self> {
        let t = text.trim();
        (!t.is_empty()).then(|| Token(t.to_string()))
    }

    /// The secret itself. Call it only to build the Authorization header.
    pub(crate) fn expose(&self) -> &str {
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

/// The longest token accepted. HiBob's service-user tokens are a few dozen characters; a
/// longer "token" is the wrong file or input, and would not fit in a request header.
pub(crate) const MAX_TOKEN_BYTES: usize = 4096;
/// The longest service-user ID accepted (HiBob's are a few dozen characters).
pub(crate) const MAX_ID_BYTES: usize = 256;

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
    #[error("cannot read the token file {path}: {reason}")]
    ReadFile { path: String, reason: String },
    #[error("cannot read the token from standard input: {0}")]
    ReadStdin(String),
    #[error(
        "--token-stdin will not read from a terminal (the token would echo on screen): pipe it in, e.g. `--token-stdin < token-file`, or use --token-file PATH or {ENV_TOKEN}"
    )]
    StdinIsTerminal,
    #[error(
        "no token arrived on standard input within the --deadline of {0} s: pipe the token in and close the pipe (or end it with a newline)"
    )]
    StdinTimeout(u64),
    #[error(
        "the token from {from} is longer than {MAX_TOKEN_BYTES} bytes: a HiBob service-user token is a few dozen characters; check what {from} holds"
    )]
    TokenTooLong { from: String },
    #[error(
        "the token from {from} holds {what} at byte {at}: a HiBob token is printable ASCII without spaces; check what {from} holds"
    )]
    TokenFormat {
        from: String,
        what: &'static str,
        at: usize,
    },
    #[error(
        "the service-user ID holds {what}: a HiBob service-user ID is printable text of at most {MAX_ID_BYTES} bytes without `:` (which would make the Basic authorization ambiguous)"
    )]
    IdFormat { what: &'static str },
}

const HOW: &str = " (the token is never taken from a command-line flag; find both in HiBob under Settings > Integrations > Service users)";

/// Standard input, as `--token-stdin` reads it: never a terminal, never past the deadline.
pub struct Stdin {
    pub reader: Box<dyn Read + Send>,
    pub is_terminal: bool,
    /// How long to wait for the token (the `--deadline`).
    pub wait: Duration,
}

/// Resolves credentials from flags and the environment. `env` looks up a variable. Every
/// check happens here, before any call: an ID or token that cannot be right is refused.
pub fn resolve(
    id_flag: Option<&str>,
    source: &TokenSource,
    env: &dyn Fn(&str) -> Option<String>,
    stdin: Stdin,
) -> Result<Credentials, CredentialError> {
    let service_user_id = id_flag
        .map(str::to_string)
        .or_else(|| env(ENV_ID))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or(CredentialError::MissingId)?;
    check_id(&service_user_id)?;
    let token = match source {
        TokenSource::File(path) => read_file(path)?,
        TokenSource::Stdin => {
            let text = read_stdin(stdin)?;
            checked_token(&text, "standard input")?.ok_or(CredentialError::EmptyStdin)?
        }
        TokenSource::Environment => {
            let text = env(ENV_TOKEN).unwrap_or_default();
            if text.len() > MAX_TOKEN_BYTES {
                return Err(CredentialError::TokenTooLong {
                    from: ENV_TOKEN.into(),
                });
            }
            checked_token(&text, ENV_TOKEN)?.ok_or(CredentialError::MissingToken)?
        }
    };
    Ok(Credentials {
        service_user_id,
        token,
    })
}

/// An ID goes into `ID:TOKEN` before Base64: a `:` would move the split, a control character
/// has no place in it.
fn check_id(id: &str) -> Result<(), CredentialError> {
    let what = if id.len() > MAX_ID_BYTES {
        "too many characters"
    } else if id.contains(':') {
        "a `:`"
    } else if id.chars().any(char::is_control) {
        "a control character"
    } else {
        return Ok(());
    };
    Err(CredentialError::IdFormat { what })
}

/// The trimmed token, `None` when empty, or why it cannot be a token. Never says what it holds.
fn checked_token(text: &str, from: &str) -> Result<Option<Token>, CredentialError> {
    let t = text.trim();
    if t.len() > MAX_TOKEN_BYTES {
        return Err(CredentialError::TokenTooLong { from: from.into() });
    }
    if let Some((at, c)) = t.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
        let what = if c.is_whitespace() {
            "a space or line break"
        } else if c.is_control() {
            "a control character"
        } else {
            "a character outside ASCII"
        };
        return Err(CredentialError::TokenFormat {
            from: from.into(),
            what,
            at,
        });
    }
    Ok(Token::new(t))
}

/// Reads the token from standard input: refuses a terminal, stops at the first line break or
/// the end of input, reads at most one byte past the limit, and waits no longer than the
/// deadline (a pipe that stays open and silent would otherwise hold the run forever).
fn read_stdin(stdin: Stdin) -> Result<String, CredentialError> {
    if stdin.is_terminal {
        return Err(CredentialError::StdinIsTerminal);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut reader = stdin.reader;
    // The reader thread may stay blocked after a timeout; the process ends without it.
    std::thread::spawn(move || {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        let result = loop {
            match reader.read(&mut byte) {
                Ok(0) => break Ok(line),
                Ok(_) if byte[0] == b'\n' && !line.iter().all(u8::is_ascii_whitespace) => {
                    break Ok(line);
                }
                Ok(_) => {
                    line.push(byte[0]);
                    if line.len() > MAX_TOKEN_BYTES {
                        break Ok(line);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e.to_string()),
            }
        };
        let _ = tx.send(result);
    });
    match rx.recv_timeout(stdin.wait) {
        Ok(Ok(bytes)) => {
            if bytes.len() > MAX_TOKEN_BYTES {
                return Err(CredentialError::TokenTooLong {
                    from: "standard input".into(),
                });
            }
            String::from_utf8(bytes).map_err(|e| CredentialError::TokenFormat {
                from: "standard input".into(),
                what: "a character outside ASCII",
                at: e.utf8_error().valid_up_to(),
            })
        }
        Ok(Err(e)) => Err(CredentialError::ReadStdin(e)),
        Err(_) => Err(CredentialError::StdinTimeout(stdin.wait.as_secs())),
    }
}

fn read_file(path: &Path) -> Result<Token, CredentialError> {
    let shown = path.display().to_string();
    let read_error = |reason: String| CredentialError::ReadFile {
        path: shown.clone(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| read_error(e.to_string()))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(read_error("it is a directory, not a file".into()));
    }
    // At most one byte past the limit is read: a huge file, or /dev/zero, is not slurped.
    let mut bytes = Vec::new();
    file.take(MAX_TOKEN_BYTES as u64 * 2 + 2)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(e.to_string()))?;
    let from = format!("the file {shown}");
    let text = String::from_utf8(bytes).map_err(|e| CredentialError::TokenFormat {
        from: from.clone(),
        what: "a character outside ASCII",
        at: e.utf8_error().valid_up_to(),
    })?;
    checked_token(&text, &from)?.ok_or(CredentialError::EmptyFile { path: shown })
}

/// True when the file can be read by group or others (Unix permission bits).
pub(crate) fn readable_by_others(path: &Path) -> bool {
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

    fn stdin(text: &'static str, is_terminal: bool) -> Stdin {
        Stdin {
            reader: Box::new(text.as_bytes()),
            is_terminal,
            wait: Duration::from_secs(5),
        }
    }

    #[test]
    fn missing_credentials_name_every_way() {
        let none = |_: &str| None;
        let err = resolve(None, &TokenSource::Environment, &none, stdin("", false)).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(ENV_ID) && msg.contains("--service-user-id"),
            "{msg}"
        );
        let err = resolve(
            Some("id"),
            &TokenSource::Environment,
            &none,
            stdin("", false),
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
            stdin("tok\n", false),
        )
        .unwrap();
        assert_eq!(c.token.expose(), "tok");
        let c = resolve(
            Some("id"),
            &TokenSource::Stdin,
            &none,
            stdin("\n tok \nmore", false),
        )
        .unwrap();
        assert_eq!(
            c.token.expose(),
            "tok",
            "the first line that holds something"
        );
        assert!(matches!(
            resolve(Some("id"), &TokenSource::Stdin, &none, stdin("  \n", false)),
            Err(CredentialError::EmptyStdin)
        ));
        assert!(matches!(
            resolve(Some("id"), &TokenSource::Stdin, &none, stdin("tok", true)),
            Err(CredentialError::StdinIsTerminal)
        ));
    }

    #[test]
    fn a_silent_stdin_is_given_up_at_the_deadline() {
        struct Silent;
        impl Read for Silent {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                std::thread::sleep(Duration::from_secs(3600));
                Ok(0)
            }
        }
        let none = |_: &str| None;
        let s = Stdin {
            reader: Box::new(Silent),
            is_terminal: false,
            wait: Duration::from_millis(50),
        };
        assert!(matches!(
            resolve(Some("id"), &TokenSource::Stdin, &none, s),
            Err(CredentialError::StdinTimeout(_))
        ));
    }

    #[test]
    fn tokens_and_ids_that_cannot_be_right_are_refused_without_being_shown() {
        let env =
            |token: &'static str| move |name: &str| (name == ENV_TOKEN).then(|| token.to_string());
        let long: &'static str = Box::leak("a".repeat(MAX_TOKEN_BYTES + 1).into_boxed_str());
        let err = resolve(
            Some("id"),
            &TokenSource::Environment,
            &env(long),
            stdin("", false),
        )
        .unwrap_err();
        assert!(matches!(err, CredentialError::TokenTooLong { .. }), "{err}");
        for bad in ["SECR ET", "SECR\u{1b}ET", "SECRÉT"] {
            let err = resolve(
                Some("id"),
                &TokenSource::Environment,
                &env(bad),
                stdin("", false),
            )
            .unwrap_err();
            assert!(
                matches!(err, CredentialError::TokenFormat { .. }),
                "{bad}: {err}"
            );
            assert!(!err.to_string().contains("SECR"), "{err}");
        }
        for bad in ["SERVICE:1", "SERVICE\u{7}1", &"x".repeat(MAX_ID_BYTES + 1)] {
            let err = resolve(
                Some(bad),
                &TokenSource::Environment,
                &env("tok"),
                stdin("", false),
            )
            .unwrap_err();
            assert!(matches!(err, CredentialError::IdFormat { .. }), "{err}");
        }
    }
}
