//! Records replayed from the last ones: HiBob writes every record with the same keys in the
//! same order, so the bytes between two values (braces, keys, colons, commas, whitespace) are
//! most often the very bytes of the record before. The fast path records them: a *template* is
//! the record's text between its values, with what was done with each value (read at a tracked
//! path, skipped, ...). A record that matches a template byte for byte between its values is
//! read by comparing those bytes (32 at a time) and doing the same with each value.
//!
//! Why this reads a record as the fast path would: the fast path is a deterministic reader,
//! and what it does next depends only on where it is in the record (the object, the key it
//! read) and the bytes it reads. From the same place, the same bytes are read the same way:
//! the same tokens, the same keys, the same tracked paths, the same marks. Each value is then
//! read by the very function that read it when the template was recorded, which checks it
//! whatever it is. Anything that does not match gives up, as the fast path does: the record
//! is read again by the fast path (and recorded), or by the general walk.

use super::guess::{PATTERN, same32};
use super::{Cursor, Guesses, Took, capture, node, tracked_string};
use crate::probes::people::decode::{Role, Tally, Trie};
use wide::u8x16;

/// Templates longer than this (literal bytes, each literal padded to 32, or values) are not
/// kept: a record so large is rare, and the fast path reads it anyway. Either limit can be the
/// one reached (1,024 short literals take 32 KiB).
const MAX_BYTES: usize = 64 * 1024;
const MAX_STEPS: usize = 1024;

/// What was done with a value.
#[derive(Clone, Copy)]
pub(in crate::probes::people::decode) enum Action {
    /// Read at a tracked path by `node` (in `humanReadable` or not, at this depth).
    Node {
        node: usize,
        human: bool,
        depth: u32,
    },
    /// Skipped whole.
    Skip,
    /// The `value` or `humanReadable` string of a lifecycle or status slash key.
    Capture { role: Role, human: bool },
}

/// Bytes of the record between two values.
#[derive(Clone, Copy, Default)]
struct Lit {
    /// Where they are in [`Template::bytes`] (padded to a multiple of 32 there).
    at: usize,
    len: usize,
    /// Newlines among them, and where the line after the last one starts, from their start.
    lines: u64,
    line_start: usize,
    /// When they are at most 32 bytes (most often): the bytes, padded, and a bit for each
    /// that counts (compared at once).
    short: Option<([u8; PATTERN], u32)>,
}

#[derive(Clone, Copy)]
struct Step {
    /// The bytes before the value.
    lit: Lit,
    /// The marks made before the value: `Template::marks[..marks_end]` not yet made.
    marks_end: usize,
    action: Action,
}

/// One record's text between its values, and what was done with each value.
#[derive(Default)]
pub(in crate::probes::people::decode) struct Template {
    bytes: Vec<u8>,
    steps: Vec<Step>,
    /// Marks made outside values (a tracked object met, a slash key met), in order.
    marks: Vec<(usize, u8)>,
    /// The bytes after the last value, up to the record's `}`.
    tail: Lit,
    /// The template holds a whole record.
    ready: bool,
}

/// A template being recorded by the fast path.
#[derive(Default)]
pub(in crate::probes::people::decode) struct Recording {
    on: bool,
    template: Template,
    /// Where the bytes not yet in the template start, in the record.
    from: usize,
}

/// The last two record shapes (HiBob's records differ where a field is null for some: two
/// shapes alternate), the one that matched last first.
#[derive(Default)]
pub(in crate::probes::people::decode) struct Templates {
    kept: [Template; 2],
    /// The one that matched last.
    last: usize,
    /// Of the records of the current window, how many were tried and how many matched.
    tried: u32,
    matched: u32,
    /// Records left to read without templates.
    resting: u32,
}

/// Templates pay when most records match one: a record that matches neither costs the
/// attempts and its recording on top of the fast path. So the share that matched is counted
/// over windows of [`WINDOW`] records; under [`WORTH`] of them, the next [`REST`] records are
/// read without templates (by the fast path alone, as before them), then templates are tried
/// again. Answers whose records do not repeat cost at most a few percent more than before.
const WINDOW: u32 = 64;
const WORTH: u32 = WINDOW * 3 / 4;
const REST: u32 = 4096;

impl Templates {
    /// Counts a record tried; `false` when templates are resting.
    fn try_one(&mut self) -> bool {
        if self.resting > 0 {
            self.resting -= 1;
            return false;
        }
        if self.tried == WINDOW {
            let rest = self.matched < WORTH;
            self.tried = 0;
            self.matched = 0;
            if rest {
                // This record is the first of those read without templates.
                self.resting = REST - 1;
                return false;
            }
        }
        self.tried += 1;
        true
    }
}

impl Recording {
    fn start(&mut self) {
        self.on = true;
        self.from = 0;
        let t = &mut self.template;
        t.bytes.clear();
        t.steps.clear();
        t.marks.clear();
        t.ready = false;
    }

    /// Keeps `buf[self.from..to]` as a literal.
    /// Recording stops on any failure: a template missing a value would not read it.
    fn literal(&mut self, buf: &[u8], to: usize) -> Option<Lit> {
        let Some(bytes) = buf.get(self.from..to) else {
            self.on = false;
            return None;
        };
        let t = &mut self.template;
        if t.bytes.len() + bytes.len() > MAX_BYTES || t.steps.len() >= MAX_STEPS {
            self.on = false;
            return None;
        }
        let at = t.bytes.len();
        t.bytes.extend_from_slice(bytes);
        t.bytes
            .resize(at + bytes.len().div_ceil(PATTERN) * PATTERN, 0);
        let (lines, last) = newlines(bytes);
        let line_start = last.map_or(0, |n| n + 1);
        let short = t
            .bytes
            .get(at..at + PATTERN)
            .filter(|_| !bytes.is_empty() && bytes.len() <= PATTERN)
            .map(|padded| {
                let mut pattern = [0; PATTERN];
                pattern.copy_from_slice(padded);
                (pattern, u32::MAX >> (PATTERN - bytes.len()))
            });
        Some(Lit {
            at,
            len: bytes.len(),
            lines,
            line_start,
            short,
        })
    }
}

/// How many newlines `bytes` hold, and where the last one is: 16 bytes at a time.
fn newlines(bytes: &[u8]) -> (u64, Option<usize>) {
    let mut count = 0;
    let mut last = None;
    let mut chunks = bytes.chunks_exact(16);
    let mut at = 0;
    for c in &mut chunks {
        let mut a = [0u8; 16];
        a.copy_from_slice(c);
        let found = u8x16::new(a).cmp_eq(u8x16::splat(b'\n')).move_mask() as u32 & 0xffff;
        if found != 0 {
            count += u64::from(found.count_ones());
            last = Some(at + 31 - found.leading_zeros() as usize);
        }
        at += 16;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            count += 1;
            last = Some(at + i);
        }
    }
    (count, last)
}

impl Cursor<'_> {
    /// Recording: a value from `start` to here was read, as `action` reads it again.
    #[inline(always)]
    pub(super) fn value(&mut self, start: usize, action: Action) {
        let rec = &mut self.guesses.recording;
        if !rec.on {
            return;
        }
        if let Some(lit) = rec.literal(self.buf, start) {
            let marks_end = rec.template.marks.len();
            rec.template.steps.push(Step {
                lit,
                marks_end,
                action,
            });
            rec.from = self.i;
        }
    }

    /// Recording: a mark made outside a value.
    #[inline(always)]
    pub(super) fn marked(&mut self, slot: usize, state: u8) {
        let rec = &mut self.guesses.recording;
        if rec.on {
            rec.template.marks.push((slot, state));
        }
    }

    /// The literal `lit` of `t` here, consumed; `None` when the bytes differ.
    #[inline(always)]
    fn same_as(&mut self, t: &Template, lit: &Lit) -> Option<()> {
        let at = self.i;
        if let Some((pattern, care)) = &lit.short
            && let Some(here) = self.buf.get(at..at + PATTERN)
        {
            let mut have = [0; PATTERN];
            have.copy_from_slice(here);
            if !same32(&have, pattern, *care) {
                return None;
            }
            self.passed(lit);
            return Some(());
        }
        let want = t
            .bytes
            .get(lit.at..lit.at + lit.len.div_ceil(PATTERN) * PATTERN)?;
        match self.buf.get(at..at + want.len()) {
            Some(have) => {
                let mut left = lit.len;
                for (h, w) in have.chunks_exact(PATTERN).zip(want.chunks_exact(PATTERN)) {
                    let (mut a, mut b) = ([0; PATTERN], [0; PATTERN]);
                    a.copy_from_slice(h);
                    b.copy_from_slice(w);
                    let care = if left >= PATTERN {
                        u32::MAX
                    } else {
                        u32::MAX >> (PATTERN - left)
                    };
                    if !same32(&a, &b, care) {
                        return None;
                    }
                    left = left.saturating_sub(PATTERN);
                }
            }
            // Near the end of the chunk: byte by byte.
            None => {
                if self.buf.get(at..at + lit.len)? != want.get(..lit.len)? {
                    return None;
                }
            }
        }
        self.passed(lit);
        Some(())
    }

    /// Past the literal `lit`, which starts here.
    #[inline(always)]
    fn passed(&mut self, lit: &Lit) {
        if lit.lines > 0 {
            self.lines += lit.lines;
            self.line_start = self.i + lit.line_start;
        }
        self.i += lit.len;
    }
}

/// One employee record, from its `{` (after whitespace) at the start of `buf`: first as the last
/// records were (a template), then by the fast path, which records a template for the next ones.
/// `None`: the general walk takes over (the caller resets the record's state).
pub(in crate::probes::people::decode) fn record(
    buf: &[u8],
    trie: &Trie,
    tally: &mut Tally,
    guesses: &mut Guesses,
) -> Option<Took> {
    if !guesses.templates.try_one() {
        return super::walk_record(buf, trie, tally, guesses);
    }
    let first = guesses.templates.last;
    for k in [first, 1 - first] {
        let template = std::mem::take(&mut guesses.templates.kept[k]);
        let took = template
            .ready
            .then(|| replay(buf, &template, trie, tally, guesses))
            .flatten();
        guesses.templates.kept[k] = template;
        if took.is_some() {
            guesses.templates.last = k;
            guesses.templates.matched += 1;
            return took;
        }
        if guesses.templates.kept[k].ready {
            tally.reset_employee();
        }
    }
    guesses.recording.start();
    let took = super::walk_record(buf, trie, tally, guesses);
    let rec = &mut guesses.recording;
    if let Some(took) = took
        && rec.on
        && let Some(tail) = rec.literal(buf, took.len)
    {
        rec.template.tail = tail;
        rec.template.ready = true;
        // The new shape replaces the one that did not match last.
        let k = 1 - guesses.templates.last;
        std::mem::swap(&mut guesses.templates.kept[k], &mut rec.template);
        guesses.templates.last = k;
    }
    guesses.recording.on = false;
    took
}

/// A value at a tracked path, as `node` read it when the template was recorded; a string
/// (`string`: the next byte is its quote) without `node`'s search for what the value is.
#[inline(always)]
fn node_again<const HUMAN: bool>(
    c: &mut Cursor,
    trie: &Trie,
    tally: &mut Tally,
    at: usize,
    depth: u32,
    string: bool,
) -> Option<()> {
    if string {
        c.i += 1;
        tracked_string::<HUMAN>(c, trie, tally, trie.nodes.get(at)?)
    } else {
        node::<HUMAN>(c, trie, tally, at, depth)
    }
}

/// A record read by `template`.
fn replay(
    buf: &[u8],
    template: &Template,
    trie: &Trie,
    tally: &mut Tally,
    guesses: &mut Guesses,
) -> Option<Took> {
    let mut c = Cursor::new(buf, guesses);
    let mut marked = 0;
    for step in &template.steps {
        c.same_as(template, &step.lit)?;
        if step.marks_end > marked {
            for &(slot, state) in template.marks.get(marked..step.marks_end)? {
                tally.mark(slot, state);
            }
            marked = step.marks_end;
        }
        // Most values are strings: read here, without `node`'s search for what the value is.
        let string = c.buf.get(c.i) == Some(&b'"');
        match step.action {
            Action::Node {
                node: at,
                human: false,
                depth,
            } => node_again::<false>(&mut c, trie, tally, at, depth, string)?,
            Action::Node {
                node: at,
                human: true,
                depth,
            } => node_again::<true>(&mut c, trie, tally, at, depth, string)?,
            Action::Skip if string => {
                c.i += 1;
                c.skip_string()?;
            }
            Action::Skip => c.skip()?,
            Action::Capture { role, human } => capture(&mut c, tally, role, human)?,
        }
    }
    c.same_as(template, &template.tail)?;
    for &(slot, state) in template.marks.get(marked..)? {
        tally.mark(slot, state);
    }
    Some(c.took())
}

#[cfg(test)]
mod tests {
    use super::{REST, Templates, WINDOW, WORTH};
    use proptest::prelude::*;

    /// Tried while they pay; resting for [`REST`] records after a window where too few
    /// matched; tried again after.
    #[test]
    fn templates_rest_when_too_few_records_match() {
        let mut t = Templates::default();
        for _ in 0..WINDOW {
            assert!(t.try_one());
            t.matched += 1;
        }
        for _ in 0..WINDOW {
            assert!(t.try_one());
            t.matched += u32::from(t.tried < WORTH);
        }
        assert!((0..REST).all(|_| !t.try_one()));
        assert!(t.try_one());
    }

    proptest! {
        #[test]
        fn newlines_are_counted_and_the_last_found(bytes in prop::collection::vec(
            prop::sample::select(&b"\n a\"{"[..]), 0..80)
        ) {
            let count = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            let last = bytes.iter().rposition(|&b| b == b'\n');
            prop_assert_eq!(super::newlines(&bytes), (count, last));
        }
    }
}
