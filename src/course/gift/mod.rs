//! Import a Moodle GIFT question bank into one Presto module file.
//!
//! [`import_gift`] reads a GIFT file and returns a complete module in the
//! course format (`# Title`, then `## Quiz:` sections of `###` questions),
//! with a warning for everything that could not be carried over exactly.
//! It never panics and runs in time linear in the size of the input.
//!
//! # What is read
//!
//! The file is split into items at blank lines, as Moodle does. Whole-line
//! `//` comments are ignored anywhere, also inside an answer block. A UTF-8
//! byte order mark and `\r\n` or `\r` line endings are accepted. Escapes
//! `\~ \= \# \{ \} \:` give the literal character, `\\` a backslash and `\n`
//! a line break. A `::title::` names a question; `[html]`, `[moodle]`,
//! `[plain]` and `[markdown]` set the text format of the question text and
//! default it for answers and feedback, which may carry their own tag.
//! Columns in warnings count characters (not bytes) from 1.
//!
//! # How GIFT maps to Presto
//!
//! | GIFT | Presto |
//! |---|---|
//! | `$CATEGORY: a/b/c` | a new `## Quiz: c {#c-quiz}`; questions before any category go in a quiz named after the title; a category used twice is one quiz |
//! | multiple choice `{=right ~wrong}` | single choice task list |
//! | multiple answers `{~%50%a ~%50%b ~%-100%c}` | multiple choice, options with a positive weight ticked |
//! | true/false `{T}` `{TRUE}` `{F}` `{FALSE}` | `- [x] True` / `- [ ] False` (or the other way round) |
//! | short answer `{=a =b}` | gap fill `question text [[a\|b]]` under the heading "Fill in the gap." (or the title) |
//! | missing word: short answer with text after the braces | gap fill `text before [[a\|b]] text after` |
//! | missing word: choice or true/false with text after the braces | the choice question, its text showing a blank `_____` where the braces were |
//! | matching `{=a -> b}` | `- a = b` bullets |
//! | `#feedback` on an option | a blockquote indented under the option |
//! | `{T#wrong#right}` | the feedback under the option it belongs to |
//! | `####general feedback` | the explanation blockquote after the answers |
//!
//! The question text goes in the `###` heading when it is one paragraph of
//! at most 120 characters. Otherwise (or when it is empty) the heading is the
//! GIFT title, or "Question N" (N counted within the quiz), and the text
//! follows as paragraphs. Otherwise the GIFT title is not shown. Line
//! breaks in the GIFT source are soft (they become spaces); `\n` and HTML
//! `<br>`/`<p>` make new paragraphs.
//!
//! Text is escaped so that markdown reads it literally (``* _ [ ] ` < > { }
//! ~ | $ \``, a `#` starting a word, list or heading markers starting a
//! line).
//! A literal `[[` or `]]` gets a space between the brackets (with a warning),
//! because Presto would read it as a gap even when escaped.
//! `[markdown]` text keeps its inline markdown (emphasis, code, links) and is
//! only made safe. HTML in `[html]` and `[moodle]` text is reduced to plain
//! text (`<br>` and block tags become paragraph breaks, entities decoded):
//! raw HTML is never written, and one warning per question says that the
//! formatting was simplified. `[plain]` text is always taken literally.
//!
//! # Descriptions
//!
//! A GIFT description (text with no answer braces) is not a question. Each
//! one is kept as text in a lesson `## About these questions` placed just
//! before the quiz of its category (id `<quiz slug>-about`), in file order,
//! with its title, if any, as a `###` sub-heading. Nothing is dropped.
//!
//! # What is left out, with a warning
//!
//! Each warning has the line and column of the question (or of the exact
//! character for syntax errors and single options), a plain-English message
//! and a hint. Left out entirely:
//!
//! - numerical questions `{#...}` and essays `{}`;
//! - matching questions with fewer than two usable pairs, or with `=` inside
//!   a text (Presto separates the two sides with `=`);
//! - choice questions with fewer than two options or no correct option, and
//!   single-answer questions with more than one `=` answer;
//! - short answers with no fully correct answer Presto can use;
//! - syntax errors: unclosed `::title`, unclosed `{`, stray `}`, `{` inside
//!   the answers, a second answer block, a matching item without `->`. The
//!   item is skipped and reading resumes after the next blank line;
//! - an item with a `::title::` and nothing else.
//!
//! A question that is left out gets one warning, saying why; the smaller
//! problems found in it before that are not reported.
//!
//! Imported with a warning:
//!
//! - partial credit: in a single-answer question options worth less than
//!   100% become wrong; in a multiple-answer question whose correct options
//!   are not an even split of 100%, marking becomes all-or-nothing;
//! - short-answer alternatives worth less than 100%, or containing
//!   characters a gap cannot hold (``| [ ] * _ ` < > ~ \``), are dropped;
//! - per-answer feedback of a short answer is dropped (a gap has none);
//! - empty options and matching items without a left side (Moodle's extra
//!   wrong answers) are dropped;
//! - `{true}` or `{t}` in lower case is a short answer, as in Moodle;
//! - a `$CATEGORY:` with no name (its questions join the first quiz);
//! - a file from which no question could be imported (line 1, column 1).
//!
//! Warnings are sorted by line and column.

mod chars;
mod importer;
mod questions;
mod text;

use std::collections::{HashMap, HashSet};

use chars::{Ch, Lines, decode_line};
use importer::Importer;

/// A problem found while importing: 1-based line and column in the GIFT file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftWarning {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftImport {
    /// A complete module file in Presto's format.
    pub markdown: String,
    pub warnings: Vec<GiftWarning>,
    /// How many questions made it into the markdown.
    pub imported: usize,
}

/// Convert a GIFT question bank into a Presto module.
///
/// `title` is used for the `# Title` and the `## Quiz:` heading (the CLI
/// passes the file stem).
pub fn import_gift(source: &str, title: &str) -> GiftImport {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut importer = Importer::new(title);
    let mut block: Vec<Ch> = Vec::new();
    let lines = Lines {
        rest: source,
        done: false,
    };
    for (index, line) in lines.enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !block.is_empty() {
                importer.block(&block);
                block.clear();
            }
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(last) = block.last().copied() {
            block.push(Ch {
                c: '\n',
                esc: false,
                line: last.line,
                col: last.col.saturating_add(1),
            });
        }
        decode_line(line, index.saturating_add(1), &mut block);
    }
    if !block.is_empty() {
        importer.block(&block);
    }
    importer.finish()
}

const MAX_HEADING_CHARS: usize = 120;
const BLANK_MD: &str = "\\_\\_\\_\\_\\_";
const BLANK_PLAIN: &str = "_____";
const FILL_IN_HEADING: &str = "Fill in the gap.";
/// Characters that cannot stand inside a `[[gap]]`.
const GAP_FORBIDDEN: &[char] = &['|', '[', ']', '*', '_', '`', '<', '>', '~', '\\'];
