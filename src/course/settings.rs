//! `course.toml` and module front matter: TOML read with positions, so every
//! wrong or unknown key is reported at its own line.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::diagnostics::FileDiagnostics;
use super::model::{CertificateSettings, CourseSettings, Level, Sector};
use super::sectors::Sectors;

pub const DEFAULT_PASS_MARK: u8 = 80;

/// What was read from course.toml. `settings` is None when a required key is
/// missing or wrong; the rest is kept so the modules can still be checked.
pub struct ParsedSettings {
    pub settings: Option<CourseSettings>,
    /// Valid language codes, even when other keys are wrong.
    pub languages: Vec<String>,
    pub pass_mark: u8,
    /// Each `requires` entry with its position, for resolving later.
    pub requires: Vec<(String, Range<usize>)>,
    /// Whether the file could be read as TOML at all: when not, there are
    /// no settings to warn against (like a language not in `languages`).
    pub readable: bool,
}

/// Parses TOML, reporting syntax errors (shifted by `base`, where the TOML
/// starts in the file) as `code`.
pub fn parse_table<'t>(
    text: &'t str,
    base: usize,
    code: &'static str,
    what: &str,
    diags: &mut FileDiagnostics,
) -> Option<Spanned<DeTable<'t>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(table);
    }
    let curly = curly_quotes(text);
    if let Some(&first) = curly.first() {
        // One cause, told once, rather than an error for each line.
        curly_quotes_error(text, base, code, what, &curly, first, diags);
        return None;
    }
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().trim_end_matches('.').to_string();
        diags.error(
            code,
            shift(span, base),
            format!("{what} is not valid TOML: {message}."),
            "Each setting is one line: a name, `=`, then a value. Text goes in \"double quotes\", numbers do not, lists go in [brackets].",
        );
    }
    None
}

/// Word processors' quotes, which TOML does not read as quotes.
const CURLY_QUOTES: [char; 6] = ['“', '”', '„', '‘', '’', '‚'];

/// Byte offsets of the curly quotes that stand where TOML needs a straight
/// one: outside a "straight-quoted" text and outside a # comment (`"The
/// shop’s rules"` is fine).
fn curly_quotes(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut in_text = false;
        for (at, c) in line.char_indices() {
            match c {
                '"' => in_text = !in_text,
                '#' if !in_text => break,
                c if !in_text && CURLY_QUOTES.contains(&c) => found.push(offset + at),
                _ => {}
            }
        }
        offset += line.len();
    }
    found
}

#[cold]
#[inline(never)]
fn curly_quotes_error(
    text: &str,
    base: usize,
    code: &'static str,
    what: &str,
    curly: &[usize],
    first: usize,
    diags: &mut FileDiagnostics,
) {
    let mut lines: Vec<usize> = curly.iter().map(|&at| diags.line_of(at + base)).collect();
    lines.dedup();
    let lines = match lines.as_slice() {
        [one] => format!("line {one}"),
        [first @ .., last] => format!(
            "lines {} and {last}",
            first
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [] => String::new(),
    };
    // The tutor's own first line, put right.
    let line_start = text[..first].rfind('\n').map_or(0, |at| at + 1);
    let line = text[line_start..].lines().next().unwrap_or_default().trim();
    let fixed: String = line
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' | '‚' => '\'',
            c => c,
        })
        .collect();
    diags.error(
        code,
        shift(first..first + '“'.len_utf8(), base),
        format!(
            "{what} has curly quotes “…” from a word processor on {lines}, and TOML cannot read them, so none of its settings are read."
        ),
        format!(
            "Type straight quotes \"…\" instead, like: {fixed}. Word and phones curl quotes as you type: write this file in a plain text editor, or turn off \"smart quotes\"."
        ),
    );
}

fn shift(span: Range<usize>, base: usize) -> Range<usize> {
    span.start + base..span.end + base
}

const COURSE_KEYS: &[&str] = &[
    "title",
    "sector",
    "level",
    "summary",
    "hours",
    "pass_mark",
    "languages",
    "requires",
    "certificate",
];
const CERTIFICATE_KEYS: &[&str] = &["title", "valid_for_months"];

/// course.toml, its sector checked against the shipped sectors.
pub fn parse_course_toml(text: &str, diags: &mut FileDiagnostics) -> ParsedSettings {
    parse_course_toml_with(text, &Sectors::default(), diags)
}

/// course.toml, its sector checked against `sectors` (the shipped ones
/// and the organisation's).
pub fn parse_course_toml_with(
    text: &str,
    sectors: &Sectors,
    diags: &mut FileDiagnostics,
) -> ParsedSettings {
    let mut parsed = ParsedSettings {
        settings: None,
        languages: Vec::new(),
        pass_mark: DEFAULT_PASS_MARK,
        requires: Vec::new(),
        readable: false,
    };
    let Some(table) = parse_table(text, 0, "toml-syntax", "course.toml", diags) else {
        return parsed;
    };
    parsed.readable = true;
    let table = table.get_ref();
    warn_unknown_keys(table, COURSE_KEYS, "course.toml", diags);

    let mut reader = Reader { table, diags };
    let title = reader.required_text("title", "title = \"Kitchen English and food hygiene\"");
    let summary = reader.required_text(
        "summary",
        "summary = \"English for your first weeks in a kitchen.\"",
    );
    let sector = reader.sector(sectors);
    let level = reader.level();
    let hours = reader.hours();
    let pass_mark = reader.percent("pass_mark").unwrap_or(DEFAULT_PASS_MARK);
    parsed.pass_mark = pass_mark;
    parsed.languages = reader.languages();
    parsed.requires = reader.requires();
    let certificate = reader.certificate();

    if let (Some(title), Some(summary), Some(sector), Some(level), Some(certificate)) =
        (title, summary, sector, level, certificate)
    {
        parsed.settings = Some(CourseSettings {
            certificate: CertificateSettings {
                title: certificate.0.unwrap_or_else(|| title.clone()),
                valid_for_months: certificate.1,
            },
            title,
            sector,
            level,
            summary,
            hours,
            pass_mark,
            languages: parsed.languages.clone(),
            requires: parsed.requires.iter().map(|(s, _)| s.clone()).collect(),
        });
    }
    parsed
}

/// Front matter of a module: only `summary` for now.
pub fn parse_front_matter(text: &str, base: usize, diags: &mut FileDiagnostics) -> Option<String> {
    let table = parse_table(text, base, "front-matter-syntax", "The front matter", diags)?;
    let table = table.get_ref();
    for (key, _) in table.iter() {
        if key.get_ref() != "summary" {
            diags.warning(
                "unknown-key",
                shift(key.span(), base),
                format!("The front matter has a setting `{}` that Presto does not know, so it is ignored.", key.get_ref()),
                "The only front matter setting is `summary = \"...\"`. Check the spelling or remove the line.",
            );
        }
    }
    let summary = table.get("summary")?;
    match summary.get_ref().as_str() {
        Some(text) => Some(text.trim().to_string()),
        None => {
            diags.error(
                "wrong-type",
                shift(summary.span(), base),
                "The module `summary` must be text in double quotes.",
                "Write it like this: summary = \"Words for tools in the kitchen.\"",
            );
            None
        }
    }
}

pub(super) fn warn_unknown_keys(
    table: &DeTable,
    known: &[&str],
    file: &str,
    diags: &mut FileDiagnostics,
) {
    for (key, _) in table.iter() {
        let name = key.get_ref().as_ref();
        if known.contains(&name) {
            continue;
        }
        let suggestion = known
            .iter()
            .map(|k| (strsim::levenshtein(k, name), k))
            .filter(|(distance, _)| *distance <= 2)
            .min()
            .map(|(_, k)| format!("Did you mean `{k}`? "))
            .unwrap_or_default();
        diags.warning(
            "unknown-key",
            key.span(),
            format!("{file} has a setting `{name}` that Presto does not know, so it is ignored."),
            format!(
                "{suggestion}The settings are: {}.",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

struct Reader<'t, 'd, 'f> {
    table: &'t DeTable<'t>,
    diags: &'d mut FileDiagnostics<'f>,
}

impl<'t> Reader<'t, '_, '_> {
    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'t>>> {
        self.table.get(key)
    }

    fn missing(&mut self, key: &str, example: &str) {
        self.diags.error(
            "missing-key",
            0..0,
            format!("course.toml has no `{key}`, and every course needs one."),
            format!("Add a line like this: {example}"),
        );
    }

    fn wrong_type(&mut self, key: &str, span: Range<usize>, wanted: &str, example: &str) {
        self.diags.error(
            "wrong-type",
            span,
            format!("`{key}` must be {wanted}."),
            format!("Write it like this: {example}"),
        );
    }

    fn required_text(&mut self, key: &str, example: &str) -> Option<String> {
        let Some(value) = self.get(key) else {
            self.missing(key, example);
            return None;
        };
        match value.get_ref().as_str().map(str::trim) {
            Some("") => {
                self.diags.error(
                    "invalid-value",
                    value.span(),
                    format!("`{key}` is empty."),
                    format!("Write it like this: {example}"),
                );
                None
            }
            Some(text) => Some(text.to_string()),
            None => {
                self.wrong_type(key, value.span(), "text in double quotes", example);
                None
            }
        }
    }

    fn sector(&mut self, sectors: &Sectors) -> Option<Sector> {
        let example = "sector = \"hospitality\"";
        let Some(value) = self.get("sector") else {
            self.missing("sector", example);
            return None;
        };
        let Some(text) = value.get_ref().as_str() else {
            self.wrong_type("sector", value.span(), "text in double quotes", example);
            return None;
        };
        let sector = Sector::known(&text.trim().to_lowercase(), sectors);
        if sector.is_none() {
            self.diags.error(
                "unknown-sector",
                value.span(),
                format!("\"{text}\" is not a sector Presto knows."),
                format!(
                    "Use one of: {}. An organisation adds its own sectors in sectors.toml beside the courses (see the authoring guide).",
                    sectors.id_list()
                ),
            );
        }
        sector
    }

    fn level(&mut self) -> Option<Level> {
        let example = "level = \"A2\"";
        let Some(value) = self.get("level") else {
            self.missing("level", example);
            return None;
        };
        let Some(text) = value.get_ref().as_str() else {
            self.wrong_type("level", value.span(), "text in double quotes", example);
            return None;
        };
        let level = Level::parse(&text.trim().to_uppercase());
        if level.is_none() {
            self.diags.error(
                "unknown-level",
                value.span(),
                format!("\"{text}\" is not a CEFR level."),
                "Use one of: A1, A2, B1, B2, C1, C2 (ESOL Entry 1 is A1, Entry 2 is A2, Entry 3 is B1).",
            );
        }
        level
    }

    fn hours(&mut self) -> Option<f64> {
        let value = self.get("hours")?;
        let hours = number(value.get_ref());
        match hours {
            Some(h) if h > 0.0 && h <= 1000.0 => Some(h),
            Some(_) => {
                self.diags.error(
                    "invalid-value",
                    value.span(),
                    "`hours` must be more than 0 and at most 1000.",
                    "Write the study time in hours, like this: hours = 12",
                );
                None
            }
            None => {
                self.wrong_type("hours", value.span(), "a number", "hours = 12");
                None
            }
        }
    }

    fn percent(&mut self, key: &str) -> Option<u8> {
        let value = self.get(key)?;
        let parsed = percent(value.get_ref());
        if parsed.is_none() {
            self.diags.error(
                "invalid-value",
                value.span(),
                format!("`{key}` must be a whole number from 1 to 100."),
                format!("It is the percent needed to pass, like this: {key} = 80"),
            );
        }
        parsed
    }

    fn string_list(&mut self, key: &str, example: &str) -> Vec<(String, Range<usize>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(key, value.span(), "a list in [brackets]", example);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in array_items(items) {
            match item.get_ref().as_str() {
                Some(text) => out.push((text.trim().to_string(), item.span())),
                None => self.wrong_type(
                    key,
                    item.span(),
                    "a list of texts in double quotes",
                    example,
                ),
            }
        }
        out
    }

    fn languages(&mut self) -> Vec<String> {
        let mut languages = Vec::new();
        for (code, span) in self.string_list("languages", "languages = [\"ar\", \"fa\", \"uk\"]") {
            if !is_language_code(&code) {
                self.diags.error(
                    "invalid-value",
                    span,
                    format!("\"{code}\" is not a language code."),
                    "Use short codes such as \"ar\" (Arabic), \"fa\" (Dari/Farsi), \"ps\" (Pashto), \"ckb\" (Kurdish Sorani), \"ti\" (Tigrinya), \"uk\" (Ukrainian), \"so\" (Somali).",
                );
            } else if let Some(mix_up) = language_mix_up(&code) {
                self.diags.warning(
                    "invalid-value",
                    span,
                    format!(
                        "\"{code}\" is not the code Presto uses for {}: {}.",
                        mix_up.language, mix_up.why
                    ),
                    format!(
                        "Write \"{}\" in `languages`, and `: {}: ...` for the translations.",
                        mix_up.code, mix_up.code
                    ),
                );
                if !languages.contains(&code) {
                    languages.push(code);
                }
            } else if code == "en" {
                self.diags.warning(
                    "invalid-value",
                    span,
                    "English is the language of the course, so it is not a translation language.",
                    "Remove \"en\" from `languages`.",
                );
            } else if !languages.contains(&code) {
                languages.push(code);
            }
        }
        languages
    }

    fn requires(&mut self) -> Vec<(String, Range<usize>)> {
        self.string_list("requires", "requires = [\"kitchen-english-basics\"]")
    }

    /// The `[certificate]` table: (title, valid_for_months). None when wrong.
    #[allow(clippy::type_complexity)]
    fn certificate(&mut self) -> Option<(Option<String>, Option<u32>)> {
        let Some(value) = self.get("certificate") else {
            return Some((None, None));
        };
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(
                "certificate",
                value.span(),
                "a table",
                "[certificate] on its own line, then title = \"...\" under it",
            );
            return None;
        };
        warn_unknown_keys(
            table,
            CERTIFICATE_KEYS,
            "The [certificate] table",
            self.diags,
        );
        let mut ok = true;
        let title = match table.get("title") {
            None => None,
            Some(v) => match v.get_ref().as_str().map(str::trim) {
                Some(t) if !t.is_empty() => Some(t.to_string()),
                Some(_) => {
                    self.diags.error(
                        "invalid-value",
                        v.span(),
                        "The certificate `title` is empty.",
                        "Write the title to print on the certificate, or leave the line out to use the course title.",
                    );
                    ok = false;
                    None
                }
                None => {
                    self.wrong_type(
                        "certificate.title",
                        v.span(),
                        "text in double quotes",
                        "title = \"Kitchen English\"",
                    );
                    ok = false;
                    None
                }
            },
        };
        let months = match table.get("valid_for_months") {
            None => None,
            Some(v) => match integer(v.get_ref())
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| (1..=600).contains(n))
            {
                Some(n) => Some(n),
                None => {
                    self.diags.error(
                        "invalid-value",
                        v.span(),
                        "`valid_for_months` must be a whole number of months from 1 to 600.",
                        "Write it like this: valid_for_months = 24. Leave it out if the certificate never expires.",
                    );
                    ok = false;
                    None
                }
            },
        };
        ok.then_some((title, months))
    }
}

fn array_items<'a, 't>(array: &'a DeArray<'t>) -> impl Iterator<Item = &'a Spanned<DeValue<'t>>> {
    array.iter()
}

fn integer(value: &DeValue) -> Option<i64> {
    let integer = value.as_integer()?;
    i64::from_str_radix(&integer.as_str().replace('_', ""), integer.radix()).ok()
}

fn number(value: &DeValue) -> Option<f64> {
    if let Some(n) = integer(value) {
        return Some(n as f64);
    }
    value
        .as_float()
        .and_then(|f| f.as_str().replace('_', "").parse::<f64>().ok())
        .filter(|f| f.is_finite())
}

/// A whole percent from 1 to 100, from TOML or a heading attribute.
pub fn percent(value: &DeValue) -> Option<u8> {
    integer(value)
        .and_then(|n| u8::try_from(n).ok())
        .filter(|n| (1..=100).contains(n))
}

/// `ar`, `fa`, `ckb`, `fa-AF`: a two or three letter code with an optional region.
pub fn is_language_code(code: &str) -> bool {
    // Byte by byte: this runs for every definition in every word list, and
    // every byte that passes is ASCII.
    let bytes = code.as_bytes();
    let (language, region) = match bytes.iter().position(|&b| b == b'-') {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    (2..=3).contains(&language.len())
        && language.iter().all(u8::is_ascii_lowercase)
        && region
            .is_none_or(|r| (2..=8).contains(&r.len()) && r.iter().all(u8::is_ascii_alphanumeric))
}

/// A language code that is often written for another: a country's code
/// for its language (`ua` for Ukrainian, which is `uk`), or a code Presto
/// spells another way (`prs`, Dari, is `fa`).
pub struct MixUp {
    /// The code to write.
    pub code: &'static str,
    pub language: &'static str,
    /// What the wrong code is.
    pub why: &'static str,
}

pub fn language_mix_up(code: &str) -> Option<MixUp> {
    let (code, language, why) = match code {
        "ua" => ("uk", "Ukrainian", "`ua` is the country code of Ukraine"),
        "ir" => ("fa", "Farsi", "`ir` is the country code of Iran"),
        "prs" => ("fa", "Dari", "Presto writes Dari and Farsi both as `fa`"),
        "gr" => ("el", "Greek", "`gr` is the country code of Greece"),
        _ => return None,
    };
    Some(MixUp {
        code,
        language,
        why,
    })
}

/// Right-to-left scripts among our learners' languages.
pub fn is_rtl(code: &str) -> bool {
    let language = code.split_once('-').map_or(code, |(language, _)| language);
    matches!(
        language,
        "ar" | "fa" | "prs" | "ps" | "ckb" | "ur" | "he" | "yi" | "dv" | "sd" | "ug"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (ParsedSettings, Vec<super::super::diagnostics::Diagnostic>) {
        let mut diags = FileDiagnostics::new("course.toml", text);
        let parsed = parse_course_toml(text, &mut diags);
        (parsed, diags.found)
    }

    #[test]
    fn a_full_course_toml_is_read() {
        let (parsed, diags) = parse(
            "title = \"Kitchen\"\nsector = \"hospitality\"\nlevel = \"A2\"\nsummary = \"Food.\"\nhours = 12.5\npass_mark = 70\nlanguages = [\"ar\", \"fa\"]\nrequires = [\"basics\"]\n[certificate]\ntitle = \"Kitchen English\"\nvalid_for_months = 24\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let s = parsed.settings.unwrap();
        assert_eq!(s.hours, Some(12.5));
        assert_eq!(s.pass_mark, 70);
        assert_eq!(s.languages, ["ar", "fa"]);
        assert_eq!(s.requires, ["basics"]);
        assert_eq!(s.certificate.title, "Kitchen English");
        assert_eq!(s.certificate.valid_for_months, Some(24));
    }

    #[test]
    fn an_unknown_key_is_a_warning_with_a_suggestion() {
        let (parsed, diags) =
            parse("title = \"K\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"S\"\nhour = 3\n");
        assert!(parsed.settings.is_some());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "unknown-key");
        assert_eq!(diags[0].line, 5);
        assert!(
            diags[0].hint.contains("Did you mean `hours`?"),
            "{}",
            diags[0].hint
        );
    }

    #[test]
    fn curly_quotes_are_one_error_and_the_file_counts_as_unread() {
        let (parsed, diags) = parse(
            "title = “Kitchen”\nsector = “care”\nlevel = \"A1\"\nsummary = \"The cook’s day\" # it’s fine\n",
        );
        assert!(!parsed.readable);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].code, diags[0].line, diags[0].column),
            ("toml-syntax", 1, 9)
        );
        assert!(
            diags[0]
                .message
                .contains("curly quotes “…” from a word processor on lines 1 and 2,"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[0].hint.contains("like: title = \"Kitchen\"."),
            "{}",
            diags[0].hint
        );
    }

    #[test]
    fn a_curly_apostrophe_inside_straight_quotes_is_not_blamed() {
        let (parsed, diags) =
            parse("title = \"The cook’s day\"\nsector = care\nlevel = \"A1\"\nsummary = \"S\"\n");
        assert!(!parsed.readable);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 2);
        assert!(
            diags[0].message.contains("not valid TOML"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn a_country_code_in_languages_names_the_language_code() {
        let (parsed, diags) = parse(
            "title = \"K\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"S\"\nlanguages = [\"ar\", \"ua\"]\n",
        );
        assert_eq!(parsed.languages, ["ar", "ua"]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, super::super::Severity::Warning);
        assert!(
            diags[0].message.contains("Ukrainian"),
            "{}",
            diags[0].message
        );
        assert!(diags[0].hint.contains("Write \"uk\""), "{}", diags[0].hint);
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("ar"));
        assert!(is_language_code("ckb"));
        assert!(is_language_code("fa-AF"));
        assert!(!is_language_code("Arabic"));
        assert!(!is_language_code("a"));
    }
}
