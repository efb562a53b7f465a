//! The course compiler: a course folder's text in, a [`CompiledCourse`] and
//! every problem found out. Pure and synchronous; the server calls it through
//! `spawn_blocking`, `presto check` calls it directly.
//!
//! ```text
//! source (files in memory) -> settings -> modules -> lessons, quizzes, glossary
//!                                                  \-> diagnostics (all of them, one run)
//! ```

pub mod diagnostics;
pub mod gift;
pub mod ids;
mod inline_str;
pub mod markdown;
pub mod media;
pub mod model;
mod module;
pub mod number;
mod quiz;
mod render;
pub mod report;
pub mod sectors;
mod settings;
mod slips;
pub mod source;
mod vocab;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub use diagnostics::{Diagnostic, Severity};
pub use model::*;
pub use sectors::Sectors;
pub use settings::{is_rtl, language_mix_up};
pub use source::{CourseSource, MediaFile, SourceFile};
pub use vocab::show_translation;

use diagnostics::{FileDiagnostics, LineIndex};
use render::RenderContext;
use source::MAX_MODULE_BYTES;

#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// URL under which the server publishes each course's `media/` folder:
    /// `{media_url}/{slug}/{file}`.
    pub media_url: String,
    /// The sectors a course may name: the shipped ones, and those of the
    /// courses folder's `sectors.toml`.
    pub sectors: Sectors,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            media_url: "/media".to_string(),
            sectors: Sectors::default(),
        }
    }
}

/// The result of compiling one course.
#[derive(Debug, Clone)]
pub struct Compilation {
    pub slug: String,
    pub title: Option<String>,
    /// Present only when there are no errors: a course with errors is never
    /// published.
    pub course: Option<CompiledCourse>,
    /// Counts, also for a course with errors.
    pub summary: CourseSummary,
    pub diagnostics: Vec<Diagnostic>,
    /// The modules that did compile in a course with errors, for a preview
    /// while the tutor fixes them; never published. Empty when `course` is
    /// there (its modules are the ones to show).
    pub draft_modules: Vec<Module>,
    requires: Vec<Requirement>,
}

impl Compilation {
    /// The compiled modules, whether or not the course can be published.
    pub fn modules(&self) -> &[Module] {
        match &self.course {
            Some(course) => &course.modules,
            None => &self.draft_modules,
        }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// A `requires` entry and where it was written, resolved once every course
/// in the folder is known.
#[derive(Debug, Clone)]
struct Requirement {
    slug: String,
    file: String,
    line: usize,
    column: usize,
    span: Range<usize>,
}

/// Compiles one course on its own. `known_courses` are the slugs that a
/// `requires` may name (the course's neighbours in the courses folder).
pub fn compile(
    source: &CourseSource,
    known_courses: &BTreeSet<String>,
    options: &CompileOptions,
) -> Compilation {
    let mut compilation = compile_one(source, options);
    let mut known = known_courses.clone();
    known.insert(source.slug.clone());
    finish(std::slice::from_mut(&mut compilation), &known);
    compilation
}

/// Compiles several courses and resolves `requires` between them and
/// `known_courses` (other courses that exist but are not compiled now).
pub fn compile_all(
    sources: &[CourseSource],
    known_courses: &BTreeSet<String>,
    options: &CompileOptions,
) -> Vec<Compilation> {
    let mut compilations: Vec<Compilation> =
        sources.iter().map(|s| compile_one(s, options)).collect();
    let mut known: BTreeSet<String> = known_courses.clone();
    known.extend(sources.iter().map(|s| s.slug.clone()));
    finish(&mut compilations, &known);
    compilations
}

/// Another course in the same courses folder, as far as compiling one
/// course needs to know it: its name and the courses it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub slug: String,
    pub requires: Vec<String>,
}

impl Neighbour {
    /// A neighbour from its course.toml (None: it has none). Only
    /// `requires` is read; a broken file gives what could be read, as
    /// compiling that course would.
    pub fn from_course_toml(slug: &str, course_toml: Option<&[u8]>) -> Neighbour {
        let requires = course_toml
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .map(|text| {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                let mut ignored = FileDiagnostics::new("course.toml", text);
                settings::parse_course_toml(text, &mut ignored)
                    .requires
                    .into_iter()
                    .map(|(slug, _)| slug)
                    .collect()
            })
            .unwrap_or_default();
        Neighbour {
            slug: slug.to_string(),
            requires,
        }
    }
}

/// Compiles one course as `compile_all` would compile it among its
/// neighbours in the courses folder, with the same diagnostics (a
/// `requires` cycle through other courses included), without compiling the
/// neighbours: the browser editor checks a course on every pause in typing.
pub fn compile_among(
    source: &CourseSource,
    neighbours: &[Neighbour],
    options: &CompileOptions,
) -> Compilation {
    compile_some(std::slice::from_ref(source), neighbours, options).swap_remove(0)
}

/// Compiles some courses of a folder as `compile_all` would compile them
/// with the rest, which are known only as neighbours (not compiled): the
/// courses that changed, among those that did not. One compilation per
/// source, in order.
pub fn compile_some(
    sources: &[CourseSource],
    neighbours: &[Neighbour],
    options: &CompileOptions,
) -> Vec<Compilation> {
    let mut compilations: Vec<Compilation> =
        sources.iter().map(|s| compile_one(s, options)).collect();
    let compiled: BTreeSet<&str> = sources.iter().map(|s| s.slug.as_str()).collect();
    for neighbour in neighbours
        .iter()
        .filter(|n| !compiled.contains(n.slug.as_str()))
    {
        compilations.push(Compilation {
            slug: neighbour.slug.clone(),
            title: None,
            course: None,
            summary: CourseSummary::default(),
            diagnostics: Vec::new(),
            draft_modules: Vec::new(),
            requires: neighbour
                .requires
                .iter()
                .map(|slug| Requirement {
                    slug: slug.clone(),
                    file: String::new(),
                    line: 1,
                    column: 1,
                    span: 0..0,
                })
                .collect(),
        });
    }
    let mut known: BTreeSet<String> = neighbours.iter().map(|n| n.slug.clone()).collect();
    known.extend(compiled.iter().map(|slug| slug.to_string()));
    finish(&mut compilations, &known);
    compilations.truncate(sources.len());
    compilations
}

/// Resolves `requires`, orders the diagnostics, and withholds every course
/// that has an error (keeping its modules for a preview).
fn finish(compilations: &mut [Compilation], known: &BTreeSet<String>) {
    resolve_requires(compilations, known);
    for compilation in compilations {
        diagnostics::sort(&mut compilation.diagnostics);
        if compilation.errors() > 0
            && let Some(course) = compilation.course.take()
        {
            compilation.draft_modules = course.modules;
        }
    }
}

fn compile_one(source: &CourseSource, options: &CompileOptions) -> Compilation {
    let mut diagnostics = source.problems.clone();
    let root = &source.display_root;
    let settings_name = format!("{root}/course.toml");

    if !ids::is_valid_course_slug(&source.slug) {
        diagnostics.push(Diagnostic::about_file(
            &settings_name,
            "invalid-slug",
            format!("The folder name \"{}\" cannot be used as a course name in web addresses.", source.slug),
            "Rename the folder using small letters a-z, digits and hyphens, like hospitality-kitchen-english.",
        ));
    }

    // course.toml first: the modules need its pass mark and languages.
    let mut parsed = None;
    let mut requires = Vec::new();
    // A course.toml the loader refused (a link out of the folder) is
    // reported already; "there is no course.toml" would mislead.
    let settings_refused = source.problems.iter().any(|p| p.file == settings_name);
    match &source.settings {
        None if settings_refused => {}
        None => diagnostics.push(Diagnostic::about_file(
            &settings_name,
            "missing-course-toml",
            "This course folder has no course.toml.".to_string(),
            "Create course.toml with at least title, sector, level and summary (see the authoring guide).",
        )),
        Some(file) => match decode(file, &settings_name, &mut diagnostics) {
            None => {}
            Some(text) => {
                let mut fd = FileDiagnostics::new(&settings_name, text);
                let result = settings::parse_course_toml_with(text, &options.sectors, &mut fd);
                let index = LineIndex::new(text);
                for (slug, span) in &result.requires {
                    let (line, column) = index.position(span.start);
                    requires.push(Requirement {
                        slug: slug.clone(),
                        file: settings_name.clone(),
                        line,
                        column,
                        span: span.clone(),
                    });
                }
                diagnostics.extend(fd.found);
                parsed = Some(result);
            }
        },
    }
    let pass_mark = parsed
        .as_ref()
        .map_or(settings::DEFAULT_PASS_MARK, |p| p.pass_mark);
    let languages = parsed
        .as_ref()
        .map(|p| p.languages.clone())
        .unwrap_or_default();
    let media_url = format!(
        "{}/{}",
        options.media_url.trim_end_matches('/'),
        source.slug
    );

    // The module files' texts, read first: a module with special spaces
    // from Word is compiled from a repaired copy, which (like the file
    // itself) must outlive the lesson ids taken from it.
    let module_list: Vec<(&SourceFile, String, Option<&str>)> =
        module_files(source, &mut diagnostics)
            .into_iter()
            .map(|file| {
                let display = format!("{root}/{}", file.name);
                let text = module_text(file, &display, &mut diagnostics);
                (file, display, text)
            })
            .collect();
    let repairs: Vec<Option<Repair>> = module_list
        .iter()
        .map(|(_, _, text)| {
            let text = (*text)?;
            let spaces = slips::special_spaces(text);
            if spaces.is_empty() {
                return None;
            }
            let (repaired, shifts) = slips::repair_special_spaces(text, &spaces);
            Some(Repair {
                spaces,
                repaired,
                shifts,
            })
        })
        .collect();

    let mut modules = Vec::new();
    let mut glossary = vocab::Glossary::default();
    let mut seen_ids = module::SeenIds::default();
    // A module the loader refused counts as a problem already reported.
    let mut module_problem = source.problems.iter().any(|p| p.file.ends_with(".md"));
    let mut section_buffer = Vec::new();
    // Each large or refused media file is named once per course, not once
    // per module.
    let mut media_named = BTreeSet::new();
    let mut summary = CourseSummary::default();
    for ((file, display, text), repair) in module_list.iter().zip(&repairs) {
        let Some(text) = *text else {
            module_problem = true;
            continue;
        };
        let mut fd = FileDiagnostics::new(display, text);
        let text = match repair {
            Some(repair) => {
                slips::report_special_spaces(&repair.spaces, &mut fd);
                fd.set_shifts(repair.shifts.clone());
                repair.repaired.as_str()
            }
            None => text,
        };
        let mut cx = RenderContext {
            diags: &mut fd,
            media: &source.media,
            media_url: &media_url,
            languages: &languages,
            languages_known: parsed.as_ref().is_some_and(|p| p.readable),
            glossary: std::mem::take(&mut glossary),
            lesson: None,
            media_named: std::mem::take(&mut media_named),
        };
        let module = module::compile_module(
            &mut cx,
            &file.name,
            text,
            pass_mark,
            &mut seen_ids,
            &mut section_buffer,
        );
        media_named = std::mem::take(&mut cx.media_named);
        glossary = std::mem::take(&mut cx.glossary);
        match module {
            Some(m) => {
                summary.add_module(&m);
                modules.push(m);
            }
            None => module_problem = true,
        }
        diagnostics.extend(fd.found);
    }
    // A refused media file no module uses is named at the file itself.
    for (name, file) in &source.media {
        if let Some(problem) = &file.problem
            && !media_named.contains(name)
        {
            let told = problem.explain(name);
            diagnostics.push(Diagnostic::about_file(
                &format!("{root}/{name}"),
                told.code,
                told.message,
                &told.hint,
            ));
        }
    }
    if modules.is_empty() && !module_problem {
        diagnostics.push(Diagnostic::about_file(
            root,
            "no-modules",
            "This course has no modules.".to_string(),
            "Add module files named with a number first, like 01-first-day.md, next to course.toml.",
        ));
    }

    let glossary = glossary.terms;
    summary.glossary_terms = glossary.len();
    let title = parsed
        .as_ref()
        .and_then(|p| p.settings.as_ref())
        .map(|s| s.title.clone());
    let (course, draft_modules) = match parsed.and_then(|p| p.settings) {
        Some(settings) => (
            Some(CompiledCourse {
                slug: source.slug.clone(),
                settings,
                modules,
                glossary,
                content_hash: content_hash(source),
            }),
            Vec::new(),
        ),
        None => (None, modules),
    };
    Compilation {
        slug: source.slug.clone(),
        title,
        course,
        summary,
        diagnostics,
        draft_modules,
        requires,
    }
}

/// A module's text with its special spaces made ordinary, and where they were.
struct Repair {
    spaces: Vec<slips::SpecialSpace>,
    repaired: String,
    shifts: Vec<usize>,
}

/// The module files in course order (by their number), warning about
/// markdown files that are not named like modules.
fn module_files<'s>(
    source: &'s CourseSource,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'s SourceFile> {
    let mut numbered: Vec<(u64, &SourceFile)> = Vec::new();
    for file in &source.markdown {
        match module_number(&file.name) {
            Some(n) => numbered.push((n, file)),
            None => {
                let mut d = Diagnostic::about_file(
                    &format!("{}/{}", source.display_root, file.name),
                    "not-a-module",
                    format!(
                        "{} is not read as a module: module file names start with a number and a hyphen.",
                        file.name
                    ),
                    "Rename it like 01-first-day.md to make it a module, or move it out of the course folder.",
                );
                d.severity = Severity::Warning;
                diagnostics.push(d);
            }
        }
    }
    numbered.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    for pair in numbered.windows(2) {
        if pair[0].0 == pair[1].0 {
            let mut d = Diagnostic::about_file(
                &format!("{}/{}", source.display_root, pair[1].1.name),
                "duplicate-module-number",
                format!(
                    "{} and {} have the same number, so their order is unclear.",
                    pair[0].1.name, pair[1].1.name
                ),
                "Give each module its own number: 01-, 02-, 03- ...",
            );
            d.severity = Severity::Warning;
            diagnostics.push(d);
        }
    }
    numbered.into_iter().map(|(_, f)| f).collect()
}

/// `01-first-day.md` -> 1.
fn module_number(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".md")?;
    let (number, rest) = stem.split_once('-')?;
    if rest.is_empty() || number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// The file as text, or a diagnostic saying why it cannot be compiled.
fn decode<'f>(
    file: &'f SourceFile,
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'f str> {
    // The SIMD check says only whether the text is UTF-8; std's finds where
    // it is not, for the message.
    let checked = simdutf8::basic::from_utf8(&file.bytes).map_err(|_| ());
    match checked.or_else(|()| std::str::from_utf8(&file.bytes)) {
        Ok(text) => Some(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(e) => {
            let valid = &file.bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by definition of valid_up_to.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = LineIndex::new(prefix).position(prefix.len());
            diagnostics.push(Diagnostic {
                line,
                column,
                span: prefix.len()..prefix.len() + 1,
                ..Diagnostic::about_file(
                    display,
                    "not-utf8",
                    format!("The file is not saved as UTF-8 text (a strange byte at line {line}, column {column})."),
                    "Open it in a text editor and save it as UTF-8 (in Word or Notepad: Save As, Encoding: UTF-8).",
                )
            });
            None
        }
    }
}

fn module_text<'f>(
    file: &'f SourceFile,
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'f str> {
    if file.size > MAX_MODULE_BYTES {
        diagnostics.push(Diagnostic::about_file(
            display,
            "file-too-large",
            format!(
                "The module is {:.1} MB; a module can be at most {} MB.",
                file.size as f64 / 1_048_576.0,
                MAX_MODULE_BYTES / 1_048_576
            ),
            "Split it into several module files. Pictures and sound go in the media folder, not in the text.",
        ));
        return None;
    }
    let text = decode(file, display, diagnostics)?;
    if text.trim().is_empty() {
        diagnostics.push(Diagnostic::about_file(
            display,
            "empty-file",
            "The module file is empty.".to_string(),
            "Write the module (a # title, then ## lessons), or delete the file.",
        ));
        return None;
    }
    Some(text)
}

/// BLAKE3 over every file that makes up the course, with names and lengths
/// so that moving bytes between files changes the hash. BLAKE3 rather than
/// SHA-256 because this runs on every compile and is several times faster.
/// Publishing compares it with the published course's before compiling.
pub fn content_hash(source: &CourseSource) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut add = |name: &str, bytes: &[u8]| {
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    if let Some(settings) = &source.settings {
        add("course.toml", &settings.bytes);
    }
    for file in &source.markdown {
        add(&file.name, &file.bytes);
    }
    for (name, media) in &source.media {
        add(name, &media.digest);
    }
    hasher.finalize().to_hex().to_string()
}

fn resolve_requires(compilations: &mut [Compilation], known: &BTreeSet<String>) {
    for compilation in compilations.iter_mut() {
        let mut found = Vec::new();
        for req in &compilation.requires {
            if req.slug == compilation.slug {
                found.push(requirement_error(
                    req,
                    "requires-itself",
                    "A course cannot require itself.".to_string(),
                    "Remove the course's own name from `requires`.".to_string(),
                ));
            } else if !known.contains(&req.slug) {
                let suggestion = known
                    .iter()
                    .map(|k| (strsim::levenshtein(k, &req.slug), k))
                    .filter(|(d, _)| *d <= 3)
                    .min()
                    .map(|(_, k)| format!("Did you mean \"{k}\"? "))
                    .unwrap_or_default();
                found.push(requirement_error(
                    req,
                    "unknown-course",
                    format!(
                        "`requires` names \"{}\", but there is no course with that folder name.",
                        req.slug
                    ),
                    format!("{suggestion}Use the folder name of the course to finish first."),
                ));
            }
        }
        compilation.diagnostics.extend(found);
    }

    // A cycle would lock every course in it for ever.
    let graph: BTreeMap<&str, Vec<&str>> = compilations
        .iter()
        .map(|c| {
            (
                c.slug.as_str(),
                // Requiring itself is reported on its own, not as a cycle.
                c.requires
                    .iter()
                    .map(|r| r.slug.as_str())
                    .filter(|s| *s != c.slug)
                    .collect(),
            )
        })
        .collect();
    let in_cycle: BTreeSet<String> = graph
        .keys()
        .filter(|start| reaches(&graph, start, start))
        .map(|s| s.to_string())
        .collect();
    for compilation in compilations.iter_mut() {
        if !in_cycle.contains(&compilation.slug) {
            continue;
        }
        let mut found = Vec::new();
        for req in compilation
            .requires
            .iter()
            .filter(|r| in_cycle.contains(&r.slug))
        {
            found.push(requirement_error(
                req,
                "requires-cycle",
                format!(
                    "\"{}\" and \"{}\" require each other (maybe through other courses), so nobody could start either.",
                    compilation.slug, req.slug
                ),
                "Decide which course comes first and remove the other `requires`.".to_string(),
            ));
        }
        compilation.diagnostics.extend(found);
    }
}

/// Can `target` be reached from `from` by following at least one edge?
fn reaches(graph: &BTreeMap<&str, Vec<&str>>, from: &str, target: &str) -> bool {
    let mut stack: Vec<&str> = graph.get(from).cloned().unwrap_or_default();
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == target {
            return true;
        }
        if seen.insert(node)
            && let Some(next) = graph.get(node)
        {
            stack.extend(next.iter().copied());
        }
    }
    false
}

fn requirement_error(
    req: &Requirement,
    code: &'static str,
    message: String,
    hint: String,
) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code,
        message,
        hint,
        file: req.file.clone(),
        line: req.line,
        column: req.column,
        span: req.span.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> CourseSource {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        source::load_course(&dir, path)
    }

    #[test]
    fn one_course_among_its_neighbours_gets_the_diagnostics_of_the_whole_folder() {
        let a = fixture("tests/fixtures/errors/requires-cycle/a-course");
        let b = fixture("tests/fixtures/errors/requires-cycle/b-course");
        let known: BTreeSet<String> = ["a-course".to_string(), "b-course".to_string()].into();
        let whole = compile_all(&[a.clone(), b.clone()], &known, &CompileOptions::default());
        let neighbours = [
            Neighbour::from_course_toml("a-course", a.settings.as_ref().map(|f| &f.bytes[..])),
            Neighbour::from_course_toml("b-course", b.settings.as_ref().map(|f| &f.bytes[..])),
        ];
        let alone = compile_among(&a, &neighbours, &CompileOptions::default());
        assert_eq!(alone.diagnostics, whole[0].diagnostics);
        assert!(
            alone.diagnostics.iter().any(|d| d.code == "requires-cycle"),
            "the cycle through b-course is found: {:?}",
            alone.diagnostics
        );
        // Without the neighbour, the same course names an unknown course.
        let lonely = compile_among(&a, &[], &CompileOptions::default());
        assert_eq!(lonely.diagnostics[0].code, "unknown-course");
    }

    #[test]
    fn a_course_with_errors_keeps_its_modules_for_a_preview() {
        let source = fixture("tests/fixtures/errors/no-correct-option");
        let compilation = compile_among(&source, &[], &CompileOptions::default());
        assert!(compilation.course.is_none(), "never published");
        assert_eq!(compilation.modules().len(), 1);
        assert!(!compilation.modules()[0].lessons.is_empty());

        let good = fixture("tests/fixtures/ok/kitchen-basics");
        let compilation = compile_among(&good, &[], &CompileOptions::default());
        assert!(compilation.draft_modules.is_empty());
        assert_eq!(compilation.modules().len(), 2);
    }

    #[test]
    fn a_neighbour_is_read_from_any_course_toml() {
        let broken =
            Neighbour::from_course_toml("x", Some(b"requires = [\"a\", \"b\"]\ntitle = 3"));
        assert_eq!(broken.requires, ["a", "b"]);
        assert!(
            Neighbour::from_course_toml("x", Some(b"\xff\xfe"))
                .requires
                .is_empty()
        );
        assert!(Neighbour::from_course_toml("x", None).requires.is_empty());
    }

    #[test]
    fn module_numbers() {
        assert_eq!(module_number("01-first-day.md"), Some(1));
        assert_eq!(module_number("10-x.md"), Some(10));
        assert_eq!(module_number("README.md"), None);
        assert_eq!(module_number("01-.md"), None);
        assert_eq!(module_number("a1-x.md"), None);
    }
}
