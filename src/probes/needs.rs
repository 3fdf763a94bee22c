//! What the probes must find out, whatever the rules call it: field IDs, whole categories,
//! lifecycle statuses, time-off capabilities, employee tables and docs. The rules of one
//! audit give one set; a recording asks for every shipped profile's at once, so that it can
//! be replayed under any of them.

use std::collections::BTreeSet;

use crate::observations::{CategoryMeta, EmployeeTable, FieldCatalog, field_ids};
use crate::rules::{Rules, TimeoffCapability, profiles};

/// `check --excess`: whether the audit also looks at what is granted beyond the needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Excess {
    /// Not asked: the probes are exactly the needs'.
    #[default]
    Off,
    /// One field of every category the needs do not read, and the time-off boxes they do not
    /// need where the plain who's-out call runs anyway.
    Unneeded,
    /// As `Unneeded`, but one field of every category, needed or not: a recording, which
    /// replays under any profile with `--excess`.
    Every,
}

impl Excess {
    pub fn on(self) -> bool {
        self != Excess::Off
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Field IDs, in the rules' order, each once.
    pub fields: Vec<String>,
    /// Whole categories, by the rules' names.
    pub categories: Vec<String>,
    /// Lifecycle statuses are checked: the search asks for the lifecycle fields.
    pub lifecycle: bool,
    pub timeoff: BTreeSet<TimeoffCapability>,
    /// Policy type names for the balance probe, when the policy types cannot be read.
    pub policy_types: Vec<String>,
    pub tables: BTreeSet<EmployeeTable>,
    pub docs: bool,
    /// `check --excess`; never set by the rules.
    pub excess: Excess,
}

fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x.eq_ignore_ascii_case(item)) {
        list.push(item.to_string());
    }
}

impl Needs {
    /// The categories (by their key in [`FieldCatalog::categories`]) that the needs read: those of
    /// the fields the rules name (as this tenant's metadata files them), those named as a whole,
    /// Lifecycle when lifecycle statuses are checked, and those whose section histories are read.
    pub fn categories_read(&self, catalog: &FieldCatalog) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let lifecycle = [field_ids::LIFECYCLE, field_ids::STATUS];
        let by_field = self
            .fields
            .iter()
            .map(String::as_str)
            .chain(lifecycle.into_iter().filter(|_| self.lifecycle));
        for id in by_field {
            if let Some(meta) = catalog.meta(id) {
                out.insert(meta.category_key().to_string());
            }
        }
        let by_name = self
            .categories
            .iter()
            .map(String::as_str)
            .chain(self.tables.iter().map(|t| t.category()));
        for name in by_name {
            for c in catalog.categories_named(name) {
                out.insert(c.id.clone());
            }
        }
        out
    }

    /// The tenant's categories that the needs do not read, in the catalog's order. A category
    /// with no field but `root.id` (which HiBob returns without any permission) is left out: no
    /// field could show whether it is granted.
    pub fn extra_categories<'c>(&self, catalog: &'c FieldCatalog) -> Vec<&'c CategoryMeta> {
        let needed = self.categories_read(catalog);
        catalog
            .categories
            .values()
            .filter(|c| !needed.contains(&c.id) && c.representative.is_some())
            .collect()
    }

    pub fn of(rules: &Rules) -> Self {
        let mut n = Needs::default();
        for f in &rules.fields {
            if !n.fields.contains(&f.id) {
                n.fields.push(f.id.clone());
            }
        }
        for c in &rules.categories {
            push_new(&mut n.categories, &c.name);
        }
        n.lifecycle = rules.lifecycle.is_some();
        if let Some(t) = &rules.timeoff {
            n.timeoff = t.capabilities().collect();
            n.policy_types = t.policy_types.clone();
        }
        n.tables = rules.histories.iter().map(|h| h.table).collect();
        n.docs = rules.docs.is_some();
        n
    }

    /// Adds what `other` needs.
    pub fn add(&mut self, other: &Needs) {
        for f in &other.fields {
            if !self.fields.contains(f) {
                self.fields.push(f.clone());
            }
        }
        for c in &other.categories {
            push_new(&mut self.categories, c);
        }
        self.lifecycle |= other.lifecycle;
        self.timeoff.extend(other.timeoff.iter().copied());
        for p in &other.policy_types {
            push_new(&mut self.policy_types, p);
        }
        self.tables.extend(other.tables.iter().copied());
        self.docs |= other.docs;
    }

    /// What a recording asks for: these rules' needs and every shipped profile's, so that the
    /// recording replays under any of them.
    pub fn for_recording(rules: &Rules) -> Self {
        let mut n = Needs::of(rules);
        for p in profiles::PROFILES {
            if let Ok(r) = profiles::load(p) {
                n.add(&Needs::of(&r));
            }
        }
        n
    }

    pub fn wants(&self, cap: TimeoffCapability) -> bool {
        self.timeoff.contains(&cap)
    }

    /// Whether a probe asks about one visible employee (a table, the docs, a balance).
    pub fn per_employee(&self) -> bool {
        !self.tables.is_empty() || self.docs || self.wants(TimeoffCapability::Balance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_needs_every_shipped_profile() {
        let rules = profiles::load(&profiles::PROFILES[0]).unwrap_or_else(|e| panic!("{e}"));
        let one = Needs::of(&rules);
        let all = Needs::for_recording(&rules);
        for p in profiles::PROFILES {
            let r = profiles::load(p).unwrap_or_else(|e| panic!("{e}"));
            let n = Needs::of(&r);
            assert!(
                n.fields.iter().all(|f| all.fields.contains(f)),
                "{}",
                p.name
            );
            assert!(n.timeoff.is_subset(&all.timeoff), "{}", p.name);
            assert!(n.tables.is_subset(&all.tables), "{}", p.name);
        }
        assert!(one.fields.len() <= all.fields.len());
    }
}
