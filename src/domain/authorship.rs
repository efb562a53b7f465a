//! Who may change a course. A course records its owner (the tutor who
//! first published it, or one an admin assigned) and co-authors; a course
//! with neither (one found in the courses folder at start-up) belongs to
//! the admins until one is assigned. Pages and every other caller ask
//! these functions, so the rule is written once.

use serde::Serialize;

use super::names::Role;

/// A person's part in a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthorRole {
    Owner,
    CoAuthor,
}

impl AuthorRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorRole::Owner => "owner",
            AuthorRole::CoAuthor => "co-author",
        }
    }

    pub fn parse(text: &str) -> Option<AuthorRole> {
        match text {
            "owner" => Some(AuthorRole::Owner),
            "co-author" => Some(AuthorRole::CoAuthor),
            _ => None,
        }
    }
}

/// Only tutors and admins write courses, so only they can be named an
/// owner or a co-author.
pub fn may_author(role: Role) -> bool {
    matches!(role, Role::Tutor | Role::Admin)
}

/// Uploading a new version, editing a module: admins, and the course's
/// owner and co-authors while they are still tutors.
pub fn may_change(role: Role, part: Option<AuthorRole>) -> bool {
    match role {
        Role::Admin => true,
        Role::Tutor => part.is_some(),
        Role::Learner | Role::Coordinator => false,
    }
}

/// Adding and removing co-authors: the owner and admins. A co-author
/// cannot add others (nor make themselves one: that needs a part already).
pub fn may_manage_authors(role: Role, part: Option<AuthorRole>) -> bool {
    match role {
        Role::Admin => true,
        Role::Tutor => part == Some(AuthorRole::Owner),
        Role::Learner | Role::Coordinator => false,
    }
}

/// Naming a course's owner, and restoring a previous version: admins.
pub fn may_administer_courses(role: Role) -> bool {
    role == Role::Admin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_co_authors_and_admins_change_a_course() {
        for part in [None, Some(AuthorRole::Owner), Some(AuthorRole::CoAuthor)] {
            assert!(may_change(Role::Admin, part));
            assert_eq!(may_change(Role::Tutor, part), part.is_some());
            assert!(!may_change(Role::Learner, part), "{part:?}");
            assert!(!may_change(Role::Coordinator, part), "{part:?}");
        }
    }

    #[test]
    fn only_the_owner_and_admins_manage_co_authors() {
        assert!(may_manage_authors(Role::Tutor, Some(AuthorRole::Owner)));
        assert!(!may_manage_authors(Role::Tutor, Some(AuthorRole::CoAuthor)));
        assert!(!may_manage_authors(Role::Tutor, None));
        assert!(may_manage_authors(Role::Admin, None));
        assert!(!may_manage_authors(
            Role::Coordinator,
            Some(AuthorRole::Owner)
        ));
        assert!(may_author(Role::Tutor) && may_author(Role::Admin));
        assert!(!may_author(Role::Learner) && !may_author(Role::Coordinator));
        assert!(may_administer_courses(Role::Admin));
        assert!(!may_administer_courses(Role::Tutor));
    }

    #[test]
    fn parts_read_back_as_written() {
        for part in [AuthorRole::Owner, AuthorRole::CoAuthor] {
            assert_eq!(AuthorRole::parse(part.as_str()), Some(part));
        }
        assert_eq!(AuthorRole::parse("admin"), None);
    }
}
