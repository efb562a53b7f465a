//! Naming who may change a course: the owner and admins add and remove
//! co-authors by username; an admin names the owner (of a course found in
//! the courses folder, say, which belongs to the admins until then). The
//! rules are `domain::authorship`; the records are `store::course_authors`.

use super::{Author, Authoring, AuthoringError};
use crate::catalog::Catalog;
use crate::domain::authorship;
use crate::store::Store;
use crate::store::course_authors::{AddAuthorError, Author as CourseAuthor};
use crate::store::users::Account;

/// A course's authors, and what the viewer may do about them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CourseAuthors {
    pub slug: String,
    pub authors: Vec<CourseAuthor>,
    pub may_manage: bool,
    pub may_assign_owner: bool,
}

impl Authoring {
    /// The course's authors, for someone who may manage them.
    pub async fn authors(
        &self,
        store: &Store,
        catalog: &Catalog,
        viewer: &Author,
        slug: &str,
    ) -> Result<CourseAuthors, AuthoringError> {
        self.check_may_manage(store, catalog, viewer, slug).await?;
        Ok(CourseAuthors {
            slug: slug.to_string(),
            authors: store.course_authors(slug).await?,
            may_manage: true,
            may_assign_owner: authorship::may_administer_courses(viewer.role),
        })
    }

    /// Adds a tutor or admin as a co-author.
    pub async fn add_co_author(
        &self,
        store: &Store,
        catalog: &Catalog,
        actor: &Author,
        slug: &str,
        username: &str,
    ) -> Result<Account, AuthoringError> {
        self.check_may_manage(store, catalog, actor, slug).await?;
        let person = author_named(store, username).await?;
        match store.add_co_author(slug, person.id).await {
            Ok(()) => {
                tracing::info!(
                    course = slug,
                    co_author = person.username,
                    by = actor.id,
                    "co-author added"
                );
                Ok(person)
            }
            Err(AddAuthorError::IsOwner) => Err(AuthoringError::IsOwner {
                username: person.username,
                slug: slug.to_string(),
            }),
            Err(AddAuthorError::AlreadyCoAuthor) => Err(AuthoringError::AlreadyCoAuthor {
                username: person.username,
                slug: slug.to_string(),
            }),
            Err(AddAuthorError::Store(e)) => Err(e.into()),
        }
    }

    pub async fn remove_co_author(
        &self,
        store: &Store,
        catalog: &Catalog,
        actor: &Author,
        slug: &str,
        user_id: i32,
    ) -> Result<(), AuthoringError> {
        self.check_may_manage(store, catalog, actor, slug).await?;
        if store.remove_co_author(slug, user_id).await? {
            tracing::info!(course = slug, user_id, by = actor.id, "co-author removed");
            Ok(())
        } else {
            Err(AuthoringError::NotCoAuthor {
                username: format!("#{user_id}"),
                slug: slug.to_string(),
            })
        }
    }

    /// An admin names the course's owner (a tutor or an admin).
    pub async fn assign_owner(
        &self,
        store: &Store,
        catalog: &Catalog,
        actor: &Author,
        slug: &str,
        username: &str,
    ) -> Result<Account, AuthoringError> {
        if !authorship::may_administer_courses(actor.role) {
            return Err(AuthoringError::AdminsOnly);
        }
        if !self.exists(catalog, slug) {
            return Err(AuthoringError::NoSuchCourse);
        }
        let person = author_named(store, username).await?;
        store.set_course_owner(slug, person.id).await?;
        tracing::info!(
            course = slug,
            owner = person.username,
            by = actor.id,
            "owner assigned"
        );
        Ok(person)
    }

    /// The course exists, and the person is its owner or an admin.
    async fn check_may_manage(
        &self,
        store: &Store,
        catalog: &Catalog,
        actor: &Author,
        slug: &str,
    ) -> Result<(), AuthoringError> {
        let part = self.part(store, actor, slug).await?;
        if !authorship::may_manage_authors(actor.role, part) {
            return Err(AuthoringError::NotYoursToShare {
                slug: slug.to_string(),
            });
        }
        if !self.exists(catalog, slug) {
            return Err(AuthoringError::NoSuchCourse);
        }
        Ok(())
    }
}

/// The account by username, if it may be named on a course.
async fn author_named(store: &Store, username: &str) -> Result<Account, AuthoringError> {
    let username = username.trim();
    let Some((person, _)) = store.credentials(username).await? else {
        return Err(AuthoringError::NoSuchPerson {
            username: username.to_string(),
        });
    };
    if !authorship::may_author(person.role) {
        return Err(AuthoringError::CannotAuthor {
            username: person.username,
        });
    }
    Ok(person)
}
