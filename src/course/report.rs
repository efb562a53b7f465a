//! Showing diagnostics: like a compiler for people (the source line with a
//! marker under the problem, drawn by codespan-reporting), or as JSON Lines
//! for tools.

use std::collections::HashMap;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor::WriteColor};

use super::diagnostics::{Diagnostic, Severity};

/// Writes diagnostics for people. `source_of` gives a file's text by the
/// name in the diagnostic; files it does not know are named without a
/// source line.
pub fn write_human(
    out: &mut dyn WriteColor,
    diagnostics: &[Diagnostic],
    source_of: &dyn Fn(&str) -> Option<String>,
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<String, Option<usize>> = HashMap::new();
    let config = Config::default();
    for diagnostic in diagnostics {
        let id = *ids.entry(diagnostic.file.clone()).or_insert_with(|| {
            source_of(&diagnostic.file).map(|text| files.add(diagnostic.file.clone(), text))
        });
        let report = match diagnostic.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message);
        let report = match id.and_then(|id| files.get(id).ok().map(|f| (id, f.source().len()))) {
            Some((id, len)) => {
                let source = files
                    .get(id)
                    .map(|f| f.source().as_str())
                    .unwrap_or_default();
                let span = clamp_span(source, diagnostic.span.clone(), len);
                report.with_labels(vec![Label::primary(id, span)])
            }
            None => report.with_notes(vec![format!(
                "in {}:{}:{}",
                diagnostic.file, diagnostic.line, diagnostic.column
            )]),
        };
        let report = report.with_notes(vec![format!("hint: {}", diagnostic.hint)]);
        term::emit_to_write_style(out, &config, &files, &report).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// The same, as plain text (tests, logs).
pub fn human_string(
    diagnostics: &[Diagnostic],
    source_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut buffer = term::termcolor::NoColor::new(Vec::new());
    // Writing to memory cannot fail.
    let _ = write_human(&mut buffer, diagnostics, source_of);
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

/// A span codespan can draw: inside the text, on character boundaries, and
/// covering at least one character where there is one.
fn clamp_span(source: &str, span: std::ops::Range<usize>, len: usize) -> std::ops::Range<usize> {
    let mut start = span.start.min(len);
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, len);
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    // Mark to the end of the first line at most: a whole lesson underlined
    // helps nobody.
    if let Some(newline) = source[start..end].find('\n') {
        end = start + newline;
    }
    if end == start {
        end = source[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    start..end
}

/// One JSON object per line, with the fields the CLI promises.
pub fn json_lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_json_line() + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_clamped_to_something_drawable() {
        assert_eq!(clamp_span("abc\ndef", 1..6, 7), 1..3);
        assert_eq!(clamp_span("é", 1..1, 2), 0..2);
        assert_eq!(clamp_span("", 5..9, 0), 0..0);
    }
}
