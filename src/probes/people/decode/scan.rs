//! The scanner's primitives: the answer as a sequence of chunks, whitespace, strings, numbers,
//! literals, and values skipped whole. They check exactly what serde_json checks of the same
//! bytes (the walk in `walk.rs` decides which checks apply where), so that an answer serde_json
//! refuses is refused here too, and one it accepts is accepted.

use super::Tally;
use super::Trie;
use super::fast::Guesses;
use super::run::find_special;

/// Where the answer's bytes come from, one chunk at a time.
pub(super) trait Source {
    /// Takes back the chunk just scanned (its buffer can be refilled) and gives the next one,
    /// with how many of its bytes are the answer's; `None` at the end of the answer.
    fn next(&mut self, used: Vec<u8>) -> Option<(Vec<u8>, usize)>;
}

/// What kind of error serde_json would report: the answer ended early, it is not JSON, or it
/// is JSON of another shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Eof,
    Syntax,
    Shape,
}

/// An error and where it was found. Boxed: errors are rare, and a small `Result` keeps the
/// scanner's hot paths fast.
pub(super) type ScanError = Box<ErrorAt>;

/// What went wrong where (1-based line and column, as serde_json counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ErrorAt {
    pub(super) class: Class,
    pub(super) line: u64,
    pub(super) column: u64,
}

pub(super) type Scan<T> = Result<T, ScanError>;

/// A string's raw content (escapes not decoded): in the current chunk, or, when it crossed a
/// chunk boundary or had an escape, in the scratch buffer. Small, so that it is returned in
/// registers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Text {
    start: u32,
    end: u32,
    flags: u8,
}

const KEPT: u8 = 1;
const ESCAPED: u8 = 2;
const ASCII: u8 = 4;

impl Text {
    /// In the scratch buffer, not in the chunk.
    #[inline(always)]
    pub(super) fn kept(self) -> bool {
        self.flags & KEPT != 0
    }
    #[inline(always)]
    pub(super) fn escaped(self) -> bool {
        self.flags & ESCAPED != 0
    }
    /// Every byte is ASCII, hence valid UTF-8 (false when unknown).
    #[inline(always)]
    pub(super) fn ascii(self) -> bool {
        self.flags & ASCII != 0
    }
    #[inline(always)]
    pub(super) fn is_empty(self) -> bool {
        !self.kept() && self.start == self.end
    }
    /// Its bytes, given the chunk and the scratch buffer.
    #[inline(always)]
    pub(super) fn bytes<'a>(self, buf: &'a [u8], scratch: &'a [u8]) -> &'a [u8] {
        if self.kept() {
            scratch
        } else {
            buf.get(self.start as usize..self.end as usize)
                .unwrap_or_default()
        }
    }
}

/// serde_json's nesting limit: the 128th container entered through a visitor is an error.
/// Values skipped whole have no limit, in serde_json as here.
const DEPTH: u32 = 128;

pub(super) struct Scanner<'t, S> {
    src: S,
    pub(super) buf: Vec<u8>,
    pub(super) end: usize,
    pub(super) pos: usize,
    /// The source has no more chunks.
    done: bool,
    /// The offset of `buf[0]` in the answer.
    base: u64,
    line: u64,
    line_start: u64,
    remaining: u32,
    pub(super) scratch: Vec<u8>,
    /// Open containers of the value being skipped (reused).
    stack: Vec<u8>,
    pub(super) trie: &'t Trie,
    pub(super) tally: Tally,
    /// The fast path's guesses of the next record's keys.
    pub(super) guesses: Guesses,
}

impl<'t, S: Source> Scanner<'t, S> {
    pub(super) fn new(src: S, trie: &'t Trie, tally: Tally) -> Self {
        Scanner {
            src,
            buf: Vec::new(),
            end: 0,
            pos: 0,
            done: false,
            base: 0,
            line: 1,
            line_start: 0,
            remaining: DEPTH,
            scratch: Vec::new(),
            stack: Vec::new(),
            trie,
            tally,
            guesses: Guesses::default(),
        }
    }

    #[cold]
    pub(super) fn error(&self, class: Class) -> ScanError {
        let at = self.base + self.pos as u64;
        Box::new(ErrorAt {
            class,
            line: self.line,
            column: at.saturating_sub(self.line_start) + 1,
        })
    }

    /// Moves to the next chunk once this one is scanned; false at the end of the answer.
    #[cold]
    fn fill(&mut self) -> bool {
        if self.done {
            return false;
        }
        let used = std::mem::take(&mut self.buf);
        self.base += self.end as u64;
        self.pos = 0;
        self.end = 0;
        match self.src.next(used) {
            Some((buf, n)) if n > 0 && n <= buf.len() => {
                self.buf = buf;
                self.end = n;
                true
            }
            _ => {
                self.done = true;
                false
            }
        }
    }

    /// The next byte, not consumed; `None` at the end of the answer.
    #[inline(always)]
    pub(super) fn peek(&mut self) -> Option<u8> {
        if self.pos >= self.end && !self.fill() {
            return None;
        }
        self.buf.get(self.pos).copied()
    }

    /// Consumes one byte; at the end of the answer, an error.
    #[inline(always)]
    fn take(&mut self) -> Scan<u8> {
        match self.peek() {
            Some(b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.error(Class::Eof)),
        }
    }

    /// Skips whitespace (the four bytes JSON allows) and returns the next byte, not consumed.
    #[inline(always)]
    pub(super) fn ws(&mut self) -> Option<u8> {
        loop {
            let b = self.peek()?;
            if b > b' ' {
                return Some(b);
            }
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.passed_newline();
                }
                _ => return Some(b),
            }
        }
    }

    /// The next byte after whitespace, consumed; at the end of the answer, an error.
    #[inline(always)]
    pub(super) fn next_token(&mut self) -> Scan<u8> {
        match self.ws() {
            Some(b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.error(Class::Eof)),
        }
    }

    /// A newline just passed (the byte before `pos`): a line starts here.
    #[inline(always)]
    fn passed_newline(&mut self) {
        self.line += 1;
        self.line_start = self.base + self.pos as u64;
    }

    /// Newlines passed by another reader of the chunk (the fast path): `lines` of them, the
    /// last line starting at `line_start` in the chunk.
    pub(super) fn passed_lines(&mut self, lines: u64, line_start: usize) {
        self.line += lines;
        self.line_start = self.base + line_start as u64;
    }

    /// Enters a container through a visitor: serde_json's nesting limit applies.
    pub(super) fn enter(&mut self) -> Scan<()> {
        self.remaining -= 1;
        if self.remaining == 0 {
            return Err(self.error(Class::Syntax));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.remaining += 1;
    }

    /// After `{`: true when a key follows (its opening quote consumed), false at `}`.
    #[inline(always)]
    pub(super) fn first_key(&mut self) -> Scan<bool> {
        match self.next_token()? {
            b'"' => Ok(true),
            b'}' => Ok(false),
            _ => Err(self.back_error(Class::Syntax)),
        }
    }

    /// After a member: true when another key follows (its opening quote consumed), false at `}`.
    #[inline(always)]
    pub(super) fn next_key(&mut self) -> Scan<bool> {
        match self.next_token()? {
            b',' => match self.next_token()? {
                b'"' => Ok(true),
                _ => Err(self.back_error(Class::Syntax)),
            },
            b'}' => Ok(false),
            _ => Err(self.back_error(Class::Syntax)),
        }
    }

    /// After `[`: true when an element follows (not consumed), false at `]` (consumed).
    #[inline(always)]
    pub(super) fn first_element(&mut self) -> Scan<bool> {
        match self.ws() {
            Some(b']') => {
                self.pos += 1;
                Ok(false)
            }
            Some(_) => Ok(true),
            None => Err(self.error(Class::Eof)),
        }
    }

    /// After an element: true when another follows (not consumed), false at `]` (consumed).
    #[inline(always)]
    pub(super) fn next_element(&mut self) -> Scan<bool> {
        match self.next_token()? {
            b',' => Ok(true),
            b']' => Ok(false),
            _ => Err(self.back_error(Class::Syntax)),
        }
    }

    /// The `:` after a key.
    #[inline(always)]
    pub(super) fn colon(&mut self) -> Scan<()> {
        match self.next_token()? {
            b':' => Ok(()),
            _ => Err(self.back_error(Class::Syntax)),
        }
    }

    /// An error at the byte just consumed.
    #[cold]
    pub(super) fn back_error(&self, class: Class) -> ScanError {
        let mut e = self.error(class);
        e.column = e.column.saturating_sub(1).max(1);
        e
    }

    /// A string, after its opening quote, up to and including its closing quote. Checks what
    /// serde_json checks of every string: valid escapes, and no control character (except in
    /// a key it hands over as bytes, where it allows them: `key`). With `keep`, its raw content
    /// can be read afterwards with [`Scanner::raw`].
    #[inline(always)]
    pub(super) fn string(&mut self, keep: bool) -> Scan<Text> {
        self.string_of(keep, false)
    }

    /// A key that serde_json hands over as bytes: control characters allowed.
    #[inline(always)]
    pub(super) fn key(&mut self) -> Scan<Text> {
        self.string_of(true, true)
    }

    #[inline(always)]
    fn string_of(&mut self, keep: bool, key: bool) -> Scan<Text> {
        if keep {
            self.scratch.clear();
        }
        let mut start = self.pos;
        let mut kept = false;
        let mut escaped = false;
        let mut ascii = true;
        loop {
            let hay = self.buf.get(self.pos..self.end).unwrap_or_default();
            let (i, plain) = find_special(hay);
            ascii &= plain;
            let Some(&b) = hay.get(i) else {
                if keep {
                    let part = self.buf.get(start..self.end).unwrap_or_default();
                    self.scratch.extend_from_slice(part);
                    kept = true;
                }
                self.pos = self.end;
                if !self.fill() {
                    return Err(self.error(Class::Eof));
                }
                start = 0;
                continue;
            };
            self.pos += i;
            match b {
                b'"' => {
                    if kept {
                        let part = self.buf.get(start..self.pos).unwrap_or_default();
                        self.scratch.extend_from_slice(part);
                    }
                    let text = Text {
                        start: start as u32,
                        end: self.pos as u32,
                        flags: if kept {
                            KEPT
                        } else if ascii {
                            ASCII
                        } else {
                            0
                        } | if escaped { ESCAPED } else { 0 },
                    };
                    self.pos += 1;
                    return Ok(text);
                }
                b'\\' => {
                    escaped = true;
                    if keep {
                        let part = self.buf.get(start..self.pos).unwrap_or_default();
                        self.scratch.extend_from_slice(part);
                        kept = true;
                    }
                    self.escape(keep)?;
                    start = self.pos;
                }
                _ if key => {
                    self.pos += 1;
                    ascii = false;
                    // serde_json counts a line at every newline, one in a key too.
                    if b == b'\n' {
                        self.passed_newline();
                    }
                }
                _ => return Err(self.error(Class::Syntax)),
            }
        }
    }

    /// One escape, at its backslash: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` or `\u`
    /// and four hex digits. Kept raw in the scratch buffer with `keep`.
    fn escape(&mut self, keep: bool) -> Scan<()> {
        self.pos += 1;
        let c = self.take()?;
        if keep {
            self.scratch.extend_from_slice(&[b'\\', c]);
        }
        match c {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(()),
            b'u' => {
                // serde_json takes the four bytes before it looks at them (a newline among
                // them counts a line), and places the error after them.
                let mut hex = true;
                for _ in 0..4 {
                    let h = self.take()?;
                    if keep {
                        self.scratch.push(h);
                    }
                    hex &= h.is_ascii_hexdigit();
                    if h == b'\n' {
                        self.passed_newline();
                    }
                }
                if !hex {
                    return Err(self.error(Class::Syntax));
                }
                Ok(())
            }
            _ => Err(self.back_error(Class::Syntax)),
        }
    }

    /// The raw content of a string just scanned with `keep`.
    #[inline(always)]
    pub(super) fn raw(&self, t: Text) -> &[u8] {
        t.bytes(&self.buf, &self.scratch)
    }

    /// A number, at its first byte, with serde_json's grammar (no leading zeros, digits after
    /// `.` and after the exponent). With `keep`, its text is left in the scratch buffer.
    pub(super) fn number(&mut self, keep: bool) -> Scan<()> {
        if keep {
            self.scratch.clear();
        }
        let mut first = self.take()?;
        if first == b'-' {
            if keep {
                self.scratch.push(first);
            }
            first = self.take()?;
        }
        if keep {
            self.scratch.push(first);
        }
        match first {
            b'0' => {
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.error(Class::Syntax));
                }
            }
            b'1'..=b'9' => self.digits(keep),
            _ => return Err(self.back_error(Class::Syntax)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if keep {
                self.scratch.push(b'.');
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error(Class::Syntax));
            }
            self.digits(keep);
        }
        if let Some(e @ (b'e' | b'E')) = self.peek() {
            self.pos += 1;
            if keep {
                self.scratch.push(e);
            }
            if let Some(s @ (b'+' | b'-')) = self.peek() {
                self.pos += 1;
                if keep {
                    self.scratch.push(s);
                }
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error(Class::Syntax));
            }
            self.digits(keep);
        }
        Ok(())
    }

    fn digits(&mut self, keep: bool) {
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            self.pos += 1;
            if keep {
                self.scratch.push(d);
            }
        }
    }

    /// The rest of `null`, `true` or `false`, after its first byte.
    pub(super) fn literal(&mut self, rest: &[u8]) -> Scan<()> {
        for &want in rest {
            if self.take()? != want {
                return Err(self.back_error(Class::Syntax));
            }
        }
        Ok(())
    }

    /// Skips one value whole, as serde_json's `IgnoredAny` does: its syntax is checked (strings
    /// as above, numbers, literals, brackets), not the UTF-8 of its strings nor the range of
    /// its numbers, and there is no nesting limit.
    pub(super) fn skip(&mut self) -> Scan<()> {
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        let result = self.skip_with(&mut stack);
        self.stack = stack;
        result
    }

    fn skip_with(&mut self, stack: &mut Vec<u8>) -> Scan<()> {
        'value: loop {
            match self.next_token()? {
                b'"' => {
                    self.string(false)?;
                }
                b'{' => {
                    if self.first_key()? {
                        self.string(false)?;
                        self.colon()?;
                        stack.push(b'{');
                        continue 'value;
                    }
                }
                b'[' => {
                    if self.first_element()? {
                        stack.push(b'[');
                        continue 'value;
                    }
                }
                b'n' => self.literal(b"ull")?,
                b't' => self.literal(b"rue")?,
                b'f' => self.literal(b"alse")?,
                b'-' | b'0'..=b'9' => {
                    self.pos -= 1;
                    self.number(false)?;
                }
                _ => return Err(self.back_error(Class::Syntax)),
            }
            // A value ended: close the containers it ended.
            while let Some(&open) = stack.last() {
                if open == b'{' {
                    if self.next_key()? {
                        self.string(false)?;
                        self.colon()?;
                        continue 'value;
                    }
                } else if self.next_element()? {
                    continue 'value;
                }
                stack.pop();
            }
            return Ok(());
        }
    }
}
