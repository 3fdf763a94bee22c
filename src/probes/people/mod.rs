//! `POST /people/search`: one call, every visible employee, reduced to per-field counts and
//! lifecycle tallies.
//!
//! The answer is decoded by `decode`: only the keys at the tracked JSON paths are looked at,
//! everything else is skipped without building a tree, and no value is kept except the
//! lifecycle labels and one employee ID for the per-employee probes.
//! Key absent = not readable (or unknown field); key present with null = readable, no data.

mod decode;

pub use decode::decode;

use serde_json::json;

use crate::client::ApiRequest;
use crate::observations::FieldCatalog;
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
