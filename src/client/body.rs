//! What every caller of HiBob needs to know about an answer's body, whoever reads it: the
//! probes, the recorder and the replay. Nothing here keeps a value from a body.

use std::io::Read;

/// Why a body could not be decoded. Never carries a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    /// The connection broke while reading: worth a retry.
    pub io: bool,
}

impl DecodeError {
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            io: false,
        }
    }

    /// Describes a serde_json error by its class and position only: its message can quote values.
    pub(crate) fn from_json(e: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let at = format!("line {} column {}", e.line(), e.column());
        match e.classify() {
            Category::Eof => DecodeError::new(format!("the JSON ends early (truncated at {at})")),
            Category::Syntax => DecodeError::new(format!("the JSON is malformed at {at}")),
            Category::Data => DecodeError::new(format!("the JSON has an unexpected shape at {at}")),
            Category::Io => DecodeError::broken(),
        }
    }

    pub fn broken() -> Self {
        DecodeError {
            message: "the connection broke while reading the answer".into(),
            io: true,
        }
    }
}

/// Whether a `Content-Type` says JSON (`application/json`, `*+json`); none at all is taken
/// as JSON, as HiBob sometimes sends it.
pub(crate) fn is_json(content_type: Option<&str>) -> bool {
    match content_type {
        None => true,
        Some(ct) => {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        }
    }
}

/// Whether a refusal's body speaks of a missing permission (`{"errorMessage": "No permissions
/// to ..."}`): HiBob refuses missing permissions with 401 too. One test, for the caller and the
/// recorder.
pub(crate) fn mentions_permission(body: &[u8]) -> bool {
    String::from_utf8_lossy(body)
        .to_ascii_lowercase()
        .contains("permission")
}

/// The buffer in front of an answer's body (serde_json reads a stream byte by byte). A read
/// into a larger buffer, when this one is empty, goes straight to the connection: readers of
/// large chunks ask for at least this much, so that their bytes are not copied twice.
pub(crate) const READ_BUFFER: usize = 64 * 1024;

/// The body without its leading whitespace, or `None` when it is blank: an empty 200 is an
/// answer of its own, not malformed JSON. The reader passes `read_to_end` on to `body`, so a
/// body that sizes its buffer up front (and limits it) still does.
pub(crate) fn non_blank(body: &mut dyn Read) -> Result<Option<Prefixed<'_>>, DecodeError> {
    let mut first = [0u8; 1];
    loop {
        match body.read(&mut first) {
            Ok(0) => return Ok(None),
            Ok(_) if first[0].is_ascii_whitespace() => continue,
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(DecodeError::broken()),
        }
    }
    Ok(Some(Prefixed {
        first: Some(first[0]),
        rest: body,
    }))
}

/// One byte already read, then the rest of the body.
pub(crate) struct Prefixed<'a> {
    first: Option<u8>,
    rest: &'a mut dyn Read,
}

impl Read for Prefixed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        match self.first.take() {
            Some(b) => {
                buf[0] = b;
                Ok(1)
            }
            None => self.rest.read(buf),
        }
    }

    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        let head = match self.first.take() {
            Some(b) => {
                buf.push(b);
                1
            }
            None => 0,
        };
        Ok(head + self.rest.read_to_end(buf)?)
    }
}

/// Answers up to this size are read into memory before they are decoded.
const IN_MEMORY: u64 = 4 << 20;

/// Decodes `body` with `seed`, and nothing but whitespace after it. An answer of up to 4 MiB is
/// read into memory first (serde_json decodes a slice several times faster than a stream); a
/// larger one is streamed, so memory stays bounded whatever the answer.
pub(crate) fn decode_with<S, V>(body: &mut dyn Read, seed: S) -> Result<V, DecodeError>
where
    S: for<'de> serde::de::DeserializeSeed<'de, Value = V>,
{
    let mut head = Vec::new();
    if body.take(IN_MEMORY).read_to_end(&mut head).is_err() {
        return Err(DecodeError::broken());
    }
    if (head.len() as u64) < IN_MEMORY {
        let mut de = serde_json::Deserializer::from_slice(&head);
        return seed
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| DecodeError::from_json(&e));
    }
    let mut de = serde_json::Deserializer::from_reader(head.as_slice().chain(body));
    seed.deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| DecodeError::from_json(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::marker::PhantomData;

    /// The seed of a plain `Deserialize` type.
    fn seed<T>() -> PhantomData<T> {
        PhantomData
    }

    /// A list of `n` numbers, as JSON, at least `IN_MEMORY` bytes long when `n` is large.
    fn list(n: usize) -> String {
        let items: Vec<String> = (0..n).map(|i| format!("{:>9}", i)).collect();
        format!("[{}]", items.join(","))
    }

    #[test]
    fn small_and_large_answers_decode_alike() {
        for n in [0, 3, 500_000] {
            let text = list(n);
            assert_eq!(text.len() as u64 >= IN_MEMORY, n == 500_000);
            let decoded: Vec<u64> = decode_with(&mut text.as_bytes(), seed()).expect("decoded");
            assert_eq!(decoded.len(), n);
            assert_eq!(decoded.last().copied(), n.checked_sub(1).map(|i| i as u64));
        }
    }

    #[test]
    fn errors_are_placed_alike_in_memory_and_streamed() {
        for n in [3, 500_000] {
            let broken = format!("{}\n x", list(n));
            let e = decode_with::<_, Vec<u64>>(&mut broken.as_bytes(), seed()).expect_err("broken");
            assert_eq!(e.message, "the JSON is malformed at line 2 column 2", "{n}");
            assert!(!e.io);
            let cut = list(n);
            let cut = cut.get(..cut.len() - 1).unwrap_or_default();
            let e = decode_with::<_, Vec<u64>>(&mut cut.as_bytes(), seed()).expect_err("cut");
            assert!(
                e.message.starts_with("the JSON ends early"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn a_broken_connection_is_reported_as_such() {
        struct Breaks;
        impl Read for Breaks {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
            }
        }
        for head in [&b"[1,"[..], &[b' '; 5 << 20][..]] {
            let e =
                decode_with::<_, Vec<u64>>(&mut head.chain(Breaks), seed()).expect_err("broken");
            assert!(e.io, "{}", e.message);
        }
    }
}
