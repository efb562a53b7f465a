//! Every diagnostic the course compiler reports, each shown by a small course
//! that has exactly that one problem: the fixture folders in
//! `tests/fixtures/errors/<code>/`, and a few courses built here at run time
//! because they are binary, large or made of symlinks.
//!
//! For each one the test checks what a tutor would be told: the code, the
//! file, the line and column, and the gist of the message. It also checks
//! that nothing else is reported, so a fixture that trips over a second
//! problem fails instead of quietly testing something else.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use presto::course::{self, Compilation, CompileOptions, Diagnostic, Severity, source};
use tempfile::TempDir;

/// Every code the compiler can report. A new code needs a line in EXPECTED.
const ALL_CODES: &[&str] = &[
    "all-options-correct",
    "answers-outside-quiz",
    "bad-link",
    "broken-link",
    "deep-nesting",
    "duplicate-id",
    "duplicate-module-number",
    "duplicate-option",
    "empty-file",
    "empty-gap",
    "empty-heading",
    "empty-lesson",
    "empty-option",
    "empty-question",
    "empty-quiz",
    "empty-translation",
    "external-image",
    "extra-title",
    "file-too-large",
    "front-matter-syntax",
    "heading-without-space",
    "heading-without-words",
    "ignored-content",
    "image-without-alt",
    "invalid-id",
    "invalid-setting",
    "invalid-slug",
    "invalid-value",
    "joined-term",
    "large-media",
    "long-lesson",
    "match-empty-side",
    "match-missing-equals",
    "media-not-allowed",
    "media-wrong-content",
    "missing-course-toml",
    "missing-key",
    "missing-media",
    "missing-translation",
    "no-answers",
    "no-correct-option",
    "no-definition",
    "no-lessons",
    "no-modules",
    "no-title",
    "not-a-module",
    "not-utf8",
    "number-bad-unit",
    "number-empty-range",
    "number-line",
    "number-line-joined",
    "number-negative-tolerance",
    "number-not-a-number",
    "option-without-box",
    "outside-course",
    "quiz-without-colon",
    "raw-html",
    "requires-cycle",
    "requires-itself",
    "special-space",
    "text-before-title",
    "toml-syntax",
    "too-few-items",
    "too-few-options",
    "too-few-pairs",
    "two-answers",
    "unclosed-gap",
    "unindented-feedback",
    "unknown-attribute",
    "unknown-callout",
    "unknown-course",
    "unknown-key",
    "unknown-level",
    "unknown-sector",
    "unlisted-language",
    "unopened-gap",
    "unreadable",
    "unsafe-svg",
    "wrong-type",
];

/// Everything each fixture must report, one diagnostic a line:
///
/// `fixture  severity  code  file:line:column  part of the message`
///
/// or, to pin the hint too (for slips whose hint is the point: it names
/// the fix, with the tutor's own words):
///
/// `fixture  severity  code  file:line:column  part of the message | hint: part of the hint`
///
/// The fixture is a folder in tests/fixtures/errors, or a name in GENERATED.
/// `file` is relative to the fixture's display root `errors/<fixture>` (`.`
/// is the course folder itself). A fixture's lines come in the compiler's
/// order: by file, then position.
const EXPECTED: &str = r#"
# course.toml
invalid-value            error    invalid-value            course.toml:5:13    `pass_mark` must be a whole number from 1 to 100
wrong-type               error    wrong-type               course.toml:5:9     `hours` must be a number
unknown-key              warning  unknown-key              course.toml:5:1     course.toml has a setting `colour` that Presto does not know
unknown-sector           error    unknown-sector           course.toml:2:10    "farming" is not a sector
unknown-level            error    unknown-level            course.toml:3:9     "D1" is not a CEFR level
missing-key              error    missing-key              course.toml:1:1     course.toml has no `summary`
toml-syntax              error    toml-syntax              course.toml:2:10    course.toml is not valid TOML
curly-quotes             error    toml-syntax              course.toml:1:9     course.toml has curly quotes “…” from a word processor on lines 1, 2, 4 and 5 | hint: Type straight quotes "…" instead, like: title = "Retail English".
missing-course-toml      error    missing-course-toml      course.toml:1:1     This course folder has no course.toml
invalid-slug             error    invalid-slug             Kitchen_English/course.toml:1:1  The folder name "Kitchen_English" cannot be used
no-modules               error    no-modules               .:1:1               This course has no modules
unknown-course           error    unknown-course           course.toml:5:13    `requires` names "kitchen-basics", but there is no course
requires-itself          error    requires-itself          course.toml:5:13    A course cannot require itself
requires-cycle           error    requires-cycle           a-course/course.toml:5:13  "a-course" and "b-course" require each other
requires-cycle           error    requires-cycle           b-course/course.toml:5:13  "b-course" and "a-course" require each other

# Reading the files
not-a-module             warning  not-a-module             notes.md:1:1        notes.md is not read as a module
duplicate-module-number  warning  duplicate-module-number  01-more.md:1:1      01-intro.md and 01-more.md have the same number
not-utf8                 error    not-utf8                 01-intro.md:5:4     not saved as UTF-8 text (a strange byte at line 5, column 4)
file-too-large           error    file-too-large           01-intro.md:1:1     The module is 2.1 MB; a module can be at most 2 MB
empty-file               error    empty-file               01-intro.md:1:1     The module file is empty
empty-file-blank         error    empty-file               01-intro.md:1:1     The module file is empty
outside-course-media     error    outside-course           media/x.svg:1:1     media/x.svg is a link to a file outside the course folder
unreadable               error    unreadable               01-intro.md:1:1     01-intro.md cannot be read

# A module: front matter, title, lessons
front-matter-syntax      error    front-matter-syntax      01-intro.md:2:30    The front matter is not valid TOML
curly-quotes-front-matter error   front-matter-syntax      01-intro.md:2:11    The front matter has curly quotes “…” from a word processor on line 2 | hint: summary = "Words for the shop floor."
unknown-key-front-matter warning  unknown-key              01-intro.md:3:1     The front matter has a setting `author`
no-title                 error    no-title                 01-intro.md:1:1     The module 01-intro.md has no # title
extra-title              error    extra-title              01-intro.md:7:1     second # title, "Another title"
text-before-title        error    text-before-title        01-intro.md:1:1     There is text before the module's # title
no-lessons               warning  no-lessons               01-intro.md:1:1     This module has no lessons or quizzes
empty-heading            error    empty-heading            01-intro.md:3:1     This ## heading has no title
heading-without-space    warning  heading-without-space    01-intro.md:7:1     This line starts with ## but has no space after it
invalid-id               error    invalid-id               01-intro.md:3:1     `First_Lesson` cannot be a lesson id
duplicate-id             error    duplicate-id             02-more.md:7:1      The lesson id `washing-hands` is used already, in 01-intro.md line 3
unknown-attribute        warning  unknown-attribute        01-intro.md:3:1     `pass` only works on a quiz heading
invalid-setting          error    invalid-setting          01-intro.md:7:1     pass=150 is not a percent from 1 to 100
empty-lesson             warning  empty-lesson             01-intro.md:3:1     The lesson "First lesson" has no text
long-lesson              warning  long-lesson              01-intro.md:3:1     The lesson "A very long lesson" is very long
empty-quiz               error    empty-quiz               01-intro.md:7:1     The quiz "Check" has no questions
quiz-without-colon       warning  quiz-without-colon       01-intro.md:7:1     "Quiz Hand washing" starts with Quiz but has no colon | hint: Put a colon right after Quiz: ## Quiz: Hand washing
quiz-space-before-colon  warning  quiz-without-colon       01-intro.md:7:1     "Quiz : Hand washing" starts with Quiz but has a space before its colon | hint: Put a colon right after Quiz: ## Quiz: Hand washing
answers-outside-quiz     error    answers-outside-quiz     01-intro.md:7:1     These answer boxes are not in a quiz, so learners would see the answers: "Quizz: Stock" | hint: ## Quiz: Stock.
answers-outside-quiz     error    answers-outside-quiz     01-intro.md:14:1    These gaps are not in a quiz, so learners would see the answers: "Test: Words" | hint: ## Quiz: Words.
answers-outside-quiz     error    answers-outside-quiz     01-intro.md:20:1    These answer boxes are not in a quiz, so learners would see the answers: "✅ Quiz: Safety" | hint: ## Quiz: Safety.
answers-outside-quiz     error    answers-outside-quiz     01-intro.md:27:1    These number answers are not in a quiz, so learners would see the answers: "Tests: Fridge" | hint: ## Quiz: Fridge.
heading-without-words    error    heading-without-words    01-intro.md:3:1     The heading "🧼" has no words | hint: ## 🧼 {#washing-hands}
heading-without-words    error    heading-without-words    01-intro.md:7:1     The heading "🧤" has no words

# Questions
empty-question           error    empty-question           01-intro.md:9:1     This question heading has no text
no-answers               error    no-answers               01-intro.md:9:1     This question has no answers
two-answers              error    two-answers              01-intro.md:14:1    This question has a second set of answers
option-without-box       error    option-without-box       01-intro.md:12:1    This answer has no [ ] or [x] in front of it
empty-option             error    empty-option             01-intro.md:12:1    This step is empty
duplicate-option         error    duplicate-option         01-intro.md:13:1    The answer "Before you start work" is written twice
too-few-options          error    too-few-options          01-intro.md:11:1    A choice question needs at least two answers
no-correct-option        error    no-correct-option        01-intro.md:11:1    No answer is marked right | hint: like - [x] Before you start work
all-options-correct      warning  all-options-correct      01-intro.md:11:1    Every answer is marked right
ignored-content          warning  ignored-content          01-intro.md:12:3    This is inside an answer
unclosed-gap             error    unclosed-gap             01-intro.md:11:21   This gap has [[ but no ]] to close it
empty-gap                error    empty-gap                01-intro.md:11:21   This gap has an empty answer
gap-inside-gap           error    unclosed-gap             01-intro.md:11:15   This gap has [[ but no ]] before the next [[ | hint: [[shelf]], not [[shelf].
unopened-gap             error    unopened-gap             01-intro.md:11:21   This ]] closes a gap, but the gap has no [[ to open it | hint: [[shelf]], not [shelf]].
special-space            warning  special-space            01-intro.md:9:4     The space after ### is a special space, often from Word
special-space            warning  special-space            01-intro.md:12:2    The space after - is a special space, often from Word
special-space            warning  special-space            01-intro.md:16:6    The space after [ ] is a special space, often from Word
match-missing-equals     error    match-missing-equals     01-intro.md:12:1    "oven heats food" has no = sign
match-empty-side         error    match-empty-side         01-intro.md:12:1    One side of this pair is empty
too-few-pairs            error    too-few-pairs            01-intro.md:11:1    A matching question needs at least two pairs
too-few-items            error    too-few-items            01-intro.md:11:1    An ordering question needs at least two steps
unindented-feedback      error    unindented-feedback      01-intro.md:12:1    This > note is between two answers but not indented
number-not-a-number      error    number-not-a-number      01-intro.md:11:3    `eight` in the answer line is not a number | hint: = 5 ± 1 °C or = 0..8 °C
number-negative-tolerance error   number-negative-tolerance 01-intro.md:11:7   The tolerance `-1` is below zero | hint: = 5 ± 1 °C accepts 4 to 6
number-empty-range       error    number-empty-range       01-intro.md:11:3    The range `8..0` goes down, so no number is in it | hint: Write the smaller number first: = 0..8.
number-bad-unit          error    number-bad-unit          01-intro.md:11:4    `-8 °C` after the number is not a unit | hint: For a range write two dots, = 0..8 °C
number-line              error    number-line              01-intro.md:11:1    A number answer takes one line of its own
number-line-joined       error    number-line-joined       01-intro.md:12:1    The answer line `= 8 °C` is joined to the text above it | hint: Leave an empty line before the = line.

# Lesson content
raw-html                 error    raw-html                 01-intro.md:5:16    Raw HTML is not allowed
bad-link                 error    bad-link                 01-intro.md:5:6     The link `javascript:alert` is not allowed
image-without-alt        error    image-without-alt        01-intro.md:7:1     This image has no alt text
external-image           warning  external-image           01-intro.md:7:1     This image comes from another website
missing-media            error    missing-media            01-intro.md:7:1     The picture `media/sink.svg` is not in the course's media folder
media-near-miss          error    missing-media            01-intro.md:7:1     The picture `media/Stock_Rotation.png` is not in the course's media folder | hint: Did you mean `media/stock-rotation.svg`?
large-media              warning  large-media              01-intro.md:7:1     `media/kitchen.jpg` is 310 KB
media-not-allowed        error    media-not-allowed        01-intro.md:7:1     `media/worksheet.html` is not a picture or a sound file
media-not-allowed-unused error    media-not-allowed        media/notes.js:1:1  `media/notes.js` is not a picture or a sound file
media-wrong-content      error    media-wrong-content      01-intro.md:7:1     `media/sink.png` is named as a PNG picture but holds a web page (HTML)
unsafe-svg               error    unsafe-svg               media/sign.svg:1:1  The drawing `media/sign.svg` holds an event attribute
outside-course           error    outside-course           01-intro.md:7:1     `../other/x.svg` points outside the course folder
deep-nesting             warning  deep-nesting             01-intro.md:8:7     This list is nested 4 levels deep
broken-link              error    broken-link              01-intro.md:7:1     This picture does not work: its address, `media/hand sink.svg`, has a space in it
unknown-callout          warning  unknown-callout          01-intro.md:7:3     [!DANGER] is not a kind of callout

# Vocabulary
no-definition            warning  no-definition            01-intro.md:7:1     The word "fridge" has translations but no English definition
unlisted-language        warning  unlisted-language        01-intro.md:7:1     course.toml does not list `fa` in `languages`
missing-translation      warning  missing-translation      01-intro.md:7:1     The word "fridge" has no translation into fa
joined-term              warning  joined-term              01-intro.md:7:1     The word "The words for today: soap" is more than one line
empty-translation        warning  empty-translation        01-intro.md:9:1     The ar translation of "shelf" is empty
lost-script              warning  empty-translation        01-intro.md:9:1     The ar translation of "shelf" is only question marks: its letters were lost when the file was saved
lost-script              warning  empty-translation        01-intro.md:10:1    The uk translation of "shelf" is only question marks
wrong-language-code      warning  unlisted-language        01-intro.md:7:1     course.toml does not list `ua` in `languages` | hint: The code for Ukrainian is `uk`, not `ua`
translation-without-colon warning missing-translation      01-intro.md:10:1    The line `ar: رف` has no colon in front of it | hint: Start the line with a colon and a space: `: ar: رف`
"#;

/// Fixtures whose output is known to be wrong today. EXPECTED holds the
/// right answer; `each_fixture_reports_exactly_its_problem` only checks that
/// it is among what is reported, and `known_bugs_are_fixed` checks it exactly.
/// (Empty now: `requires-itself` used to get a `requires-cycle` error too.)
const KNOWN_BUGS: &[(&str, &str)] = &[];

type Build = fn(&Path);

/// Courses built at run time, because they are binary, big, or symlinks:
/// what to add to a course folder that already has a valid course.toml.
const GENERATED: &[(&str, Build)] = &[
    ("not-utf8", |course| {
        write(course, "01-intro.md", b"# Title\n\n## L\n\ncaf\xe9\n");
    }),
    ("file-too-large", |course| {
        write(course, "01-intro.md", &long_module(2_200_000));
    }),
    ("empty-file", |course| write(course, "01-intro.md", b"")),
    ("empty-file-blank", |course| {
        write(course, "01-intro.md", b"  \n\n\t\n");
    }),
    ("large-media", |course| {
        write(
            course,
            "01-intro.md",
            b"# Introduction\n\n## First lesson\n\nA busy kitchen.\n\n![A busy kitchen](media/kitchen.jpg)\n",
        );
        let mut photo = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec();
        photo.resize(310 * 1024, 0);
        write(course, "media/kitchen.jpg", &photo);
    }),
    ("long-lesson", |course| {
        let mut text = String::from("# Introduction\n\n## A very long lesson\n\n");
        while text.len() < 120 * 1024 {
            text.push_str(
                "Wash your hands with warm water and soap for twenty seconds, then dry them.\n\n",
            );
        }
        write(course, "01-intro.md", text.as_bytes());
    }),
    ("outside-course-media", |course| {
        write_intro(course);
        let outside = course.with_file_name("outside");
        write(&outside, "x.svg", SVG);
        fs::create_dir_all(course.join("media")).unwrap();
        symlink(&outside.join("x.svg"), &course.join("media/x.svg"));
    }),
    ("unreadable", |course| {
        // A link to a file that is gone.
        symlink(
            &course.with_file_name("gone.md"),
            &course.join("01-intro.md"),
        );
        write_more(course);
    }),
];

const COURSE_TOML: &str = "title = \"Fixture course\"\nsector = \"other\"\nlevel = \"A2\"\nsummary = \"A small course that shows one problem.\"\n";
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";

/// One diagnostic a fixture must produce.
struct Expect {
    severity: Severity,
    code: &'static str,
    /// The whole file name as shown, e.g. `errors/no-title/01-intro.md`.
    file: String,
    line: usize,
    column: usize,
    /// A distinctive part of the message.
    message: &'static str,
    /// A distinctive part of the hint, when the hint is the point.
    hint: Option<&'static str>,
}

/// EXPECTED, read into (fixture, its diagnostics), in table order.
fn expected() -> Vec<(&'static str, Vec<Expect>)> {
    let mut out: Vec<(&str, Vec<Expect>)> = Vec::new();
    for row in EXPECTED.lines().map(str::trim) {
        if row.is_empty() || row.starts_with('#') {
            continue;
        }
        let mut fields = Vec::new();
        let mut rest = row;
        for _ in 0..4 {
            let (field, after) = rest
                .split_once(char::is_whitespace)
                .unwrap_or_else(|| panic!("EXPECTED row has too few fields: {row}"));
            fields.push(field);
            rest = after.trim_start();
        }
        let [fixture, severity, code, location] = fields[..] else {
            unreachable!()
        };
        let severity = match severity {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => panic!("unknown severity {other} in: {row}"),
        };
        let mut parts = location.rsplitn(3, ':');
        let (Some(column), Some(line), Some(file)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("location is not file:line:column in: {row}");
        };
        let root = format!("errors/{fixture}");
        let (rest, hint) = match rest.split_once(" | hint: ") {
            Some((message, hint)) => (message, Some(hint)),
            None => (rest, None),
        };
        let expect = Expect {
            severity,
            code,
            file: if file == "." {
                root
            } else {
                format!("{root}/{file}")
            },
            line: line.parse().unwrap(),
            column: column.parse().unwrap(),
            message: rest,
            hint,
        };
        match out.iter_mut().find(|(f, _)| *f == fixture) {
            Some((_, list)) => list.push(expect),
            None => out.push((fixture, vec![expect])),
        }
    }
    out
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
}

fn write_intro(dir: &Path) {
    write(
        dir,
        "01-intro.md",
        b"# Introduction\n\n## First lesson\n\nWash your hands before you start work.\n",
    );
}

fn write_more(dir: &Path) {
    write(
        dir,
        "02-more.md",
        b"# More about hygiene\n\n## Drying hands\n\nUse a paper towel.\n",
    );
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) {
    std::os::windows::fs::symlink_file(target, link).unwrap();
}

/// A valid module of at least `bytes` bytes: many short lessons.
fn long_module(bytes: usize) -> Vec<u8> {
    let mut text = String::with_capacity(bytes + 200);
    text.push_str("# A very long module\n\n");
    let mut n = 0;
    while text.len() < bytes {
        n += 1;
        let _ = write!(
            text,
            "## Lesson {n}\n\nWash your hands with warm water and soap for twenty seconds.\n\n"
        );
    }
    text.into_bytes()
}

/// A course folder holding a valid course.toml, inside a fresh temp dir (the
/// course is a sub-folder so that its name is a valid slug).
fn new_course(name: &str) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let course = tmp.path().join(name);
    write(&course, "course.toml", COURSE_TOML.as_bytes());
    (tmp, course)
}

/// A folder is one course if it has a course.toml or module files; otherwise
/// it holds several courses (compiled together, so `requires` resolve).
fn is_course(dir: &Path) -> bool {
    dir.join("course.toml").exists()
        || fs::read_dir(dir)
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "md"))
}

/// Compiles the course (or courses) in `dir`, naming files under `display`.
fn compile(dir: &Path, display: &str) -> Vec<Compilation> {
    let options = CompileOptions::default();
    if is_course(dir) {
        let source = source::load_course(dir, display);
        return course::compile_all(&[source], &BTreeSet::new(), &options);
    }
    let discovery = source::discover(dir).unwrap();
    let sources: Vec<_> = discovery
        .courses
        .iter()
        .map(|(path, _)| {
            let name = path.file_name().unwrap().to_string_lossy();
            source::load_course(path, &format!("{display}/{name}"))
        })
        .collect();
    course::compile_all(&sources, &discovery.known_slugs, &options)
}

fn diagnostics(dir: &Path, display: &str) -> Vec<Diagnostic> {
    compile(dir, display)
        .into_iter()
        .flat_map(|c| c.diagnostics)
        .collect()
}

/// The diagnostics of a committed or generated fixture.
fn fixture_diagnostics(fixture: &str) -> Vec<Diagnostic> {
    let display = format!("errors/{fixture}");
    match GENERATED.iter().find(|(name, _)| *name == fixture) {
        Some((_, build)) => {
            let (_tmp, course) = new_course(fixture);
            build(&course);
            diagnostics(&course, &display)
        }
        None => diagnostics(&fixtures_dir().join(fixture), &display),
    }
}

fn show_all(found: &[Diagnostic]) -> String {
    if found.is_empty() {
        return "    (nothing)\n".to_string();
    }
    found
        .iter()
        .map(|d| {
            format!(
                "    {}[{}] {}:{}:{}: {} (hint: {})\n",
                d.severity.as_str(),
                d.code,
                d.file,
                d.line,
                d.column,
                d.message,
                d.hint
            )
        })
        .collect()
}

fn show_expected(expected: &[Expect]) -> String {
    expected
        .iter()
        .map(|e| {
            format!(
                "    {}[{}] {}:{}:{}: ...{}...{}\n",
                e.severity.as_str(),
                e.code,
                e.file,
                e.line,
                e.column,
                e.message,
                e.hint
                    .map(|hint| format!(" (hint: ...{hint}...)"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

fn matches(d: &Diagnostic, e: &Expect) -> bool {
    d.severity == e.severity
        && d.code == e.code
        && d.file == e.file
        && d.line == e.line
        && d.column == e.column
        && d.message.contains(e.message)
        && e.hint.is_none_or(|hint| d.hint.contains(hint))
}

/// None when `found` is exactly `expected`, in order; else what differs.
fn check_exact(fixture: &str, found: &[Diagnostic], expected: &[Expect]) -> Option<String> {
    let same =
        found.len() == expected.len() && found.iter().zip(expected).all(|(d, e)| matches(d, e));
    (!same).then(|| {
        format!(
            "{fixture}: expected\n{}  but found\n{}",
            show_expected(expected),
            show_all(found)
        )
    })
}

/// None when every expected diagnostic is among `found`.
fn check_contains(fixture: &str, found: &[Diagnostic], expected: &[Expect]) -> Option<String> {
    let all_there = expected.iter().all(|e| found.iter().any(|d| matches(d, e)));
    (!all_there).then(|| {
        format!(
            "{fixture}: expected at least\n{}  but found\n{}",
            show_expected(expected),
            show_all(found)
        )
    })
}

fn is_known_bug(fixture: &str) -> bool {
    KNOWN_BUGS.iter().any(|(name, _)| *name == fixture)
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} fixture(s) did not report what they should:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn assert_exact(fixture: &str, found: &[Diagnostic], expected: &[Expect]) {
    assert_no_failures(check_exact(fixture, found, expected).into_iter().collect());
}

#[test]
fn each_fixture_reports_exactly_its_problem() {
    let mut failures = Vec::new();
    for (fixture, expected) in expected() {
        let found = fixture_diagnostics(fixture);
        let failure = if is_known_bug(fixture) {
            check_contains(fixture, &found, &expected)
        } else {
            check_exact(fixture, &found, &expected)
        };
        failures.extend(failure);
    }
    assert_no_failures(failures);
}

#[test]

fn known_bugs_are_fixed() {
    let table = expected();
    let mut failures = Vec::new();
    for (fixture, bug) in KNOWN_BUGS {
        let (_, expected) = table.iter().find(|(f, _)| f == fixture).unwrap();
        let found = fixture_diagnostics(fixture);
        failures.extend(
            check_exact(fixture, &found, expected).map(|failure| format!("{bug}\n{failure}")),
        );
    }
    assert_no_failures(failures);
}

#[test]
fn every_code_has_a_fixture_and_every_fixture_is_in_the_table() {
    let table = expected();
    let covered: BTreeSet<&str> = table
        .iter()
        .flat_map(|(_, list)| list.iter().map(|e| e.code))
        .collect();
    let all: BTreeSet<&str> = ALL_CODES.iter().copied().collect();
    let uncovered: Vec<_> = all.difference(&covered).collect();
    let unlisted: Vec<_> = covered.difference(&all).collect();
    assert!(
        uncovered.is_empty(),
        "codes without a fixture: {uncovered:?}"
    );
    assert!(
        unlisted.is_empty(),
        "codes missing from ALL_CODES: {unlisted:?}"
    );

    let in_table: BTreeSet<&str> = table.iter().map(|(f, _)| *f).collect();
    let on_disk: BTreeSet<String> = fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut fixtures: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
    for (name, _) in GENERATED {
        assert!(
            fixtures.insert(name),
            "{name} is both generated and on disk"
        );
    }
    assert_eq!(
        fixtures, in_table,
        "every folder in tests/fixtures/errors and every GENERATED course needs lines in EXPECTED, and the other way round"
    );
    for (fixture, _) in KNOWN_BUGS {
        assert!(
            in_table.contains(fixture),
            "known bug in unknown fixture {fixture}"
        );
    }
}

// ---------------------------------------------------------------------------
// Bad input: reported clearly, quickly, and never a panic.

#[test]
fn a_10_mb_module_is_too_large_and_is_refused_quickly() {
    let (_tmp, course) = new_course("huge");
    write(&course, "01-intro.md", &long_module(10 * 1024 * 1024));
    let started = Instant::now();
    let found = diagnostics(&course, "errors/huge");
    let elapsed = started.elapsed();
    assert_exact(
        "huge",
        &found,
        &[Expect {
            severity: Severity::Error,
            code: "file-too-large",
            file: "errors/huge/01-intro.md".to_string(),
            line: 1,
            column: 1,
            message: "The module is 10.0 MB; a module can be at most 2 MB",
            hint: None,
        }],
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "refusing a 10 MB module took {elapsed:?}"
    );
}

#[test]
fn a_list_nested_500_deep_gives_one_deep_nesting_warning() {
    let (_tmp, course) = new_course("deep-list");
    let mut text = String::from("# Deep\n\n## Lesson\n\n");
    for depth in 0..500 {
        let _ = writeln!(text, "{}- level {depth}", "  ".repeat(depth));
    }
    write(&course, "01-intro.md", text.as_bytes());
    let found = diagnostics(&course, "errors/deep-list");
    assert_exact(
        "deep-list",
        &found,
        &[Expect {
            severity: Severity::Warning,
            code: "deep-nesting",
            file: "errors/deep-list/01-intro.md".to_string(),
            line: 8,
            column: 7,
            message: "This list is nested 4 levels deep",
            hint: None,
        }],
    );
}

fn quotes_nested_500_deep() -> Vec<Diagnostic> {
    let (_tmp, course) = new_course("deep-quote");
    let text = format!("# Deep\n\n## Lesson\n\n{} deep\n", ">".repeat(500));
    write(&course, "01-intro.md", text.as_bytes());
    diagnostics(&course, "errors/deep-quote")
}

#[test]
fn quotes_nested_500_deep_do_not_panic_or_give_errors() {
    let found = quotes_nested_500_deep();
    assert!(
        !found.iter().any(Diagnostic::is_error),
        "{}",
        show_all(&found)
    );
}

#[test]

fn quotes_nested_500_deep_give_a_deep_nesting_warning() {
    let found = quotes_nested_500_deep();
    let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["deep-nesting"], "{}", show_all(&found));
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].file, "errors/deep-quote/01-intro.md");
    assert_eq!(found[0].line, 5);
}

#[test]
fn unknown_keys_are_warnings_and_the_course_still_compiles() {
    for fixture in ["unknown-key", "unknown-key-front-matter"] {
        let compilations = compile(&fixtures_dir().join(fixture), &format!("errors/{fixture}"));
        let [compilation] = compilations.as_slice() else {
            panic!("{fixture}: expected one course");
        };
        let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["unknown-key"], "{fixture}");
        assert_eq!(compilation.errors(), 0, "{fixture}");
        assert!(
            compilation.course.is_some(),
            "{fixture}: a course with only warnings is still publishable"
        );
    }
}

#[test]
fn a_course_with_an_error_is_never_published() {
    let compilations = compile(&fixtures_dir().join("raw-html"), "errors/raw-html");
    assert_eq!(compilations[0].errors(), 1);
    assert!(compilations[0].course.is_none());
}

#[test]
fn a_module_symlinked_from_outside_the_course_is_refused() {
    let (_tmp, course) = new_course("linked-module");
    let outside = course.with_file_name("elsewhere");
    write(
        &outside,
        "01-intro.md",
        b"# Secret\n\n## Lesson\n\nNot for learners.\n",
    );
    symlink(&outside.join("01-intro.md"), &course.join("01-intro.md"));
    write_more(&course);
    let compilations = compile(&course, "errors/linked-module");
    assert_exact(
        "linked-module",
        &compilations[0].diagnostics,
        &[Expect {
            severity: Severity::Error,
            code: "outside-course",
            file: "errors/linked-module/01-intro.md".to_string(),
            line: 1,
            column: 1,
            message: "01-intro.md is a link to a file outside the course folder",
            hint: None,
        }],
    );
    assert_eq!(
        compilations[0].summary.modules, 1,
        "only 02-more.md is read"
    );
}

#[test]

fn problems_under_a_rejected_heading_are_still_reported() {
    let (_tmp, course) = new_course("hidden-problems");
    write(
        &course,
        "01-intro.md",
        b"# Introduction\n\n## Washing hands\n\nWash your hands.\n\n## Washing hands\n\nUse soap<br>.\n",
    );
    write(
        &course,
        "02-more.md",
        b"## Drying hands\n\nUse a towel<br>.\n",
    );
    let found = diagnostics(&course, "errors/hidden-problems");
    let expect = |code, file: &str, line, column, message| Expect {
        severity: Severity::Error,
        code,
        file: format!("errors/hidden-problems/{file}"),
        line,
        column,
        message,
        hint: None,
    };
    assert_exact(
        "hidden-problems",
        &found,
        &[
            expect(
                "duplicate-id",
                "01-intro.md",
                7,
                1,
                "`washing-hands` is used already",
            ),
            expect("raw-html", "01-intro.md", 9, 9, "Raw HTML is not allowed"),
            expect("no-title", "02-more.md", 1, 1, "has no # title"),
            expect("raw-html", "02-more.md", 3, 12, "Raw HTML is not allowed"),
        ],
    );
}

/// 100,000 tags on one line are one error, found without walking the line
/// once per tag.
#[test]
fn a_line_of_many_tags_is_one_error() {
    let (_tmp, course) = new_course("html-line");
    let text = format!(
        "# Introduction\n\n## Words\n\n{}\n",
        "<b>hi</b> ".repeat(50_000)
    );
    write(&course, "01-intro.md", text.as_bytes());
    write_more(&course);
    let found = diagnostics(&course, "errors/html-line");
    let html: Vec<(usize, usize)> = found
        .iter()
        .filter(|d| d.code == "raw-html")
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(html, [(5, 1)], "{found:?}");
}

#[test]
fn html_on_one_line_is_one_error_with_every_tag_underlined() {
    let (_tmp, course) = new_course("html-per-line");
    let text =
        "# Introduction\n\n## Words\n\nWrite <b>your</b> name here.<br>\nAnd <i>sign</i> it.\n";
    write(&course, "01-intro.md", text.as_bytes());
    write_more(&course);
    let found = diagnostics(&course, "errors/html-per-line");
    let lines: Vec<(usize, usize)> = found
        .iter()
        .filter(|d| d.code == "raw-html")
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(lines, [(5, 7), (6, 5)], "one error per line: {found:#?}");
    let underlined: Vec<&str> = found.iter().map(|d| &text[d.span.clone()]).collect();
    assert_eq!(underlined, ["<b>your</b> name here.<br>", "<i>sign</i>"]);
}

/// Every diagnostic in `found` has `code`, and they are on these lines
/// with a hint containing these words, in this order.
fn assert_hints(found: &[Diagnostic], code: &str, expected: &[(usize, &str)]) {
    let seen: Vec<(&str, usize, &str)> = found
        .iter()
        .map(|d| (d.code, d.line, d.hint.as_str()))
        .collect();
    assert_eq!(seen.len(), expected.len(), "{seen:#?}");
    for ((found_code, line, hint), (want_line, words)) in seen.iter().zip(expected) {
        assert_eq!((*found_code, *line), (code, *want_line), "{seen:#?}");
        assert!(hint.contains(words), "line {line}: {hint}");
    }
}

#[test]
fn a_question_without_answers_gets_a_hint_for_the_slip_it_shows() {
    let (_tmp, course) = new_course("answer-slips");
    write(
        &course,
        "01-intro.md",
        "# Introduction\n\n## Quiz: Check\n\n\
         ### No space after the dash?\n\n-[x] 5°C\n-[ ] 25°C\n\n\
         ### No boxes?\n\n- 5°C\n- 25°C\n\n\
         ### Nothing at all?\n\nThink about it.\n\n\
         ### One bracket?\n\nThe fridge is [cold].\n"
            .as_bytes(),
    );
    let found = diagnostics(&course, "errors/answer-slips");
    assert_hints(
        &found,
        "no-answers",
        &[
            (5, "not -[x] 5°C"),
            (10, "has no boxes"),
            // Nothing to go on: every way to write answers.
            (15, "numbered list"),
            (19, "not [cold]"),
        ],
    );
}

#[test]
fn only_a_heading_that_starts_with_the_word_quiz_and_has_questions_is_a_missing_colon() {
    let (_tmp, course) = new_course("quiz-words");
    write(
        &course,
        "01-intro.md",
        b"# Introduction\n\n## Quizzes at work\n\n### Why quizzes?\n\nThey help.\n\n\
          ## Quiz night\n\nThe pub has a quiz on Fridays.\n\n\
          ## quiz - fridges {#fridges}\n\n### Cold?\n\n- [x] Yes\n- [ ] No\n",
    );
    let found = diagnostics(&course, "errors/quiz-words");
    assert_eq!(found.len(), 1, "{found:#?}");
    // Its answer boxes would be on the page for learners to read: an error.
    assert_eq!(found[0].code, "answers-outside-quiz");
    assert_eq!(found[0].line, 13);
    assert!(
        found[0].hint.ends_with("## Quiz: fridges"),
        "{}",
        found[0].hint
    );
}

#[test]
fn a_translation_written_with_a_capital_code_or_no_colon_is_pointed_out() {
    let (_tmp, course) = new_course("translation-slips");
    write(
        &course,
        "course.toml",
        format!("{COURSE_TOML}languages = [\"ar\", \"uk\"]\n").as_bytes(),
    );
    write(
        &course,
        "01-intro.md",
        "# Introduction\n\n## Words\n\nThe kitchen.\n\n\
         oven\n: A hot box for cooking.\n: AR: فرن\n: uk: духовка\n\n\
         sink\n: A basin with taps.\n: ar حوض\n: uk: раковина\n\n\
         law\n: UK law says so.\n: ar: قانون\n"
            .as_bytes(),
    );
    let found = diagnostics(&course, "errors/translation-slips");
    assert_hints(
        &found,
        "missing-translation",
        &[
            (7, "The line `: AR: فرن` looks like the ar translation"),
            (12, "The line `: ar حوض` looks like the ar translation"),
            // "UK law" is English: the usual hint.
            (17, "Add a line for each, like `: uk: ...`"),
        ],
    );
}

#[test]
fn a_link_split_by_a_space_is_pointed_out_but_words_in_brackets_and_real_callouts_are_not() {
    let (_tmp, course) = new_course("link-slips");
    write(
        &course,
        "01-intro.md",
        b"# Introduction\n\n## Words\n\n\
          Listen: [the order] (media/order.mp3)\n\n\
          A note [like this] (here), and see [page 4] (the red book).\n\n\
          Write [[gaps]] in a quiz, not [gaps].\n\n\
          > [sic] A quote with words in brackets.\n\n\
          > [!tip]\n> A callout in small letters works.\n",
    );
    let found = diagnostics(&course, "errors/link-slips");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "broken-link");
    assert_eq!((found[0].line, found[0].column), (5, 9));
    assert!(
        found[0].message.contains("a space between ] and ("),
        "{}",
        found[0].message
    );
}

#[test]
fn a_box_without_a_space_after_it_is_named_as_the_slip() {
    let (_tmp, course) = new_course("box-slips");
    write(
        &course,
        "01-intro.md",
        "# Introduction\n\n## Quiz: Check\n\n\
         ### Every box?\n\n- [x]5°C\n- [ ]25°C\n\n\
         ### One box?\n\n- [x]5°C\n- [ ] 25°C\n"
            .as_bytes(),
    );
    let found = diagnostics(&course, "errors/box-slips");
    let seen: Vec<(&str, usize, &str)> = found
        .iter()
        .map(|d| (d.code, d.line, d.hint.as_str()))
        .collect();
    let hint = "Put a space between the box and the answer: - [x] 5°C, not - [x]5°C.";
    assert_eq!(
        seen,
        [("no-answers", 5, hint), ("option-without-box", 12, hint)],
        "{found:#?}"
    );
    assert_eq!(
        found[1].message,
        "This answer's box has no space after it, so Presto does not see the box."
    );
}

/// Hints show the fix with the tutor's own answers, not the kitchen's.
#[test]
fn hints_use_the_tutors_own_answers() {
    let (_tmp, course) = new_course("own-examples");
    write(
        &course,
        "01-intro.md",
        "# Stock\n\n## Quiz: Check\n\n\
         ### Where does new stock go?\n\n-[x] At the back\n-[ ] At the front\n\n\
         ### Match the words.\n\n- till = where customers pay\n- shelf a board for goods\n\n\
         ### Fill in the gap.\n\nNew stock goes at the [back].\n\n\
         ### Who can use the ladder?\n\n- [ ] Anyone\n- [ ] Trained staff\n"
            .as_bytes(),
    );
    let found = diagnostics(&course, "errors/own-examples");
    let hints: Vec<(&str, &str)> = found.iter().map(|d| (d.code, d.hint.as_str())).collect();
    assert_eq!(hints.len(), 4, "{hints:#?}");
    assert!(
        hints[0]
            .1
            .contains("write - [x] At the back, not -[x] At the back."),
        "{hints:#?}"
    );
    assert!(
        hints[1].1.ends_with("like: - till = where customers pay"),
        "{hints:#?}"
    );
    assert!(
        hints[2].1.contains("write [[back]], not [back]."),
        "{hints:#?}"
    );
    assert!(hints[3].1.ends_with("like - [x] Anyone"), "{hints:#?}");
    assert!(
        !hints.iter().any(|(_, hint)| hint.contains("5°C")),
        "{hints:#?}"
    );
}

/// A module with a special space is compiled from a repaired copy: what
/// else is found on the line is still shown at its place in the file.
#[test]
fn a_problem_after_a_special_space_is_shown_at_its_own_place() {
    let (_tmp, course) = new_course("special-space-and-more");
    let text = "# Introduction\n\n## Lesson\n\n-\u{a0}Apron <b>on</b>\n-\u{a0}Hat\n";
    write(&course, "01-intro.md", text.as_bytes());
    let found = diagnostics(&course, "errors/special-space-and-more");
    let seen: Vec<(&str, usize, usize, &str)> = found
        .iter()
        .map(|d| (d.code, d.line, d.column, &text[d.span.clone()]))
        .collect();
    assert_eq!(
        seen,
        [
            ("special-space", 5, 2, "\u{a0}"),
            ("raw-html", 5, 9, "<b>on</b>"),
            ("special-space", 6, 2, "\u{a0}"),
        ]
    );
}

/// A checklist in a lesson is fine; the same boxes under a ### heading in
/// a lesson would show learners the answers.
#[test]
fn answer_boxes_are_an_error_only_under_a_question_heading_outside_a_quiz() {
    let (_tmp, course) = new_course("checklists");
    write(
        &course,
        "01-intro.md",
        "# Introduction\n\n## Before your shift\n\n- [x] Apron on\n- [ ] Hair tied back\n\n\
         ## Quiz: Check\n\n### Where does new stock go?\n\n- [x] At the back\n- [ ] At the front\n"
            .as_bytes(),
    );
    assert_eq!(diagnostics(&course, "errors/checklists"), []);
}

// ---------------------------------------------------------------------------
// The real binary: exit status and the JSON Lines contract.

fn presto(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_presto"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_exits_1_with_errors_0_with_only_warnings_and_2_for_usage_mistakes() {
    let with_error = presto(&["check", "tests/fixtures/errors/no-title"]);
    let out = stdout(&with_error);
    assert_eq!(with_error.status.code(), Some(1), "{out}");
    assert!(out.contains("error[no-title]"), "{out}");
    assert!(
        out.contains("hint: Start the file with one line like"),
        "{out}"
    );

    let with_warning = presto(&["check", "tests/fixtures/errors/unknown-key"]);
    let out = stdout(&with_warning);
    assert_eq!(with_warning.status.code(), Some(0), "{out}");
    assert!(out.contains("warning[unknown-key]"), "{out}");

    let missing = presto(&["check", "tests/fixtures/errors/no-such-course"]);
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{err}");
    assert!(err.contains("does not exist"), "{err}");

    let bad_flag = presto(&["check", "--no-such-flag", "tests/fixtures/errors/no-title"]);
    assert_eq!(bad_flag.status.code(), Some(2));

    let bad_format = presto(&[
        "check",
        "--format",
        "yaml",
        "tests/fixtures/errors/no-title",
    ]);
    assert_eq!(bad_format.status.code(), Some(2));
}

/// A diagnostic as printed in JSON: (file, code, line, column).
type JsonDiagnostic = (String, String, u64, u64);

/// Parses `--format json` output, checking that each line is one object with
/// exactly the promised fields and types.
fn json_lines(output: &str) -> Vec<JsonDiagnostic> {
    let fields = BTreeSet::from([
        "severity", "code", "message", "hint", "file", "line", "column",
    ]);
    let mut out = Vec::new();
    for line in output.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let object = value
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {line}"));
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, fields, "{line}");
        let text = |key: &str| {
            let text = object[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} is not a string: {line}"));
            assert!(!text.is_empty(), "{key} is empty: {line}");
            text.to_string()
        };
        let position = |key: &str| {
            let n = object[key]
                .as_u64()
                .unwrap_or_else(|| panic!("{key} is not a whole number: {line}"));
            assert!(n >= 1, "{key} must be 1-based: {line}");
            n
        };
        assert!(
            ["error", "warning"].contains(&text("severity").as_str()),
            "{line}"
        );
        assert!(ALL_CODES.contains(&text("code").as_str()), "{line}");
        text("message");
        text("hint");
        out.push((
            text("file"),
            text("code"),
            position("line"),
            position("column"),
        ));
    }
    out
}

#[test]
fn json_output_is_one_object_per_line_with_the_promised_fields() {
    let output = presto(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/errors/requires-cycle",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let cycle = |course: &str| {
        (
            format!("tests/fixtures/errors/requires-cycle/{course}/course.toml"),
            "requires-cycle".to_string(),
            5,
            13,
        )
    };
    assert_eq!(
        json_lines(&stdout(&output)),
        [cycle("a-course"), cycle("b-course")]
    );

    let warnings_only = presto(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/errors/deep-nesting",
    ]);
    assert_eq!(warnings_only.status.code(), Some(0));
    let deep = (
        "tests/fixtures/errors/deep-nesting/01-intro.md".to_string(),
        "deep-nesting".to_string(),
        8,
        7,
    );
    assert_eq!(json_lines(&stdout(&warnings_only)), [deep]);
}

/// The CLI on the whole fixtures folder says what the table says for each
/// fixture in it. (`invalid-slug` and `requires-cycle` hold their courses one
/// level down, so the CLI does not look inside them.)
#[test]
fn json_output_for_every_fixture_matches_the_table() {
    let output = presto(&["check", "--format", "json", "tests/fixtures/errors"]);
    assert_eq!(output.status.code(), Some(1));
    let fixture_of = |file: &str| {
        file.trim_start_matches("tests/fixtures/errors/")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut found: Vec<JsonDiagnostic> = json_lines(&stdout(&output))
        .into_iter()
        .filter(|(file, ..)| !is_known_bug(&fixture_of(file)))
        .collect();
    let mut wanted: Vec<JsonDiagnostic> = expected()
        .into_iter()
        .filter(|(fixture, _)| {
            let dir = fixtures_dir().join(fixture);
            !is_known_bug(fixture) && dir.is_dir() && is_course(&dir)
        })
        .flat_map(|(_, list)| list)
        .map(|e| {
            (
                format!("tests/fixtures/{}", e.file),
                e.code.to_string(),
                e.line as u64,
                e.column as u64,
            )
        })
        .collect();
    found.sort();
    wanted.sort();
    assert_eq!(found, wanted);
}

#[test]

fn check_on_a_course_folder_without_course_toml_reports_it() {
    let output = presto(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/errors/missing-course-toml",
    ]);
    let lines = json_lines(&stdout(&output));
    let codes: Vec<&str> = lines.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(codes, ["missing-course-toml"]);
    assert_eq!(output.status.code(), Some(1));
}

// ---------------------------------------------------------------------------
// Sectors an organisation adds in sectors.toml beside its courses.

fn sectors_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sectors")
        .join(name)
}

#[test]
fn check_accepts_a_sector_from_sectors_toml_beside_the_courses() {
    for path in [
        "tests/fixtures/sectors/ok",
        // One course: its folder's sectors.toml still counts.
        "tests/fixtures/sectors/ok/shop-floor",
    ] {
        let output = presto(&["check", path]);
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(0), "{path}: {out}");
        assert!(out.contains("shop-floor: 1 module, 2 lessons"), "{out}");
        assert!(out.contains("Ready to publish."), "{out}");
        assert!(out.contains("0 errors, 0 warnings"), "{out}");
    }
    // Without the file, the same course is in a sector Presto does not know.
    let (_tmp, course) = new_course("shop-floor");
    for file in ["course.toml", "01-shop-floor.md"] {
        fs::copy(
            sectors_fixture("ok/shop-floor").join(file),
            course.join(file),
        )
        .unwrap();
    }
    let found = diagnostics(&course, "shop-floor");
    assert_eq!(
        found.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["unknown-sector"]
    );
}

#[test]
fn an_unknown_sector_hint_lists_the_configured_ones() {
    let (sectors, problems) = course::Sectors::load(&sectors_fixture("ok"), "courses");
    assert_eq!(problems, vec![]);
    let (_tmp, course) = new_course("factory-floor");
    write(
        &course,
        "course.toml",
        b"title = \"Factory\"\nsector = \"factory\"\nlevel = \"A1\"\nsummary = \"S.\"\n",
    );
    write_intro(&course);
    let source = source::load_course(&course, "courses/factory-floor");
    let options = CompileOptions {
        sectors,
        ..CompileOptions::default()
    };
    let compilation = course::compile(&source, &BTreeSet::new(), &options);
    let found: Vec<&Diagnostic> = compilation.diagnostics.iter().collect();
    assert_eq!(found.len(), 1, "{}", show_all(&compilation.diagnostics));
    let d = found[0];
    assert_eq!(
        (d.code, d.file.as_str(), d.line),
        ("unknown-sector", "courses/factory-floor/course.toml", 2)
    );
    assert_eq!(d.message, "\"factory\" is not a sector Presto knows.");
    assert!(
        d.hint.starts_with(
            "Use one of: retail, hospitality, care, childcare, construction, warehousing, english, other."
        ),
        "configured sectors are listed, in their order: {}",
        d.hint
    );
    assert!(d.hint.contains("sectors.toml"), "{}", d.hint);
}

#[test]
fn a_broken_sectors_toml_is_named_at_its_line_and_its_sectors_are_unknown() {
    let output = presto(&["check", "tests/fixtures/sectors/broken"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("error[sectors-syntax]"), "{out}");
    assert!(
        out.contains("tests/fixtures/sectors/broken/sectors.toml:4:"),
        "the file and line of the slip: {out}"
    );
    assert!(out.contains("sectors.toml is not valid TOML"), "{out}");
    assert!(out.contains("error[unknown-sector]"), "{out}");
    assert!(out.contains("2 errors, 0 warnings"), "{out}");

    // sectors.toml's problems are not a course's (ALL_CODES): read plainly.
    let output = presto(&["check", "--format", "json", "tests/fixtures/sectors/broken"]);
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let found: Vec<(&str, &str, u64)> = lines
        .iter()
        .map(|l| {
            (
                l["file"].as_str().unwrap(),
                l["code"].as_str().unwrap(),
                l["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "tests/fixtures/sectors/broken/sectors.toml",
                "sectors-syntax",
                4
            ),
            (
                "tests/fixtures/sectors/broken/till-work/course.toml",
                "unknown-sector",
                2
            ),
        ]
    );
    assert_eq!(output.status.code(), Some(1));
}
