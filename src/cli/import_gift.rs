//! `presto import-gift FILE [--out FILE.md] [--force]`: a Moodle GIFT question
//! bank becomes a quiz module, so tutors keep the banks they already have.
//!
//! Everything GIFT can say that our format cannot (numeric ranges, essays,
//! weighted partial credit) is reported with its line and left out; the
//! written module is then compiled, so the tutor learns at once if anything
//! still needs a hand.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::{EXIT_ERRORS, EXIT_USAGE};
use crate::course::diagnostics::{Diagnostic, Severity};
use crate::course::gift::{GiftImport, import_gift};
use crate::course::{self, CompileOptions, CourseSource, SourceFile, report};

pub fn run(file: &Path, out: Option<&Path>, force: bool) -> ExitCode {
    let shown = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("presto import-gift: cannot read {shown}: {e}.");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!(
            "presto import-gift: {shown} is not UTF-8 text. In Moodle, export the question bank again; or open the file in a text editor and save it as UTF-8."
        );
        return ExitCode::from(EXIT_ERRORS);
    };
    if let Some(out) = out
        && out.exists()
        && !force
    {
        eprintln!(
            "presto import-gift: {} exists already. Choose another --out file, or add --force to replace it.",
            out.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }

    let title = file
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_else(|| "Question bank".to_string());
    let import = import_gift(&text, &title);
    let warnings = warnings_as_diagnostics(&import, &shown, &text);
    let colour = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut err = StandardStream::stderr(colour);
    let _ = report::write_human(&mut err, &warnings, &|name| {
        (name == shown).then(|| text.clone())
    });

    // The importer promises a valid module; check it with the real compiler.
    let problems = compile_check(&import.markdown, out);
    let _ = report::write_human(&mut err, &problems, &|_| Some(import.markdown.clone()));

    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &import.markdown) {
                eprintln!("presto import-gift: cannot write {}: {e}.", path.display());
                return ExitCode::from(EXIT_ERRORS);
            }
            eprintln!(
                "Imported {} question{} into {}; {} left out or changed (see above).",
                import.imported,
                if import.imported == 1 { "" } else { "s" },
                path.display(),
                import.warnings.len()
            );
        }
        None => {
            let _ = std::io::stdout().write_all(import.markdown.as_bytes());
        }
    }
    if problems.iter().any(Diagnostic::is_error) {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

fn warnings_as_diagnostics(import: &GiftImport, file: &str, text: &str) -> Vec<Diagnostic> {
    import
        .warnings
        .iter()
        .map(|w| {
            let at = byte_offset(text, w.line, w.column);
            Diagnostic {
                severity: Severity::Warning,
                code: "gift-import",
                message: w.message.clone(),
                hint: w.hint.clone(),
                file: file.to_string(),
                line: w.line,
                column: w.column,
                span: at..at,
            }
        })
        .collect()
}

/// The byte offset of a 1-based line and character column, so the warning
/// can be drawn under its source line.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or_default();
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Compiles the module alone in a throwaway course; the problems that
/// concern the module itself (not the missing course around it).
pub fn compile_check(markdown: &str, out: Option<&Path>) -> Vec<Diagnostic> {
    let name = out
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| "01-question-bank.md".to_string());
    let source = CourseSource {
        slug: "imported".to_string(),
        display_root: "imported".to_string(),
        settings: Some(SourceFile::new(
            "course.toml",
            "title = \"Imported\"\nsector = \"other\"\nlevel = \"A1\"\nsummary = \"Imported.\"\n",
        )),
        markdown: vec![SourceFile::new(name, markdown)],
        media: BTreeMap::new(),
        problems: Vec::new(),
    };
    course::compile(&source, &BTreeSet::new(), &CompileOptions::default())
        .diagnostics
        .into_iter()
        .filter(|d| !d.file.ends_with("course.toml"))
        .collect()
}
