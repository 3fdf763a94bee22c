//! HiBob's UI words for every permission the audit names. One place, so fixes read alike.

/// The path to a permission group, as an admin clicks it.
pub const GROUP_PATH: &str = "Settings > Permission groups > (the service user's group)";

/// "People's data > People > {Category} > View selected employees' {Category} sections".
pub fn category_view(category: &str) -> String {
    format!("People's data > People > {category} > View selected employees' {category} sections")
}

/// How to tick a category's View permission, step by step.
pub fn category_fix(category: &str) -> String {
    format!(
        "In HiBob, open {GROUP_PATH} > People's data, and under People > {category} tick \"View selected employees' {category} sections\"; then Save."
    )
}

/// Where the group's people condition is set.
pub const ACCESS_RIGHTS: &str =
    "People's data > Access rights (\"Whose data can members access?\")";
