//! A class roster from a spreadsheet: one learner per line,
//! `username, full name, language, email` (email optional). Tutors copy
//! the cells from Excel, LibreOffice or Google Sheets (which separates
//! them with tabs) or export a CSV file (`,`, or `;` from Excel in many
//! European languages), so the separator is found from the first line, a
//! header line is optional, columns may come in any order when there is
//! one, cells may be quoted and the text may start with a byte-order mark.
//! An `.xlsx` file is turned into such text first
//! ([`super::roster_file`]).
//!
//! The language is the learner's: an interface language (en, ar, fa, uk)
//! sets the interface, and their vocabulary translations follow it; any
//! other language the site's courses translate into (ti, ps, so ...) is
//! their home language, with the interface in the default language. With
//! a header line, a `home language` column sets the home language on its
//! own (language `ar`, home language `ti`), and a `name in own script`
//! column the name in the learner's own script.
//!
//! Every line is checked on its own: a bad line is reported with its
//! number and what is wrong, and the good lines still go ahead. The bad
//! lines can be given back as text ([`lines_again`]), under the header,
//! to be fixed and sent again.

use std::collections::HashSet;

use super::names::{FullName, Username, parse_email, parse_own_script_name};

/// One good line: a learner to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The line in the file (1-based), to report problems later.
    pub line: u64,
    pub username: Username,
    pub full_name: FullName,
    /// The interface language.
    pub language: &'static str,
    /// The language of vocabulary translations; None: the interface's.
    pub home_language: Option<String>,
    pub name_in_own_script: Option<String>,
    pub email: Option<String>,
}

/// A line that cannot be used, and why, in words for the tutor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterProblem {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub rows: Vec<RosterRow>,
    pub problems: Vec<RosterProblem>,
    /// The line of the header, when there is one: it goes back with the
    /// lines that failed, so their columns still read the same.
    pub header_line: Option<u64>,
}

/// The most lines one import takes: a class, not a city.
pub const MAX_LINES: usize = 500;

/// Which column holds what.
#[derive(Debug, Clone, Copy)]
struct Columns {
    username: usize,
    full_name: usize,
    language: Option<usize>,
    email: Option<usize>,
    home_language: Option<usize>,
    name_in_own_script: Option<usize>,
}

const POSITIONAL: Columns = Columns {
    username: 0,
    full_name: 1,
    language: Some(2),
    email: Some(3),
    home_language: None,
    name_in_own_script: None,
};

/// Reads a roster. `languages` are the language codes a learner may have
/// (the interface languages, and the languages the courses translate
/// into); an empty language cell means `default_language`.
pub fn parse(text: &str, languages: &[&str], default_language: &'static str) -> Roster {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = guess_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut roster = Roster::default();
    let mut columns = POSITIONAL;
    let mut seen = HashSet::new();
    let mut first = true;
    for (index, record) in reader.records().enumerate() {
        let (line, record) = match record {
            Ok(record) => (line_at(text, record.position(), index), record),
            Err(e) => {
                let line = line_at(text, e.position(), index);
                roster.problems.push(RosterProblem {
                    line,
                    message: "This line cannot be read. Check the quotation marks.".into(),
                });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        // The header, if any, is the first line with something on it.
        if std::mem::take(&mut first)
            && let Some(header) = header_columns(&record)
        {
            columns = header;
            roster.header_line = Some(line);
            continue;
        }
        if roster.rows.len() + roster.problems.len() >= MAX_LINES {
            roster.problems.push(RosterProblem {
                line,
                message: format!(
                    "One import takes at most {MAX_LINES} learners. Import the rest in another file."
                ),
            });
            break;
        }
        match row(&record, columns, line, languages, default_language) {
            Ok(row) => {
                if seen.insert(row.username.clone()) {
                    roster.rows.push(row);
                } else {
                    roster.problems.push(RosterProblem {
                        line,
                        message: format!(
                            "The username \"{}\" is already on an earlier line.",
                            row.username
                        ),
                    });
                }
            }
            Err(message) => roster.problems.push(RosterProblem { line, message }),
        }
    }
    roster
}

/// The 1-based line a record starts on, counted from its byte offset (the
/// reader's own line count is off after blank lines and `\r\n`).
fn line_at(text: &str, position: Option<&csv::Position>, index: usize) -> u64 {
    match position {
        Some(p) => {
            let bytes = text.as_bytes();
            let mut start = usize::try_from(p.byte())
                .unwrap_or(bytes.len())
                .min(bytes.len());
            // The reader's offset is where it began reading, which may be
            // the end of the line before or a blank line.
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1
        }
        None => index as u64 + 1,
    }
}

/// The separator, from the first line with something on it: a tab when
/// it has one (cells copied from a spreadsheet; a name may hold a comma
/// then), else `;` when it has more semicolons than commas (Excel in many
/// European languages writes that), else `,`.
fn guess_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    if first.contains('\t') {
        b'\t'
    } else if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The text of the given lines (1-based) of `text`, under its header line
/// when there is one, for the tutor to fix and send again: what a roster
/// box shows back after an import.
pub fn lines_again(text: &str, header_line: Option<u64>, lines: &[u64]) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut wanted: Vec<u64> = lines.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return String::new();
    }
    let mut again = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index as u64 + 1;
        if header_line == Some(number) || wanted.binary_search(&number).is_ok() {
            again.push(line.trim_end_matches('\r'));
        }
    }
    let mut again = again.join("\n");
    again.push('\n');
    again
}

/// The columns a header line names, if this is a header line.
fn header_columns(record: &csv::StringRecord) -> Option<Columns> {
    let names: Vec<String> = record
        .iter()
        .map(|cell| cell.to_lowercase().replace(['_', '-'], " "))
        .collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let username = find(&["username", "user name", "login"])?;
    let full_name = find(&["full name", "name", "fullname"])?;
    Some(Columns {
        username,
        full_name,
        language: find(&["language", "lang"]),
        email: find(&["email", "e mail", "email address"]),
        home_language: find(&["home language", "translation language", "translations"]),
        name_in_own_script: find(&[
            "name in own script",
            "name in own language",
            "own script",
            "own script name",
        ]),
    })
}

fn row(
    record: &csv::StringRecord,
    columns: Columns,
    line: u64,
    languages: &[&str],
    default_language: &'static str,
) -> Result<RosterRow, String> {
    let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
    let cells = LearnerCells {
        username: cell(Some(columns.username)),
        full_name: cell(Some(columns.full_name)),
        language: cell(columns.language),
        email: cell(columns.email),
        home_language: cell(columns.home_language),
        name_in_own_script: cell(columns.name_in_own_script),
    };
    check(cells, line, languages, default_language)
}

/// One learner's details as typed: a line of a roster, or the class page's
/// form and the API's body for a learner added by hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct LearnerCells<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    /// Empty means the default language.
    pub language: &'a str,
    /// Empty means none.
    pub email: &'a str,
    /// Empty: as the language cell says.
    pub home_language: &'a str,
    /// Empty means none.
    pub name_in_own_script: &'a str,
}

/// The languages a learner's language cell gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnerLanguage {
    /// The interface language.
    pub interface: &'static str,
    /// The home language, when it is not the interface language's.
    pub home: Option<String>,
}

/// The code in `languages` a cell names, in any case (or as a common
/// mix-up: `prs` for Dari is `fa`); None when empty.
fn known_code(cell: &str, languages: &[&str]) -> Result<Option<String>, String> {
    let typed = cell.trim().to_ascii_lowercase();
    if typed.is_empty() {
        return Ok(None);
    }
    let wanted = crate::course::language_mix_up(&typed).map_or(typed.as_str(), |m| m.code);
    languages
        .iter()
        .find(|code| code.eq_ignore_ascii_case(wanted))
        .map(|code| Some((*code).to_string()))
        .ok_or_else(|| {
            format!(
                "The language must be one of {} (not \"{}\").",
                languages.join(", "),
                cell.trim()
            )
        })
}

/// A learner's languages from a cell: one of `languages` in any case. An
/// interface language (en, ar, fa, uk) is the interface language, and the
/// translations follow it; any other is the home language, with the
/// interface in `default_language`, as when the cell is empty.
pub fn language(
    cell: &str,
    languages: &[&str],
    default_language: &'static str,
) -> Result<LearnerLanguage, String> {
    let code = known_code(cell, languages)?;
    Ok(
        match code.as_deref().map(|c| (c, crate::i18n::language(c))) {
            None => LearnerLanguage {
                interface: default_language,
                home: None,
            },
            Some((_, Some(interface))) => LearnerLanguage {
                interface: interface.code,
                home: None,
            },
            Some((code, None)) => LearnerLanguage {
                interface: default_language,
                home: Some(code.to_string()),
            },
        },
    )
}

/// Checks one learner's details: the rules of a roster line, for a learner
/// added by hand exactly as for one imported. Every problem is named, in
/// one message.
pub fn check(
    cells: LearnerCells<'_>,
    line: u64,
    languages: &[&str],
    default_language: &'static str,
) -> Result<RosterRow, String> {
    let mut problems = Vec::new();
    let username = Username::parse(cells.username)
        .map_err(|e| problems.push(e.to_string()))
        .ok();
    let full_name = FullName::parse(cells.full_name)
        .map_err(|e| problems.push(e.to_string()))
        .ok();
    let language = language(cells.language, languages, default_language)
        .map_err(|e| problems.push(e))
        .ok();
    let home_language = known_code(cells.home_language, languages)
        .map_err(|e| problems.push(format!("Home language: {e}")))
        .ok();
    let own_script = parse_own_script_name(cells.name_in_own_script)
        .map_err(|e| problems.push(e.to_string()))
        .ok();
    let email = parse_email(cells.email)
        .map_err(|e| problems.push(e.to_string()))
        .ok();
    match (
        username,
        full_name,
        language,
        home_language,
        own_script,
        email,
    ) {
        (
            Some(username),
            Some(full_name),
            Some(language),
            Some(home_language),
            Some(name_in_own_script),
            Some(email),
        ) => Ok(RosterRow {
            line,
            username,
            full_name,
            language: language.interface,
            // A home language column says it; else the language cell does.
            home_language: home_language.or(language.home),
            name_in_own_script,
            email,
        }),
        _ => Err(problems.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LANGUAGES: [&str; 4] = ["en", "ar", "fa", "uk"];

    fn read(text: &str) -> Roster {
        parse(text, &LANGUAGES, "en")
    }

    #[test]
    fn a_plain_list_without_a_header() {
        let roster = read("amina,Amina Yusuf,ar,amina@example.org\nolena,Олена Коваленко,uk\n");
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
        assert_eq!(roster.rows.len(), 2);
        assert_eq!(roster.rows[0].username.as_str(), "amina");
        assert_eq!(roster.rows[0].language, "ar");
        assert_eq!(roster.rows[0].email.as_deref(), Some("amina@example.org"));
        assert_eq!(roster.rows[1].full_name.as_str(), "Олена Коваленко");
        assert_eq!(roster.rows[1].line, 2);
    }

    #[test]
    fn a_header_in_any_order_with_excel_habits() {
        let text = "\u{feff}Full name;Email;Username;Language\r\n\"Yusuf, Ahmed\";;yusuf;\r\n";
        let roster = read(text);
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
        let row = &roster.rows[0];
        assert_eq!(
            (row.username.as_str(), row.full_name.as_str()),
            ("yusuf", "Yusuf, Ahmed")
        );
        assert_eq!((row.language, row.email.as_deref()), ("en", None));
        assert_eq!(row.line, 2);
    }

    #[test]
    fn bad_lines_are_reported_by_number_and_good_ones_kept() {
        let text = "username,full name,language,email\n\
                    amina,Amina Yusuf,ar,\n\
                    x,,de,not-an-email\n\
                    \n\
                    amina,Another Amina,en,\n\
                    tigist,ትግስት ሃይሌ,,\n";
        let roster = read(text);
        let usernames: Vec<&str> = roster.rows.iter().map(|r| r.username.as_str()).collect();
        assert_eq!(usernames, ["amina", "tigist"]);
        assert_eq!(roster.problems.len(), 2, "{:?}", roster.problems);
        assert_eq!(roster.problems[0].line, 3);
        let message = &roster.problems[0].message;
        assert!(message.contains("username") && message.contains("full name"));
        assert!(message.contains("language") && message.contains("email"));
        assert_eq!(roster.problems[1].line, 5);
        assert!(roster.problems[1].message.contains("earlier line"));
    }

    #[test]
    fn a_course_language_is_the_home_language_and_a_column_can_say_it_apart() {
        let languages = ["en", "ar", "fa", "uk", "ti", "ps"];
        let text = "username,full name,language,home language,name in own script\n\
                    tigist,Tigist Haile,ti,,ትግስት ሃይሌ\n\
                    ahmed,Ahmed Hassan,ar,ti,أحمد حسن\n\
                    olena,Olena K,UK,,\n\
                    farid,Farid A,prs,,\n\
                    bad,Bad Code,xx,so,\n";
        let roster = parse(text, &languages, "en");
        let rows: Vec<_> = roster
            .rows
            .iter()
            .map(|r| {
                (
                    r.username.as_str(),
                    r.language,
                    r.home_language.as_deref(),
                    r.name_in_own_script.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("tigist", "en", Some("ti"), Some("ትግስት ሃይሌ")),
                ("ahmed", "ar", Some("ti"), Some("أحمد حسن")),
                ("olena", "uk", None, None),
                ("farid", "fa", None, None),
            ]
        );
        assert_eq!(roster.problems.len(), 1, "{:?}", roster.problems);
        let message = &roster.problems[0].message;
        assert!(
            message.contains("not \"xx\"") && message.contains("Home language"),
            "{message}"
        );
        assert!(message.contains("ti, ps"), "{message}");
    }

    #[test]
    fn a_huge_file_is_cut_with_a_message() {
        let text: String = (0..MAX_LINES + 10)
            .map(|i| format!("learner{i},Learner {i}\n"))
            .collect();
        let roster = read(&text);
        assert_eq!(roster.rows.len(), MAX_LINES);
        assert_eq!(roster.problems.len(), 1);
        assert!(roster.problems[0].message.contains("at most"));
    }

    #[test]
    fn one_learner_by_hand_follows_the_rules_of_a_line() {
        let cells = LearnerCells {
            username: " Olena ",
            full_name: "Олена  Коваленко",
            language: " UK ",
            email: "",
            ..LearnerCells::default()
        };
        let row = check(cells, 1, &LANGUAGES, "en").unwrap();
        assert_eq!(row.username.as_str(), "olena");
        assert_eq!(row.full_name.as_str(), "Олена Коваленко");
        assert_eq!((row.language, row.email.as_deref()), ("uk", None));
        let by_file = read("olena,Олена  Коваленко,UK,\n").rows.remove(0);
        assert_eq!(row, by_file);

        let bad = LearnerCells {
            username: "erased-3",
            full_name: "Someone",
            language: "de",
            email: "no",
            ..LearnerCells::default()
        };
        let message = check(bad, 1, &LANGUAGES, "en").unwrap_err();
        assert!(message.contains("erased accounts"), "{message}");
        assert!(message.contains("language") && message.contains("email"));
    }

    #[test]
    fn cells_copied_from_a_spreadsheet_are_separated_by_tabs() {
        // As Excel, LibreOffice and Google Sheets put them on the
        // clipboard: a header, tabs, a comma inside a name, an empty cell.
        let text = "Username\tFull name\tLanguage\tEmail\r\n\
                    amina\tYusuf, Amina\tar\tamina@example.org\r\n\
                    olena\tОлена Коваленко\t\t\r\n";
        let roster = read(text);
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
        assert_eq!(roster.header_line, Some(1));
        let names: Vec<(&str, &str)> = roster
            .rows
            .iter()
            .map(|r| (r.username.as_str(), r.full_name.as_str()))
            .collect();
        assert_eq!(
            names,
            [("amina", "Yusuf, Amina"), ("olena", "Олена Коваленко")]
        );
        assert_eq!(roster.rows[1].language, "en");
    }

    #[test]
    fn a_header_after_blank_lines_is_still_a_header() {
        let roster = read("\n\nusername;name;email\nyusuf;Yusuf Ali;\n");
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
        assert_eq!(roster.header_line, Some(3));
        assert_eq!(roster.rows[0].full_name.as_str(), "Yusuf Ali");
    }

    #[test]
    fn failed_lines_come_back_under_their_header() {
        let text =
            "\u{feff}username\tfull name\r\namina\tAmina\r\nx\t\r\nolena\tOlena\r\n!!\tBad\r\n";
        let roster = read(text);
        let failed: Vec<u64> = roster.problems.iter().map(|p| p.line).collect();
        assert_eq!(failed, [3, 5]);
        assert_eq!(
            lines_again(text, roster.header_line, &failed),
            "username\tfull name\nx\t\n!!\tBad\n"
        );
        assert_eq!(lines_again(text, roster.header_line, &[]), "");
        assert_eq!(lines_again("a,b\nc,d\n", None, &[2]), "c,d\n");
    }
}
