//! The people search's decoder: the answer scanned while it is read, and reduced to counts per
//! tracked field and lifecycle tallies.

mod fast;
mod feed;
mod keys;
mod run;
mod scan;
#[cfg(test)]
mod visit;
mod walk;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use super::{ID, LIFECYCLE, STATUS, Tracked};
use crate::client::body::DecodeError;
use crate::observations::{FieldCounts, LifecycleCount, PeopleCounts};
use keys::{Keys, Target};

/// Per employee: what was seen for one tracked field.
const ABSENT: u8 = 0;
const EMPTY: u8 = 1;
const VALUE: u8 = 2;

/// What the decoder keeps of a slot's value besides presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Count,
    Id,
    Lifecycle,
    Status,
}

/// The tracked JSON paths as a tree of keys; node 0 is the employee record. Keys are few per
/// node, so a linear scan beats hashing every key of every record.
struct Trie {
    nodes: Vec<Node>,
    roles: Vec<Role>,
    /// Slash keys at the record's top level (`/work/title`), present only for non-null values.
    slash: Vec<(Box<str>, usize)>,
    /// The keys looked for at the record's top level: node 0's children, then the slash keys,
    /// then `humanReadable`.
    record: Keys,
}

#[derive(Default)]
struct Node {
    children: Vec<(Box<str>, usize)>,
    /// The same, for the scanner.
    keys: Keys,
    slots: Vec<usize>,
    /// One of the slots keeps its value (an ID, a lifecycle value or label, a status).
    captures: bool,
}

#[inline]
fn find(list: &[(Box<str>, usize)], key: &[u8]) -> Option<usize> {
    list.iter()
        .find(|(k, _)| same(k.as_bytes(), key))
        .map(|(_, i)| *i)
}

/// Byte equality for short keys, without a call to `memcmp` and without a loop over the last
/// bytes: whole words, the last of them overlapping the one before.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        return i == n || word(a, n - 8) == word(b, n - 8);
    }
    if n >= 4 {
        return half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4);
    }
    n == 0 || (a.first() == b.first() && a.get(n / 2) == b.get(n / 2) && a.last() == b.last())
}

/// Eight bytes from `at` (`None` past the end, which `same` never asks for).
#[inline(always)]
fn word(s: &[u8], at: usize) -> Option<u64> {
    let mut w = [0u8; 8];
    w.copy_from_slice(s.get(at..at + 8)?);
    Some(u64::from_le_bytes(w))
}

/// Four bytes from `at`.
#[inline(always)]
fn half(s: &[u8], at: usize) -> Option<u32> {
    let mut w = [0u8; 4];
    w.copy_from_slice(s.get(at..at + 4)?);
    Some(u32::from_le_bytes(w))
}

impl Trie {
    fn build(tracked: &[Tracked]) -> Self {
        let mut trie = Trie {
            nodes: vec![Node::default()],
            roles: Vec::new(),
            slash: Vec::new(),
            record: Keys::default(),
        };
        for (slot, t) in tracked.iter().enumerate() {
            let mut node = 0;
            for key in t.json_path.split('.').filter(|k| !k.is_empty()) {
                node = match find(&trie.nodes[node].children, key.as_bytes()) {
                    Some(next) => next,
                    None => {
                        let next = trie.nodes.len();
                        trie.nodes.push(Node::default());
                        trie.nodes[node].children.push((key.into(), next));
                        next
                    }
                };
            }
            if node != 0 {
                trie.nodes[node].slots.push(slot);
            }
            trie.roles.push(match t.field_id.as_str() {
                ID => Role::Id,
                LIFECYCLE => Role::Lifecycle,
                STATUS => Role::Status,
                _ => Role::Count,
            });
            trie.slash
                .push((format!("/{}", t.field_id.replace('.', "/")).into(), slot));
        }
        for node in &mut trie.nodes {
            for (key, child) in &node.children {
                node.keys.insert(key.as_bytes(), Target::Child(*child));
            }
        }
        if let Some(root) = trie.nodes.first() {
            for (key, child) in &root.children {
                trie.record.insert(key.as_bytes(), Target::Child(*child));
            }
        }
        for (key, slot) in &trie.slash {
            trie.record.insert(key.as_bytes(), Target::Slash(*slot));
        }
        trie.record.insert(b"humanReadable", Target::HumanReadable);
        for node in &mut trie.nodes {
            node.captures = node
                .slots
                .iter()
                .any(|&slot| trie.roles.get(slot).is_some_and(|r| *r != Role::Count));
        }
        trie
    }
}

/// Decodes a search answer into counts for `tracked`.
///
/// The answer is scanned while it arrives: the calling thread reads it in chunks and a second
/// thread scans each chunk as soon as it is read (see `feed`), so that on a fast link the
/// counts are ready right after the last byte, and only a few chunks are ever in memory. The
/// scanner (`scan`, `walk`) checks the JSON exactly as serde_json did, but looks only at the
/// keys on the tracked paths; everything else is skipped without being decoded.
pub fn decode(body: &mut dyn Read, tracked: &[Tracked]) -> Result<PeopleCounts, DecodeError> {
    let trie = Trie::build(tracked);
    let tally = feed::scan(body, &trie, tracked.len())?;
    Ok(tally.finish(tracked))
}

/// Small strings seen many times (lifecycle values), stored once. Found by their length
/// first, then by comparing bytes (an answer repeats a handful of values); by hashing once a
/// length has many.
#[derive(Default)]
struct Interner {
    strings: Vec<String>,
    by_len: Vec<Vec<usize>>,
    index: HashMap<Box<[u8]>, usize>,
}

/// Strings of one length compared one by one, at most; more are found by hashing.
const FEW: usize = 8;
/// Strings longer than this are found by hashing.
const SHORT: usize = 64;

impl Interner {
    /// `s` is valid UTF-8 (a checked JSON string).
    #[inline]
    fn intern(&mut self, s: &[u8]) -> usize {
        let few = self
            .by_len
            .get(s.len())
            .map(Vec::as_slice)
            .unwrap_or_default();
        for &i in few {
            if self.strings.get(i).is_some_and(|x| same(x.as_bytes(), s)) {
                return i;
            }
        }
        self.intern_slow(s)
    }

    /// [`Interner::intern`], trying `like` (an index it gave) first.
    #[inline]
    fn intern_like(&mut self, like: Option<usize>, s: &[u8]) -> usize {
        match like {
            Some(i) if self.strings.get(i).is_some_and(|x| same(x.as_bytes(), s)) => i,
            _ => self.intern(s),
        }
    }

    #[inline(never)]
    fn intern_slow(&mut self, s: &[u8]) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len();
        self.strings.push(String::from_utf8_lossy(s).into_owned());
        if s.len() <= SHORT {
            if self.by_len.len() <= s.len() {
                self.by_len.resize_with(s.len() + 1, Vec::new);
            }
            if let Some(few) = self.by_len.get_mut(s.len()).filter(|f| f.len() < FEW) {
                few.push(i);
                return i;
            }
        }
        self.index.insert(s.into(), i);
        i
    }
}

/// Hashes the interner's small indices (never bytes from the answer): one multiplication.
#[derive(Default, Clone, Copy)]
struct IndexHasher(u64);

impl std::hash::Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type IndexMap<K> = HashMap<K, u64, std::hash::BuildHasherDefault<IndexHasher>>;

/// Employees per key, the key counted last remembered: most employees share their values with
/// the one before, and then no hashing is needed.
struct Counter<K> {
    counts: IndexMap<K>,
    last: Option<(K, u64)>,
}

impl<K> Default for Counter<K> {
    fn default() -> Self {
        Counter {
            counts: IndexMap::default(),
            last: None,
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash> Counter<K> {
    #[inline]
    fn add(&mut self, key: K) {
        match &mut self.last {
            Some((k, n)) if *k == key => *n += 1,
            _ => {
                self.flush();
                self.last = Some((key, 1));
            }
        }
    }

    /// Counts the remembered key in the map.
    fn flush(&mut self) {
        if let Some((k, n)) = self.last.take() {
            *self.counts.entry(k).or_default() += n;
        }
    }
}

/// The current employee's captured values, as interned indices.
#[derive(Default, Clone, Copy)]
struct Captured {
    lifecycle: Option<usize>,
    label: Option<usize>,
    status: Option<usize>,
}

struct Tally {
    employees: u64,
    counts: Vec<FieldCounts>,
    /// The current employee's state per slot.
    seen: Vec<u8>,
    current: Captured,
    /// The last employee's captured values.
    last: Captured,
    current_id: Vec<u8>,
    interner: Interner,
    lifecycle: Counter<(Option<usize>, Option<usize>)>,
    statuses: Counter<usize>,
    sample: Option<String>,
    sample_is_active: bool,
}

impl Tally {
    fn new(slots: usize) -> Self {
        Tally {
            employees: 0,
            counts: vec![FieldCounts::default(); slots],
            seen: vec![ABSENT; slots],
            current: Captured::default(),
            last: Captured::default(),
            current_id: Vec::new(),
            interner: Interner::default(),
            lifecycle: Counter::default(),
            statuses: Counter::default(),
            sample: None,
            sample_is_active: false,
        }
    }

    fn mark(&mut self, slot: usize, state: u8) {
        if let Some(s) = self.seen.get_mut(slot) {
            *s = (*s).max(state);
        }
    }

    #[cfg(test)]
    fn capture(&mut self, role: Role, human: bool, value: &str) {
        self.capture_bytes(role, human, value.as_bytes());
    }

    /// Keeps a value for the current employee: `value` is valid UTF-8.
    fn capture_bytes(&mut self, role: Role, human: bool, value: &[u8]) {
        // Most employees share their values with the one before: that one is tried first.
        let last = self.last;
        match (role, human) {
            (Role::Lifecycle, false) => {
                self.current.lifecycle = Some(self.interner.intern_like(last.lifecycle, value));
            }
            (Role::Lifecycle, true) => {
                self.current.label = Some(self.interner.intern_like(last.label, value));
            }
            (Role::Status, false) => {
                self.current.status = Some(self.interner.intern_like(last.status, value));
            }
            (Role::Id, false) => {
                self.current_id.clear();
                self.current_id.extend_from_slice(value);
            }
            _ => {}
        }
    }

    /// Forgets what was seen of the current employee (to read the record again).
    fn reset_employee(&mut self) {
        self.seen.fill(ABSENT);
        self.current = Captured::default();
        self.current_id.clear();
    }

    fn finish_employee(&mut self) {
        self.employees += 1;
        for (state, counts) in self.seen.iter_mut().zip(self.counts.iter_mut()) {
            match *state {
                ABSENT => counts.absent += 1,
                EMPTY => {
                    counts.present += 1;
                    counts.empty += 1;
                }
                _ => counts.present += 1,
            }
            *state = ABSENT;
        }
        let c = std::mem::take(&mut self.current);
        if c.lifecycle.is_some() || c.label.is_some() {
            self.lifecycle.add((c.lifecycle, c.label));
        }
        if let Some(s) = c.status {
            self.statuses.add(s);
        }
        if !self.current_id.is_empty() && !self.sample_is_active {
            let active = c
                .status
                .is_some_and(|s| self.interner.strings[s].eq_ignore_ascii_case("active"));
            if self.sample.is_none() || active {
                self.sample = Some(String::from_utf8_lossy(&self.current_id).into_owned());
                self.sample_is_active = active;
            }
        }
        self.last = c;
        self.current_id.clear();
    }

    fn finish(mut self, tracked: &[Tracked]) -> PeopleCounts {
        self.lifecycle.flush();
        self.statuses.flush();
        let name = |i: Option<usize>| i.map(|i| self.interner.strings[i].clone());
        let mut lifecycle: Vec<LifecycleCount> = self
            .lifecycle
            .counts
            .iter()
            .map(|(&(value, label), &employees)| LifecycleCount {
                value: name(value),
                label: name(label),
                employees,
            })
            .collect();
        lifecycle.sort();
        let statuses: BTreeMap<String, u64> = self
            .statuses
            .counts
            .iter()
            .map(|(&s, &n)| (self.interner.strings[s].clone(), n))
            .collect();
        PeopleCounts {
            employees: self.employees,
            fields: tracked
                .iter()
                .zip(self.counts)
                .map(|(t, c)| (t.field_id.clone(), c))
                .collect(),
            lifecycle,
            statuses,
            sample_employee: self.sample,
        }
    }
}

#[cfg(test)]
mod compare;
#[cfg(test)]
mod tests;
