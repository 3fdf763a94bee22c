//! The people search's decoder: the answer read once, parsed from the slice (on two threads
//! when large), and reduced to counts per tracked field and lifecycle tallies.

mod visit;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use serde::de::DeserializeSeed;

use super::{ID, LIFECYCLE, STATUS, Tracked};
use crate::client::body::DecodeError;
use crate::observations::{FieldCounts, LifecycleCount, PeopleCounts};
use visit::TopSeed;

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
}

#[derive(Default)]
struct Node {
    children: Vec<(Box<str>, usize)>,
    slots: Vec<usize>,
}

fn find(list: &[(Box<str>, usize)], key: &[u8]) -> Option<usize> {
    list.iter()
        .find(|(k, _)| k.as_bytes() == key)
        .map(|(_, i)| *i)
}

impl Trie {
    fn build(tracked: &[Tracked]) -> Self {
        let mut trie = Trie {
            nodes: vec![Node::default()],
            roles: Vec::new(),
            slash: Vec::new(),
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
        trie
    }
}

/// Decodes a search answer into counts for `tracked`.
///
/// The whole answer is read into memory (once, sized by `Content-Length`), then parsed from
/// the slice: several times faster than parsing from the stream. Large answers are parsed in
/// two halves on two threads; see [`parallel`].
pub fn decode(body: &mut dyn Read, tracked: &[Tracked]) -> Result<PeopleCounts, DecodeError> {
    let trie = Trie::build(tracked);
    let mut bytes = Vec::new();
    body.read_to_end(&mut bytes)
        .map_err(|_| DecodeError::broken())?;
    if bytes.len() >= PARALLEL_MIN
        && let Some(counts) = parallel(&mut bytes, &trie, tracked)
    {
        return Ok(counts);
    }
    let (counts, _, _) = parse(&bytes, &trie, tracked).map_err(|e| DecodeError::from_json(&e))?;
    Ok(counts)
}

/// Answers at least this large are parsed on two threads.
const PARALLEL_MIN: usize = 4 << 20;

/// The shape HiBob answers with, which the two-thread parse relies on.
const PREFIX: &[u8] = b"{\"employees\":[";

/// Parses one whole answer. Returns the counts, whether the sample employee is active, and
/// how many top-level keys the answer had.
fn parse(
    bytes: &[u8],
    trie: &Trie,
    tracked: &[Tracked],
) -> Result<(PeopleCounts, bool, usize), serde_json::Error> {
    let mut tally = Tally::new(tracked.len());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let keys = TopSeed {
        trie,
        tally: &mut tally,
    }
    .deserialize(&mut de)?;
    de.end()?;
    let active = tally.sample_is_active;
    Ok((tally.finish(tracked), active, keys))
}

/// Parses the answer in two halves at once, when it has HiBob's shape
/// (`{"employees":[{...},{...},...]...}`), and returns None to fall back to one thread.
///
/// The split is a `},{` near the middle. The first half is copied and closed with `]}`; the
/// second is opened in place with `{"employees":[` (the bytes it overwrites are restored on
/// fallback). Both must parse. The first half then proves the split was a boundary between two
/// employee records: had it been inside a string or a nested array, its brackets or quotes could
/// not balance. Memory stays at 1.5 times the answer.
fn parallel(bytes: &mut [u8], trie: &Trie, tracked: &[Tracked]) -> Option<PeopleCounts> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if !bytes[start..].starts_with(PREFIX) {
        return None;
    }
    let mid = bytes.len() / 2;
    let k = mid + bytes[mid..].windows(3).position(|w| w == b"},{")?;
    let open = k + 2 - PREFIX.len();
    if open <= start + PREFIX.len() {
        return None;
    }
    let mut first = Vec::with_capacity(k + 3);
    first.extend_from_slice(&bytes[..=k]);
    first.extend_from_slice(b"]}");
    let mut saved = [0u8; PREFIX.len()];
    saved.copy_from_slice(&bytes[open..k + 2]);
    bytes[open..k + 2].copy_from_slice(PREFIX);
    let second = &bytes[open..];
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| parse(second, trie, tracked));
        let a = parse(&first, trie, tracked);
        (a, other.join())
    });
    match (a, b) {
        // The first half must hold nothing but the employee array: had the split fallen in
        // another top-level array after it, the first half would show a second key.
        (Ok((a, a_active, 1)), Ok(Ok((b, b_active, _)))) => {
            Some(merge((a, a_active), (b, b_active)))
        }
        _ => {
            bytes[open..k + 2].copy_from_slice(&saved);
            None
        }
    }
}

/// Adds the second half's counts to the first's. The sample employee is the first half's,
/// unless only the second half has an active one.
fn merge(
    (mut a, a_active): (PeopleCounts, bool),
    (b, b_active): (PeopleCounts, bool),
) -> PeopleCounts {
    a.employees += b.employees;
    for (id, c) in b.fields {
        let e = a.fields.entry(id).or_default();
        e.present += c.present;
        e.absent += c.absent;
        e.empty += c.empty;
    }
    for l in b.lifecycle {
        match a
            .lifecycle
            .iter_mut()
            .find(|x| x.value == l.value && x.label == l.label)
        {
            Some(x) => x.employees += l.employees,
            None => a.lifecycle.push(l),
        }
    }
    a.lifecycle.sort();
    for (s, n) in b.statuses {
        *a.statuses.entry(s).or_default() += n;
    }
    if a.sample_employee.is_none() || (!a_active && b_active) {
        a.sample_employee = b.sample_employee.or(a.sample_employee);
    }
    a
}

/// Small strings seen many times (lifecycle values), stored once.
#[derive(Default)]
struct Interner {
    strings: Vec<String>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> usize {
        match self.strings.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                self.strings.push(s.to_string());
                self.strings.len() - 1
            }
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
    current_id: String,
    interner: Interner,
    lifecycle: HashMap<(Option<usize>, Option<usize>), u64>,
    statuses: HashMap<usize, u64>,
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
            current_id: String::new(),
            interner: Interner::default(),
            lifecycle: HashMap::new(),
            statuses: HashMap::new(),
            sample: None,
            sample_is_active: false,
        }
    }

    fn mark(&mut self, slot: usize, state: u8) {
        if let Some(s) = self.seen.get_mut(slot) {
            *s = (*s).max(state);
        }
    }

    fn capture(&mut self, role: Role, human: bool, value: &str) {
        match (role, human) {
            (Role::Lifecycle, false) => self.current.lifecycle = Some(self.interner.intern(value)),
            (Role::Lifecycle, true) => self.current.label = Some(self.interner.intern(value)),
            (Role::Status, false) => self.current.status = Some(self.interner.intern(value)),
            (Role::Id, false) => {
                self.current_id.clear();
                self.current_id.push_str(value);
            }
            _ => {}
        }
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
            *self.lifecycle.entry((c.lifecycle, c.label)).or_default() += 1;
        }
        if let Some(s) = c.status {
            *self.statuses.entry(s).or_default() += 1;
        }
        let active = c
            .status
            .is_some_and(|s| self.interner.strings[s].eq_ignore_ascii_case("active"));
        if !self.current_id.is_empty()
            && (self.sample.is_none() || (active && !self.sample_is_active))
        {
            self.sample = Some(self.current_id.clone());
            self.sample_is_active = active;
        }
        self.current_id.clear();
    }

    fn finish(self, tracked: &[Tracked]) -> PeopleCounts {
        let name = |i: Option<usize>| i.map(|i| self.interner.strings[i].clone());
        let mut lifecycle: Vec<LifecycleCount> = self
            .lifecycle
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
mod tests;
