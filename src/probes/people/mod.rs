//! `POST /people/search`: one call, every visible employee, reduced to per-field counts and
//! lifecycle tallies.
//!
//! The answer is decoded by `decode`: only the keys at the tracked JSON paths are looked at,
//! everything else is skipped without building a tree, and no value is kept except the
//! lifecycle labels and one employee ID for the per-employee probes.
//! Key absent = not readable (or unknown field); key present with null = readable, no data.

mod decode;

pub use decode::decode;

use std::io::Read;

use serde_json::json;

use super::Needs;
use super::needs::Excess;
use crate::client::ApiRequest;
use crate::client::body::DecodeError;
pub use crate::observations::field_ids::{ID, LIFECYCLE, STATUS};
use crate::observations::{FieldCatalog, FieldCounts, PeopleCounts};

pub const PATH: &str = "/people/search";

/// At most this many field IDs in the one search (HiBob takes 400).
pub(crate) const MAX_REQUESTED: usize = 400;

/// The field IDs the search asks for: `root.id`, the lifecycle fields when lifecycle coverage
/// is checked, every field needed, once each, and, once the metadata is known, the first few
/// fields of every category needed as a whole and, with `--excess`, one field of every other
/// category (of every category, for a recording). At most [`MAX_REQUESTED`].
pub(crate) fn requested_fields(needs: &Needs, catalog: Option<&FieldCatalog>) -> Vec<String> {
    let mut fields = vec![ID.to_string()];
    if needs.lifecycle {
        fields.push(LIFECYCLE.to_string());
    }
    // `internal.status` picks an active employee for the per-employee probes, so that every
    // profile, and a replay under any of them, asks about the same one.
    if needs.lifecycle || needs.per_employee() {
        fields.push(STATUS.to_string());
    }
    let mut add = |id: &str| {
        if fields.len() < MAX_REQUESTED && !fields.iter().any(|f| f == id) {
            fields.push(id.to_string());
        }
    };
    for f in &needs.fields {
        add(f);
    }
    if let Some(catalog) = catalog {
        for name in &needs.categories {
            for c in catalog.categories_named(name) {
                for s in &c.samples {
                    add(&s.id);
                }
            }
        }
        let extra = match needs.excess {
            Excess::Off => Vec::new(),
            Excess::Unneeded => needs.extra_categories(catalog),
            Excess::Every => catalog.categories.values().collect(),
        };
        for c in extra {
            if let Some(r) = &c.representative {
                add(&r.id);
            }
        }
    }
    fields
}

/// The one people search. No `filters` key: HiBob may answer 400 to an empty one.
pub fn request(fields: &[String]) -> ApiRequest {
    ApiRequest::post(
        PATH,
        json!({
            "fields": fields,
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
pub(crate) fn tracked_fields(requested: &[String], catalog: &FieldCatalog) -> Vec<Tracked> {
    requested
        .iter()
        .cloned()
        .filter_map(|id| {
            let path = match catalog.meta(&id) {
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

/// Decodes a search answer with [`decode`], but for a blank body (nothing, or only
/// whitespace): HiBob answers a group that may read no People's-data category with "200 and no
/// data", which is no visible employee, not malformed JSON.
pub fn decode_answer(
    body: &mut dyn Read,
    tracked: &[Tracked],
) -> Result<PeopleCounts, DecodeError> {
    match crate::client::body::non_blank(body)? {
        Some(mut rest) => decode(&mut rest, tracked),
        None => Ok(PeopleCounts {
            fields: tracked
                .iter()
                .map(|t| (t.field_id.clone(), FieldCounts::default()))
                .collect(),
            ..PeopleCounts::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracked() -> Vec<Tracked> {
        vec![Tracked {
            field_id: "work.title".into(),
            json_path: "work.title".into(),
        }]
    }

    #[test]
    fn a_blank_answer_is_no_employee() {
        for body in ["", "  \r\n"] {
            let counts = decode_answer(&mut body.as_bytes(), &tracked()).expect("decoded");
            assert_eq!(counts.employees, 0);
            assert_eq!(counts.fields["work.title"], FieldCounts::default());
        }
    }

    #[test]
    fn a_non_blank_answer_is_decoded_whole() {
        let body = r#" {"employees":[{"id":"1","work":{"title":null}}]}"#;
        let counts = decode_answer(&mut body.as_bytes(), &tracked()).expect("decoded");
        assert_eq!(counts.employees, 1);
        assert_eq!(counts.fields["work.title"].empty, 1);
        assert!(decode_answer(&mut &b"{\"employees\":["[..], &tracked()).is_err());
    }
}
