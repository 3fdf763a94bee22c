//! The serde visitors that walked a search answer before the scanner: kept as the reference
//! the tests compare the scanner with.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::*;

/// Parses one whole answer with serde_json and the visitors below.
pub(super) fn reference(
    bytes: &[u8],
    trie: &Trie,
    tracked: &[Tracked],
) -> Result<PeopleCounts, serde_json::Error> {
    let mut tally = Tally::new(tracked.len());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    TopSeed {
        trie,
        tally: &mut tally,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(tally.finish(tracked))
}

/// The answer's top level: `{"employees": [...]}` (a bare array is accepted too).
pub(super) struct TopSeed<'a> {
    pub(super) trie: &'a Trie,
    pub(super) tally: &'a mut Tally,
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
