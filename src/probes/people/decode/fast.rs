//! The fast path for one employee record: when the whole record lies in the current chunk and
//! holds nothing unusual, it is walked here with its position in a register, then the general
//! walk (`walk.rs`) is skipped. Anything else (the end of the chunk, an escape or a non-ASCII
//! byte where a string's value matters, a number on a tracked path, deep nesting, an error of
//! any kind) gives up, the record's state is reset, and the general walk reads the record
//! again from its start. This path never decides that an answer is wrong: it only counts
//! records that the general walk would count the same way, which the tests check by comparing
//! both with serde_json on the same answers. Keys are guessed from the last record
//! (`fast/guess.rs`); before this path, a record is tried against the shapes of the last ones,
//! which this path records (`fast/template.rs`).

use super::keys::Target;
use super::run::find_special;
use super::{EMPTY, Node, Role, Tally, Trie, VALUE};
use template::Action;

mod guess;
mod template;

pub(super) use guess::Guesses;
pub(super) use template::record;

/// Gives up: the general walk takes over.
type Fast<T> = Option<T>;

/// Containers nested deeper than this, on a tracked path, are left to the general walk (which
/// applies serde_json's limit of 128).
const DEEP: u32 = 16;

struct Cursor<'a> {
    buf: &'a [u8],
    i: usize,
    guesses: &'a mut Guesses,
    /// Newlines passed, and where the line after the last one starts (errors say where they
    /// are by line and column, so the general walk must know).
    lines: u64,
    line_start: usize,
}

/// A record read by the fast path: the bytes it took, and the newlines among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Took {
    pub(super) len: usize,
    /// Newlines in the record (in whitespace: a string cannot hold one).
    pub(super) lines: u64,
    /// Where the line after the last newline starts, from the record's start (when `lines > 0`).
    pub(super) line_start: usize,
}

impl<'a> Cursor<'a> {
    fn new(buf: &'a [u8], guesses: &'a mut Guesses) -> Self {
        Cursor {
            buf,
            i: 0,
            guesses,
            lines: 0,
            line_start: 0,
        }
    }

    /// What was read from the record's start to here.
    fn took(&self) -> Took {
        Took {
            len: self.i,
            lines: self.lines,
            line_start: self.line_start,
        }
    }

    /// The next byte after whitespace, consumed.
    #[inline(always)]
    fn token(&mut self) -> Fast<u8> {
        loop {
            let b = *self.buf.get(self.i)?;
            self.i += 1;
            if b > b' ' {
                return Some(b);
            }
            match b {
                b' ' | b'\t' | b'\r' => {}
                b'\n' => {
                    self.lines += 1;
                    self.line_start = self.i;
                }
                _ => return None,
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline(always)]
    fn peek(&mut self) -> Fast<u8> {
        let b = self.token()?;
        self.i -= 1;
        Some(b)
    }

    /// After `{`: true when a key follows (its quote consumed), false at `}`.
    #[inline(always)]
    fn first_key(&mut self) -> Fast<bool> {
        match self.token()? {
            b'}' => Some(false),
            b'"' => Some(true),
            _ => None,
        }
    }

    /// A key, after its quote, and the colon after it: where its bytes are, and whether they
    /// are ASCII.
    #[inline(always)]
    fn key(&mut self) -> Fast<(usize, usize, bool)> {
        let key = self.string()?;
        (self.token()? == b':').then_some(key)
    }

    /// A string after its quote, without escapes or control characters: its start, its end,
    /// and whether it is ASCII.
    #[inline(always)]
    fn string(&mut self) -> Fast<(usize, usize, bool)> {
        let start = self.i;
        let hay = self.buf.get(start..)?;
        let (n, ascii) = find_special(hay);
        if *hay.get(n)? != b'"' {
            return None;
        }
        self.i = start + n + 1;
        Some((start, start + n, ascii))
    }

    /// A string whose content does not matter: escapes are checked, not decoded.
    #[inline(always)]
    fn skip_string(&mut self) -> Fast<()> {
        loop {
            let hay = self.buf.get(self.i..)?;
            let (n, _) = find_special(hay);
            self.i += n + 1;
            match *hay.get(n)? {
                b'"' => return Some(()),
                b'\\' => self.escape()?,
                _ => return None,
            }
        }
    }

    fn escape(&mut self) -> Fast<()> {
        let c = *self.buf.get(self.i)?;
        self.i += 1;
        match c {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => {
                let hex = self.buf.get(self.i..self.i + 4)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                self.i += 4;
                Some(())
            }
            _ => None,
        }
    }

    /// The rest of a literal after its first byte.
    #[inline(always)]
    fn literal(&mut self, rest: &[u8]) -> Fast<()> {
        if self.buf.get(self.i..self.i + rest.len())? != rest {
            return None;
        }
        self.i += rest.len();
        Some(())
    }

    /// A number after its first byte, with serde_json's grammar; its value does not matter.
    fn number(&mut self, first: u8) -> Fast<()> {
        let digit = |c: &Self| c.buf.get(c.i).is_some_and(u8::is_ascii_digit);
        let digits = |c: &mut Self| {
            while digit(c) {
                c.i += 1;
            }
        };
        let first = if first == b'-' {
            let b = *self.buf.get(self.i)?;
            self.i += 1;
            b
        } else {
            first
        };
        match first {
            b'0' if digit(self) => return None,
            b'0' => {}
            b'1'..=b'9' => digits(self),
            _ => return None,
        }
        if self.buf.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digit(self) {
                return None;
            }
            digits(self);
        }
        if matches!(self.buf.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.buf.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digit(self) {
                return None;
            }
            digits(self);
        }
        // The number must end here: the byte after it is read by the caller's grammar, and
        // the chunk must not end inside it.
        self.buf.get(self.i)?;
        Some(())
    }

    /// A slash key's value skipped whole: HiBob's `{"value":"..."}` without the general loop,
    /// anything else through it.
    #[inline(always)]
    fn skip_slash(&mut self) -> Fast<()> {
        const OPEN: &[u8] = b"{\"value\":\"";
        if self.buf.get(self.i..self.i + OPEN.len()) == Some(OPEN) {
            let start = self.i;
            self.i += OPEN.len();
            if self.skip_string().is_some() && self.buf.get(self.i) == Some(&b'}') {
                // A template keeps the braces and the key: the value is the string.
                self.value(start + OPEN.len() - 1, Action::Skip);
                self.i += 1;
                return Some(());
            }
            self.i = start;
        }
        self.skip_value()
    }

    /// A value skipped whole, kept as one value of the template being recorded.
    #[inline(always)]
    fn skip_value(&mut self) -> Fast<()> {
        let start = self.i;
        self.skip()?;
        self.value(start, Action::Skip);
        Some(())
    }

    /// A value skipped whole (as serde_json's `IgnoredAny`), at most 64 containers deep.
    fn skip(&mut self) -> Fast<()> {
        // Bit n: the container at depth n is an object.
        let mut objects = 0u64;
        let mut depth = 0u32;
        'value: loop {
            match self.token()? {
                b'"' => self.skip_string()?,
                open @ (b'{' | b'[') => {
                    if depth == 64 {
                        return None;
                    }
                    let object = open == b'{';
                    match self.token()? {
                        b'}' if object => {}
                        b']' if !object => {}
                        b'"' if object => {
                            self.skip_string()?;
                            if self.token()? != b':' {
                                return None;
                            }
                            objects = objects & !(1 << depth) | (1 << depth);
                            depth += 1;
                            continue 'value;
                        }
                        _ if object => return None,
                        _ => {
                            self.i -= 1;
                            objects &= !(1 << depth);
                            depth += 1;
                            continue 'value;
                        }
                    }
                }
                b'n' => self.literal(b"ull")?,
                b't' => self.literal(b"rue")?,
                b'f' => self.literal(b"alse")?,
                b @ (b'-' | b'0'..=b'9') => self.number(b)?,
                _ => return None,
            }
            while depth > 0 {
                let object = objects & (1 << (depth - 1)) != 0;
                match self.token()? {
                    b',' if object => {
                        if self.token()? != b'"' {
                            return None;
                        }
                        self.skip_string()?;
                        if self.token()? != b':' {
                            return None;
                        }
                        continue 'value;
                    }
                    b',' => continue 'value,
                    b'}' if object => depth -= 1,
                    b']' if !object => depth -= 1,
                    _ => return None,
                }
            }
            return Some(());
        }
    }
}

/// One employee record, from its `{` (after whitespace) at the start of `buf`: what it took,
/// with the record's marks and captures in `tally`; `None` to leave it to the general
/// walk (the caller then resets the record's state). Records a template when asked.
fn walk_record(buf: &[u8], trie: &Trie, tally: &mut Tally, guesses: &mut Guesses) -> Option<Took> {
    let mut c = Cursor::new(buf, guesses);
    if c.token()? != b'{' {
        return None;
    }
    let mut more = c.first_key()?;
    let mut place = 0;
    while more {
        let target = c.known_key(0, place, |key| trie.record.get(key))?;
        place += 1;
        match target {
            Some(Target::Child(child)) => node::<false>(&mut c, trie, tally, child, 1)?,
            Some(Target::HumanReadable) => node::<true>(&mut c, trie, tally, 0, 1)?,
            Some(Target::Slash(slot)) => {
                tally.mark(slot, VALUE);
                c.marked(slot, VALUE);
                match trie.roles.get(slot) {
                    Some(&role @ (Role::Lifecycle | Role::Status)) => {
                        slash(&mut c, tally, role)?;
                    }
                    _ => c.skip_slash()?,
                }
            }
            None => c.skip_value()?,
        }
        more = next_key(&mut c)?;
    }
    Some(c.took())
}

/// After a member: true when another key follows (its quote consumed), false at `}`.
#[inline(always)]
fn next_key(c: &mut Cursor) -> Fast<bool> {
    match c.token()? {
        b',' => (c.token()? == b'"').then_some(true),
        b'}' => Some(false),
        _ => None,
    }
}

/// A value at a tracked path, as the general walk's `node` reads it (`HUMAN`: in the
/// record's `humanReadable` copy; a parameter of the type, so that each copy of the function
/// has no branch on it).
fn node<const HUMAN: bool>(
    c: &mut Cursor,
    trie: &Trie,
    tally: &mut Tally,
    node_at: usize,
    depth: u32,
) -> Fast<()> {
    let at = trie.nodes.get(node_at)?;
    let mark = |tally: &mut Tally, state: u8| {
        if !HUMAN {
            for &slot in &at.slots {
                tally.mark(slot, state);
            }
        }
    };
    let start = c.i;
    match c.token()? {
        b'"' => tracked_string::<HUMAN>(c, trie, tally, at)?,
        b'n' => {
            c.literal(b"ull")?;
            mark(tally, EMPTY);
        }
        b't' => {
            c.literal(b"rue")?;
            mark(tally, VALUE);
        }
        b'f' => {
            c.literal(b"alse")?;
            mark(tally, VALUE);
        }
        b'{' if depth < DEEP => {
            mark(tally, VALUE);
            if !HUMAN {
                for &slot in &at.slots {
                    c.marked(slot, VALUE);
                }
            }
            let mut more = c.first_key()?;
            let object = 1 + 2 * node_at + usize::from(HUMAN);
            let mut place = 0;
            while more {
                let target = c.known_key(object, place, |key| at.keys.get(key))?;
                place += 1;
                match target {
                    Some(Target::Child(child)) => {
                        node::<HUMAN>(c, trie, tally, child, depth + 1)?;
                    }
                    _ => c.skip_value()?,
                }
                more = next_key(c)?;
            }
            // An object is not one value of a template: its keys are bytes between values.
            return Some(());
        }
        b'[' if depth < DEEP => {
            let empty = c.peek()? == b']';
            if empty {
                c.i += 1;
            } else {
                loop {
                    c.skip()?;
                    match c.token()? {
                        b',' => {}
                        b']' => break,
                        _ => return None,
                    }
                }
            }
            mark(tally, if empty { EMPTY } else { VALUE });
        }
        _ => return None,
    }
    c.value(
        start,
        Action::Node {
            node: node_at,
            human: HUMAN,
            depth,
        },
    );
    Some(())
}

/// A string at a tracked path, after its quote.
#[inline(always)]
fn tracked_string<const HUMAN: bool>(
    c: &mut Cursor,
    trie: &Trie,
    tally: &mut Tally,
    at: &Node,
) -> Fast<()> {
    let (a, b, ascii) = c.string()?;
    let value = c.buf.get(a..b)?;
    if !ascii && std::str::from_utf8(value).is_err() {
        return None;
    }
    let state = if value.is_empty() { EMPTY } else { VALUE };
    if !HUMAN {
        for &slot in &at.slots {
            tally.mark(slot, state);
        }
    }
    if state == VALUE && at.captures {
        for &slot in &at.slots {
            if let Some(&role) = trie.roles.get(slot) {
                tally.capture_bytes(role, HUMAN, value);
            }
        }
    }
    Some(())
}

/// A lifecycle or status slash key's value, when it is an object whose `value` and
/// `humanReadable` are plain strings.
fn slash(c: &mut Cursor, tally: &mut Tally, role: Role) -> Fast<()> {
    if c.token()? != b'{' {
        return None;
    }
    let mut more = c.first_key()?;
    while more {
        let (a, b, ascii) = c.key()?;
        if !ascii {
            return None;
        }
        let human = match c.buf.get(a..b)? {
            b"value" => Some(false),
            b"humanReadable" => Some(true),
            _ => None,
        };
        match human {
            Some(human) => {
                let start = c.i;
                capture(c, tally, role, human)?;
                c.value(start, Action::Capture { role, human });
            }
            None => c.skip_value()?,
        }
        more = next_key(c)?;
    }
    Some(())
}

/// The `value` or `humanReadable` of a lifecycle or status slash key, when a plain string.
#[inline(always)]
fn capture(c: &mut Cursor, tally: &mut Tally, role: Role, human: bool) -> Fast<()> {
    if c.token()? != b'"' {
        return None;
    }
    let (a, b, ascii) = c.string()?;
    let value = c.buf.get(a..b)?;
    if !ascii && std::str::from_utf8(value).is_err() {
        return None;
    }
    if !value.is_empty() {
        tally.capture_bytes(role, human, value);
    }
    Some(())
}
