//! Authoring in the browser: a course uploaded as a zip, or a module edited
//! in the browser, checked exactly as `presto check` checks the courses
//! folder, written into the courses folder and published only when the
//! course has no errors.
//!
//! ```text
//! zip bytes --unzip (memory)--> CourseFiles --+
//! module text + the course on disk -----------+--> check (compile among the
//!                                                  folder's courses)
//!     errors: nothing written, the diagnostics shown
//!     none:   written atomically into ./courses, read back, published as
//!             a new version, catalogue reloaded
//! ```
//!
//! The courses folder stays the source of truth: what is published is what
//! was read back from it, as the watcher and every other instance read it.
//!
//! Every change names its [`Author`]; only a course's owner, its co-authors
//! and admins may change it (`domain::authorship`), checked here so every
//! caller gets the same rule. Each new version keeps the one it replaces
//! (`versions`), and an admin can restore one.

pub mod files;
pub mod owners;
pub mod report;
pub mod restore;
pub mod unzip;
pub mod versions;
pub mod watch;
pub mod write;

use std::path::PathBuf;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::course::{Compilation, CourseSource, Module, SourceFile};
use crate::domain::authorship::{self, AuthorRole};
use crate::domain::names::Role;
use crate::store::course_authors::{Author as CourseAuthor, Claim};
use crate::store::courses::Published;
use crate::store::users::Account;
use crate::store::{Store, StoreError};
use report::DiagnosticView;
use unzip::{ZipLimits, ZipRefusal};

/// A course compiled with the files it came from (for the source lines in
/// the diagnostics).
#[derive(Debug, Clone)]
pub struct Checked {
    pub compilation: Compilation,
    pub source: CourseSource,
}

impl Checked {
    pub fn diagnostics(&self) -> Vec<DiagnosticView> {
        report::views(&self.compilation.diagnostics, &self.source)
    }

    /// A module as compiled (also in a course with errors), by file name.
    pub fn module(&self, file: &str) -> Option<&Module> {
        self.compilation.modules().iter().find(|m| m.file == file)
    }
}

/// What came of a change.
#[derive(Debug)]
pub enum Outcome {
    /// The course has errors: nothing was written or published.
    HasErrors(Checked),
    Published(Publication),
}

#[derive(Debug)]
pub struct Publication {
    pub slug: String,
    pub version: i32,
    pub change: Published,
    /// The course as read back from the courses folder (warnings included).
    pub checked: Checked,
}

#[derive(Debug)]
pub struct Upload {
    pub slug: String,
    pub outcome: Outcome,
    /// Files in the zip's course folder that Presto does not use.
    pub left_out: Vec<String>,
}

/// A module opened in the editor.
#[derive(Debug)]
pub struct ModuleDraft {
    pub text: String,
    /// The content hash of the file as opened; publishing over a file that
    /// has changed since is refused.
    pub base: String,
    pub checked: Checked,
}

/// Who is making a change: the account's id and its role now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Author {
    pub id: i32,
    pub role: Role,
}

impl From<&Account> for Author {
    fn from(account: &Account) -> Author {
        Author {
            id: account.id,
            role: account.role,
        }
    }
}

/// A course in the authoring list: published, on disk, or both.
#[derive(Debug, Clone, Serialize)]
pub struct CourseListing {
    pub slug: String,
    pub title: Option<String>,
    /// The published version, if any.
    pub version: Option<i32>,
    pub on_disk: bool,
    pub modules: Vec<ModuleListing>,
    /// The owner first, then co-authors; none: the admins'.
    pub authors: Vec<CourseAuthor>,
    pub has_owner: bool,
    /// What the viewer may do with it.
    pub may_change: bool,
    pub may_manage: bool,
    /// Previous versions kept (shown to admins, who can restore them).
    pub versions_kept: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleListing {
    pub file: String,
    /// The title as published.
    pub title: Option<String>,
    /// Whether the name can go in a web address (`01-first-day.md`).
    pub editable: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error("no such course in the courses folder")]
    NoSuchCourse,
    #[error("no such module")]
    NoSuchModule,
    #[error("the module is too large to edit in the browser")]
    ModuleTooLarge,
    #[error("zip refused: {0}")]
    Zip(#[from] ZipRefusal),
    #[error("no file was chosen")]
    NoFile,
    #[error("a course named {slug} exists already")]
    SlugTaken { slug: String },
    #[error("the zip holds {found}, not {expected}")]
    WrongCourse { expected: String, found: String },
    #[error("the module changed since it was opened")]
    Changed,
    #[error("only the owner of {slug}, its co-authors and admins may change it")]
    NotYours { slug: String },
    #[error("only the owner of {slug} and admins may choose its co-authors")]
    NotYoursToShare { slug: String },
    #[error("only admins may do this")]
    AdminsOnly,
    #[error("nobody is called {username}")]
    NoSuchPerson { username: String },
    #[error("{username} is not a tutor or an admin")]
    CannotAuthor { username: String },
    #[error("{username} owns {slug} already")]
    IsOwner { username: String, slug: String },
    #[error("{username} is a co-author of {slug} already")]
    AlreadyCoAuthor { username: String, slug: String },
    #[error("{username} is not a co-author of {slug}")]
    NotCoAuthor { username: String, slug: String },
    #[error("no such previous version")]
    NoSuchVersion,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0:#}")]
    Internal(#[from] anyhow::Error),
}

/// Staging folders younger than this may be another instance's write in
/// progress, so they are left alone.
const LEFTOVERS_OLDER_THAN: std::time::Duration = std::time::Duration::from_secs(3600);

/// The authoring side of the server: where courses are written, how big a
/// zip may be, and one writer at a time.
pub struct Authoring {
    courses: PathBuf,
    limits: ZipLimits,
    /// Previous versions kept per course (`course_versions_kept`).
    versions_kept: usize,
    /// Held from checking what is on disk to publishing what was written,
    /// so two changes on this instance never interleave.
    writing: tokio::sync::Mutex<()>,
}

/// Runs file and compiler work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AuthoringError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AuthoringError::Internal(anyhow::anyhow!("authoring work stopped: {e}")))
}

impl Authoring {
    /// Also puts back what an interrupted write moved (before anything
    /// reads the folder: call it before publishing it) and tidies what it
    /// left.
    pub fn new(courses: PathBuf, limits: ZipLimits, versions_kept: usize) -> Authoring {
        let restored = write::recover(&courses, LEFTOVERS_OLDER_THAN);
        if !restored.is_empty() {
            tracing::warn!(
                ?restored,
                "put back courses that an interrupted write had moved"
            );
        }
        let removed = write::remove_leftovers(&courses, LEFTOVERS_OLDER_THAN);
        if removed > 0 {
            tracing::info!(
                removed,
                "removed what interrupted writes left in the courses folder"
            );
        }
        Authoring {
            courses,
            limits,
            versions_kept,
            writing: tokio::sync::Mutex::new(()),
        }
    }

    /// The course exists: in the courses folder or published.
    fn exists(&self, catalog: &Catalog, slug: &str) -> bool {
        files::course_dir(&self.courses, slug).is_some() || catalog.get(slug).is_some()
    }

    /// Refused unless this person may change the course.
    pub async fn check_may_change(
        &self,
        store: &Store,
        author: &Author,
        slug: &str,
    ) -> Result<(), AuthoringError> {
        let part = self.part(store, author, slug).await?;
        if authorship::may_change(author.role, part) {
            Ok(())
        } else {
            Err(AuthoringError::NotYours {
                slug: slug.to_string(),
            })
        }
    }

    /// The person's part in the course (none for someone who may not
    /// write courses at all, whatever the table says).
    async fn part(
        &self,
        store: &Store,
        author: &Author,
        slug: &str,
    ) -> Result<Option<AuthorRole>, AuthoringError> {
        if !authorship::may_author(author.role) {
            return Ok(None);
        }
        Ok(store.course_part(slug, author.id).await?)
    }

    pub fn limits(&self) -> ZipLimits {
        self.limits
    }

    /// Every course on disk or published, with its modules, its authors
    /// and what the viewer may do with it.
    pub async fn courses(
        &self,
        store: &Store,
        catalog: &Catalog,
        viewer: &Author,
    ) -> Result<Vec<CourseListing>, AuthoringError> {
        let courses = self.courses.clone();
        let on_disk = blocking(move || files::disk_courses(&courses)).await?;
        let mut authors = store.all_course_authors().await?;
        let published = catalog.snapshot();
        let mut listings: Vec<CourseListing> = on_disk
            .into_iter()
            .map(|disk| {
                let course = published.get(&disk.slug);
                let title_of = |file: &str| {
                    course.and_then(|p| {
                        p.course
                            .modules
                            .iter()
                            .find(|m| m.file == file)
                            .map(|m| m.title.clone())
                    })
                };
                CourseListing {
                    title: course.map(|p| p.course.settings.title.clone()),
                    version: course.map(|p| p.version),
                    on_disk: true,
                    authors: Vec::new(),
                    has_owner: false,
                    may_change: false,
                    may_manage: false,
                    versions_kept: 0,
                    modules: disk
                        .modules
                        .iter()
                        .map(|file| ModuleListing {
                            title: title_of(file),
                            editable: files::is_editable_module_name(file),
                            file: file.clone(),
                        })
                        .collect(),
                    slug: disk.slug,
                }
            })
            .collect();
        for (slug, course) in published.iter() {
            if !listings.iter().any(|l| &l.slug == slug) {
                listings.push(CourseListing {
                    slug: slug.clone(),
                    title: Some(course.course.settings.title.clone()),
                    version: Some(course.version),
                    on_disk: false,
                    modules: Vec::new(),
                    authors: Vec::new(),
                    has_owner: false,
                    may_change: false,
                    may_manage: false,
                    versions_kept: 0,
                });
            }
        }
        for listing in &mut listings {
            listing.authors = authors.remove(&listing.slug).unwrap_or_default();
            listing.has_owner = listing.authors.iter().any(|a| a.part == AuthorRole::Owner);
            let part = listing
                .authors
                .iter()
                .find(|a| a.user_id == viewer.id)
                .map(|a| a.part)
                .filter(|_| authorship::may_author(viewer.role));
            listing.may_change = authorship::may_change(viewer.role, part);
            listing.may_manage = authorship::may_manage_authors(viewer.role, part);
        }
        if authorship::may_administer_courses(viewer.role) {
            let courses = self.courses.clone();
            let slugs: Vec<String> = listings.iter().map(|l| l.slug.clone()).collect();
            let counts = blocking(move || {
                slugs
                    .iter()
                    .map(|slug| versions::list(&courses, slug).len())
                    .collect::<Vec<_>>()
            })
            .await?;
            for (listing, count) in listings.iter_mut().zip(counts) {
                listing.versions_kept = count;
            }
        }
        listings.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(listings)
    }

    /// A module's text as it is on disk, checked, for someone who may
    /// change the course.
    pub async fn open_module(
        &self,
        store: &Store,
        author: &Author,
        slug: &str,
        file: &str,
    ) -> Result<ModuleDraft, AuthoringError> {
        self.check_may_change(store, author, slug).await?;
        let (courses, slug, file) = (self.courses.clone(), slug.to_string(), file.to_string());
        blocking(move || {
            let source = module_source(&courses, &slug, &file)?;
            let original = module_of(&source, &file)?.bytes.clone();
            let compilation = files::check(&courses, &source);
            Ok(ModuleDraft {
                text: String::from_utf8_lossy(&original).into_owned(),
                base: write::content_hash(&original),
                checked: Checked {
                    compilation,
                    source,
                },
            })
        })
        .await?
    }

    /// The course checked with this text in place of the module on disk.
    /// Nothing is written.
    pub async fn check_module(
        &self,
        store: &Store,
        author: &Author,
        slug: &str,
        file: &str,
        text: String,
    ) -> Result<Checked, AuthoringError> {
        self.check_may_change(store, author, slug).await?;
        let (courses, slug, file) = (self.courses.clone(), slug.to_string(), file.to_string());
        blocking(move || {
            let (source, _) = edited(&courses, &slug, &file, &text)?;
            let compilation = files::check(&courses, &source);
            Ok(Checked {
                compilation,
                source,
            })
        })
        .await?
    }

    /// Publishes the course with this text for the module, if the module is
    /// still as it was when opened (`base`) and the course has no errors.
    /// The course is written as a whole new version (a copy with the module
    /// replaced), so the version before the edit is kept.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_module(
        &self,
        store: &Store,
        catalog: &Catalog,
        author: &Author,
        slug: &str,
        file: &str,
        text: String,
        base: &str,
    ) -> Result<Outcome, AuthoringError> {
        self.check_may_change(store, author, slug).await?;
        let _writing = self.writing.lock().await;
        let (courses, owned_slug, owned_file, base, keep) = (
            self.courses.clone(),
            slug.to_string(),
            file.to_string(),
            base.to_string(),
            self.versions_kept,
        );
        let checked = blocking(move || {
            let (source, original) = edited(&courses, &owned_slug, &owned_file, &text)?;
            if write::content_hash(&original) != base {
                return Err(AuthoringError::Changed);
            }
            let compilation = files::check(&courses, &source);
            if compilation.course.is_some() {
                let bytes = &module_of(&source, &owned_file)?.bytes;
                let place = courses.join(&owned_slug);
                write::Swap::stage_copy(
                    &courses,
                    &owned_slug,
                    &place,
                    Some((&owned_file, bytes)),
                    keep,
                )
                .and_then(write::Swap::complete)
                .map_err(|e| anyhow::anyhow!("cannot save {owned_slug}/{owned_file}: {e}"))?;
            }
            Ok(Checked {
                compilation,
                source,
            })
        })
        .await??;
        if checked.compilation.course.is_none() {
            return Ok(Outcome::HasErrors(checked));
        }
        self.publish_from_disk(store, catalog, slug).await
    }

    /// Unpacks, checks and (without errors) writes and publishes a course
    /// zip. `replace` names the course the tutor means to update (they must
    /// be allowed to change it); without it the zip must hold a new course,
    /// and its first publisher becomes its owner.
    pub async fn upload(
        &self,
        store: &Store,
        catalog: &Catalog,
        author: &Author,
        zip: Vec<u8>,
        file_name: &str,
        replace: Option<&str>,
    ) -> Result<Upload, AuthoringError> {
        // Refused before any work on the zip.
        if let Some(target) = replace
            && self.exists(catalog, target)
        {
            self.check_may_change(store, author, target).await?;
        }
        let limits = self.limits;
        let unpacked = blocking(move || unzip::unpack(&zip, &limits)).await??;
        let slug = unpacked
            .folder
            .clone()
            .or_else(|| replace.map(str::to_string))
            .unwrap_or_else(|| slug_from_file_name(file_name));
        if let Some(expected) = replace
            && expected != slug
        {
            return Err(AuthoringError::WrongCourse {
                expected: expected.to_string(),
                found: slug,
            });
        }
        let left_out = unpacked.left_out.clone();
        let course = unpacked.into_course(&slug);

        // From here to publishing, one change at a time on this instance:
        // what exists is looked at again under the lock.
        let _writing = self.writing.lock().await;
        let is_new = !self.exists(catalog, &slug);
        if replace.is_none() && !is_new {
            return Err(AuthoringError::SlugTaken { slug });
        }
        if !is_new {
            self.check_may_change(store, author, &slug).await?;
        }
        let courses = self.courses.clone();
        let checked = blocking(move || {
            let source = course.source();
            let compilation = files::check(&courses, &source);
            (
                course,
                Checked {
                    compilation,
                    source,
                },
            )
        })
        .await?;
        let (course, checked) = checked;
        if checked.compilation.course.is_none() {
            return Ok(Upload {
                slug,
                outcome: Outcome::HasErrors(checked),
                left_out,
            });
        }
        // A new course is claimed in the database before it is written:
        // of two people (or instances) racing for one name, one gets it.
        let claim = if is_new {
            let claim = store.claim_course(&slug, author.id).await?;
            if claim == Claim::Taken {
                return Err(AuthoringError::SlugTaken { slug });
            }
            Some(claim)
        } else {
            None
        };
        let (courses, keep) = (self.courses.clone(), self.versions_kept);
        let written = blocking(move || {
            write::write_course(&courses, &course, keep)
                .map_err(|e| anyhow::anyhow!("cannot write the course {}: {e}", course.slug))
        })
        .await?;
        if let Err(e) = written {
            if claim == Some(Claim::New) {
                store.release_claim(&slug, author.id).await?;
            }
            return Err(e.into());
        }
        let outcome = self.publish_from_disk(store, catalog, &slug).await?;
        Ok(Upload {
            slug,
            outcome,
            left_out,
        })
    }

    /// Reads the course back from the courses folder, compiles it there and
    /// publishes it: what learners get is what the folder holds.
    async fn publish_from_disk(
        &self,
        store: &Store,
        catalog: &Catalog,
        slug: &str,
    ) -> Result<Outcome, AuthoringError> {
        let (courses, owned_slug) = (self.courses.clone(), slug.to_string());
        let checked = blocking(move || {
            let source = files::load(&courses, &owned_slug);
            let compilation = files::check(&courses, &source);
            Checked {
                compilation,
                source,
            }
        })
        .await?;
        let Some(course) = &checked.compilation.course else {
            // Checked before it was written, so only a change on disk at
            // that very moment gets here; it is then like any broken course.
            tracing::warn!(course = slug, "written, but the folder now has errors");
            return Ok(Outcome::HasErrors(checked));
        };
        let change = store.publish_course(course).await?;
        catalog.reload(store).await?;
        let version = catalog.get(slug).map_or(1, |p| p.version);
        tracing::info!(
            course = slug,
            version,
            ?change,
            "published from the browser"
        );
        Ok(Outcome::Published(Publication {
            slug: slug.to_string(),
            version,
            change,
            checked,
        }))
    }
}

/// The course on disk, for editing one of its modules.
fn module_source(
    courses: &std::path::Path,
    slug: &str,
    file: &str,
) -> Result<CourseSource, AuthoringError> {
    files::course_dir(courses, slug).ok_or(AuthoringError::NoSuchCourse)?;
    if !files::is_editable_module_name(file) {
        return Err(AuthoringError::NoSuchModule);
    }
    Ok(files::load(courses, slug))
}

/// The module's file in the course as read; refused when it was too large
/// to read (the editor would show it empty).
fn module_of<'s>(source: &'s CourseSource, file: &str) -> Result<&'s SourceFile, AuthoringError> {
    let found = source
        .markdown
        .iter()
        .find(|f| f.name == file)
        .ok_or(AuthoringError::NoSuchModule)?;
    if found.size != found.bytes.len() as u64 {
        return Err(AuthoringError::ModuleTooLarge);
    }
    Ok(found)
}

/// The course on disk with the module's text replaced (in memory), and the
/// module's bytes as they were on disk.
fn edited(
    courses: &std::path::Path,
    slug: &str,
    file: &str,
    text: &str,
) -> Result<(CourseSource, Vec<u8>), AuthoringError> {
    let mut source = module_source(courses, slug, file)?;
    let original = module_of(&source, file)?.bytes.clone();
    let bytes = write::module_bytes(&original, text);
    if let Some(module) = source.markdown.iter_mut().find(|f| f.name == file) {
        *module = SourceFile::new(file, bytes);
    }
    Ok((source, original))
}

/// `kitchen-english.zip` -> `kitchen-english`; a browser's `kitchen (1).zip`
/// stays as it is and the compiler says why it cannot be a course name.
pub fn slug_from_file_name(file_name: &str) -> String {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    match lower.strip_suffix(".zip") {
        Some(stem) => name[..stem.len()].to_string(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_course_name_from_the_zip_name() {
        assert_eq!(
            slug_from_file_name("kitchen-english.zip"),
            "kitchen-english"
        );
        assert_eq!(slug_from_file_name("C:\\Users\\me\\care.ZIP"), "care");
        assert_eq!(slug_from_file_name("/tmp/x/../care.zip"), "care");
        assert_eq!(slug_from_file_name("notes"), "notes");
    }
}
