//! Keys guessed from the last record: HiBob writes every record's keys in the same order, so
//! the key at the same place of the same object in the last record is most likely the next
//! one; a right guess costs one 32-byte comparison (no search for the key's end, no lookup).

use super::template::{Recording, Templates};
use super::{Cursor, Fast};
use crate::probes::people::decode::keys::Target;
use crate::probes::people::decode::same;
use wide::u8x16;

/// Objects, and places in an object, beyond this are not guessed.
const GUESSED: usize = 256;

/// The keys of the last record read, by object and by place (and the last records' shapes).
#[derive(Default)]
pub(in crate::probes::people::decode) struct Guesses {
    objects: Vec<Vec<Guess>>,
    /// The last records' shapes, and the one being recorded.
    pub(super) templates: Templates,
    pub(super) recording: Recording,
}

#[derive(Default)]
struct Guess {
    /// A key read by [`Cursor::string`]: no quote, backslash or control character in it.
    key: Vec<u8>,
    target: Option<Target>,
    set: bool,
    /// When the key was followed right away by its colon and is short: the key, its closing
    /// quote and the colon, padded to 32 bytes, compared at once (SIMD) whatever its length.
    pattern: [u8; PATTERN],
    /// The bits of the pattern's bytes that count (none: compare `key` instead).
    care: u32,
}

/// The bytes compared at once for a guessed key, with its closing quote and colon.
pub(super) const PATTERN: usize = 32;

/// Whether the bytes of `have` equal those of `want` wherever `care` has a bit (32 at once).
#[inline(always)]
pub(super) fn same32(have: &[u8; PATTERN], want: &[u8; PATTERN], care: u32) -> bool {
    let half = |x: &[u8; PATTERN], at: usize| {
        let mut h = [0u8; 16];
        h.copy_from_slice(x.get(at..at + 16).unwrap_or(&[0; 16]));
        u8x16::new(h)
    };
    let low = half(have, 0).cmp_eq(half(want, 0)).move_mask() as u32 & 0xffff;
    let high = half(have, 16).cmp_eq(half(want, 16)).move_mask() as u32 & 0xffff;
    (low | high << 16) | !care == u32::MAX
}

impl Cursor<'_> {
    /// The next key (after its quote) and the colon after it, with what it stands for: first
    /// the key at the same place of the same object in the last record, then by `lookup`.
    #[inline(always)]
    pub(super) fn known_key(
        &mut self,
        object: usize,
        place: usize,
        lookup: impl Fn(&[u8]) -> Option<Target>,
    ) -> Fast<Option<Target>> {
        let buf = self.buf;
        let at = self.i;
        if let Some(g) = self.guesses.objects.get(object).and_then(|o| o.get(place))
            && g.care != 0
            && let Some(here) = buf.get(at..at + PATTERN)
        {
            let mut w = [0u8; PATTERN];
            w.copy_from_slice(here);
            if same32(&w, &g.pattern, g.care) {
                self.i = at + g.key.len() + 2;
                return Some(g.target);
            }
        } else if let Some(g) = self.guesses.objects.get(object).and_then(|o| o.get(place))
            && g.set
            && buf.get(at + g.key.len()) == Some(&b'"')
            && buf
                .get(at..at + g.key.len())
                .is_some_and(|k| same(k, &g.key))
        {
            let target = g.target;
            self.i = at + g.key.len() + 1;
            return (self.token()? == b':').then_some(target);
        }
        let (a, b, _) = self.key()?;
        let key = buf.get(a..b)?;
        // The key, its quote and its colon, when nothing stands between them.
        let tight = (self.i == b + 2).then(|| buf.get(a..b + 2)).flatten();
        let target = lookup(key);
        // The guesses stay small whatever the answer: so many objects, so many places.
        if object >= GUESSED || place >= GUESSED {
            return Some(target);
        }
        if self.guesses.objects.len() <= object {
            self.guesses.objects.resize_with(object + 1, Vec::new);
        }
        if let Some(o) = self.guesses.objects.get_mut(object) {
            if o.len() <= place {
                o.resize_with(place + 1, Guess::default);
            }
            if let Some(g) = o.get_mut(place) {
                g.key.clear();
                g.key.extend_from_slice(key);
                g.target = target;
                g.set = true;
                g.care = 0;
                if let Some(t) = tight.filter(|t| t.len() <= PATTERN) {
                    g.pattern = [0; PATTERN];
                    if let Some(p) = g.pattern.get_mut(..t.len()) {
                        p.copy_from_slice(t);
                    }
                    g.care = u32::MAX >> (PATTERN - t.len());
                }
            }
        }
        Some(target)
    }
}
