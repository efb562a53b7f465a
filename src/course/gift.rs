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

use std::collections::{HashMap, HashSet};

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

/// One character of a question after GIFT escapes were decoded.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    /// Written with a backslash: never GIFT syntax. An escaped `\n` is a
    /// hard line break; an unescaped `\n` joins two source lines.
    esc: bool,
    line: usize,
    col: usize,
}

impl Ch {
    /// Is this the GIFT syntax character `c` (not escaped)?
    fn is(self, c: char) -> bool {
        !self.esc && self.c == c
    }
}

/// Lines ending in `\n`, `\r\n` or `\r`.
struct Lines<'a> {
    rest: &'a str,
    done: bool,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        match self.rest.find(['\n', '\r']) {
            Some(end) => {
                let line = self.rest.get(..end).unwrap_or("");
                let skip = if self.rest.get(end..).is_some_and(|r| r.starts_with("\r\n")) {
                    2
                } else {
                    1
                };
                self.rest = self.rest.get(end.saturating_add(skip)..).unwrap_or("");
                Some(line)
            }
            None => {
                self.done = true;
                Some(self.rest)
            }
        }
    }
}

/// Append the characters of one source line, decoding GIFT escapes.
fn decode_line(line: &str, line_no: usize, out: &mut Vec<Ch>) {
    let mut chars = line.chars().peekable();
    let mut col = 0usize;
    while let Some(c) = chars.next() {
        col = col.saturating_add(1);
        if c == '\\' {
            let escaped = match chars.peek() {
                Some(&n @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => Some(n),
                Some('n') => Some('\n'),
                _ => None,
            };
            if let Some(e) = escaped {
                chars.next();
                out.push(Ch {
                    c: e,
                    esc: true,
                    line: line_no,
                    col,
                });
                col = col.saturating_add(1);
                continue;
            }
        }
        out.push(Ch {
            c,
            esc: false,
            line: line_no,
            col,
        });
    }
}

/// `chars[start..end]`, empty when out of range.
fn sub(chars: &[Ch], start: usize, end: usize) -> &[Ch] {
    chars.get(start..end).unwrap_or(&[])
}

fn trim(chars: &[Ch]) -> &[Ch] {
    let Some(start) = chars.iter().position(|c| !c.c.is_whitespace()) else {
        return &[];
    };
    let end = chars
        .iter()
        .rposition(|c| !c.c.is_whitespace())
        .map_or(start, |e| e.saturating_add(1));
    sub(chars, start, end)
}

fn find(chars: &[Ch], c: char) -> Option<usize> {
    chars.iter().position(|x| x.is(c))
}

fn find_pair(chars: &[Ch], a: char, b: char) -> Option<usize> {
    chars.windows(2).position(|w| match w {
        [x, y] => x.is(a) && y.is(b),
        _ => false,
    })
}

/// Split at the first unescaped `c`: (before, after).
fn split_once(chars: &[Ch], c: char) -> (&[Ch], Option<&[Ch]>) {
    match find(chars, c) {
        Some(p) => (
            sub(chars, 0, p),
            Some(sub(chars, p.saturating_add(1), chars.len())),
        ),
        None => (chars, None),
    }
}

/// One answer of an answer block: the marker (`~` or `=`) and what follows.
struct Seg<'a> {
    marker: Option<Ch>,
    body: &'a [Ch],
}

fn split_markers<'a>(chars: &'a [Ch], markers: &[char]) -> Vec<Seg<'a>> {
    let mut segs = Vec::new();
    let mut start = 0;
    let mut marker = None;
    for (i, c) in chars.iter().enumerate() {
        if !c.esc && markers.contains(&c.c) {
            segs.push(Seg {
                marker,
                body: sub(chars, start, i),
            });
            marker = Some(*c);
            start = i.saturating_add(1);
        }
    }
    segs.push(Seg {
        marker,
        body: sub(chars, start, chars.len()),
    });
    segs
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Moodle,
    Html,
    Plain,
    Markdown,
}

/// Read a leading `[html]`-style format tag.
fn take_format(chars: &[Ch], default: Format) -> (Format, &[Ch]) {
    let t = trim(chars);
    let end = match t.first() {
        Some(c) if c.is('[') => t.iter().take(12).position(|c| c.is(']')),
        _ => None,
    };
    if let Some(end) = end {
        let name: String = sub(t, 1, end)
            .iter()
            .map(|c| c.c.to_ascii_lowercase())
            .collect();
        let format = match name.as_str() {
            "html" => Some(Format::Html),
            "moodle" => Some(Format::Moodle),
            "plain" => Some(Format::Plain),
            "markdown" => Some(Format::Markdown),
            _ => None,
        };
        if let Some(f) = format {
            return (f, trim(sub(t, end.saturating_add(1), t.len())));
        }
    }
    (default, t)
}

/// Read a leading `%50%` weight. Returns the weight (clamped to -100..=100)
/// and the rest; no weight when the text does not start with a valid one.
fn parse_weight(chars: &[Ch]) -> (Option<f64>, &[Ch]) {
    if !chars.first().is_some_and(|c| c.is('%')) {
        return (None, chars);
    }
    let Some(end) = chars.iter().skip(1).take(24).position(|c| c.is('%')) else {
        return (None, chars);
    };
    let end = end.saturating_add(1);
    let number: String = sub(chars, 1, end).iter().map(|c| c.c).collect();
    let unsigned = number.strip_prefix('-').unwrap_or(&number);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let valid = (1..=3).contains(&int.len())
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if !valid {
        return (None, chars);
    }
    match number.parse::<f64>() {
        Ok(w) if w.is_finite() => (
            Some(w.clamp(-100.0, 100.0)),
            trim(sub(chars, end.saturating_add(1), chars.len())),
        ),
        _ => (None, chars),
    }
}

fn is_full(weight: f64) -> bool {
    weight >= 100.0 - 1e-6
}

fn show_weight(weight: f64) -> String {
    let rounded = (weight * 1000.0).round() / 1000.0;
    format!("{rounded}%")
}

/// Text made ready for markdown: one escaped string per paragraph.
#[derive(Debug, Default, Clone)]
struct Rendered {
    paras: Vec<String>,
    /// The text without markdown escapes, paragraphs joined by spaces.
    plain: String,
}

impl Rendered {
    fn is_empty(&self) -> bool {
        self.paras.is_empty()
    }

    /// All paragraphs on one line.
    fn flat(&self) -> String {
        self.paras.join(" ")
    }
}

/// What rendering had to change, for one warning per question.
#[derive(Debug, Default, Clone, Copy)]
struct Flags {
    /// HTML tags were removed.
    simplified: bool,
    /// A literal `[[` or `]]` was split so that it cannot read as a gap.
    brackets: bool,
}

/// Render GIFT text in `format` as markdown paragraphs.
fn render(chars: &[Ch], format: Format, flags: &mut Flags) -> Rendered {
    let raw: String = chars
        .iter()
        .map(|c| match c.c {
            '\n' if c.esc => '\n',
            ch if ch.is_control() => ' ',
            ch => ch,
        })
        .collect();
    let text = match format {
        Format::Plain => raw,
        Format::Html | Format::Moodle => {
            let (stripped, had_tags) = strip_html(&raw);
            flags.simplified |= had_tags;
            decode_entities(&stripped)
        }
        Format::Markdown => {
            let (stripped, had_tags) = strip_html(&raw);
            flags.simplified |= had_tags;
            stripped
        }
    };
    let mut out = Rendered::default();
    for line in text.split('\n') {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let mut para = words.join(" ");
        let split = split_double_brackets(&para, format == Format::Markdown);
        if split != para {
            para = split;
            flags.brackets = true;
        }
        if !out.plain.is_empty() {
            out.plain.push(' ');
        }
        out.plain.push_str(&para);
        out.paras.push(match format {
            Format::Markdown => escape_markdown_source(&para),
            _ => escape_plain(&para),
        });
    }
    out
}

/// Put a space inside every `[[` and `]]`: Presto reads them as a gap
/// even when escaped. In markdown source, emphasis and code markers between
/// two brackets vanish when rendered, so they do not separate them.
fn split_double_brackets(s: &str, markdown: bool) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(8));
    let mut prev = None;
    for c in s.chars() {
        if matches!(c, '[' | ']') && prev == Some(c) {
            out.push(' ');
        }
        out.push(c);
        if !(markdown && matches!(c, '*' | '_' | '~' | '`')) {
            prev = Some(c);
        }
    }
    out
}

/// Escape plain text so that markdown shows it literally. `s` is one line;
/// it is treated as the start of a markdown line.
fn escape_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(s.len() / 8).saturating_add(4));
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    let mut index = 0usize;
    let mut only_digits = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let escape = match c {
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '{' | '}' | '~' | '|' | '$' => true,
            '#' => prev.is_none_or(char::is_whitespace),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '-' | '+' | '=' | ':' => index == 0,
            '.' | ')' => {
                only_digits && (1..=9).contains(&index) && next.is_none_or(char::is_whitespace)
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        only_digits &= c.is_ascii_digit();
        prev = Some(c);
        index = index.saturating_add(1);
    }
    out
}

/// Make one line of `[markdown]` text safe while keeping its inline
/// markdown: no raw HTML, no heading attributes, no accidental gaps, no
/// block structure.
fn escape_markdown_source(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let in_code = code_span_mask(&chars);
    let mut out = String::with_capacity(s.len().saturating_add(8));
    // Block markers at the start of the line.
    let first = chars.first().copied();
    let second = chars.get(1).copied();
    let thematic = chars.len() >= 3
        && first.is_some_and(|f| matches!(f, '-' | '*' | '_'))
        && chars.iter().all(|&c| Some(c) == first || c == ' ');
    let list = matches!(first, Some('-' | '+' | '*')) && second.is_none_or(char::is_whitespace);
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let ordered = (1..=9).contains(&digits)
        && matches!(chars.get(digits), Some('.' | ')'))
        && chars
            .get(digits.saturating_add(1))
            .is_none_or(|c| c.is_whitespace());
    for (i, &c) in chars.iter().enumerate() {
        if in_code.get(i).copied().unwrap_or(false) {
            out.push(c);
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i.saturating_add(1)).copied();
        let escape = match c {
            '<' | '{' | '}' | '|' => true,
            '[' => prev == Some('[') || next == Some('['),
            ']' => prev == Some(']') || next == Some(']'),
            '#' => prev.is_none_or(char::is_whitespace),
            '>' | '=' | ':' | '+' => i == 0,
            '-' | '*' | '_' => i == 0 && (thematic || list),
            '.' | ')' => ordered && i == digits,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Which characters belong to a markdown code span (backtick runs of equal
/// length). Linear: each length keeps a cursor that only moves forward.
fn code_span_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    // (start, length) of each backtick run not preceded by a backslash.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i) == Some(&'`') {
            let start = i;
            while chars.get(i) == Some(&'`') {
                i = i.saturating_add(1);
            }
            let escaped = start
                .checked_sub(1)
                .is_some_and(|p| chars.get(p) == Some(&'\\'));
            if !escaped {
                runs.push((start, i.saturating_sub(start)));
            }
        } else {
            i = i.saturating_add(1);
        }
    }
    let mut by_len: HashMap<usize, (Vec<usize>, usize)> = HashMap::new();
    for (index, &(_, len)) in runs.iter().enumerate() {
        by_len.entry(len).or_default().0.push(index);
    }
    let mut r = 0;
    while r < runs.len() {
        let Some(&(start, len)) = runs.get(r) else {
            break;
        };
        let mut closing = None;
        if let Some((list, cursor)) = by_len.get_mut(&len) {
            while list.get(*cursor).is_some_and(|&k| k <= r) {
                *cursor = cursor.saturating_add(1);
            }
            if let Some(&k) = list.get(*cursor) {
                closing = Some(k);
                *cursor = cursor.saturating_add(1);
            }
        }
        match closing.and_then(|k| runs.get(k).map(|run| (k, *run))) {
            Some((k, (close_start, close_len))) => {
                let end = close_start.saturating_add(close_len);
                for m in mask.iter_mut().take(end).skip(start) {
                    *m = true;
                }
                r = k.saturating_add(1);
            }
            None => r = r.saturating_add(1),
        }
    }
    mask
}

/// Remove HTML tags. `<br>` and block tags become line breaks; autolinks
/// `<https://...>` keep their address. Returns whether any tag was removed.
fn strip_html(s: &str) -> (String, bool) {
    if !s.contains('<') {
        return (s.to_string(), false);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut had_tags = false;
    let mut next_gt: Option<usize> = None;
    let mut no_more_gt = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let starts_tag = c == '<'
            && !no_more_gt
            && chars
                .get(i.saturating_add(1))
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'));
        if starts_tag {
            let gt = match next_gt {
                Some(g) if g > i => Some(g),
                _ => {
                    let found = chars
                        .get(i.saturating_add(1)..)
                        .and_then(|rest| rest.iter().position(|&x| x == '>'))
                        .map(|p| p.saturating_add(i).saturating_add(1));
                    next_gt = found;
                    found
                }
            };
            match gt {
                Some(g) => {
                    let body: String = chars
                        .get(i.saturating_add(1)..g)
                        .unwrap_or(&[])
                        .iter()
                        .collect();
                    let lower = body.trim().to_ascii_lowercase();
                    if ["http://", "https://", "mailto:"]
                        .iter()
                        .any(|p| lower.starts_with(p))
                    {
                        out.push_str(body.trim());
                    } else {
                        had_tags = true;
                        let name: String = lower
                            .trim_start_matches('/')
                            .chars()
                            .take_while(char::is_ascii_alphanumeric)
                            .collect();
                        match name.as_str() {
                            "br" | "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4"
                            | "h5" | "h6" | "tr" | "table" | "blockquote" | "pre" | "hr" | "dl"
                            | "dt" | "dd" => out.push('\n'),
                            "td" | "th" => out.push(' '),
                            _ => {}
                        }
                    }
                    i = g.saturating_add(1);
                    continue;
                }
                None => no_more_gt = true,
            }
        }
        out.push(c);
        i = i.saturating_add(1);
    }
    (out, had_tags)
}

/// Decode the common HTML entities; anything else is kept as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(rest.get(..p).unwrap_or(""));
        let after = rest.get(p.saturating_add(1)..).unwrap_or("");
        let semi = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = semi.and_then(|sc| {
            let name = after.get(..sc)?;
            entity(name).map(|ch| (ch, sc))
        });
        match decoded {
            Some((ch, sc)) => {
                out.push(ch);
                rest = after.get(sc.saturating_add(1)..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let named = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "deg" => '\u{b0}',
        "pound" => '\u{a3}',
        "euro" => '\u{20ac}',
        "times" => '\u{d7}',
        "copy" => '\u{a9}',
        _ => {
            let code = name.strip_prefix('#')?;
            let value = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse::<u32>().ok()?,
            };
            return char::from_u32(value);
        }
    };
    Some(named)
}

/// Short quotation of an answer for a message.
fn quote(plain: &str) -> String {
    let mut q: String = plain.chars().take(60).collect();
    if plain.chars().nth(60).is_some() {
        q.push('\u{2026}');
    }
    format!("\"{q}\"")
}

fn blockquote(paras: &[String], indent: &str) -> String {
    let mut s = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            s.push_str(indent);
            s.push_str(">\n");
        }
        s.push_str(indent);
        s.push_str("> ");
        s.push_str(p);
        s.push('\n');
    }
    s
}

/// Join text before and after the answer braces around `middle`.
fn splice(
    before: Rendered,
    space_before: bool,
    middle: (&str, &str),
    space_after: bool,
    after: Rendered,
) -> Rendered {
    let (middle_md, middle_plain) = middle;
    let mut paras = before.paras;
    let mut line = paras.pop().unwrap_or_default();
    let mut plain = before.plain;
    // A bracket next to the gap's own brackets would make `[[[`.
    let touching_before = line.ends_with('[') && middle_md.starts_with('[');
    if !line.is_empty() && (space_before || touching_before) {
        line.push(' ');
        plain.push(' ');
    }
    line.push_str(middle_md);
    plain.push_str(middle_plain);
    let mut rest = after.paras.into_iter();
    if let Some(first) = rest.next() {
        let touching_after =
            middle_md.ends_with(']') && first.trim_start_matches('\\').starts_with(']');
        if space_after || touching_after {
            line.push(' ');
            plain.push(' ');
        }
        line.push_str(&first);
        plain.push_str(&after.plain);
    }
    paras.push(line);
    paras.extend(rest);
    Rendered { paras, plain }
}

fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "questions".to_string()
    } else {
        slug.to_string()
    }
}

/// The name shown for a category path: its last real segment (`//` is a
/// literal slash; `$course$`-style context markers and `top` are skipped).
fn category_name(path: &str) -> Option<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                current.push('/');
            } else {
                segments.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    segments.push(current);
    segments
        .into_iter()
        .map(|s| s.trim().to_string())
        .rfind(|s| {
            let context = s.len() >= 2 && s.starts_with('$') && s.ends_with('$');
            !s.is_empty() && !context && s != "top"
        })
}

/// The warnings of one question, kept only if the question is imported.
struct QCtx {
    line: usize,
    col: usize,
    flags: Flags,
    warnings: Vec<GiftWarning>,
}

impl QCtx {
    fn make(&self, at: Option<Ch>, message: String, hint: &str) -> GiftWarning {
        let (line, column) = at.map_or((self.line, self.col), |c| (c.line, c.col));
        GiftWarning {
            line,
            column,
            message,
            hint: hint.to_string(),
        }
    }

    fn warn(&mut self, at: Option<Ch>, message: String, hint: &str) {
        let w = self.make(at, message, hint);
        self.warnings.push(w);
    }
}

/// A question ready to be written, except for its number.
struct Built {
    text: Rendered,
    title: Option<String>,
    fixed_heading: Option<String>,
    answers: String,
    explanation: Rendered,
}

impl Built {
    fn assemble(self, number: usize) -> String {
        let one_line = match self.text.paras.as_slice() {
            [only] if self.text.plain.chars().count() <= MAX_HEADING_CHARS => Some(only.clone()),
            _ => None,
        };
        let (heading, body) = match (self.fixed_heading, one_line) {
            (Some(h), _) => (h, self.text.paras),
            (None, Some(line)) => (line, Vec::new()),
            (None, None) => (
                self.title.unwrap_or_else(|| format!("Question {number}")),
                self.text.paras,
            ),
        };
        let mut md = format!("### {heading}\n");
        for p in &body {
            md.push('\n');
            md.push_str(p);
            md.push('\n');
        }
        if !self.answers.is_empty() {
            md.push('\n');
            md.push_str(&self.answers);
        }
        if !self.explanation.is_empty() {
            md.push('\n');
            md.push_str(&blockquote(&self.explanation.paras, ""));
        }
        md
    }
}

enum Parsed {
    Nothing,
    Description(String),
    Question(Built),
}

struct ChoiceOption {
    text: Rendered,
    feedback: Rendered,
    weight: f64,
    at: Option<Ch>,
}

struct Quiz {
    name: String,
    slug: String,
    about: Vec<String>,
    questions: Vec<String>,
}

struct Importer {
    title: String,
    warnings: Vec<GiftWarning>,
    quizzes: Vec<Quiz>,
    quiz_index: HashMap<String, usize>,
    category: String,
    used_slugs: HashSet<String>,
    slug_counters: HashMap<String, usize>,
    imported: usize,
}

impl Importer {
    fn new(title: &str) -> Self {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        Importer {
            title: if title.is_empty() {
                "Imported questions".to_string()
            } else {
                title
            },
            warnings: Vec::new(),
            quizzes: Vec::new(),
            quiz_index: HashMap::new(),
            category: String::new(),
            used_slugs: HashSet::new(),
            slug_counters: HashMap::new(),
            imported: 0,
        }
    }

    fn unique_slug(&mut self, base: String) -> String {
        if self.used_slugs.insert(base.clone()) {
            return base;
        }
        let counter = self.slug_counters.entry(base.clone()).or_insert(1);
        loop {
            *counter = counter.saturating_add(1);
            let candidate = format!("{base}-{counter}");
            if self.used_slugs.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Index of the quiz of the current category, created on first use.
    fn current_quiz(&mut self) -> usize {
        if let Some(&i) = self.quiz_index.get(&self.category) {
            return i;
        }
        let name = category_name(&self.category).unwrap_or_else(|| self.title.clone());
        let slug = self.unique_slug(slugify(&name));
        self.quizzes.push(Quiz {
            name,
            slug,
            about: Vec::new(),
            questions: Vec::new(),
        });
        let i = self.quizzes.len().saturating_sub(1);
        self.quiz_index.insert(self.category.clone(), i);
        i
    }

    /// One blank-line-separated item of the file.
    fn block(&mut self, chars: &[Ch]) {
        let chars = trim(chars);
        let is_category = chars.len() >= 10
            && "$CATEGORY:"
                .chars()
                .zip(chars.iter())
                .all(|(want, got)| !got.esc && got.c.to_ascii_uppercase() == want);
        if !is_category {
            self.question(chars);
            return;
        }
        let end = find(chars, '\n').unwrap_or(chars.len());
        let path: String = sub(chars, 10, end)
            .iter()
            .map(|c| if c.c.is_control() { ' ' } else { c.c })
            .collect();
        let path = path.trim();
        if path.is_empty() {
            let (line, column) = chars.first().map_or((1, 1), |c| (c.line, c.col));
            self.warnings.push(GiftWarning {
                line,
                column,
                message: "This $CATEGORY line has no category name, so the questions after it go in the first quiz.".to_string(),
                hint: "Write a name after the colon, for example `$CATEGORY: Food safety`.".to_string(),
            });
        }
        self.category = path.to_string();
        self.question(sub(chars, end, chars.len()));
    }

    fn question(&mut self, chars: &[Ch]) {
        let chars = trim(chars);
        let Some(&first) = chars.first() else {
            return;
        };
        let mut q = QCtx {
            line: first.line,
            col: first.col,
            flags: Flags::default(),
            warnings: Vec::new(),
        };
        match parse_item(chars, &mut q) {
            Err(w) => self.warnings.push(w),
            Ok(Parsed::Nothing) => {}
            Ok(Parsed::Description(md)) => {
                self.keep(q);
                let i = self.current_quiz();
                if let Some(quiz) = self.quizzes.get_mut(i) {
                    quiz.about.push(md);
                }
            }
            Ok(Parsed::Question(built)) => {
                self.keep(q);
                let i = self.current_quiz();
                if let Some(quiz) = self.quizzes.get_mut(i) {
                    let number = quiz.questions.len().saturating_add(1);
                    quiz.questions.push(built.assemble(number));
                    self.imported = self.imported.saturating_add(1);
                }
            }
        }
    }

    fn keep(&mut self, q: QCtx) {
        if q.flags.simplified {
            self.warnings.push(GiftWarning {
                line: q.line,
                column: q.col,
                message: "This item contains HTML; its formatting was simplified to plain text.".to_string(),
                hint: "Check the imported text, and add markdown emphasis or lists by hand if they matter.".to_string(),
            });
        }
        if q.flags.brackets {
            self.warnings.push(GiftWarning {
                line: q.line,
                column: q.col,
                message: "The text contains `[[` or `]]`, which Presto reads as a gap, so a space was put between the brackets.".to_string(),
                hint: "Reword the text if the brackets matter; gaps come only from the answers in `{ }`.".to_string(),
            });
        }
        self.warnings.extend(q.warnings);
    }

    fn finish(mut self) -> GiftImport {
        let mut md = format!("# {}\n", escape_plain(&self.title));
        for quiz in &self.quizzes {
            if !quiz.about.is_empty() {
                md.push_str(&format!(
                    "\n## About these questions {{#{}-about}}\n",
                    quiz.slug
                ));
                for text in &quiz.about {
                    md.push('\n');
                    md.push_str(text);
                }
            }
            if !quiz.questions.is_empty() {
                md.push_str(&format!(
                    "\n## Quiz: {} {{#{}-quiz}}\n",
                    escape_plain(&quiz.name),
                    quiz.slug
                ));
                for question in &quiz.questions {
                    md.push('\n');
                    md.push_str(question);
                }
            }
        }
        if self.imported == 0 {
            self.warnings.push(GiftWarning {
                line: 1,
                column: 1,
                message: "No questions could be imported from this file.".to_string(),
                hint: "Check that it is a GIFT file: questions separated by blank lines, answers inside { }.".to_string(),
            });
        }
        self.warnings.sort_by_key(|w| (w.line, w.column));
        GiftImport {
            markdown: md,
            warnings: self.warnings,
            imported: self.imported,
        }
    }
}

/// Parse one item (question or description) of the file.
fn parse_item(chars: &[Ch], q: &mut QCtx) -> Result<Parsed, GiftWarning> {
    // ::title::
    let (title_chars, body) = if find_pair(chars, ':', ':') == Some(0) {
        let rest = sub(chars, 2, chars.len());
        match find_pair(rest, ':', ':') {
            Some(p) => (
                Some(sub(rest, 0, p)),
                sub(rest, p.saturating_add(2), rest.len()),
            ),
            None => {
                return Err(q.make(
                    None,
                    "The question title starting with `::` is never closed with `::`, so this question was left out.".to_string(),
                    "Close the title with `::`, or write `\\:` for a colon that is part of the text.",
                ));
            }
        }
    } else {
        (None, chars)
    };
    let title = title_chars
        .map(|t| render(trim(t), Format::Plain, &mut q.flags))
        .filter(|r| !r.is_empty())
        .map(|r| r.flat());

    let (format, body) = take_format(body, Format::Moodle);
    let open = find(body, '{');
    let close = find(body, '}');
    let (open, close) = match (open, close) {
        (None, None) => return description(body, format, title, q),
        (Some(o), Some(c)) if o < c => (o, c),
        (Some(o), None) => {
            return Err(q.make(
                body.get(o).copied(),
                "This `{` opens the answers, but there is no `}` to close them before the next blank line, so this question was left out.".to_string(),
                "Add `}` after the last answer (a question must not contain blank lines), or write `\\{` for a literal brace.",
            ));
        }
        (_, Some(c)) => {
            return Err(q.make(
                body.get(c).copied(),
                "This `}` has no `{` before it, so this question was left out.".to_string(),
                "Write `\\}` for a literal brace, or add the missing `{` before the answers.",
            ));
        }
    };
    let inner = sub(body, open.saturating_add(1), close);
    if let Some(n) = find(inner, '{') {
        return Err(q.make(
            inner.get(n).copied(),
            "There is a second `{` inside the answers, so this question was left out.".to_string(),
            "Write `\\{` and `\\}` for braces that are part of an answer.",
        ));
    }
    let after = sub(body, close.saturating_add(1), body.len());
    if let Some(n) = after.iter().position(|c| c.is('{') || c.is('}')) {
        return Err(q.make(
            after.get(n).copied(),
            "This question has more than one set of answers in `{ }`, so it was left out.".to_string(),
            "GIFT allows one answer set per question: split it into separate questions, or write `\\{` and `\\}` for literal braces.",
        ));
    }
    let before = sub(body, 0, open);
    let missing_word = !trim(after).is_empty();

    // ####general feedback
    let gf_at = inner.windows(4).rposition(|w| w.iter().all(|c| c.is('#')));
    let (answers, general) = match gf_at {
        Some(i) => (
            sub(inner, 0, i),
            Some(sub(inner, i.saturating_add(4), inner.len())),
        ),
        None => (inner, None),
    };
    let answers = trim(answers);

    if answers.is_empty() {
        return Err(q.make(
            None,
            "Essay questions (`{}` with no answers) need a person to mark them, which Presto quizzes cannot do, so this question was left out.".to_string(),
            "Rewrite it as a choice or fill-in-the-gap question, or move the text into a lesson.",
        ));
    }
    if answers.first().is_some_and(|c| c.is('#')) {
        return Err(q.make(
            None,
            "Numerical questions (`{#...}`) cannot be expressed in Presto, so this question was left out.".to_string(),
            "Rewrite it as a multiple-choice question, or as a fill-in-the-gap question with the number as the answer.",
        ));
    }

    let explanation = general
        .map(|g| {
            let (f, g) = take_format(g, format);
            render(g, f, &mut q.flags)
        })
        .unwrap_or_default();
    let before_text = render(trim(before), format, &mut q.flags);
    let after_text = render(trim(after), format, &mut q.flags);
    let space_before = before.last().is_some_and(|c| c.c.is_whitespace());
    let space_after = after.first().is_some_and(|c| c.c.is_whitespace());

    let is_choice = answers.iter().any(|c| c.is('~'));
    let is_matching =
        !is_choice && answers.iter().any(|c| c.is('=')) && find_pair(answers, '-', '>').is_some();
    let tf_value = if is_choice || is_matching {
        None
    } else {
        let check = match find(answers, '#') {
            Some(p) if p > 0 => trim(sub(answers, 0, p)),
            _ => answers,
        };
        let word: String = check.iter().map(|c| c.c).collect();
        match word.as_str() {
            "T" | "TRUE" if check.iter().all(|c| !c.esc) => Some(true),
            "F" | "FALSE" if check.iter().all(|c| !c.esc) => Some(false),
            _ => None,
        }
    };

    let with_blank = |before_text: Rendered, after_text: Rendered| {
        if missing_word {
            splice(
                before_text,
                space_before,
                (BLANK_MD, BLANK_PLAIN),
                space_after,
                after_text,
            )
        } else {
            before_text
        }
    };

    let built = if is_choice {
        let list = build_choice(answers, format, q)?;
        Built {
            text: with_blank(before_text, after_text),
            title,
            fixed_heading: None,
            answers: list,
            explanation,
        }
    } else if is_matching {
        let list = build_matching(answers, format, q)?;
        Built {
            text: with_blank(before_text, after_text),
            title,
            fixed_heading: None,
            answers: list,
            explanation,
        }
    } else if let Some(value) = tf_value {
        let list = build_true_false(answers, value, format, q);
        Built {
            text: with_blank(before_text, after_text),
            title,
            fixed_heading: None,
            answers: list,
            explanation,
        }
    } else {
        let gap = build_gap(answers, format, q)?;
        let text = if missing_word {
            splice(
                before_text,
                space_before,
                (&gap, &gap),
                space_after,
                after_text,
            )
        } else {
            splice(before_text, true, (&gap, &gap), false, Rendered::default())
        };
        Built {
            text,
            fixed_heading: Some(title.clone().unwrap_or_else(|| FILL_IN_HEADING.to_string())),
            title,
            answers: String::new(),
            explanation,
        }
    };
    Ok(Parsed::Question(built))
}

fn description(
    body: &[Ch],
    format: Format,
    title: Option<String>,
    q: &mut QCtx,
) -> Result<Parsed, GiftWarning> {
    let text = render(body, format, &mut q.flags);
    if text.is_empty() {
        if title.is_some() {
            return Err(q.make(
                None,
                "This item has a title but no text and no answers, so it was left out.".to_string(),
                "Write the question text after the title, followed by its answers in `{ }`.",
            ));
        }
        return Ok(Parsed::Nothing);
    }
    let mut md = String::new();
    if let Some(t) = title {
        md.push_str("### ");
        md.push_str(&t);
        md.push_str("\n\n");
    }
    md.push_str(&text.paras.join("\n\n"));
    md.push('\n');
    Ok(Parsed::Description(md))
}

fn build_choice(answers: &[Ch], format: Format, q: &mut QCtx) -> Result<String, GiftWarning> {
    let single = answers.iter().any(|c| c.is('='));
    let mut options: Vec<ChoiceOption> = Vec::new();
    for seg in split_markers(answers, &['~', '=']) {
        let body = trim(seg.body);
        if seg.marker.is_none() && body.is_empty() {
            continue;
        }
        let at = seg.marker.or_else(|| body.first().copied());
        let is_right = seg.marker.is_some_and(|m| m.c == '=');
        let (weight, body) = parse_weight(body);
        let weight = weight.unwrap_or(if is_right { 100.0 } else { 0.0 });
        let (text, feedback) = split_once(body, '#');
        let (f, text) = take_format(text, format);
        let text = render(text, f, &mut q.flags);
        if text.is_empty() {
            q.warn(
                at,
                "An empty answer option was left out.".to_string(),
                "Write text after `~` or `=`, or remove the marker.",
            );
            continue;
        }
        let feedback = feedback
            .map(|fb| {
                let (f, fb) = take_format(fb, format);
                render(fb, f, &mut q.flags)
            })
            .unwrap_or_default();
        // The course format needs each option once (it is the option's id).
        if let Some(same) = options
            .iter()
            .find(|o| same_text(&o.text.plain, &text.plain))
        {
            if (same.weight - weight).abs() > f64::EPSILON {
                return Err(q.make(
                    at,
                    format!(
                        "The option {} is written twice with different marks, so this question was left out.",
                        quote(&text.plain)
                    ),
                    "Keep one copy of the option, marked right or wrong.",
                ));
            }
            q.warn(
                at,
                format!(
                    "The option {} is written twice; the second copy was left out.",
                    quote(&text.plain)
                ),
                "Remove the repeated option from the question bank.",
            );
            continue;
        }
        options.push(ChoiceOption {
            text,
            feedback,
            weight,
            at,
        });
    }
    if options.len() < 2 {
        return Err(q.make(
            None,
            format!(
                "A multiple-choice question needs at least two options, but this one has {}, so it was left out.",
                options.len()
            ),
            "Add wrong options with `~`, or write the question as a short answer `{=answer}`.",
        ));
    }
    let correct: Vec<bool> = if single {
        let full = options.iter().filter(|o| is_full(o.weight)).count();
        if full == 0 {
            return Err(no_correct_option(q));
        }
        if full > 1 {
            return Err(q.make(
                None,
                format!(
                    "{full} options are fully correct, but in Presto a single-choice question has exactly one correct option, so this question was left out."
                ),
                "Keep one `=` answer, or give each correct option a weight such as `~%50%` to make a \"tick all that apply\" question.",
            ));
        }
        for o in &options {
            if o.weight > 0.0 && !is_full(o.weight) {
                let message = format!(
                    "The option {} gives {} partial credit, which Presto does not support, so it now counts as wrong.",
                    quote(&o.text.plain),
                    show_weight(o.weight)
                );
                q.warn(
                    o.at,
                    message,
                    "Check that this is what you want, or make the question \"tick all that apply\" with `~%50%`-style weights.",
                );
            }
        }
        options.iter().map(|o| is_full(o.weight)).collect()
    } else {
        let positive: Vec<f64> = options
            .iter()
            .map(|o| o.weight)
            .filter(|&w| w > 0.0)
            .collect();
        if positive.is_empty() {
            return Err(no_correct_option(q));
        }
        let total: f64 = positive.iter().sum();
        let first = positive.first().copied().unwrap_or(0.0);
        let even = positive.iter().all(|w| (w - first).abs() < 0.01) && (total - 100.0).abs() < 0.5;
        if !even {
            let weights: Vec<String> = positive.iter().map(|&w| show_weight(w)).collect();
            q.warn(
                None,
                format!(
                    "The correct options carry weights of {} (not an even split of 100%). Presto marks this all-or-nothing: learners must choose exactly the correct options.",
                    weights.join(", ")
                ),
                "Check that all-or-nothing marking is fair for this question, or split it into simpler questions.",
            );
        }
        options.iter().map(|o| o.weight > 0.0).collect()
    };
    let mut list = String::new();
    for (o, &right) in options.iter().zip(correct.iter()) {
        list.push_str(if right { "- [x] " } else { "- [ ] " });
        list.push_str(&o.text.flat());
        list.push('\n');
        list.push_str(&blockquote(&o.feedback.paras, "  "));
    }
    Ok(list)
}

/// Equal as the course compiler sees them: case and spacing ignored.
fn same_text(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

fn no_correct_option(q: &QCtx) -> GiftWarning {
    q.make(
        None,
        "None of the options is marked correct, so this question was left out.".to_string(),
        "Mark the right answer with `=`, or give the right answers a positive weight such as `~%50%`.",
    )
}

fn build_matching(answers: &[Ch], format: Format, q: &mut QCtx) -> Result<String, GiftWarning> {
    let mut pairs: Vec<(Rendered, Rendered)> = Vec::new();
    for seg in split_markers(answers, &['=']) {
        let body = trim(seg.body);
        let at = seg.marker.or_else(|| body.first().copied());
        if body.is_empty() {
            if seg.marker.is_some() {
                q.warn(
                    at,
                    "An empty matching item was left out.".to_string(),
                    "Write each item as `=left -> right`.",
                );
            }
            continue;
        }
        let Some(arrow) = find_pair(body, '-', '>') else {
            let plain: String = body.iter().map(|c| c.c).collect();
            return Err(q.make(
                at,
                format!(
                    "The matching item {} has no `->`, so this question was left out.",
                    quote(&plain)
                ),
                "Write each item as `=left -> right`.",
            ));
        };
        let (f, left) = take_format(sub(body, 0, arrow), format);
        let left = render(left, f, &mut q.flags);
        let right = render(
            trim(sub(body, arrow.saturating_add(2), body.len())),
            Format::Plain,
            &mut q.flags,
        );
        if left.is_empty() {
            if !right.is_empty() {
                q.warn(
                    at,
                    format!(
                        "The extra answer {} has nothing to match, and Presto matching has no extra answers, so it was left out.",
                        quote(&right.plain)
                    ),
                    "Add a left side for it, or ignore this warning.",
                );
            }
            continue;
        }
        if right.is_empty() {
            q.warn(
                at,
                format!(
                    "The matching item {} has nothing after `->`, so it was left out.",
                    quote(&left.plain)
                ),
                "Write each item as `=left -> right`.",
            );
            continue;
        }
        if left.plain.contains('=') || right.plain.contains('=') {
            return Err(q.make(
                at,
                "A matching text contains `=`, which Presto uses to separate the two sides, so this question was left out.".to_string(),
                "Reword the text without `=` (for example write \"equals\").",
            ));
        }
        if pairs.iter().any(|(l, _)| same_text(&l.plain, &left.plain)) {
            return Err(q.make(
                at,
                format!(
                    "{} is on the left of two matching pairs, so this question was left out.",
                    quote(&left.plain)
                ),
                "Each item on the left must be different.",
            ));
        }
        pairs.push((left, right));
    }
    if pairs.len() < 2 {
        return Err(q.make(
            None,
            format!(
                "A matching question needs at least two pairs, but this one has {}, so it was left out.",
                pairs.len()
            ),
            "Add more `=left -> right` pairs, or rewrite it as a choice question.",
        ));
    }
    let mut list = String::new();
    for (left, right) in &pairs {
        list.push_str("- ");
        list.push_str(&left.flat());
        list.push_str(" = ");
        list.push_str(&right.flat());
        list.push('\n');
    }
    Ok(list)
}

fn build_true_false(answers: &[Ch], value: bool, format: Format, q: &mut QCtx) -> String {
    let (_, rest) = split_once(answers, '#');
    let (wrong, right) = match rest {
        Some(r) => {
            let (w, r) = split_once(r, '#');
            (Some(w), r)
        }
        None => (None, None),
    };
    let mut feedback = |part: Option<&[Ch]>| {
        part.map(|p| {
            let (f, p) = take_format(p, format);
            render(p, f, &mut q.flags)
        })
        .unwrap_or_default()
    };
    let wrong = feedback(wrong);
    let right = feedback(right);
    let (true_fb, false_fb) = if value {
        (right, wrong)
    } else {
        (wrong, right)
    };
    let mut list = String::new();
    list.push_str(if value {
        "- [x] True\n"
    } else {
        "- [ ] True\n"
    });
    list.push_str(&blockquote(&true_fb.paras, "  "));
    list.push_str(if value {
        "- [ ] False\n"
    } else {
        "- [x] False\n"
    });
    list.push_str(&blockquote(&false_fb.paras, "  "));
    list
}

/// The `[[a|b]]` gap of a short-answer question.
fn build_gap(answers: &[Ch], format: Format, q: &mut QCtx) -> Result<String, GiftWarning> {
    let segs = split_markers(answers, &['=']);
    let only_unmarked = segs.len() == 1;
    let mut alternatives: Vec<String> = Vec::new();
    let mut feedback_dropped = false;
    for seg in segs {
        let body = trim(seg.body);
        let at = seg.marker.or_else(|| body.first().copied());
        if body.is_empty() {
            if seg.marker.is_some() {
                q.warn(
                    at,
                    "An empty answer was left out.".to_string(),
                    "Write the answer after `=`, or remove the `=`.",
                );
            }
            continue;
        }
        let (weight, body) = parse_weight(body);
        let weight = weight.unwrap_or(100.0);
        let (text, feedback) = split_once(body, '#');
        let (f, text) = take_format(text, format);
        let mut scratch = Flags::default();
        let plain = render(text, f, &mut scratch).plain;
        q.flags.simplified |= scratch.simplified;
        if plain.is_empty() {
            q.warn(
                at,
                "An empty answer was left out.".to_string(),
                "Write the answer after `=`, or remove the `=`.",
            );
            continue;
        }
        if !is_full(weight) {
            q.warn(
                at,
                format!(
                    "The answer {} earns {} credit; Presto gaps accept only fully correct answers, so it was left out.",
                    quote(&plain),
                    show_weight(weight)
                ),
                "Make it a full-credit answer (remove the `%..%` weight) if it should be accepted.",
            );
            continue;
        }
        if let Some(bad) = plain.chars().find(|c| GAP_FORBIDDEN.contains(c)) {
            q.warn(
                at,
                format!(
                    "The answer {} contains `{bad}`, which cannot be written inside a Presto gap, so it was left out.",
                    quote(&plain)
                ),
                "Reword the answer without | [ ] * _ ` < > ~ or \\.",
            );
            continue;
        }
        if feedback.is_some_and(|fb| !trim(fb).is_empty()) {
            feedback_dropped = true;
        }
        if only_unmarked
            && matches!(
                plain.to_ascii_lowercase().as_str(),
                "t" | "true" | "f" | "false"
            )
        {
            q.warn(
                at,
                format!(
                    "{} is read as the answer to type in a gap, not as true/false, because Moodle only recognises T, TRUE, F and FALSE in capitals.",
                    quote(&plain)
                ),
                "Write {TRUE} or {FALSE} for a true/false question.",
            );
        }
        alternatives.push(plain);
    }
    if alternatives.is_empty() {
        return Err(q.make(
            None,
            "This fill-in-the-gap question has no fully correct answer that Presto can use, so it was left out.".to_string(),
            "Give at least one answer as `=answer`, without a `%..%` weight.",
        ));
    }
    if feedback_dropped {
        q.warn(
            None,
            "Feedback on individual answers of a fill-in-the-gap question was left out: Presto gaps have no per-answer feedback.".to_string(),
            "Use general feedback (`####...`) for an explanation shown after answering.",
        );
    }
    Ok(format!("[[{}]]", alternatives.join("|")))
}
