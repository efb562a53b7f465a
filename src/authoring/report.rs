//! Diagnostics for a page: what `presto check` prints (file, line, column,
//! message, hint, the source line with the problem marked), as data a
//! template can lay out, so it reads on a phone and in a screen reader.

use serde::Serialize;

use crate::course::{CourseSource, Diagnostic};

/// Characters kept either side of the marked part of a long line.
const CONTEXT_CHARS: usize = 60;
/// The longest marked part shown.
const MARKED_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticView {
    /// `error` or `warning`.
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub excerpt: Option<Excerpt>,
}

/// The source line, cut in three around the problem, and the `^^^` line
/// that goes under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    /// The line's number, and as many spaces, for the margin of both lines.
    pub line_number: String,
    pub gutter: String,
    pub before: String,
    pub marked: String,
    pub after: String,
    /// Spaces then carets, to line up under `marked` in a fixed-width font.
    pub carets: String,
}

/// Every diagnostic, in order, with its source line where the file is known.
pub fn views(diagnostics: &[Diagnostic], source: &CourseSource) -> Vec<DiagnosticView> {
    diagnostics
        .iter()
        .map(|d| DiagnosticView {
            severity: d.severity.as_str(),
            code: d.code,
            message: d.message.clone(),
            hint: d.hint.clone(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            excerpt: source
                .text_of(&d.file)
                .and_then(|text| excerpt(&text, d.span.clone()))
                .map(|found| {
                    let line_number = d.line.to_string();
                    Excerpt {
                        gutter: " ".repeat(line_number.len()),
                        line_number,
                        ..found
                    }
                }),
        })
        .collect()
}

/// The line holding `span.start`, split around the span (to the end of the
/// line at most, at least one character where there is one), as
/// codespan-reporting draws it for `presto check`.
pub fn excerpt(text: &str, span: std::ops::Range<usize>) -> Option<Excerpt> {
    // Spans count from after a byte-order mark, as the compiler read it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut end = span.end.clamp(start, line_end);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end == start {
        end = text[start..line_end]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    let line = &text[line_start..line_end];
    if line.trim().is_empty() && start == end {
        return None;
    }
    let tidy = |s: &str| s.replace('\t', "    ").trim_end_matches('\r').to_string();
    let mut before = tidy(&text[line_start..start]);
    let mut marked = tidy(&text[start..end]);
    let mut after = tidy(&text[end..line_end]);
    if before.chars().count() > CONTEXT_CHARS {
        let skip = before.chars().count() - CONTEXT_CHARS;
        before = format!("…{}", before.chars().skip(skip).collect::<String>());
    }
    if marked.chars().count() > MARKED_CHARS {
        marked = format!("{}…", marked.chars().take(MARKED_CHARS).collect::<String>());
    }
    if after.chars().count() > CONTEXT_CHARS {
        after = format!("{}…", after.chars().take(CONTEXT_CHARS).collect::<String>());
    }
    let carets = format!(
        "{}{}",
        " ".repeat(before.chars().count()),
        "^".repeat(marked.chars().count().max(1))
    );
    Some(Excerpt {
        before,
        marked,
        after,
        carets,
        ..Excerpt::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_problem_is_marked_on_its_line() {
        let text = "# Title\n\n- [ ] Before you start work\n- [ ] After\n";
        let start = text.find("- [ ] Before").unwrap();
        let found = excerpt(text, start..start + 27).unwrap();
        assert_eq!(found.before, "");
        assert_eq!(found.marked, "- [ ] Before you start work");
        assert_eq!(found.after, "");
        assert_eq!(found.carets, "^".repeat(27));

        let word = text.find("start").unwrap();
        let found = excerpt(text, word..word + 5).unwrap();
        assert_eq!(
            (
                found.before.as_str(),
                found.marked.as_str(),
                found.after.as_str()
            ),
            ("- [ ] Before you ", "start", " work")
        );
        assert_eq!(found.carets, format!("{}^^^^^", " ".repeat(17)));
    }

    #[test]
    fn a_span_over_several_lines_is_marked_to_the_end_of_the_first() {
        let text = "one two\nthree\n";
        let found = excerpt(text, 4..12).unwrap();
        assert_eq!((found.marked.as_str(), found.after.as_str()), ("two", ""));
    }

    #[test]
    fn an_empty_span_marks_one_character_and_odd_spans_are_clamped() {
        let found = excerpt("title = 3\n", 0..0).unwrap();
        assert_eq!(found.marked, "t");
        let found = excerpt("é and ü", 1..100).unwrap();
        assert_eq!(found.before, "");
        assert!(found.marked.starts_with('é'));
        assert!(excerpt("", 5..9).is_none());
        assert!(
            excerpt("a\n\nb", 2..2).is_none(),
            "an empty line shows nothing"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_span_in_any_text_gives_an_excerpt_or_none(
            text in "(\\PC|\n|\r|\t){0,80}",
            start in 0usize..120,
            length in 0usize..40,
        ) {
            if let Some(found) = excerpt(&text, start..start + length) {
                proptest::prop_assert!(!found.carets.is_empty());
                proptest::prop_assert!(!found.before.contains('\n') && !found.after.contains('\n'));
            }
        }
    }

    #[test]
    fn long_lines_are_shortened_around_the_problem() {
        let text = format!("{}<b>{}", "a".repeat(500), "z".repeat(500));
        let at = text.find("<b>").unwrap();
        let found = excerpt(&text, at..at + 3).unwrap();
        assert_eq!(found.marked, "<b>");
        assert_eq!(found.before.chars().count(), CONTEXT_CHARS + 1);
        assert!(found.before.starts_with('…') && found.after.ends_with('…'));
        assert_eq!(found.carets.trim_start(), "^^^");
    }
}
