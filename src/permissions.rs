//! HiBob's UI words for every permission the audit names. One place, so fixes read alike.

/// The path to a permission group, as an admin clicks it.
pub(crate) const GROUP_PATH: &str = "Settings > Permission groups > (the service user's group)";

/// "People's data > People > {Category} > View selected employees' {Category} sections".
pub(crate) fn category_view(category: &str) -> String {
    format!("People's data > People > {category} > View selected employees' {category} sections")
}

/// "People's data > People > {Category} > View selected employees' {Category} section histories".
pub(crate) fn category_history(category: &str) -> String {
    format!(
        "People's data > People > {category} > View selected employees' {category} section histories"
    )
}

/// "People's data > Docs > {Folder} > View selected employees' docs in the folder".
pub(crate) fn docs_view(folder: &str) -> String {
    format!("People's data > Docs > {folder} > View selected employees' docs in the folder")
}

/// How to tick a category's View permission, step by step.
pub(crate) fn category_fix(category: &str) -> String {
    format!(
        "In HiBob, open {GROUP_PATH} > People's data, and under People > {category} tick \"View selected employees' {category} sections\"; then Save."
    )
}

/// Field-level permissions, which newer tenants have beside the per-category boxes.
pub(crate) const FIELD_LEVEL: &str = "People's data > People's fields (field-level permissions)";

/// Where the group's people condition is set.
pub(crate) const ACCESS_RIGHTS: &str =
    "People's data > Access rights (\"Whose data can members access?\")";

/// A time-off permission: where it sits, and the checkbox's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoffPermission {
    /// The tab and section, e.g. "People's data > Time off > Balance".
    pub section: &'static str,
    /// The checkbox, in HiBob's words.
    pub checkbox: &'static str,
}

impl TimeoffPermission {
    /// "Section > \"Checkbox\"".
    pub fn path(self) -> String {
        format!("{} > \"{}\"", self.section, self.checkbox)
    }

    /// Whether a guide's words name this box: they hold its checkbox's words or its section's
    /// last part ("Balance"), ignoring case, punctuation and "Timeoff" for "Time off".
    pub(crate) fn named_by(self, words: &str) -> bool {
        let words = plain(words);
        let last = self.section.rsplit(" > ").next().unwrap_or(self.section);
        words.contains(&plain(self.checkbox)) || words.contains(&plain(last))
    }

    pub fn fix(self) -> String {
        format!(
            "In HiBob, open {GROUP_PATH} > {}, tick \"{}\"; then Save.",
            self.section, self.checkbox
        )
    }
}

/// Lower case, letters and digits only, single spaces; "timeoff" as "time off".
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "who's" and "who’s" alike: apostrophes vanish.
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.replace("timeoff", "time off").trim().to_string()
}

pub(crate) const WHOS_OUT: TimeoffPermission = TimeoffPermission {
    section: "People's data > Time off > See who's out today",
    checkbox: "See who's out",
};

pub(crate) const PRIVATE_POLICY: TimeoffPermission = TimeoffPermission {
    section: "People's data > Time off > See who's out today",
    checkbox: "See who's out because of private policy",
};

pub(crate) const PENDING_REQUESTS: TimeoffPermission = TimeoffPermission {
    section: "People's data > Time off > Requests",
    checkbox: "Create, edit and cancel people's requests that haven't been approved yet",
};

pub(crate) const BALANCE: TimeoffPermission = TimeoffPermission {
    section: "People's data > Time off > Balance",
    checkbox: "See selected people's time off and sick leave balances",
};

pub(crate) const TIMEOFF_SETTINGS: TimeoffPermission = TimeoffPermission {
    section: "Features > Time off > Settings",
    checkbox: "Manage company's time off settings",
};

/// Where a lifecycle status is added to the group's people condition.
pub(crate) fn lifecycle_condition(status: &str) -> String {
    format!("{ACCESS_RIGHTS} > Select people by condition > Lifecycle status > {status}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guide_names_a_box_by_its_words_or_its_section() {
        assert!(WHOS_OUT.named_by("People > See who’s out today | Timeoff"));
        assert!(BALANCE.named_by("People > Balance | Timeoff"));
        assert!(!WHOS_OUT.named_by("People > Requests | Timeoff"));
        assert!(!TIMEOFF_SETTINGS.named_by(
            "select all permissions from People and Timeoff category in the Features tab"
        ));
    }
}
