//! Problems the compiler finds in a course, told the way a tutor can act on.
//!
//! Every diagnostic names its file, a 1-based line and column, a stable code
//! (listed with fixes in `docs/authoring-guide.md`), a plain-English message and
//! a hint. The compiler collects them all in one run instead of stopping at the
//! first, so a tutor fixes a whole course in one go.

use std::cell::OnceCell;
use std::ops::Range;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case name of the problem, e.g. `no-correct-option`.
    pub code: &'static str,
    pub message: String,
    pub hint: String,
    /// The file as the tutor would type it, e.g. `courses/care/01-role.md`.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes), so it is right for
    /// Arabic or Cyrillic text too.
    pub column: usize,
    /// Byte range in the file, for drawing the source line. Not part of the
    /// JSON contract.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Diagnostic {
    /// An error about a whole file (or folder) rather than a place in it.
    pub fn about_file(file: &str, code: &'static str, message: String, hint: &str) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message,
            hint: hint.to_string(),
            file: file.to_string(),
            line: 1,
            column: 1,
            span: 0..0,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The JSON Lines form printed by `presto check --format json`.
    pub fn to_json_line(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Byte offset to line and column, built on first use: most files have no
/// problems, so most files never pay for it.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            line_starts: OnceCell::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line of a byte offset, without counting the column (which
    /// walks the line: on a 2 MB line, once per diagnostic adds up).
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .max(1)
    }

    /// 1-based (line, column) of a byte offset; offsets past the end or inside
    /// a character are clamped to a valid position.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line.max(1), column)
    }
}

/// Collects the diagnostics for one file, turning byte spans into positions.
pub struct FileDiagnostics<'a> {
    file: &'a str,
    index: LineIndex<'a>,
    pub found: Vec<Diagnostic>,
    /// When the text compiled is a repaired copy of the file, one byte
    /// shorter after each of these offsets (in the copy): spans are moved
    /// back to the file's own positions.
    shifts: Vec<usize>,
}

impl<'a> FileDiagnostics<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        FileDiagnostics {
            file,
            index: LineIndex::new(text),
            found: Vec::new(),
            shifts: Vec::new(),
        }
    }

    /// From now on, spans are in a copy of the text that is one byte
    /// shorter after each offset in `shifts` (in the copy, in order).
    pub fn set_shifts(&mut self, shifts: Vec<usize>) {
        self.shifts = shifts;
    }

    /// The 1-based line of a byte offset in the file.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line(offset)
    }

    /// A span in the compiled text, as a span in the file.
    fn in_file(&self, span: Range<usize>) -> Range<usize> {
        if self.shifts.is_empty() {
            return span;
        }
        let back = |at: usize| at + self.shifts.partition_point(|&s| s < at);
        back(span.start)..back(span.end)
    }

    pub fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(Severity::Error, code, span, message.into(), hint.into());
    }

    pub fn warning(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, span, message.into(), hint.into());
    }

    /// Widens the last diagnostic to take in `span` when it has this code
    /// and `span` starts on its line; false (nothing changed) otherwise.
    /// For problems a tutor fixes once per line, like the two tags of
    /// `<b>word</b>`: one error with both underlined, not one per tag.
    pub fn widen_last_on_line(&mut self, code: &'static str, span: Range<usize>) -> bool {
        let span = self.in_file(span);
        let line = self.index.line(span.start);
        match self.found.last_mut() {
            Some(last) if last.code == code && last.line == line => {
                last.span.end = last.span.end.max(span.end);
                true
            }
            _ => false,
        }
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Range<usize>,
        message: String,
        hint: String,
    ) {
        let span = self.in_file(span);
        let (line, column) = self.index.position(span.start);
        self.found.push(Diagnostic {
            severity,
            code,
            message,
            hint,
            file: self.file.to_string(),
            line,
            column,
            span,
        });
    }
}

/// Sort diagnostics the way a reader goes through a course: by file, then
/// position. Stable, so problems at one spot keep the order they were found.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "first\nسلام عليكم x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(6), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), (2, 12));
        assert_eq!(index.position(text.len() + 10), (3, 1));
    }

    #[test]
    fn the_line_alone_agrees_with_the_position() {
        let text = "first\nسلام عليكم x\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            if text.is_char_boundary(offset.min(text.len())) {
                assert_eq!(index.line(offset), index.position(offset).0, "{offset}");
            }
        }
    }

    #[test]
    fn an_offset_inside_a_character_is_clamped() {
        let index = LineIndex::new("é");
        assert_eq!(index.position(1), (1, 1));
    }
}
