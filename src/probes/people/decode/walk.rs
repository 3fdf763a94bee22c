//! The walk through a search answer: which value is read how. It follows, key for key, what
//! the serde visitors it replaced did (they remain in `visit.rs` as the reference the tests
//! compare it with):
//! - the answer is `{"employees": [...]}` or a bare array, and every employee an object;
//! - a value at a tracked path is read as serde_json's `deserialize_any` reads it (strings
//!   must be UTF-8, numbers in range, containers count towards the nesting limit);
//! - the value of a lifecycle or status slash key is read as a `serde_json::Value`;
//! - anything else is skipped whole, its syntax checked.
//!
//! Escaped keys and strings, and numbers where their value matters, are rare: they are handed
//! to serde_json itself, so that they decode exactly as before.

use std::borrow::Cow;
use std::fmt;

use super::fast;
use super::scan::{Class, Scan, Scanner, Source, Text};
use super::{EMPTY, Role, Tally, Target, Trie, VALUE};

/// Which tracked key a key of an employee record is.
enum Key {
    Child(usize),
    Slash(usize),
    HumanReadable,
    Other,
}

impl<S: Source> Scanner<'_, S> {
    /// The whole answer, then nothing but whitespace.
    pub(super) fn document(&mut self) -> Scan<()> {
        match self.next_token()? {
            b'{' => {
                self.enter()?;
                let mut more = self.first_key()?;
                while more {
                    let key = self.key()?;
                    let employees = self.key_bytes(key)?.as_ref() == b"employees";
                    self.colon()?;
                    if employees {
                        self.employees()?;
                    } else {
                        self.skip()?;
                    }
                    more = self.next_key()?;
                }
                self.leave();
            }
            b'[' => {
                self.enter()?;
                self.records()?;
                self.leave();
            }
            b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                return Err(self.back_error(Class::Shape));
            }
            _ => return Err(self.back_error(Class::Syntax)),
        }
        match self.ws() {
            None => Ok(()),
            Some(_) => Err(self.error(Class::Syntax)),
        }
    }

    fn employees(&mut self) -> Scan<()> {
        match self.next_token()? {
            b'[' => {
                self.enter()?;
                self.records()?;
                self.leave();
                Ok(())
            }
            _ => Err(self.error(Class::Shape)),
        }
    }

    /// The employee records, after `[`.
    fn records(&mut self) -> Scan<()> {
        let mut more = self.first_element()?;
        while more {
            // A record wholly in this chunk is read by the fast path, if it can.
            let rest = self.buf.get(self.pos..self.end).unwrap_or_default();
            match fast::record(rest, self.trie, &mut self.tally, &mut self.guesses) {
                Some(took) => {
                    if took.lines > 0 {
                        self.passed_lines(took.lines, self.pos + took.line_start);
                    }
                    self.pos += took.len;
                }
                None => {
                    self.tally.reset_employee();
                    self.record()?;
                }
            }
            self.tally.finish_employee();
            more = self.next_element()?;
        }
        Ok(())
    }

    fn record(&mut self) -> Scan<()> {
        if self.next_token()? != b'{' {
            return Err(self.error(Class::Shape));
        }
        self.enter()?;
        let mut more = self.first_key()?;
        while more {
            let text = self.key()?;
            let key = self.record_key(text)?;
            self.colon()?;
            match key {
                Key::Child(child) => self.node(child, false)?,
                Key::HumanReadable => self.node(0, true)?,
                Key::Slash(slot) => {
                    self.tally.mark(slot, VALUE);
                    match self.trie.roles.get(slot) {
                        Some(&role @ (Role::Lifecycle | Role::Status)) => self.slash(role)?,
                        _ => self.skip()?,
                    }
                }
                Key::Other => self.skip()?,
            }
            more = self.next_key()?;
        }
        self.leave();
        Ok(())
    }

    #[inline(always)]
    fn record_key(&mut self, text: Text) -> Scan<Key> {
        let trie = self.trie;
        Ok(match trie.record.get(self.key_bytes(text)?.as_ref()) {
            Some(Target::Child(child)) => Key::Child(child),
            Some(Target::Slash(slot)) => Key::Slash(slot),
            Some(Target::HumanReadable) => Key::HumanReadable,
            None => Key::Other,
        })
    }

    /// A value at a tracked path (`human`: inside the record's `humanReadable` copy, where it
    /// counts for labels only), read as serde_json's `deserialize_any` reads it. Strings, the
    /// most common, are read here; other values in [`Scanner::node_other`].
    #[inline(always)]
    fn node(&mut self, node: usize, human: bool) -> Scan<()> {
        if self.ws() != Some(b'"') {
            return self.node_other(node, human);
        }
        self.pos += 1;
        let text = self.string(true)?;
        let value = self.checked_str(text)?;
        if value.is_empty() {
            self.mark(node, human, EMPTY);
        } else {
            self.mark(node, human, VALUE);
            let trie = self.trie;
            if trie.nodes.get(node).is_some_and(|n| n.captures) {
                let value = value.bytes(&self.buf, &self.scratch);
                capture(trie, &mut self.tally, node, human, value);
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn node_other(&mut self, node: usize, human: bool) -> Scan<()> {
        let trie = self.trie;
        let Some(at) = trie.nodes.get(node) else {
            return self.skip();
        };
        match self.next_token()? {
            b'{' => {
                self.enter()?;
                self.mark(node, human, VALUE);
                let mut more = self.first_key()?;
                while more {
                    let text = self.key()?;
                    let child = at.keys.get(self.key_bytes(text)?.as_ref());
                    self.colon()?;
                    match child {
                        Some(Target::Child(child)) => self.node(child, human)?,
                        _ => self.skip()?,
                    }
                    more = self.next_key()?;
                }
                self.leave();
            }
            b'[' => {
                self.enter()?;
                let mut n = 0usize;
                let mut more = self.first_element()?;
                while more {
                    self.skip()?;
                    n += 1;
                    more = self.next_element()?;
                }
                self.leave();
                self.mark(node, human, if n == 0 { EMPTY } else { VALUE });
            }
            b'n' => {
                self.literal(b"ull")?;
                self.mark(node, human, EMPTY);
            }
            b't' => {
                self.literal(b"rue")?;
                self.mark(node, human, VALUE);
            }
            b'f' => {
                self.literal(b"alse")?;
                self.mark(node, human, VALUE);
            }
            b'-' | b'0'..=b'9' => {
                self.pos -= 1;
                let integer = self.checked_number()?;
                self.mark(node, human, VALUE);
                if let Some(v) = integer {
                    capture(trie, &mut self.tally, node, human, v.as_bytes());
                }
            }
            _ => return Err(self.back_error_here()),
        }
        Ok(())
    }

    #[inline(always)]
    fn mark(&mut self, node: usize, human: bool, state: u8) {
        if human {
            return;
        }
        if let Some(at) = self.trie.nodes.get(node) {
            for &slot in &at.slots {
                self.tally.mark(slot, state);
            }
        }
    }

    /// A lifecycle or status slash key's value, as the serde visitor read it: of an object,
    /// `value` and `humanReadable` are read as `serde_json::Value`s and count when they are
    /// non-empty strings; any other value is read as `deserialize_any` reads it, and ignored.
    fn slash(&mut self, role: Role) -> Scan<()> {
        match self.ws() {
            Some(b'{') => {
                self.pos += 1;
                self.enter()?;
                let mut more = self.first_key()?;
                while more {
                    let text = self.string(true)?;
                    let human = match self.checked_str(text)?.bytes(&self.buf, &self.scratch) {
                        b"value" => Some(false),
                        b"humanReadable" => Some(true),
                        _ => None,
                    };
                    self.colon()?;
                    match human {
                        Some(human) => self.slash_value(role, human)?,
                        None => self.skip()?,
                    }
                    more = self.next_key()?;
                }
                self.leave();
                Ok(())
            }
            Some(b'[') => {
                self.pos += 1;
                self.enter()?;
                let mut more = self.first_element()?;
                while more {
                    self.skip()?;
                    more = self.next_element()?;
                }
                self.leave();
                Ok(())
            }
            Some(_) => self.value(),
            None => Err(self.error(Class::Eof)),
        }
    }

    /// The `value` or `humanReadable` of a slash key: a `serde_json::Value`, kept when it is a
    /// non-empty string.
    fn slash_value(&mut self, role: Role, human: bool) -> Scan<()> {
        if self.ws() != Some(b'"') {
            return self.value();
        }
        self.pos += 1;
        let text = self.string(true)?;
        let value = self.checked_str(text)?;
        if !value.is_empty() {
            self.tally
                .capture_bytes(role, human, value.bytes(&self.buf, &self.scratch));
        }
        Ok(())
    }

    /// A value read as a `serde_json::Value`: strings (keys too) UTF-8, numbers in range,
    /// every container counting towards the nesting limit.
    fn value(&mut self) -> Scan<()> {
        match self.next_token()? {
            b'{' => {
                self.enter()?;
                let mut more = self.first_key()?;
                while more {
                    let text = self.string(true)?;
                    self.checked_str(text)?;
                    self.colon()?;
                    self.value()?;
                    more = self.next_key()?;
                }
                self.leave();
                Ok(())
            }
            b'[' => {
                self.enter()?;
                let mut more = self.first_element()?;
                while more {
                    self.value()?;
                    more = self.next_element()?;
                }
                self.leave();
                Ok(())
            }
            b'"' => {
                let text = self.string(true)?;
                self.checked_str(text).map(|_| ())
            }
            b'n' => self.literal(b"ull"),
            b't' => self.literal(b"rue"),
            b'f' => self.literal(b"alse"),
            b'-' | b'0'..=b'9' => {
                self.pos -= 1;
                self.checked_number().map(|_| ())
            }
            _ => Err(self.back_error_here()),
        }
    }

    #[cold]
    fn back_error_here(&mut self) -> super::scan::ScanError {
        self.pos -= 1;
        let e = self.error(Class::Syntax);
        self.pos += 1;
        e
    }

    /// A key as serde_json hands it to a visitor asking for bytes: escapes decoded, the UTF-8
    /// not checked.
    #[inline(always)]
    fn key_bytes(&self, text: Text) -> Scan<Cow<'_, [u8]>> {
        let raw = self.raw(text);
        if !text.escaped() {
            return Ok(Cow::Borrowed(raw));
        }
        self.unescaped_key(raw)
    }

    #[inline(never)]
    fn unescaped_key(&self, raw: &[u8]) -> Scan<Cow<'_, [u8]>> {
        let quoted = quote(raw);
        let mut de = serde_json::Deserializer::from_slice(&quoted);
        serde::Deserializer::deserialize_bytes(&mut de, BytesVisitor)
            .map(Cow::Owned)
            .map_err(|_| self.error(Class::Syntax))
    }

    /// A string as serde_json hands it to a visitor asking for a string: escapes decoded
    /// (surrogates paired), UTF-8 checked.
    #[inline(always)]
    fn checked_str(&self, text: Text) -> Scan<Checked> {
        if text.ascii() && !text.escaped() {
            return Ok(if text.is_empty() {
                Checked::Empty
            } else {
                Checked::Here(text)
            });
        }
        self.checked_str_slow(text)
    }

    #[inline(never)]
    fn checked_str_slow(&self, text: Text) -> Scan<Checked> {
        let raw = self.raw(text);
        if text.escaped() {
            return serde_json::from_slice::<String>(&quote(raw))
                .map(Checked::Owned)
                .map_err(|_| self.error(Class::Syntax));
        }
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(if s.is_empty() {
                Checked::Empty
            } else {
                Checked::Here(text)
            }),
            Err(_) => Err(self.error(Class::Syntax)),
        }
    }

    /// A number read as `deserialize_any` reads it: serde_json itself parses its text, so that
    /// a number out of range fails as it did. An integer is returned as its decimal text.
    fn checked_number(&mut self) -> Scan<Option<String>> {
        self.number(true)?;
        match serde_json::from_slice::<serde_json::Number>(&self.scratch) {
            Ok(n) => Ok(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Some(u.to_string()),
                (None, Some(i)) => Some(i.to_string()),
                _ => None,
            }),
            Err(_) => Err(self.error(Class::Syntax)),
        }
    }
}

/// A checked string: empty, in the scanner's buffers (valid UTF-8), or decoded.
enum Checked {
    Empty,
    Here(Text),
    Owned(String),
}

impl Checked {
    fn is_empty(&self) -> bool {
        match self {
            Checked::Empty => true,
            Checked::Here(_) => false,
            Checked::Owned(s) => s.is_empty(),
        }
    }

    /// The string's bytes (valid UTF-8).
    fn bytes<'a>(&'a self, buf: &'a [u8], scratch: &'a [u8]) -> &'a [u8] {
        match self {
            Checked::Empty => b"",
            Checked::Here(t) => t.bytes(buf, scratch),
            Checked::Owned(s) => s.as_bytes(),
        }
    }
}

/// Keeps a tracked value for the slots at `node` that keep one.
fn capture(trie: &Trie, tally: &mut Tally, node: usize, human: bool, value: &[u8]) {
    if let Some(at) = trie.nodes.get(node) {
        for &slot in &at.slots {
            if let Some(&role) = trie.roles.get(slot) {
                tally.capture_bytes(role, human, value);
            }
        }
    }
}

fn quote(raw: &[u8]) -> Vec<u8> {
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    quoted
}

struct BytesVisitor;

impl serde::de::Visitor<'_> for BytesVisitor {
    type Value = Vec<u8>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
        Ok(v.as_bytes().to_vec())
    }
}
