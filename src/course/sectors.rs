//! The sectors courses are grouped by: the shipped seven, and those an
//! organisation adds, renames or reorders in `sectors.toml` beside its
//! courses (the file travels with the courses, so `presto check`, the
//! server and a backup all see the same list).
//!
//! ```toml
//! [[sector]]
//! id = "retail"
//! order = 60
//! [sector.name]
//! en = "Retail"
//! ar = "البيع بالتجزئة"
//! ```
//!
//! Read with positions like `course.toml`: every mistake is a diagnostic
//! at its line, and a file that cannot be read leaves the shipped sectors.

use std::collections::BTreeMap;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::diagnostics::{Diagnostic, FileDiagnostics};
use super::ids;
use super::settings::{parse_table, warn_unknown_keys};

/// The file's name, in the courses folder.
pub const SECTORS_FILE: &str = "sectors.toml";

/// The shipped sectors and their places; their names are the interface's
/// translations (`sector-<id>`). Gaps of ten leave room between them.
pub const SHIPPED: [(&str, i64); 7] = [
    ("hospitality", 10),
    ("care", 20),
    ("childcare", 30),
    ("construction", 40),
    ("warehousing", 50),
    ("english", 80),
    ("other", 90),
];

/// Where a sector with no `order` goes: after the shipped ones.
const DEFAULT_ORDER: i64 = 100;

/// The interface languages a sector may be named in.
fn interface_languages() -> Vec<&'static str> {
    crate::i18n::LANGUAGES.iter().map(|l| l.code).collect()
}

/// One sector: its id (what `course.toml` says), its place in lists, and
/// the names the organisation gave it by interface language (empty for a
/// shipped sector left as shipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorDef {
    pub id: String,
    pub order: i64,
    pub names: BTreeMap<String, String>,
}

impl SectorDef {
    /// The organisation's name in `language`, else its English name; None
    /// when it named the sector in no language (a shipped sector's name
    /// then comes from the interface's translations).
    pub fn configured_name(&self, language: &str) -> Option<&str> {
        self.names
            .get(language)
            .or_else(|| self.names.get("en"))
            .map(String::as_str)
    }
}

/// Every known sector, in the order lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sectors {
    list: Vec<SectorDef>,
}

impl Default for Sectors {
    /// The shipped sectors.
    fn default() -> Self {
        Sectors {
            list: SHIPPED
                .iter()
                .map(|&(id, order)| SectorDef {
                    id: id.to_string(),
                    order,
                    names: BTreeMap::new(),
                })
                .collect(),
        }
    }
}

impl Sectors {
    pub fn iter(&self) -> impl Iterator<Item = &SectorDef> {
        self.list.iter()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|s| s.id.as_str())
    }

    pub fn get(&self, id: &str) -> Option<&SectorDef> {
        self.list.iter().find(|s| s.id == id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// A sort key putting sectors in list order; an id not known (a course
    /// published under a sector since removed) goes last.
    pub fn rank(&self, id: &str) -> usize {
        self.list
            .iter()
            .position(|s| s.id == id)
            .unwrap_or(self.list.len())
    }

    /// The known ids, for a hint: `hospitality, care, ...`.
    pub fn id_list(&self) -> String {
        self.ids().collect::<Vec<_>>().join(", ")
    }

    /// The shipped sectors with `sectors.toml` (its text; `file` is how the
    /// tutor would name it) applied, and every problem found in it. A file
    /// that is not valid TOML gives the shipped sectors; a sector with a
    /// mistake is left out, the others kept.
    pub fn parse(text: &str, file: &str) -> (Sectors, Vec<Diagnostic>) {
        let mut sectors = Sectors::default();
        let mut diags = FileDiagnostics::new(file, text);
        if let Some(table) = parse_table(text, 0, "sectors-syntax", SECTORS_FILE, &mut diags) {
            sectors.apply(table.get_ref(), &mut diags);
        }
        (sectors, diags.found)
    }

    /// Reads `sectors.toml` from a courses folder (`shown` is how the
    /// folder is named to the tutor). No file: the shipped sectors.
    pub fn load(folder: &Path, shown: &str) -> (Sectors, Vec<Diagnostic>) {
        let file = match shown.trim_end_matches('/') {
            "" => SECTORS_FILE.to_string(),
            folder => format!("{folder}/{SECTORS_FILE}"),
        };
        match std::fs::read(folder.join(SECTORS_FILE)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Sectors::default(), Vec::new()),
            Err(e) => (
                Sectors::default(),
                vec![Diagnostic::about_file(
                    &file,
                    "sectors-unreadable",
                    format!("{SECTORS_FILE} cannot be read: {e}."),
                    "Check that the file is readable by the user Presto runs as.",
                )],
            ),
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                    Sectors::parse(text, &file)
                }
                Err(_) => (
                    Sectors::default(),
                    vec![Diagnostic::about_file(
                        &file,
                        "sectors-unreadable",
                        format!("{SECTORS_FILE} is not plain text (UTF-8)."),
                        "Save it as plain text, UTF-8, in a text editor.",
                    )],
                ),
            },
        }
    }

    fn apply(&mut self, table: &DeTable, diags: &mut FileDiagnostics) {
        warn_unknown_keys(table, &["sector"], SECTORS_FILE, diags);
        let Some(entries) = table.get("sector") else {
            return;
        };
        let Some(entries) = entries.get_ref().as_array() else {
            diags.error(
                "sectors-invalid",
                entries.span(),
                "`sector` must be a list of sectors, each starting with a `[[sector]]` line."
                    .to_string(),
                "Write each sector as a `[[sector]]` line, then `id = \"retail\"`, then `[sector.name]` and `en = \"Retail\"`.",
            );
            return;
        };
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (at, entry) in entries.iter().enumerate() {
            let Some(def) = read_sector(entry, diags) else {
                continue;
            };
            if seen.insert(def.id.clone(), at).is_some() {
                diags.error(
                    "sectors-duplicate",
                    entry.span(),
                    format!("The sector \"{}\" is listed twice.", def.id),
                    "List each sector once; remove or rename one of them.",
                );
                continue;
            }
            match self.list.iter_mut().find(|s| s.id == def.id) {
                Some(shipped) => *shipped = def,
                None => self.list.push(def),
            }
        }
        // Stable: equal orders keep the shipped ones first, then file order.
        self.list.sort_by_key(|s| s.order);
    }
}

fn integer(value: &DeValue) -> Option<i64> {
    let integer = value.as_integer()?;
    i64::from_str_radix(&integer.as_str().replace('_', ""), integer.radix()).ok()
}

/// One `[[sector]]`, or None (reported) when it cannot be used.
fn read_sector(entry: &toml::Spanned<DeValue>, diags: &mut FileDiagnostics) -> Option<SectorDef> {
    let example = "[[sector]]\nid = \"retail\"\n[sector.name]\nen = \"Retail\"";
    let Some(table) = entry.get_ref().as_table() else {
        diags.error(
            "sectors-invalid",
            entry.span(),
            "Each sector is a `[[sector]]` section.".to_string(),
            format!("Write it like this:\n{example}"),
        );
        return None;
    };
    warn_unknown_keys(table, &["id", "order", "name"], "A [[sector]]", diags);
    let Some(id_value) = table.get("id") else {
        diags.error(
            "sectors-invalid",
            entry.span(),
            "This sector has no `id`.".to_string(),
            "Give it the id courses will name in course.toml, like: id = \"retail\"",
        );
        return None;
    };
    let Some(id) = id_value.get_ref().as_str().map(str::trim) else {
        diags.error(
            "sectors-invalid",
            id_value.span(),
            "The sector's `id` must be text in double quotes.".to_string(),
            "Write it like this: id = \"retail\"",
        );
        return None;
    };
    if !ids::is_valid_course_slug(id) {
        diags.error(
            "sectors-invalid",
            id_value.span(),
            format!("\"{id}\" cannot be a sector id."),
            format!(
                "Use small letters a-z, digits and hyphens, like \"{}\".",
                suggested_id(id)
            ),
        );
        return None;
    }
    if id == "none" {
        diags.error(
            "sectors-invalid",
            id_value.span(),
            "\"none\" cannot be a sector id: the reports use it for learners with no course."
                .to_string(),
            "Choose another id, like \"general\".",
        );
        return None;
    }
    let shipped = SHIPPED.iter().any(|(s, _)| *s == id);
    let order = match table.get("order") {
        None => SHIPPED
            .iter()
            .find(|(s, _)| *s == id)
            .map_or(DEFAULT_ORDER, |(_, o)| *o),
        Some(value) => match integer(value.get_ref()) {
            Some(order) => order,
            None => return bad_order(value.span(), diags),
        },
    };
    let mut names = BTreeMap::new();
    if let Some(value) = table.get("name") {
        let Some(name_table) = value.get_ref().as_table() else {
            diags.error(
                "sectors-invalid",
                value.span(),
                "The sector's `name` is a section of names, one per language.".to_string(),
                format!("Write it like this:\n{example}"),
            );
            return None;
        };
        let languages = interface_languages();
        for (language, name) in name_table.iter() {
            let code = language.get_ref().as_ref();
            let Some(text) = name.get_ref().as_str().map(str::trim) else {
                diags.error(
                    "sectors-invalid",
                    name.span(),
                    format!("The name in `{code}` must be text in double quotes."),
                    format!("Write it like this: {code} = \"Retail\""),
                );
                return None;
            };
            if text.is_empty() {
                diags.error(
                    "sectors-invalid",
                    name.span(),
                    format!("The name in `{code}` is empty."),
                    "Write the name, or remove the line: a missing name is shown in English."
                        .to_string(),
                );
                return None;
            }
            if !languages.contains(&code) {
                diags.warning(
                    "sectors-language",
                    language.span(),
                    format!("Presto's pages are not in `{code}`, so this name is never shown."),
                    format!(
                        "The interface languages are: {}. (Ukrainian is `uk`, Farsi and Dari `fa`.)",
                        languages.join(", ")
                    ),
                );
                continue;
            }
            names.insert(code.to_string(), text.to_string());
        }
    }
    if !shipped && !names.contains_key("en") {
        diags.error(
            "sectors-no-english-name",
            entry.span(),
            format!("The sector \"{id}\" has no English name."),
            "Add it under [sector.name], like: en = \"Retail\". Names in other languages fall back to it.",
        );
        return None;
    }
    Some(SectorDef {
        id: id.to_string(),
        order,
        names,
    })
}

fn bad_order(span: std::ops::Range<usize>, diags: &mut FileDiagnostics) -> Option<SectorDef> {
    diags.error(
        "sectors-invalid",
        span,
        "The sector's `order` must be a whole number.".to_string(),
        "Write it without quotes, like: order = 60 (the shipped sectors are 10 to 50, English 80, Other 90).",
    );
    None
}

fn suggested_id(id: &str) -> String {
    let slug = ids::slugify(id).replace('_', "-");
    if slug.is_empty() {
        "retail".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Sectors, Vec<Diagnostic>) {
        Sectors::parse(text, "courses/sectors.toml")
    }

    #[test]
    fn no_file_means_the_shipped_sectors_in_their_order() {
        let (sectors, problems) = Sectors::load(Path::new("/nonexistent-folder"), "courses");
        assert!(problems.is_empty());
        assert_eq!(
            sectors.id_list(),
            "hospitality, care, childcare, construction, warehousing, english, other"
        );
    }

    #[test]
    fn a_new_sector_takes_its_place_and_names() {
        let (sectors, problems) = parse(
            "[[sector]]\nid = \"retail\"\norder = 60\n[sector.name]\nen = \"Retail\"\nar = \"البيع بالتجزئة\"\n\n[[sector]]\nid = \"cleaning\"\n[sector.name]\nen = \"Cleaning\"\n",
        );
        assert_eq!(problems, vec![]);
        assert_eq!(
            sectors.id_list(),
            "hospitality, care, childcare, construction, warehousing, retail, english, other, cleaning"
        );
        let retail = sectors.get("retail").unwrap();
        assert_eq!(retail.configured_name("ar"), Some("البيع بالتجزئة"));
        assert_eq!(
            retail.configured_name("uk"),
            Some("Retail"),
            "English stands in"
        );
    }

    #[test]
    fn a_shipped_sector_may_be_renamed_and_moved() {
        let (sectors, problems) = parse(
            "[[sector]]\nid = \"care\"\norder = 5\n[sector.name]\nen = \"Care work\"\n\n[[sector]]\nid = \"english\"\norder = 1\n",
        );
        assert_eq!(problems, vec![]);
        assert_eq!(
            sectors.ids().take(3).collect::<Vec<_>>(),
            ["english", "care", "hospitality"]
        );
        assert_eq!(
            sectors.get("care").unwrap().configured_name("fa"),
            Some("Care work")
        );
        assert_eq!(sectors.get("english").unwrap().configured_name("en"), None);
    }

    #[test]
    fn mistakes_are_named_at_their_lines_and_the_good_sectors_kept() {
        let (sectors, problems) = parse(concat!(
            "[[sector]]\n",            // 1
            "id = \"Retail Work\"\n",  // 2
            "[sector.name]\n",         // 3
            "en = \"Retail\"\n",       // 4
            "[[sector]]\n",            // 5
            "id = \"factory\"\n",      // 6
            "colour = \"red\"\n",      // 7
            "[sector.name]\n",         // 8
            "ar = \"مصنع\"\n",         // 9
            "[[sector]]\n",            // 10
            "id = \"cleaning\"\n",     // 11
            "order = \"60\"\n",        // 12
            "[[sector]]\n",            // 13
            "id = \"retail\"\n",       // 14
            "[sector.name]\n",         // 15
            "en = \"Retail\"\n",       // 16
            "de = \"Einzelhandel\"\n", // 17
            "[[sector]]\n",            // 18
            "id = \"retail\"\n",       // 19
            "[sector.name]\n",         // 20
            "en = \"Shops\"\n",        // 21
        ));
        let found: Vec<(&str, usize)> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            found,
            [
                ("sectors-invalid", 2),
                ("unknown-key", 7),
                ("sectors-no-english-name", 5),
                ("sectors-invalid", 12),
                ("sectors-language", 17),
                ("sectors-duplicate", 18),
            ]
        );
        assert!(
            problems[0].hint.contains("\"retail-work\""),
            "{}",
            problems[0].hint
        );
        assert_eq!(
            sectors.get("retail").unwrap().configured_name("en"),
            Some("Retail"),
            "the first listing counts"
        );
        assert!(!sectors.contains("factory") && !sectors.contains("cleaning"));
    }

    #[test]
    fn a_file_that_is_not_toml_leaves_the_shipped_sectors() {
        let (sectors, problems) = parse("[[sector]]\nid = \"retail\nen = 3\n");
        assert_eq!(sectors, Sectors::default());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "sectors-syntax");
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].file, "courses/sectors.toml");
    }
}
