//! `GET /company/people/fields`: needs no permission, proves host and credentials, and maps
//! every field ID to its category and JSON path in this tenant.

use std::io::Read;

use serde_json::Value;

use super::DecodeError;
use crate::client::ApiRequest;
use crate::observations::{FieldCatalog, FieldMeta};

pub const PATH: &str = "/company/people/fields";

pub fn request() -> ApiRequest {
    ApiRequest::get(PATH)
}

/// Decodes the metadata: a top-level array, or `{"fields": [...]}`. Entries without an `id`
/// are skipped; a missing category name falls back to the category ID.
pub fn decode(body: &mut dyn Read) -> Result<FieldCatalog, DecodeError> {
    let value: Value = serde_json::from_reader(body).map_err(|e| DecodeError::from_json(&e))?;
    let entries = match &value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("fields") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(DecodeError::new(
                    "the field metadata holds no `fields` array",
                ));
            }
        },
        _ => {
            return Err(DecodeError::new(
                "the field metadata is neither an array nor an object",
            ));
        }
    };
    let mut catalog = FieldCatalog::default();
    for entry in entries {
        if let Some(meta) = field(entry) {
            catalog.fields.insert(meta.id.clone(), meta);
        }
    }
    Ok(catalog)
}

fn text(entry: &Value, key: &str) -> Option<String> {
    entry
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn field(entry: &Value) -> Option<FieldMeta> {
    let id = text(entry, "id")?;
    let category_id = text(entry, "categoryId").or_else(|| text(entry, "category"));
    let category_name = text(entry, "categoryDisplayName")
        .or_else(|| category_id.clone())
        .unwrap_or_else(|| "(no category)".to_string());
    let json_path = text(entry, "jsonPath").unwrap_or_else(|| default_json_path(&id));
    Some(FieldMeta {
        name: text(entry, "name"),
        category_id: category_id.unwrap_or_default(),
        category_name,
        json_path,
        id,
    })
}

/// Where HiBob puts a field whose metadata names no `jsonPath`: root fields at the top level.
pub(crate) fn default_json_path(id: &str) -> String {
    id.strip_prefix("root.").unwrap_or(id).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_array_and_object_forms() {
        let array = r#"[{"id":"root.email","categoryId":"root","categoryDisplayName":"Basic info","jsonPath":"email"},
                        {"name":"no id"},
                        {"id":"work.custom","category":"category_17"}]"#;
        let c = decode(&mut array.as_bytes()).unwrap();
        assert_eq!(c.fields.len(), 2);
        assert_eq!(c.get("root.email").unwrap().category_name, "Basic info");
        let custom = c.get("work.custom").unwrap();
        assert_eq!(
            (custom.category_name.as_str(), custom.json_path.as_str()),
            ("category_17", "work.custom")
        );

        let object = r#"{"fields":[{"id":"root.firstName","categoryDisplayName":"Basic info"}]}"#;
        let c = decode(&mut object.as_bytes()).unwrap();
        assert_eq!(c.get("root.firstName").unwrap().json_path, "firstName");
    }

    #[test]
    fn errors_never_quote_the_body() {
        let err = decode(&mut r#"{"fields": "SENTINEL"}"#.as_bytes()).unwrap_err();
        assert!(!err.message.contains("SENTINEL"));
        let err = decode(&mut r#"[{"id": "SENTINEL""#.as_bytes()).unwrap_err();
        assert!(!err.message.contains("SENTINEL"), "{}", err.message);
    }
}
