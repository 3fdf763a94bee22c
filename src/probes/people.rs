//! `POST /people/search`: one call, every visible employee, reduced to per-field counts and
//! lifecycle tallies.
//!
//! The answer is decoded as a stream: only the keys at the tracked JSON paths are looked at,
//! everything else is skipped without building a tree, and no value is kept except the
//! lifecycle labels and one employee ID for the balance probe.
//! Key absent = not readable (or unknown field); key present with null = readable, no data.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::json;

use super::DecodeError;
use crate::client::ApiRequest;
use crate::observations::{FieldCatalog, FieldCounts, LifecycleCount, PeopleCounts};
use crate::rules::Rules;

pub const PATH: &str = "/people/search";
pub const ID: &str = "root.id";
pub const LIFECYCLE: &str = "internal.lifecycleStatus";
pub const STATUS: &str = "internal.status";

/// The field IDs the search asks for: `root.id`, the lifecycle fields when the rules check
/// lifecycle coverage, and every field the rules need, once each.
pub fn requested_fields(rules: &Rules) -> Vec<String> {
    let mut fields = vec![ID.to_string()];
    if rules.lifecycle.is_some() {
        fields.push(LIFECYCLE.to_string());
        fields.push(STATUS.to_string());
    }
    for f in &rules.fields {
        if !fields.contains(&f.id) {
            fields.push(f.id.clone());
        }
    }
    fields
}

/// The one people search. No `filters` key: HiBob may answer 400 to an empty one.
pub fn request(rules: &Rules) -> ApiRequest {
    ApiRequest::post(
        PATH,
        json!({
            "fields": requested_fields(rules),
            "showInactive": true,
            "humanReadable": "APPEND",
        }),
    )
}

/// A field to count, with where its value sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    pub field_id: String,
    pub json_path: String,
}

/// The requested fields with their JSON paths. Fields the metadata does not know are left
/// out, except the three the audit itself needs, which fall back to HiBob's usual paths.
pub fn tracked_fields(rules: &Rules, catalog: &FieldCatalog) -> Vec<Tracked> {
    requested_fields(rules)
        .into_iter()
        .filter_map(|id| {
            let path = match catalog.get(&id) {
                Some(meta) => meta.json_path.clone(),
                None if [ID, LIFECYCLE, STATUS].contains(&id.as_str()) => {
                    super::metadata::default_json_path(&id)
                }
                None => return None,
            };
            // Root fields sit at the top level; tolerate a metadata path that says `root.`.
            let json_path = match path.strip_prefix("root.") {
                Some(rest) if id.starts_with("root.") => rest.to_string(),
                _ => path,
            };
            Some(Tracked {
                field_id: id,
                json_path,
            })
        })
        .collect()
}

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

/// The answer's top level: `{"employees": [...]}` (a bare array is accepted too).
struct TopSeed<'a> {
    trie: &'a Trie,
    tally: &'a mut Tally,
}

/// Counts the answer's top-level keys (1 for a bare array).
impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with an `employees` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut keys = 0;
        while let Some(is_employees) = map.next_key_seed(NameIs("employees"))? {
            keys += 1;
            if is_employees {
                map.next_value_seed(EmployeesSeed {
                    trie: self.trie,
                    tally: &mut *self.tally,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(keys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<usize, A::Error> {
        EmployeesSeed {
            trie: self.trie,
            tally: self.tally,
        }
        .visit_seq(seq)?;
        Ok(1)
    }
}

/// A map key compared with one name, without allocating.
struct NameIs(&'static str);

impl<'de> DeserializeSeed<'de> for NameIs {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        // Keys as raw bytes: no UTF-8 validation of every key of every record.
        d.deserialize_bytes(self)
    }
}

impl<'de> Visitor<'de> for NameIs {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<bool, E> {
        Ok(v == self.0.as_bytes())
    }
}

struct EmployeesSeed<'a> {
    trie: &'a Trie,
    tally: &'a mut Tally,
}

impl<'de> DeserializeSeed<'de> for EmployeesSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EmployeesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of employee records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let seed = NodeSeed {
                trie: self.trie,
                node: 0,
                human: false,
                tally: &mut *self.tally,
            };
            match seq.next_element_seed(seed)? {
                Some(()) => self.tally.finish_employee(),
                None => return Ok(()),
            }
        }
    }
}

/// Which tracked key a map key is, if any.
enum Key {
    Child(usize),
    Slash(usize),
    HumanReadable,
    Other,
}

struct KeySeed<'a> {
    trie: &'a Trie,
    node: usize,
    human: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        // Keys as raw bytes: no UTF-8 validation of every key of every record.
        d.deserialize_bytes(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        self.visit_bytes(v.as_bytes())
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key, E> {
        if let Some(child) = find(&self.trie.nodes[self.node].children, v) {
            return Ok(Key::Child(child));
        }
        if self.node == 0 && !self.human {
            if v.first() == Some(&b'/')
                && let Some(slot) = find(&self.trie.slash, v)
            {
                return Ok(Key::Slash(slot));
            }
            if v == b"humanReadable" {
                return Ok(Key::HumanReadable);
            }
        }
        Ok(Key::Other)
    }
}

/// A slash key's value for a captured field: `{"value": ..., "humanReadable": ...}`.
struct SlashSeed<'a> {
    role: Role,
    tally: &'a mut Tally,
}

impl<'de> DeserializeSeed<'de> for SlashSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SlashSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a slash key's value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let human = match key.as_str() {
                "value" => false,
                "humanReadable" => true,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            match map.next_value::<serde_json::Value>()? {
                serde_json::Value::String(s) if !s.is_empty() => {
                    self.tally.capture(self.role, human, &s)
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
}

/// A value at a trie node: an employee record (node 0), a value on a tracked path, or (with
/// `human`) the same inside the record's `humanReadable` copy, which counts for labels only.
struct NodeSeed<'a> {
    trie: &'a Trie,
    node: usize,
    human: bool,
    tally: &'a mut Tally,
}

impl NodeSeed<'_> {
    fn mark(&mut self, state: u8) {
        if self.human {
            return;
        }
        for &slot in &self.trie.nodes[self.node].slots {
            self.tally.mark(slot, state);
        }
    }

    fn capture(&mut self, value: &str) {
        for &slot in &self.trie.nodes[self.node].slots {
            self.tally.capture(self.trie.roles[slot], self.human, value);
        }
    }

    fn child(&mut self, node: usize, human: bool) -> NodeSeed<'_> {
        NodeSeed {
            trie: self.trie,
            node,
            human,
            tally: &mut *self.tally,
        }
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.node == 0 && !self.human {
            d.deserialize_map(self)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an employee record")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.mark(VALUE);
        let trie = self.trie;
        while let Some(key) = map.next_key_seed(KeySeed {
            trie,
            node: self.node,
            human: self.human,
        })? {
            match key {
                Key::Child(child) => {
                    let human = self.human;
                    map.next_value_seed(self.child(child, human))?;
                }
                Key::HumanReadable => map.next_value_seed(self.child(0, true))?,
                Key::Slash(slot) => {
                    self.tally.mark(slot, VALUE);
                    if matches!(trie.roles[slot], Role::Lifecycle | Role::Status) {
                        // `{"value": "employed", "humanReadable": "Employed"}`: both count.
                        map.next_value_seed(SlashSeed {
                            role: trie.roles[slot],
                            tally: &mut *self.tally,
                        })?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0usize;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        self.mark(if n == 0 { EMPTY } else { VALUE });
        Ok(())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.mark(EMPTY);
        Ok(())
    }

    fn visit_none<E: de::Error>(mut self) -> Result<(), E> {
        self.mark(EMPTY);
        Ok(())
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        self.mark(if v.is_empty() { EMPTY } else { VALUE });
        if !v.is_empty() {
            self.capture(v);
        }
        Ok(())
    }

    fn visit_bool<E: de::Error>(mut self, _: bool) -> Result<(), E> {
        self.mark(VALUE);
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<(), E> {
        self.mark(VALUE);
        self.capture(&v.to_string());
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<(), E> {
        self.mark(VALUE);
        self.capture(&v.to_string());
        Ok(())
    }

    fn visit_f64<E: de::Error>(mut self, _: f64) -> Result<(), E> {
        self.mark(VALUE);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracked(pairs: &[(&str, &str)]) -> Vec<Tracked> {
        pairs
            .iter()
            .map(|(id, path)| Tracked {
                field_id: id.to_string(),
                json_path: path.to_string(),
            })
            .collect()
    }

    #[test]
    fn counts_presence_null_and_absence() {
        let body = r#"{"employees":[
            {"id":"3987598587553907167","email":"a@x","work":{"title":"T","employeeIdInCompany":null},
             "/root/email":{"value":"a@x"},"/work/title":{"value":"T"}},
            {"id":"2","work":{"employeeIdInCompany":""}},
            {"id":"3","email":null,"work":{"title":null,"employeeIdInCompany":null}}
        ]}"#;
        let t = tracked(&[
            ("root.email", "email"),
            ("work.title", "work.title"),
            ("work.employeeIdInCompany", "work.employeeIdInCompany"),
            ("work.department", "work.department"),
        ]);
        let c = decode(&mut body.as_bytes(), &t).unwrap();
        assert_eq!(c.employees, 3);
        let f = |id: &str| c.fields[id];
        assert_eq!(
            f("root.email"),
            FieldCounts {
                present: 2,
                absent: 1,
                empty: 1
            }
        );
        assert_eq!(
            f("work.title"),
            FieldCounts {
                present: 2,
                absent: 1,
                empty: 1
            }
        );
        assert_eq!(
            f("work.employeeIdInCompany"),
            FieldCounts {
                present: 3,
                absent: 0,
                empty: 3
            }
        );
        assert_eq!(
            f("work.department"),
            FieldCounts {
                present: 0,
                absent: 3,
                empty: 0
            }
        );
    }

    #[test]
    fn slash_key_alone_counts_as_present() {
        let body = r#"{"employees":[{"/work/title":{"value":"T"}}]}"#;
        let t = tracked(&[("work.title", "work.title")]);
        let c = decode(&mut body.as_bytes(), &t).unwrap();
        assert_eq!(
            c.fields["work.title"],
            FieldCounts {
                present: 1,
                absent: 0,
                empty: 0
            }
        );
    }

    #[test]
    fn human_readable_copy_does_not_count_as_presence() {
        let body = r#"{"employees":[{"id":"1","humanReadable":{"work":{"title":"T"}}}]}"#;
        let t = tracked(&[("work.title", "work.title")]);
        let c = decode(&mut body.as_bytes(), &t).unwrap();
        assert_eq!(c.fields["work.title"].absent, 1);
    }

    #[test]
    fn lifecycle_values_labels_and_an_active_sample_are_tallied() {
        let body = r#"{"employees":[
            {"id":"11","internal":{"lifecycleStatus":"hired","status":"Inactive"},
             "humanReadable":{"internal":{"lifecycleStatus":"Hired"}}},
            {"id":"22","internal":{"lifecycleStatus":"employed","status":"Active"},
             "humanReadable":{"internal":{"lifecycleStatus":"Employed"}}},
            {"id":"33","internal":{"lifecycleStatus":"employed","status":"Active"}},
            {"id":"44","work":{}}
        ]}"#;
        let t = tracked(&[
            ("root.id", "id"),
            ("internal.lifecycleStatus", "internal.lifecycleStatus"),
            ("internal.status", "internal.status"),
        ]);
        let c = decode(&mut body.as_bytes(), &t).unwrap();
        let seen: Vec<(Option<&str>, Option<&str>, u64)> = c
            .lifecycle
            .iter()
            .map(|l| (l.value.as_deref(), l.label.as_deref(), l.employees))
            .collect();
        assert_eq!(
            seen,
            [
                (Some("employed"), None, 1),
                (Some("employed"), Some("Employed"), 1),
                (Some("hired"), Some("Hired"), 1)
            ]
        );
        assert_eq!(c.statuses["Active"], 2);
        assert_eq!(c.statuses["Inactive"], 1);
        assert_eq!(c.sample_employee.as_deref(), Some("22"));
        assert_eq!(c.fields["internal.lifecycleStatus"].absent, 1);
    }

    /// A large answer, parsed on two threads, counts exactly as one thread does; and when the
    /// split near the middle falls inside a string or a nested array, the parse falls back to
    /// one thread, with the buffer restored.
    #[test]
    fn two_threads_count_as_one_does() {
        let t = tracked(&[
            ("root.id", "id"),
            ("root.email", "email"),
            ("work.title", "work.title"),
            ("internal.lifecycleStatus", "internal.lifecycleStatus"),
            ("internal.status", "internal.status"),
        ]);
        let trie = Trie::build(&t);
        let n = 60_000;
        for trap in ["", r#","a":"},{","#, r#","b":[{},{}],"#] {
            let records: Vec<String> = (0..n)
                .map(|i| {
                    let email = if i % 3 == 0 { "null".to_string() } else { format!("\"p{i}@x.test\"") };
                    let work = if i % 5 == 0 { String::new() } else { r#","work":{"title":"T"}"#.to_string() };
                    let status = if i % 7 == 0 { "Inactive" } else { "Active" };
                    // The trap sits at the start, the middle and the end of every record.
                    let pad = if trap.is_empty() { "," } else { trap };
                    format!(
                        r#"{{"x0":0{pad}"id":"{i}","email":{email}{work}{pad}"internal":{{"lifecycleStatus":"s{}","status":"{status}"}}{pad}"z":0}}"#,
                        i % 4
                    )
                })
                .collect();
            let body = format!(r#"{{"employees":[{}]}}"#, records.join(","));
            assert!(body.len() > PARALLEL_MIN);
            let one = parse(body.as_bytes(), &trie, &t).unwrap().0;
            let two = decode(&mut body.as_bytes(), &t).unwrap();
            assert_eq!(one, two, "trap `{trap}`");
            assert_eq!(two.employees, n as u64);
            let mut bytes = body.clone().into_bytes();
            let split = parallel(&mut bytes, &trie, &t);
            if trap.is_empty() {
                assert_eq!(
                    split.as_ref(),
                    Some(&one),
                    "the plain answer is parsed on two threads"
                );
            } else {
                assert!(split.is_none(), "trap `{trap}` must force the fallback");
                assert_eq!(bytes, body.as_bytes(), "the buffer is restored");
            }
        }
    }

    /// Another top-level array after the employees, split in its middle, must not be counted.
    #[test]
    fn a_split_in_another_top_level_array_falls_back() {
        let t = tracked(&[("root.id", "id")]);
        let trie = Trie::build(&t);
        let employees: Vec<String> = (0..1000).map(|i| format!(r#"{{"id":"{i}"}}"#)).collect();
        let meta = vec![r#"{"x":1}"#; 1_000_000].join(",");
        let body = format!(
            r#"{{"employees":[{}],"meta":[{meta}]}}"#,
            employees.join(",")
        );
        assert!(body.len() > PARALLEL_MIN);
        let mut bytes = body.clone().into_bytes();
        assert!(parallel(&mut bytes, &trie, &t).is_none());
        assert_eq!(bytes, body.as_bytes());
        assert_eq!(decode(&mut body.as_bytes(), &t).unwrap().employees, 1000);
    }

    #[test]
    fn slash_key_labels_count_for_lifecycle() {
        let body = r#"{"employees":[{"id":"1",
            "/internal/lifecycleStatus":{"value":"ls_9","humanReadable":"Parental leave"}}]}"#;
        let t = tracked(&[("internal.lifecycleStatus", "internal.lifecycleStatus")]);
        let c = decode(&mut body.as_bytes(), &t).unwrap();
        assert_eq!(c.lifecycle[0].value.as_deref(), Some("ls_9"));
        assert_eq!(c.lifecycle[0].label.as_deref(), Some("Parental leave"));
        assert_eq!(c.fields["internal.lifecycleStatus"].present, 1);
    }

    #[test]
    fn empty_answers_mean_no_employees() {
        let t = tracked(&[("work.title", "work.title")]);
        for body in [r#"{"employees":[]}"#, "{}", "[]"] {
            assert_eq!(
                decode(&mut body.as_bytes(), &t).unwrap().employees,
                0,
                "{body}"
            );
        }
    }

    #[test]
    fn bad_bodies_are_errors_that_quote_nothing() {
        let t = tracked(&[("work.title", "work.title")]);
        for body in [
            r#"{"employees":[{"work":{"title":"SENTINEL"#,
            r#"{"employees":["SENTINEL"]}"#,
            r#"{"employees":"SENTINEL"}"#,
            "<html>SENTINEL</html>",
            r#"{"employees":[]} SENTINEL"#,
        ] {
            let err = decode(&mut body.as_bytes(), &t).unwrap_err();
            assert!(!err.message.contains("SENTINEL"), "{body}: {}", err.message);
        }
    }
}
