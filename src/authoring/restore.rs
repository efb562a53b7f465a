//! Previous versions for admins: the list per course, and restoring one,
//! which publishes it as a new version (the current one is kept as a
//! version in turn). Learners keep their progress: it is keyed by lesson
//! ids, which a restore brings back with the text.

use super::versions::{self, KeptVersion};
use super::{Author, Authoring, AuthoringError, Checked, Outcome, blocking, files, write};
use crate::catalog::Catalog;
use crate::course::source;
use crate::domain::authorship;
use crate::store::Store;

impl Authoring {
    /// The kept versions of a course, newest first (admins only).
    pub async fn versions(
        &self,
        catalog: &Catalog,
        viewer: &Author,
        slug: &str,
    ) -> Result<Vec<KeptVersion>, AuthoringError> {
        if !authorship::may_administer_courses(viewer.role) {
            return Err(AuthoringError::AdminsOnly);
        }
        let kept = {
            let (courses, slug) = (self.courses.clone(), slug.to_string());
            blocking(move || versions::list(&courses, &slug)).await?
        };
        if kept.is_empty() && !self.exists(catalog, slug) {
            return Err(AuthoringError::NoSuchCourse);
        }
        Ok(kept)
    }

    /// One kept version, for the confirmation page (admins only).
    pub async fn version(
        &self,
        catalog: &Catalog,
        viewer: &Author,
        slug: &str,
        name: &str,
    ) -> Result<KeptVersion, AuthoringError> {
        self.versions(catalog, viewer, slug)
            .await?
            .into_iter()
            .find(|v| v.name == name)
            .ok_or(AuthoringError::NoSuchVersion)
    }

    /// Checks the kept version as it would compile in the courses folder
    /// and, without errors, puts a copy of it in place (the current one is
    /// kept as a version) and publishes it.
    pub async fn restore_version(
        &self,
        store: &Store,
        catalog: &Catalog,
        admin: &Author,
        slug: &str,
        name: &str,
    ) -> Result<Outcome, AuthoringError> {
        if !authorship::may_administer_courses(admin.role) {
            return Err(AuthoringError::AdminsOnly);
        }
        let _writing = self.writing.lock().await;
        let (courses, owned_slug, owned_name, keep) = (
            self.courses.clone(),
            slug.to_string(),
            name.to_string(),
            self.versions_kept,
        );
        let checked = blocking(move || {
            let dir = versions::find(&courses, &owned_slug, &owned_name)
                .ok_or(AuthoringError::NoSuchVersion)?;
            let mut source = source::load_course(&dir, &owned_slug);
            // Read from the versions area, but checked and shown as the
            // course it becomes.
            source.slug = owned_slug.clone();
            source.display_root = owned_slug.clone();
            let compilation = files::check(&courses, &source);
            if compilation.course.is_some() {
                write::Swap::stage_copy(&courses, &owned_slug, &dir, None, keep)
                    .and_then(write::Swap::complete)
                    .map_err(|e| {
                        anyhow::anyhow!("cannot restore {owned_slug} {owned_name}: {e}")
                    })?;
            }
            Ok::<_, AuthoringError>(Checked {
                compilation,
                source,
            })
        })
        .await??;
        if checked.compilation.course.is_none() {
            return Ok(Outcome::HasErrors(checked));
        }
        tracing::info!(
            course = slug,
            version = name,
            by = admin.id,
            "previous version restored"
        );
        self.publish_from_disk(store, catalog, slug).await
    }
}
