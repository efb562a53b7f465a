//! Slips of the keyboard that leave valid markdown meaning something else:
//! `##Title` is a line of text, not a heading, and `[Listen] (media/a.mp3)`
//! or `![A sink](media/hand sink.svg)` is text, not a link or a picture.
//! Markdown has no error for them, so a tutor would only notice on the page.
//!
//! They are found in the module's text, not in pulldown-cmark's events: a
//! check on every text event cost the compile about 8% (the module reader's
//! loop is the hottest code in the compiler), while these byte searches
//! (`memchr`) cost next to nothing and run only where a `#` starts a line or
//! a `]` meets a `(`.

use memchr::memmem;

use super::diagnostics::FileDiagnostics;

/// How far a link is looked for around a `](`: links are short, and a
/// bound keeps a 2 MB line of brackets linear, not quadratic.
const LINK_WINDOW: usize = 512;

/// Warns about every slip in one module file.
pub fn check(text: &str, diags: &mut FileDiagnostics) {
    let body_start = front_matter_end(text);
    let mut fences = Fences::new(text);
    headings_without_space(text, body_start, &mut fences, diags);
    broken_links(text, body_start, &mut fences, diags);
}

/// Where fenced code blocks (```` ``` ```` or `~~~`) start and end, found on
/// first use: most modules have no slips, so they never pay for it.
struct Fences<'a> {
    text: &'a str,
    /// Byte offsets of the fence lines, in order.
    lines: Option<Vec<usize>>,
}

impl<'a> Fences<'a> {
    fn new(text: &'a str) -> Self {
        Fences { text, lines: None }
    }

    /// Is `at` inside a fenced code block?
    fn contain(&mut self, at: usize) -> bool {
        let text = self.text;
        let lines = self.lines.get_or_insert_with(|| {
            let mut offset = 0;
            let mut fences = Vec::new();
            for line in text.split_inclusive('\n') {
                let trimmed = line.trim_start();
                if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                    fences.push(offset);
                }
                offset += line.len();
            }
            fences
        });
        // An odd number of fence lines before `at`: inside a block.
        lines.partition_point(|&fence| fence < at) % 2 == 1
    }
}

/// Where the text after `+++` front matter starts (0 without one): TOML
/// comments there start with `#` too.
fn front_matter_end(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("+++") else {
        return 0;
    };
    let after_open = text.len() - rest.len();
    memmem::find(rest.as_bytes(), b"\n+++")
        .map(|at| after_open + at + 4)
        .unwrap_or(text.len())
}

/// A non-breaking space (U+00A0, "a special space", often from Word) where
/// markdown needs an ordinary one: after the `#` of a heading, the `-` of a
/// list, the box of an answer or the `:` of a definition. Markdown reads
/// the line as text, and the slip would show as another problem elsewhere.
pub struct SpecialSpace {
    /// Byte offset of the special space.
    pub at: usize,
    /// What it comes after, as the tutor wrote it: `###`, `-`, `[x]`, `:`.
    after: String,
}

/// The special spaces in a module's text that stand where markdown needs a
/// space, in order. Most modules have no U+00A0 at all.
pub fn special_spaces(text: &str) -> Vec<SpecialSpace> {
    let mut found = Vec::new();
    if memmem::find(text.as_bytes(), "\u{a0}".as_bytes()).is_none() {
        return found;
    }
    let mut fences = Fences::new(text);
    let body_start = front_matter_end(text);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        if line_start < body_start || !line.contains('\u{a0}') || fences.contain(line_start) {
            continue;
        }
        // Quote marks and indentation come before the markers.
        let lead = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let mut rest = &line[lead..];
        let mut at = line_start + lead;
        // A marker, then maybe a box after it: `-\u{a0}[x]\u{a0}Yes` has two.
        for round in 0..2 {
            let Some(marker) = marker_before_space(rest) else {
                break;
            };
            // A box counts only after a list's marker; nothing else does.
            let is_box = marker.starts_with('[');
            let after_list = round == 1 && found_list_marker(&line[lead..], rest);
            if is_box != (round == 1) || (round == 1 && !after_list) {
                break;
            }
            let after = &rest[marker.len()..];
            if let Some(space) = after.strip_prefix('\u{a0}') {
                found.push(SpecialSpace {
                    at: at + marker.len(),
                    after: marker.to_string(),
                });
                at += marker.len() + 2;
                rest = space;
            } else if let Some(space) = after.strip_prefix(' ') {
                at += marker.len() + 1;
                rest = space;
            } else {
                break;
            }
        }
    }
    found
}

/// The markdown marker at the start of `text` that must have a space after
/// it: `#` to `######`, a list's `-`, `*`, `+` or `1.`, an answer box, or a
/// definition's `:`.
fn marker_before_space(text: &str) -> Option<&str> {
    let hashes = text.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) {
        return Some(&text[..hashes]);
    }
    if text.starts_with(['-', '*', '+', ':']) {
        return Some(&text[..1]);
    }
    if ["[x]", "[X]", "[ ]"].iter().any(|b| text.starts_with(b)) {
        return Some(&text[..3]);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && text[digits..].starts_with(['.', ')']) {
        return Some(&text[..digits + 1]);
    }
    None
}

/// Whether `rest` follows a list's marker (`-`, `*`, `+`, `1.`) at the start
/// of `line`.
fn found_list_marker(line: &str, rest: &str) -> bool {
    let before = &line[..line.len() - rest.len()];
    let marker = before.trim_end_matches([' ', '\u{a0}']);
    marker.len() < before.len()
        && (matches!(marker, "-" | "*" | "+")
            || marker
                .strip_suffix(['.', ')'])
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
}

/// Warns about each special space, at its own line.
pub fn report_special_spaces(found: &[SpecialSpace], diags: &mut FileDiagnostics) {
    for space in found {
        let after = &space.after;
        let what = match after.as_bytes()[0] {
            b'#' => "the heading",
            b'[' => "the box",
            b':' => "the definition",
            _ => "the list",
        };
        diags.warning(
            "special-space",
            space.at..space.at + 2,
            format!(
                "The space after {after} is a special space, often from Word (a non-breaking space), so markdown does not see {what}. Presto reads it as an ordinary space."
            ),
            format!(
                "Delete the space after {after} and type an ordinary one. Pasting from Word brings these in: paste as plain text, or write the course in a plain text editor."
            ),
        );
    }
}

/// The text with each special space in `found` made an ordinary space,
/// and where each one now is (for moving positions back: the text is one
/// byte shorter after each).
pub fn repair_special_spaces(text: &str, found: &[SpecialSpace]) -> (String, Vec<usize>) {
    let mut repaired = String::with_capacity(text.len());
    let mut shifts = Vec::with_capacity(found.len());
    let mut from = 0;
    for space in found {
        repaired.push_str(&text[from..space.at]);
        shifts.push(repaired.len());
        repaired.push(' ');
        from = space.at + 2;
    }
    repaired.push_str(&text[from..]);
    (repaired, shifts)
}

/// `##Washing hands` at the start of a line.
fn headings_without_space(
    text: &str,
    from: usize,
    fences: &mut Fences,
    diags: &mut FileDiagnostics,
) {
    let bytes = text.as_bytes();
    for at in memchr::memchr_iter(b'#', &bytes[from..]).map(|i| from + i) {
        if at > 0 && bytes[at - 1] != b'\n' {
            continue;
        }
        let line = line_at(text, at);
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        let rest = &line[hashes..];
        if hashes > 6 || !rest.starts_with(char::is_alphabetic) || fences.contain(at) {
            continue;
        }
        let marks = &line[..hashes];
        diags.warning(
            "heading-without-space",
            at..at + line.len(),
            format!(
                "This line starts with {marks} but has no space after it, so it is text, not a heading."
            ),
            format!("Put a space after the {marks}: {marks} {}", rest.trim_end()),
        );
    }
}

/// A link or picture that markdown does not read: `[words]` and `(address)`
/// with a space between them, or an address with a space in it.
fn broken_links(text: &str, from: usize, fences: &mut Fences, diags: &mut FileDiagnostics) {
    let bytes = &text.as_bytes()[from..];
    for at in memmem::find_iter(bytes, b"](").map(|i| from + i) {
        // `](` is in every working link too: only an address with a space
        // (and no title after it, like `(media/a.svg "A title")`) is a slip.
        let Some(address) = address_after(text, at + 2) else {
            continue;
        };
        let Some((first, after_space)) = address.split_once(' ') else {
            continue;
        };
        if address.starts_with('<')
            || after_space.starts_with(['"', '\'', '('])
            || !looks_like_an_address(first)
        {
            continue;
        }
        if let Some((what, start)) = opening_bracket(text, at, fences) {
            let fixed = address.replace(' ', "%20");
            // The picture or link would be broken on the page: an error.
            diags.error(
                "broken-link",
                start..at + 3 + address.len(),
                format!("This {what} does not work: its address, `{address}`, has a space in it."),
                format!(
                    "Rename the file without spaces, like my-photo.svg, or write each space as %20: ({fixed})"
                ),
            );
        }
    }
    for at in memmem::find_iter(bytes, b"] (").map(|i| from + i) {
        let Some(address) = address_after(text, at + 3) else {
            continue;
        };
        if address.contains(' ') || !looks_like_an_address(address) {
            continue;
        }
        if let Some((what, start)) = opening_bracket(text, at, fences) {
            diags.warning(
                "broken-link",
                start..at + 4 + address.len(),
                format!("This {what} does not work: there is a space between ] and (."),
                "Write the ] and the ( together, like [Listen](media/order.mp3).",
            );
        }
    }
}

/// The text from `start` up to a `)` on the same line (and near), trimmed.
fn address_after(text: &str, start: usize) -> Option<&str> {
    let window = text.get(start..).unwrap_or_default();
    let window = &window[..floor_char_boundary(window, LINK_WINDOW)];
    let line = window.split('\n').next().unwrap_or(window);
    line.split_once(')').map(|(address, _)| address.trim())
}

/// The largest char boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The `[` (or `![`) that the `]` at `close` ends, on the same line: "link"
/// or "picture" and where it starts. None for a task box (`[ ]`, `[x]`), a
/// gap (`[[...]]`), or a `]` in inline code.
fn opening_bracket(text: &str, close: usize, fences: &mut Fences) -> Option<(&'static str, usize)> {
    let window_start = floor_char_boundary(text, close.saturating_sub(LINK_WINDOW));
    let line_start = text[window_start..close]
        .rfind('\n')
        .map_or(window_start, |at| window_start + at + 1);
    let before = &text[line_start..close];
    let open = before.rfind('[')?;
    let words = &before[open + 1..];
    let is_box = matches!(words, " " | "x" | "X");
    let is_gap = before[..open].ends_with('[');
    let in_code = before.bytes().filter(|b| *b == b'`').count() % 2 == 1;
    if words.trim().is_empty() || is_box || is_gap || in_code || fences.contain(close) {
        return None;
    }
    Some(match before[..open].strip_suffix('!') {
        Some(_) => ("picture", line_start + open - 1),
        None => ("link", line_start + open),
    })
}

/// A web address, an email or phone link, an anchor, or a path to a file
/// (a `/` or a file extension), as opposed to words in brackets.
fn looks_like_an_address(text: &str) -> bool {
    let extension = text.rsplit_once('.').is_some_and(|(_, ext)| {
        (2..=4).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    !text.is_empty()
        && (text.contains('/')
            || extension
            || text.starts_with('#')
            || text.starts_with("mailto:")
            || text.starts_with("tel:"))
}

/// The rest of the line from `at`, without its line end.
fn line_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or_default();
    let line = rest.split('\n').next().unwrap_or(rest);
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    /// The byte range of `needle` in `text`.
    fn range_of(text: &str, needle: &str) -> Range<usize> {
        let at = text.find(needle).expect("needle in text");
        at..at + needle.len()
    }

    fn slips(text: &str) -> Vec<(&'static str, Range<usize>, String)> {
        let mut diags = FileDiagnostics::new("01-intro.md", text);
        check(text, &mut diags);
        diags
            .found
            .into_iter()
            .map(|d| (d.code, d.span, d.hint))
            .collect()
    }

    #[test]
    fn a_heading_without_its_space_is_found_and_nothing_else_is() {
        let text = "+++\n#comment in the front matter\n+++\n# Title\n\n##Washing hands\n\n#1 rule: wash.\n\n```\n#include\n```\nA # in the middle.\n";
        let found = slips(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "heading-without-space");
        assert_eq!(found[0].1, range_of(text, "##Washing hands"));
        assert_eq!(found[0].2, "Put a space after the ##: ## Washing hands");
    }

    #[test]
    fn links_that_markdown_cannot_read_are_found_and_working_ones_are_not() {
        let text = "![A sink](media/hand sink.svg)\n\
                    [Listen] (media/order.mp3)\n\
                    [Works](media/order.mp3) and ![Works](media/a.svg \"A title\")\n\
                    ![Works too](<media/hand sink.svg>)\n\
                    A note [like this] (here), see [page 4] (the red book).\n\
                    - [ ] (a.b)\n\
                    Write [[cold]] (not.this)\n\
                    `[code] (media/x.mp3)`\n";
        let found = slips(text);
        let spans: Vec<&str> = found
            .iter()
            .map(|(_, span, _)| &text[span.clone()])
            .collect();
        assert_eq!(
            spans,
            [
                "![A sink](media/hand sink.svg)",
                "[Listen] (media/order.mp3)"
            ],
            "{found:?}"
        );
        assert!(
            found[0].2.ends_with("(media/hand%20sink.svg)"),
            "{}",
            found[0].2
        );
    }

    fn special(text: &str) -> Vec<(usize, String)> {
        special_spaces(text)
            .into_iter()
            .map(|s| (s.at, s.after))
            .collect()
    }

    #[test]
    fn special_spaces_are_found_only_where_markdown_needs_a_space() {
        let nb = '\u{a0}';
        let text = format!(
            "+++\n#{nb}comment\n+++\n#{nb}Title\n\n> ##{nb}Quoted\n\n  *{nb}item\n12.{nb}[x]{nb}step\n:{nb}ar: فرن\n\n### 1.{nb}Step one\n8{nb}°C is cold.\n[x]{nb}not a list\n```\n-{nb}code\n```\n"
        );
        let at = |needle: &str| text.find(needle).unwrap() + needle.len();
        assert_eq!(
            special(&text),
            [
                (at("\n+++\n#"), "#".to_string()),
                (at("> ##"), "##".to_string()),
                (at("  *"), "*".to_string()),
                (at("12."), "12.".to_string()),
                (at("12.\u{a0}[x]"), "[x]".to_string()),
                (at("\n:"), ":".to_string()),
            ]
        );
    }

    #[test]
    fn repaired_text_has_ordinary_spaces_and_says_where_it_got_shorter() {
        let text = "###\u{a0}Where?\n\n-\u{a0}[x]\u{a0}Yes\n";
        let found = special_spaces(text);
        let (repaired, shifts) = repair_special_spaces(text, &found);
        assert_eq!(repaired, "### Where?\n\n- [x] Yes\n");
        assert_eq!(shifts, [3, 13, 17]);
    }

    /// A 2 MB module (the most a module may be) made of slips, inside and
    /// outside code blocks and on one long line: every one is looked at
    /// once, so this finishes at once rather than in hours.
    #[test]
    fn a_module_full_of_slips_is_checked_in_one_pass() {
        let mut text = String::from("```\n");
        text.push_str(&"#inside\n".repeat(60_000));
        text.push_str("```\n");
        text.push_str(&"#outside\n".repeat(60_000));
        text.push_str(&"[Listen] (media/a.mp3) ".repeat(40_000));
        text.push('\n');
        assert!(text.len() > 1_900_000);
        let found = slips(&text);
        let headings = found
            .iter()
            .filter(|f| f.0 == "heading-without-space")
            .count();
        let links = found.iter().filter(|f| f.0 == "broken-link").count();
        assert_eq!((headings, links), (60_000, 40_000));
    }
}
