//! Which People's-data categories and fields are sensitive, and who says so: `check --excess`
//! warns louder about them, and a category's stand-in field is never a sensitive one. Pure
//! knowledge: no I/O, no dependency.
//!
//! The sensitive list and where each word of it comes from are documented in
//! docs/findings.md (`category-not-needed`) and docs/permissions.md.

/// Who says a category is sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// HiBob's OAuth scope `employee_data.sensitive:read` covers "EEO, Financial, Bands,
    /// Payroll, UK tax, Equity, Identification, Analytics" (apidocs.hibob.com, scopes page).
    HiBob,
    /// This tool's choice: data about an employee's private life, pay, bank details and health.
    Tool,
}

/// A word that makes a category sensitive when its display name (or ID) holds it as a whole
/// word, case-insensitively: out-of-the-box and custom categories alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensitiveWord {
    pub word: &'static str,
    pub authority: Authority,
}

const fn hibob(word: &'static str) -> SensitiveWord {
    SensitiveWord {
        word,
        authority: Authority::HiBob,
    }
}

const fn tool(word: &'static str) -> SensitiveWord {
    SensitiveWord {
        word,
        authority: Authority::Tool,
    }
}

/// The words, HiBob's first. "Analytics" is HiBob's word for People analytics; "tax" stands
/// for HiBob's "UK tax".
pub const SENSITIVE_WORDS: &[SensitiveWord] = &[
    hibob("eeo"),
    hibob("financial"),
    hibob("bands"),
    hibob("payroll"),
    hibob("tax"),
    hibob("equity"),
    hibob("identification"),
    hibob("analytics"),
    tool("address"),
    tool("home"),
    tool("personal"),
    tool("compensation"),
    tool("salary"),
    tool("salaries"),
    tool("bank"),
    tool("medical"),
    tool("health"),
];

/// HiBob's own sentence for its sensitive categories, quoted where a finding explains itself.
pub const HIBOB_SCOPE: &str = "employee_data.sensitive:read";

/// Words of a name or ID, lower case: split at anything but letters and digits, and where a
/// lower-case letter meets an upper-case one (`personalContact`, `birthDate`).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut lower_before = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            lower_before = false;
            continue;
        }
        if c.is_uppercase() && lower_before && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        lower_before = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Why a category is sensitive: the first word of [`SENSITIVE_WORDS`] its display name or ID
/// holds, or `None`.
pub fn sensitive_category(id: &str, name: &str) -> Option<SensitiveWord> {
    let mut all = words(name);
    all.extend(words(id));
    SENSITIVE_WORDS
        .iter()
        .find(|w| all.iter().any(|x| x == w.word))
        .copied()
}

/// Words of a field's ID or name that mark a sensitive field (national and tax identifiers,
/// bank details, birth date and age, pay, health): `check --excess` asks for another field of
/// the category when it has one. HiBob used to return some of them (SSN, full birth date, age)
/// only with "Edit" too, so another field also judges the category more reliably.
const SENSITIVE_FIELD_WORDS: &[&str] = &[
    "ssn",
    "passport",
    "iban",
    "swift",
    "birth",
    "birthday",
    "age",
    "salary",
    "ethnicity",
    "religion",
    "disability",
    "medical",
    "health",
    "gender",
];

/// Pairs of adjacent words that mark a sensitive field.
const SENSITIVE_FIELD_PAIRS: &[(&str, &str)] = &[
    ("social", "security"),
    ("national", "id"),
    ("tax", "id"),
    ("account", "number"),
    ("routing", "number"),
];

/// Whether a field looks sensitive by its ID or its name in the metadata.
pub fn sensitive_field(id: &str, name: Option<&str>) -> bool {
    [Some(id), name].into_iter().flatten().any(|text| {
        let w = words(text);
        w.iter()
            .any(|x| SENSITIVE_FIELD_WORDS.contains(&x.as_str()))
            || w.windows(2).any(|pair| {
                SENSITIVE_FIELD_PAIRS
                    .iter()
                    .any(|(a, b)| pair[0] == *a && pair[1] == *b)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_split_into_words() {
        assert_eq!(words("personalContact"), ["personal", "contact"]);
        assert_eq!(
            words("Personal contact details"),
            ["personal", "contact", "details"]
        );
        assert_eq!(words("identification.ssn"), ["identification", "ssn"]);
        assert_eq!(
            words("category_1720508362305"),
            ["category", "1720508362305"]
        );
        assert_eq!(words("EEO"), ["eeo"]);
    }

    #[test]
    fn sensitive_categories_by_word() {
        for (id, name, word) in [
            ("payroll", "Payroll", "payroll"),
            ("eeo", "EEO", "eeo"),
            ("identification", "Identification", "identification"),
            ("financial", "Financial", "financial"),
            ("peopleAnalytics", "People analytics", "analytics"),
            ("personalContact", "Personal contact details", "personal"),
            ("home", "Home", "home"),
            ("address", "Address", "address"),
            ("category_17", "Bank accounts (EU)", "bank"),
            ("category_18", "UK tax", "tax"),
            ("category_19", "Compensation", "compensation"),
        ] {
            assert_eq!(
                sensitive_category(id, name).map(|w| w.word),
                Some(word),
                "{name}"
            );
        }
        for (id, name) in [
            ("work", "Work"),
            ("root", "Basic info"),
            ("about", "About"),
            ("workContact", "Work contact details"),
            ("category_20", "T-shirt sizes"),
            ("training", "Training"),
        ] {
            assert_eq!(sensitive_category(id, name), None, "{name}");
        }
        assert_eq!(
            sensitive_category("payroll", "Payroll").map(|w| w.authority),
            Some(Authority::HiBob)
        );
        assert_eq!(
            sensitive_category("home", "Home").map(|w| w.authority),
            Some(Authority::Tool)
        );
    }

    #[test]
    fn sensitive_fields_by_word() {
        for id in [
            "identification.ssn",
            "personal.birthDate",
            "financial.iban",
            "category_1.socialSecurityNumber",
            "payroll.salary.base",
            "home.gender",
        ] {
            assert!(sensitive_field(id, None), "{id}");
        }
        assert!(sensitive_field("category_1.field_2", Some("Tax ID")));
        for id in [
            "personal.nationality",
            "work.title",
            "home.maritalStatus",
            "about.hobbies",
            "root.businessName",
            "work.manager",
        ] {
            assert!(!sensitive_field(id, None), "{id}");
        }
    }
}
