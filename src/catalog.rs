//! The published courses the server serves, held in memory.
//!
//! Lesson HTML is compiled once and kept here, so a lesson page is a lookup,
//! not a query. The database is the source of truth: at start-up the
//! courses folder is compiled and published, then the catalogue is loaded
//! from the database (so every instance behind a load balancer serves the
//! same versions).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use crate::course::sectors::SECTORS_FILE;
use crate::course::{self, Compilation, CompileOptions, Neighbour, Sectors, report, source};
use crate::store::courses::{Published, PublishedCourse};
use crate::store::{Store, StoreResult};

#[derive(Default)]
pub struct Catalog {
    courses: RwLock<Arc<BTreeMap<String, Arc<PublishedCourse>>>>,
    /// The sectors of the courses folder's `sectors.toml` (or the shipped
    /// ones), for their names and order on pages, reports and certificates.
    sectors: RwLock<Arc<Sectors>>,
}

impl Catalog {
    /// The known sectors, in list order; cheap to take (an `Arc`).
    pub fn sectors(&self) -> Arc<Sectors> {
        match self.sectors.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_sectors(&self, sectors: Sectors) {
        match self.sectors.write() {
            Ok(mut guard) => *guard = Arc::new(sectors),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(sectors),
        }
    }

    /// A sector's name in an interface language: the organisation's name
    /// (in that language, else in English), else the shipped translation;
    /// an id no longer known shows as itself.
    pub fn sector_name(&self, id: &str, language: &str) -> String {
        sector_name(&self.sectors(), id, language)
    }

    pub fn get(&self, slug: &str) -> Option<Arc<PublishedCourse>> {
        self.snapshot().get(slug).cloned()
    }

    /// Every course, by slug; cheap to take (an `Arc`).
    pub fn snapshot(&self) -> Arc<BTreeMap<String, Arc<PublishedCourse>>> {
        match self.courses.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The languages a learner may choose as their home language: every
    /// language the courses translate into (course.toml's `languages`) and
    /// the interface languages but English, by code.
    pub fn home_languages(&self) -> Vec<String> {
        crate::domain::home_language::offered(
            self.snapshot()
                .values()
                .flat_map(|p| p.course.settings.languages.clone()),
        )
    }

    /// The version of each course held, by slug.
    pub fn versions(&self) -> BTreeMap<String, i32> {
        self.snapshot()
            .iter()
            .map(|(slug, p)| (slug.clone(), p.version))
            .collect()
    }

    /// Reloads when the database holds other versions than this catalogue
    /// (another instance published a course): one small query when nothing
    /// changed. True when it reloaded.
    pub async fn refresh_if_stale(&self, store: &Store) -> StoreResult<bool> {
        if store.course_versions().await? == self.versions() {
            return Ok(false);
        }
        self.reload(store).await?;
        Ok(true)
    }

    /// Replaces the catalogue with what the database holds.
    pub async fn reload(&self, store: &Store) -> StoreResult<usize> {
        let published = store.published_courses().await?;
        let map: BTreeMap<String, Arc<PublishedCourse>> = published
            .into_iter()
            .map(|p| (p.course.slug.clone(), Arc::new(p)))
            .collect();
        let count = map.len();
        match self.courses.write() {
            Ok(mut guard) => *guard = Arc::new(map),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(map),
        }
        Ok(count)
    }
}

/// A sector's name in an interface language (see [`Catalog::sector_name`]).
pub fn sector_name(sectors: &Sectors, id: &str, language: &str) -> String {
    if let Some(name) = sectors.get(id).and_then(|s| s.configured_name(language)) {
        return name.to_string();
    }
    let key = format!("sector-{id}");
    let shipped = crate::i18n::text(language, &key);
    if shipped == key {
        id.to_string()
    } else {
        shipped
    }
}

/// What publishing the courses folder did, course by course.
#[derive(Debug, Default)]
pub struct PublishReport {
    /// The sectors the courses were checked against.
    pub sectors: Sectors,
    /// The problems in the folder's `sectors.toml`, for the log (empty
    /// when it is fine or absent).
    pub sectors_problems: String,
    /// Courses compiled and published (or found unchanged by the store).
    pub published: Vec<(String, Published)>,
    /// Courses whose files hash as the published version's: not compiled.
    pub unchanged: Vec<String>,
    /// Courses not published, with the compiler's report.
    pub rejected: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the courses folder cannot be read: {0}")]
    Folder(#[from] source::DiscoverError),
    #[error("the compiler stopped unexpectedly: {0}")]
    Compiler(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Compiles every course under `folder` (off the async threads) and
/// publishes each one without errors. A course with errors is left out and
/// its problems are returned for the log. A course whose files are exactly
/// those of its published version is not compiled at all.
pub async fn publish_folder(store: &Store, folder: &Path) -> Result<PublishReport, PublishError> {
    let folder = folder.to_path_buf();
    let published = store.course_hashes().await?;
    let (compiled, unchanged, sectors, sectors_problems) =
        tokio::task::spawn_blocking(move || compile_folder(&folder, &published))
            .await
            .map_err(|e| PublishError::Compiler(e.to_string()))??;
    let mut report = PublishReport {
        unchanged,
        sectors,
        sectors_problems,
        ..PublishReport::default()
    };
    for (compilation, sources) in compiled {
        match &compilation.course {
            Some(course) => {
                let outcome = store.publish_course(course).await?;
                report.published.push((course.slug.clone(), outcome));
            }
            None => {
                let text =
                    report::human_string(&compilation.diagnostics, &|name| sources.text_of(name));
                report.rejected.push((compilation.slug.clone(), text));
            }
        }
    }
    Ok(report)
}

/// Compiles and publishes every course in the folder, and takes its
/// sectors into the catalogue; problems go to the log and never stop the
/// server (at start-up, and when the folder changes). A mistake in
/// `sectors.toml` is logged with its line and leaves out the sector it is
/// in (all of the file's, when it is not TOML), never a shipped one, until
/// it is fixed: courses in a sector left out are not published meanwhile,
/// and their versions already published stay.
pub async fn publish_and_log(store: &Store, catalog: &Catalog, folder: &Path) {
    match publish_folder(store, folder).await {
        Ok(report) => {
            if !report.sectors_problems.is_empty() {
                tracing::error!(
                    "{SECTORS_FILE} has mistakes: a sector with one is left out (the shipped sectors always stay) until it is fixed\n{}",
                    report.sectors_problems
                );
            }
            catalog.set_sectors(report.sectors.clone());
            for (slug, outcome) in &report.published {
                match outcome {
                    Published::New => tracing::info!(course = slug, "published"),
                    Published::Updated(version) => {
                        tracing::info!(course = slug, version, "published a new version")
                    }
                    Published::Unchanged => tracing::debug!(course = slug, "unchanged"),
                }
            }
            for slug in &report.unchanged {
                tracing::debug!(course = slug, "unchanged, not compiled");
            }
            for (slug, problems) in &report.rejected {
                tracing::error!(course = slug, "not published: it has errors\n{problems}");
            }
        }
        Err(e) => tracing::error!("courses not published: {e}"),
    }
}

type CompiledWithSource = (Compilation, course::CourseSource);
type CompiledFolder = (Vec<CompiledWithSource>, Vec<String>, Sectors, String);

/// Reads every course in the folder and compiles those whose content hash
/// differs from the published one (`published`, by slug), among the others
/// as neighbours (so `requires` resolve as when all are compiled). Also
/// the slugs of the courses left as they are, and the folder's sectors
/// with the problems found in its `sectors.toml`.
fn compile_folder(
    folder: &Path,
    published: &BTreeMap<String, String>,
) -> Result<CompiledFolder, PublishError> {
    let discovery = source::discover(folder)?;
    let shown = folder.display().to_string();
    let (sectors, problems) = Sectors::load(folder, &shown);
    let sectors_problems = if problems.is_empty() {
        String::new()
    } else {
        let text = std::fs::read_to_string(folder.join(SECTORS_FILE)).unwrap_or_default();
        report::human_string(&problems, &|_| Some(text.clone()))
    };
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    let mut neighbours = Vec::new();
    for (dir, shown) in &discovery.courses {
        let source = source::load_course(dir, shown);
        neighbours.push(Neighbour::from_course_toml(
            &source.slug,
            source.settings.as_ref().map(|s| s.bytes.as_slice()),
        ));
        // Problems found while reading are not in the hash: such a course
        // is always compiled, so they are reported.
        if source.problems.is_empty()
            && published.get(&source.slug) == Some(&course::content_hash(&source))
        {
            unchanged.push(source.slug);
        } else {
            changed.push(source);
        }
    }
    // Folders the loader could not name still count as known courses.
    for slug in &discovery.known_slugs {
        if !neighbours.iter().any(|n| &n.slug == slug) {
            neighbours.push(Neighbour::from_course_toml(slug, None));
        }
    }
    let options = CompileOptions {
        sectors: sectors.clone(),
        ..CompileOptions::default()
    };
    let compilations = course::compile_some(&changed, &neighbours, &options);
    Ok((
        compilations.into_iter().zip(changed).collect(),
        unchanged,
        sectors,
        sectors_problems,
    ))
}
