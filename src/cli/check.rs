//! `presto check [PATH]`: compile every course under PATH and tell the tutor
//! what is wrong, then what each course contains.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use indicatif::{ProgressBar, ProgressStyle};

use super::{EXIT_ERRORS, EXIT_USAGE, Format};
use crate::course::sectors::SECTORS_FILE;
use crate::course::{
    self, Compilation, CompileOptions, CourseSource, Diagnostic, Sectors, report, source,
};

/// Below this much text a progress bar would only flicker.
const PROGRESS_BAR_BYTES: u64 = 4 * 1024 * 1024;
const PROGRESS_BAR_COURSES: usize = 20;

pub fn run(path: &Path, format: Format) -> ExitCode {
    let discovery = match source::discover(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("presto check: {e}.");
            eprintln!(
                "Give a folder of courses (like ./courses) or one course folder (with a course.toml in it)."
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let (folder, shown) = courses_folder(path, &discovery);
    let (sectors, sector_problems) = Sectors::load(&folder, &shown);
    let sectors_text = || {
        let text = std::fs::read_to_string(folder.join(SECTORS_FILE)).ok()?;
        Some(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
    };
    let sources = load_all(&discovery.courses);
    let options = CompileOptions {
        sectors,
        ..CompileOptions::default()
    };
    let compilations = course::compile_all(&sources, &discovery.known_slugs, &options);

    let stdout = std::io::stdout();
    let result = match format {
        Format::Json => {
            let mut out = stdout.lock();
            out.write_all(report::json_lines(&sector_problems).as_bytes())
                .and_then(|()| {
                    compilations.iter().try_for_each(|c| {
                        out.write_all(report::json_lines(&c.diagnostics).as_bytes())
                    })
                })
        }
        Format::Human => print_human((&sector_problems, &sectors_text), &sources, &compilations),
    };
    if let Err(e) = result
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("presto check: cannot write the report: {e}");
    }
    if sector_problems.iter().any(Diagnostic::is_error)
        || compilations.iter().any(|c| c.errors() > 0)
    {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The courses folder `sectors.toml` is looked for in, and how it is
/// shown: PATH itself, or its parent when PATH is one course.
fn courses_folder(path: &Path, discovery: &source::Discovery) -> (PathBuf, String) {
    let one_course = discovery
        .courses
        .first()
        .is_some_and(|(dir, _)| dir.as_path() == path);
    if !one_course {
        return (path.to_path_buf(), path.display().to_string());
    }
    let shown = path.display().to_string();
    let trimmed = shown.trim_end_matches('/');
    let parent = path
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| path.join(".."));
    // `courses/kitchen` shows `courses/sectors.toml`; `.` shows the folder.
    let parent_shown = match Path::new(trimmed).parent() {
        Some(p) if !trimmed.ends_with('.') => p.display().to_string(),
        _ => parent.display().to_string(),
    };
    (parent, parent_shown)
}

fn load_all(courses: &[(std::path::PathBuf, String)]) -> Vec<CourseSource> {
    let total_bytes: u64 = courses.iter().map(|(dir, _)| folder_size(dir)).sum();
    let show_bar = std::io::stdout().is_terminal()
        && (total_bytes > PROGRESS_BAR_BYTES || courses.len() > PROGRESS_BAR_COURSES);
    let bar = if show_bar {
        let bar = ProgressBar::new(courses.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} courses read  {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let sources = courses
        .iter()
        .map(|(dir, display)| {
            bar.set_message(display.clone());
            let source = source::load_course(dir, display);
            bar.inc(1);
            source
        })
        .collect();
    bar.finish_and_clear();
    sources
}

/// Top-level size of a course folder, cheaply, to decide on a progress bar.
fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

type SectorProblems<'a> = (&'a [Diagnostic], &'a dyn Fn() -> Option<String>);

fn print_human(
    (sector_problems, sectors_text): SectorProblems<'_>,
    sources: &[CourseSource],
    compilations: &[Compilation],
) -> std::io::Result<()> {
    let colour = if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut out = StandardStream::stdout(colour);
    report::write_human(&mut out, sector_problems, &|_| sectors_text())?;
    for (source, compilation) in sources.iter().zip(compilations) {
        let source_of = |file: &str| source.text_of(file);
        report::write_human(&mut out, &compilation.diagnostics, &source_of)?;
    }
    let mut out = out.lock();
    for compilation in compilations {
        writeln!(out, "{}", summary_line(compilation))?;
    }
    let sector_errors = sector_problems.iter().filter(|d| d.is_error()).count();
    let errors: usize = sector_errors + compilations.iter().map(Compilation::errors).sum::<usize>();
    let warnings: usize = (sector_problems.len() - sector_errors)
        + compilations
            .iter()
            .map(Compilation::warnings)
            .sum::<usize>();
    writeln!(
        out,
        "{} checked: {}, {}.",
        plural(compilations.len(), "course"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// `care: 5 modules, 24 lessons, 5 quizzes, 48 questions (...), 55 glossary terms. Ready to publish.`
pub fn summary_line(compilation: &Compilation) -> String {
    let s = &compilation.summary;
    let kinds: Vec<String> = s
        .questions_by_kind
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let status = match compilation.errors() {
        0 => "Ready to publish.".to_string(),
        n => format!("Not publishable: {}.", plural(n, "error")),
    };
    format!(
        "{}: {}, {}, {}, {}{}, {}. {status}",
        compilation.slug,
        plural(s.modules, "module"),
        plural(s.lessons, "lesson"),
        plural(s.quizzes, "quiz"),
        plural(s.questions(), "question"),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        },
        plural(s.glossary_terms, "glossary term"),
    )
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "quiz") => format!("{n} quizzes"),
        _ => format!("{n} {word}s"),
    }
}
