//! `POST /people/search`: one call, every visible employee, reduced to per-field counts.
//!
//! The answer is decoded as a stream: only the keys at the tracked JSON paths are looked at,
//! everything else is skipped without building a tree, and no value is kept.
//! Key absent = not readable (or unknown field); key present with null = readable, no data.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::json;

use super::DecodeError;
use crate::client::ApiRequest;
use crate::observations::{FieldCatalog, FieldCounts, PeopleCounts};
use crate::rules::Rules;

pub const PATH: &str = "/people/search";

/// The field IDs the search asks for: `root.id` and every field the rules need, once each.
pub fn requested_fields(rules: &Rules) -> Vec<String> {
    let mut fields = vec!["root.id".to_string()];
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

/// The rules' fields that the metadata knows, with their JSON paths.
pub fn tracked_fields(rules: &Rules, catalog: &FieldCatalog) -> Vec<Tracked> {
    let mut out: Vec<Tracked> = Vec::new();
    for f in &rules.fields {
        if let Some(meta) = catalog.get(&f.id)
            && !out.iter().any(|t| t.field_id == f.id)
        {
            out.push(Tracked {
                field_id: f.id.clone(),
                json_path: meta.json_path.clone(),
            });
        }
    }
    out
}

/// Per employee: what was seen for one tracked field.
const ABSENT: u8 = 0;
const EMPTY: u8 = 1;
const VALUE: u8 = 2;

/// The tracked JSON paths as a tree of keys; node 0 is the employee record.
struct Trie {
    nodes: Vec<Node>,
    /// Slash keys at the record's top level (`/work/title`), present only for non-null values.
    slash: HashMap<String, usize>,
}

#[derive(Default)]
struct Node {
    children: HashMap<String, usize>,
    slots: Vec<usize>,
}

impl Trie {
    fn build(tracked: &[Tracked]) -> Self {
        let mut trie = Trie {
            nodes: vec![Node::default()],
            slash: HashMap::new(),
        };
        for (slot, t) in tracked.iter().enumerate() {
            let mut node = 0;
            for key in t.json_path.split('.').filter(|k| !k.is_empty()) {
                node = match trie.nodes[node].children.get(key) {
                    Some(&next) => next,
                    None => {
                        let next = trie.nodes.len();
                        trie.nodes.push(Node::default());
                        trie.nodes[node].children.insert(key.to_string(), next);
                        next
                    }
                };
            }
            if node != 0 {
                trie.nodes[node].slots.push(slot);
            }
            trie.slash
                .insert(format!("/{}", t.field_id.replace('.', "/")), slot);
        }
        trie
    }
}

/// Decodes a search answer into counts for `tracked`.
pub fn decode(body: &mut dyn Read, tracked: &[Tracked]) -> Result<PeopleCounts, DecodeError> {
    let trie = Trie::build(tracked);
    let mut tally = Tally {
        employees: 0,
        counts: vec![FieldCounts::default(); tracked.len()],
        seen: vec![ABSENT; tracked.len()],
    };
    let mut de = serde_json::Deserializer::from_reader(body);
    TopSeed {
        trie: &trie,
        tally: &mut tally,
    }
    .deserialize(&mut de)
    .map_err(|e| DecodeError::from_json(&e))?;
    de.end().map_err(|e| DecodeError::from_json(&e))?;
    Ok(PeopleCounts {
        employees: tally.employees,
        fields: tracked
            .iter()
            .zip(tally.counts)
            .map(|(t, c)| (t.field_id.clone(), c))
            .collect(),
    })
}

struct Tally {
    employees: u64,
    counts: Vec<FieldCounts>,
    /// The current employee's state per slot.
    seen: Vec<u8>,
}

impl Tally {
    fn mark(&mut self, slot: usize, state: u8) {
        if let Some(s) = self.seen.get_mut(slot) {
            *s = (*s).max(state);
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
    }
}

/// The answer's top level: `{"employees": [...]}` (a bare array is accepted too).
struct TopSeed<'a> {
    trie: &'a Trie,
    tally: &'a mut Tally,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with an `employees` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(is_employees) = map.next_key_seed(NameIs("employees"))? {
            if is_employees {
                map.next_value_seed(EmployeesSeed {
                    trie: self.trie,
                    tally: &mut *self.tally,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        EmployeesSeed {
            trie: self.trie,
            tally: self.tally,
        }
        .visit_seq(seq)
    }
}

/// A map key compared with one name, without allocating.
struct NameIs(&'static str);

impl<'de> DeserializeSeed<'de> for NameIs {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
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
    Other,
}

struct KeySeed<'a> {
    trie: &'a Trie,
    node: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        if let Some(&child) = self.trie.nodes[self.node].children.get(v) {
            return Ok(Key::Child(child));
        }
        if self.node == 0
            && let Some(&slot) = self.trie.slash.get(v)
        {
            return Ok(Key::Slash(slot));
        }
        Ok(Key::Other)
    }
}

/// A value at a trie node: an employee record (node 0) or a value on a tracked path.
struct NodeSeed<'a> {
    trie: &'a Trie,
    node: usize,
    tally: &'a mut Tally,
}

impl NodeSeed<'_> {
    fn mark(&mut self, state: u8) {
        for &slot in &self.trie.nodes[self.node].slots {
            self.tally.mark(slot, state);
        }
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.node == 0 {
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
        })? {
            match key {
                Key::Child(child) => map.next_value_seed(NodeSeed {
                    trie,
                    node: child,
                    tally: &mut *self.tally,
                })?,
                Key::Slash(slot) => {
                    self.tally.mark(slot, VALUE);
                    map.next_value::<IgnoredAny>()?;
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
        Ok(())
    }

    fn visit_bool<E: de::Error>(mut self, _: bool) -> Result<(), E> {
        self.mark(VALUE);
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, _: i64) -> Result<(), E> {
        self.mark(VALUE);
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, _: u64) -> Result<(), E> {
        self.mark(VALUE);
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
            assert!(!err.0.contains("SENTINEL"), "{body}: {}", err.0);
        }
    }
}
