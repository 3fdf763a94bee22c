//! The people search's decoder: the answer scanned while it is read, and reduced to counts per
//! tracked field and lifecycle tallies.

mod feed;
mod scan;
#[cfg(test)]
mod visit;
mod walk;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use super::{ID, LIFECYCLE, STATUS, Tracked};
use crate::observations::{FieldCounts, LifecycleCount, PeopleCounts};
use crate::probes::DecodeError;

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
    /// One of the slots keeps its value (an ID, a lifecycle value or label, a status).
    captures: bool,
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
#[cfg(test)]
mod compare;
