//! The tutors' guide explains every message the compiler can give: a code
//! added to the compiler without an entry in the guide fails here.

use std::collections::BTreeSet;
use std::path::Path;

/// Every diagnostic code written in the compiler's and the CLI's source.
fn codes_in_source() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut codes = BTreeSet::new();
    for dir in ["src/course", "src/cli"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Codes are the code argument of these calls, or a `code:` field.
            for marker in [
                ".error(",
                ".warning(",
                "about_file(",
                "requirement_error(",
                "code: ",
                "parse_table(",
            ] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    let rest = if marker == "parse_table(" {
                        // parse_table(text, base, "code", ...)
                        rest.splitn(3, ',').nth(2).unwrap_or("")
                    } else if marker == "about_file(" || marker == "requirement_error(" {
                        rest.split_once(',').map_or("", |(_, r)| r)
                    } else {
                        rest
                    };
                    let rest = rest.trim_start();
                    if let Some(quoted) = rest.strip_prefix('"')
                        && let Some((code, _)) = quoted.split_once('"')
                        && !code.is_empty()
                        && code
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                        && code.contains('-')
                    {
                        codes.insert(code.to_string());
                    }
                }
            }
        }
    }
    codes
}

#[test]
fn every_diagnostic_code_is_explained_in_the_authoring_guide() {
    let codes = codes_in_source();
    assert!(
        codes.len() > 40,
        "the scan should find the compiler's codes, found {codes:?}"
    );
    for known in [
        "no-correct-option",
        "raw-html",
        "not-utf8",
        "requires-cycle",
        "unknown-key",
        "gift-import",
    ] {
        assert!(codes.contains(known), "the scan missed {known}");
    }
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/authoring-guide.md"),
    )
    .unwrap();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| !guide.contains(&format!("#### `{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes with no entry (#### `code`) in docs/authoring-guide.md: {missing:?}"
    );
}
