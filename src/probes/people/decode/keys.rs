//! The keys a scanner looks for at one place of an employee record, found by their length
//! first: most keys of a record are compared with one candidate at most.

use super::same;

/// What a key found stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// A child in the tree of tracked paths.
    Child(usize),
    /// A slash key (`/work/title`) of a tracked field: its slot.
    Slash(usize),
    /// The record's `humanReadable` copy.
    HumanReadable,
}

#[derive(Default)]
pub(super) struct Keys {
    by_len: Vec<Vec<(Box<[u8]>, Target)>>,
}

impl Keys {
    /// Adds a key, unless it is there already (the first one added wins).
    pub(super) fn insert(&mut self, key: &[u8], target: Target) {
        if self.get(key).is_some() {
            return;
        }
        if self.by_len.len() <= key.len() {
            self.by_len.resize_with(key.len() + 1, Vec::new);
        }
        if let Some(list) = self.by_len.get_mut(key.len()) {
            list.push((key.into(), target));
        }
    }

    #[inline(always)]
    pub(super) fn get(&self, key: &[u8]) -> Option<Target> {
        let list = self.by_len.get(key.len())?;
        list.iter()
            .find(|(k, _)| same(k, key))
            .map(|&(_, target)| target)
    }
}
