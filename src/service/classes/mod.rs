//! Classes: who may create, see and run one, and what each of those does.
//! Pages (`web::classes`) and the API (`web::classes_api`) call these same
//! functions, so a rule is written once here (or in `domain::class`).
//!
//! - a class and its page, joining by code: this module;
//! - members (one by hand, a spreadsheet, a new password): [`members`];
//! - live sessions and their register: [`sessions`];
//! - a learner's invitations: [`invitations`];
//! - the class's progress: [`progress`].
//!
//! Who may do what: tutors and admins create classes
//! ([`rules::may_create`]); a class is run by its tutor, coordinators and
//! admins ([`rules::may_manage`]); its learners see it; everyone else is
//! refused.

pub mod invitations;
pub mod members;
pub mod progress;
pub mod sessions;

use serde::Serialize;

use super::{Context, Message, ServiceError, ServiceResult};
use crate::course::Sector;
use crate::domain::class::{self as rules, ClassName, FieldError};
use crate::domain::join_code::JoinCode;
use crate::domain::names::Role;
use crate::store::classes::Class;
use crate::store::users::Account;

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> ServiceError {
        ServiceError::invalid(Message::key(e.key()))
    }
}

/// A class as pages and the API show it to one viewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassSummary {
    pub id: i32,
    pub name: String,
    pub sector: String,
    /// As a tutor reads it out (`K7MX-3QPA`); only for those who run the
    /// class, who hand it out.
    pub join_code: Option<String>,
    /// In the tutor's order.
    pub courses: Vec<CourseLink>,
    /// Whether the viewer runs the class.
    pub manages: bool,
    /// Archived: off the class lists, kept in reports, can be brought
    /// back.
    pub archived: bool,
}

/// One of a class's courses, with its title while it is published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseLink {
    pub slug: String,
    /// The slug when the course is no longer published.
    pub title: String,
    pub published: bool,
}

impl ClassSummary {
    /// The course slugs, in order.
    pub fn course_slugs(&self) -> Vec<String> {
        self.courses.iter().map(|c| c.slug.clone()).collect()
    }
}

fn manages(account: &Account, class: &Class) -> bool {
    rules::may_manage(account.role, account.id, class.tutor_id)
}

pub(crate) fn summary(ctx: Context<'_>, account: &Account, class: Class) -> ClassSummary {
    let manages = manages(account, &class);
    let courses = class
        .courses
        .iter()
        .map(|slug| match ctx.catalog.get(slug) {
            Some(published) => CourseLink {
                slug: slug.clone(),
                title: published.course.settings.title.clone(),
                published: true,
            },
            None => CourseLink {
                slug: slug.clone(),
                title: slug.clone(),
                published: false,
            },
        })
        .collect();
    ClassSummary {
        id: class.id,
        join_code: manages.then_some(class.join_code),
        name: class.name,
        sector: class.sector,
        courses,
        manages,
        archived: class.archived_at.is_some(),
    }
}

pub(crate) fn no_class() -> ServiceError {
    ServiceError::not_found(Message::key("class-error-no-class"))
}

/// The class, if `account` may run it: its tutor, a coordinator, an admin.
pub(crate) async fn managed(ctx: Context<'_>, account: &Account, id: i32) -> ServiceResult<Class> {
    let class = ctx.store.class(id).await?.ok_or_else(no_class)?;
    if manages(account, &class) {
        Ok(class)
    } else {
        Err(ServiceError::forbidden(Message::key(
            "class-error-not-yours",
        )))
    }
}

/// A class `account` runs (to show a form for it).
pub async fn managed_summary(
    ctx: Context<'_>,
    account: &Account,
    id: i32,
) -> ServiceResult<ClassSummary> {
    let class = managed(ctx, account, id).await?;
    Ok(summary(ctx, account, class))
}

/// Refused unless `account` may join classes (learners; staff are not put
/// in classes).
pub fn check_may_join(account: &Account) -> ServiceResult<()> {
    if account.role == Role::Learner {
        Ok(())
    } else {
        Err(ServiceError::forbidden(Message::key(
            "class-error-join-role",
        )))
    }
}

/// Refused unless `account` may create classes (tutors and admins).
pub fn check_may_create(account: &Account) -> ServiceResult<()> {
    if rules::may_create(account.role) {
        Ok(())
    } else {
        Err(ServiceError::forbidden(Message::key(
            "class-error-create-role",
        )))
    }
}

/// A class in a list, with how many learners it has (counted only for
/// those who run it; 0 for others).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassListing {
    #[serde(flatten)]
    pub class: ClassSummary,
    pub members: u64,
}

/// The classes this person teaches (tutor), runs (coordinator, admin) or
/// is in (learner), newest first; archived classes are left out.
pub async fn list(ctx: Context<'_>, account: &Account) -> ServiceResult<Vec<ClassListing>> {
    listing(ctx, account, false).await
}

/// The archived classes this person runs, newest first, to bring one
/// back: none for a learner.
pub async fn list_archived(
    ctx: Context<'_>,
    account: &Account,
) -> ServiceResult<Vec<ClassListing>> {
    listing(ctx, account, true).await
}

async fn listing(
    ctx: Context<'_>,
    account: &Account,
    archived: bool,
) -> ServiceResult<Vec<ClassListing>> {
    let mut classes = match account.role {
        Role::Tutor => ctx.store.classes_taught_by(account.id).await?,
        Role::Coordinator | Role::Admin => ctx.store.all_classes().await?,
        Role::Learner if archived => Vec::new(),
        Role::Learner => ctx.store.classes_joined_by(account.id).await?,
    };
    classes.retain(|class| class.archived_at.is_some() == archived);
    let mut listed = Vec::with_capacity(classes.len());
    for class in classes {
        let members = if manages(account, &class) {
            ctx.store.count_class_members(class.id).await?
        } else {
            0
        };
        listed.push(ClassListing {
            class: summary(ctx, account, class),
            members,
        });
    }
    Ok(listed)
}

/// A new class as typed: nothing checked yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewClass<'a> {
    pub name: &'a str,
    /// A sector code; missing or empty means the first course's sector,
    /// else `other`.
    pub sector: Option<&'a str>,
    /// Course slugs, in the order learners should take them.
    pub courses: &'a [String],
}

/// The checked parts of a new class, or every problem with it.
fn check_new_class(
    ctx: Context<'_>,
    new: NewClass<'_>,
) -> Result<(ClassName, Sector, Vec<String>), Vec<Message>> {
    let mut problems = Vec::new();
    let name = ClassName::parse(new.name)
        .map_err(|e| problems.push(Message::key(e.key())))
        .ok();
    let courses = check_courses(ctx, new.courses, &[], &mut problems);
    let sector = match new.sector.filter(|s| !s.is_empty()) {
        Some(code) => rules::parse_sector(code, &ctx.catalog.sectors())
            .map_err(|e| problems.push(Message::key(e.key())))
            .ok(),
        None => Some(
            courses
                .first()
                .and_then(|slug| ctx.catalog.get(slug))
                .map_or_else(Sector::other, |p| p.course.settings.sector.clone()),
        ),
    };
    match (name, sector) {
        (Some(name), Some(sector)) if problems.is_empty() => Ok((name, sector, courses)),
        _ => Err(problems),
    }
}

/// The courses as chosen, each once: a published course, or one the class
/// has already (it may have been unpublished since, and stays until the
/// tutor takes it off). Each other slug is a problem.
fn check_courses(
    ctx: Context<'_>,
    chosen: &[String],
    already: &[String],
    problems: &mut Vec<Message>,
) -> Vec<String> {
    let mut courses: Vec<String> = Vec::new();
    for slug in chosen {
        if ctx.catalog.get(slug).is_none() && !already.contains(slug) {
            problems.push(Message::key("class-error-course-slug").arg("slug", slug.as_str()));
        } else if !courses.contains(slug) {
            courses.push(slug.clone());
        }
    }
    courses
}

/// What to change about a class, as typed; `None` leaves it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassChange<'a> {
    pub name: Option<&'a str>,
    /// Course slugs, in the order learners should take them.
    pub courses: Option<&'a [String]>,
    /// True archives the class, false brings it back.
    pub archived: Option<bool>,
}

/// Renames a class, changes its courses, archives it or brings it back:
/// whoever runs it (its tutor, coordinators, admins). Every problem with
/// the input is named and nothing is changed then. Members are enrolled in
/// courses new to the class; a course taken off keeps their progress.
pub async fn change(
    ctx: Context<'_>,
    account: &Account,
    id: i32,
    change: ClassChange<'_>,
) -> ServiceResult<ClassSummary> {
    let class = managed(ctx, account, id).await?;
    let mut problems = Vec::new();
    let name = change.name.and_then(|name| {
        ClassName::parse(name)
            .map_err(|e| problems.push(Message::key(e.key())))
            .ok()
    });
    let courses = change
        .courses
        .map(|chosen| check_courses(ctx, chosen, &class.courses, &mut problems));
    // Unlike a new class's, a course that is not published is not a
    // missing thing (the class itself is there) but a clash with what is
    // published now: a conflict, unless the name is bad too.
    if !problems.is_empty() {
        let only_courses = problems
            .iter()
            .all(|m| matches!(m, Message::Key { key, .. } if *key == "class-error-course-slug"));
        return Err(if only_courses {
            ServiceError::Conflict(Message::All(problems))
        } else {
            ServiceError::Invalid(problems)
        });
    }
    let archived_at = change
        .archived
        .map(|archive| match (archive, class.archived_at) {
            // Archiving again keeps the first date.
            (true, Some(at)) => Some(at),
            (true, None) => Some(chrono::Utc::now()),
            (false, _) => None,
        });
    let update = crate::store::classes::ClassUpdate {
        name: name.as_ref().map(ClassName::as_str),
        courses: courses.as_deref(),
        archived_at,
    };
    let class = ctx
        .store
        .update_class(class.id, update)
        .await?
        .ok_or_else(no_class)?;
    Ok(summary(ctx, account, class))
}

/// Creates a class taught by `account` (a tutor or an admin), with a fresh
/// join code. Every problem with the input is named.
pub async fn create(
    ctx: Context<'_>,
    account: &Account,
    new: NewClass<'_>,
) -> ServiceResult<ClassSummary> {
    check_may_create(account)?;
    let (name, sector, courses) = check_new_class(ctx, new).map_err(|problems| {
        ServiceError::invalid_or_missing(problems, "class-error-course-slug")
    })?;
    let class = ctx
        .store
        .create_class(account.id, name.as_str(), sector.as_str(), &courses)
        .await?;
    Ok(summary(ctx, account, class))
}

/// A learner of the class, as those who run it see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberInfo {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub language: String,
    pub has_email: bool,
}

impl From<Account> for MemberInfo {
    fn from(m: Account) -> MemberInfo {
        MemberInfo {
            id: m.id,
            has_email: m.email.is_some(),
            username: m.username,
            full_name: m.full_name,
            language: m.language,
        }
    }
}

/// Someone invited who has not answered yet: by the username the tutor
/// typed and nothing more (their name is theirs to show once they accept).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvitedInfo {
    pub id: i32,
    pub username: String,
}

/// Who is in the class and who is invited, for those who run it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassRoster {
    pub members: Vec<MemberInfo>,
    pub invited: Vec<InvitedInfo>,
    /// True when naming an existing learner invites them (a tutor), false
    /// when it puts them in at once (a coordinator, an admin).
    pub invites: bool,
}

/// A class's page: its courses and sessions for its learners; also its
/// code, members and invitations for those who run it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassPage {
    pub class: ClassSummary,
    pub sessions: Vec<sessions::SessionInfo>,
    /// Only for those who run the class.
    pub roster: Option<ClassRoster>,
    /// Whether the viewer is the class's tutor, who teaches it live.
    pub leads: bool,
}

/// The class for someone who runs it or is in it.
pub async fn page(ctx: Context<'_>, account: &Account, id: i32) -> ServiceResult<ClassPage> {
    let class = ctx.store.class(id).await?.ok_or_else(no_class)?;
    let manages = manages(account, &class);
    if !manages && !ctx.store.is_class_member(id, account.id).await? {
        return Err(ServiceError::forbidden(Message::key(
            "class-error-not-in-class",
        )));
    }
    let sessions = ctx
        .store
        .sessions(id)
        .await?
        .into_iter()
        .map(sessions::SessionInfo::from)
        .collect();
    let roster = if manages {
        let members = ctx
            .store
            .class_members(id)
            .await?
            .into_iter()
            .map(MemberInfo::from)
            .collect();
        let invited = ctx
            .store
            .invited_to_class(id)
            .await?
            .into_iter()
            .map(|m| InvitedInfo {
                id: m.id,
                username: m.username,
            })
            .collect();
        Some(ClassRoster {
            members,
            invited,
            invites: !rules::may_add_existing_directly(account.role),
        })
    } else {
        None
    };
    Ok(ClassPage {
        leads: class.tutor_id == account.id,
        class: summary(ctx, account, class),
        sessions,
        roster,
    })
}

/// A learner joins a class with the code the tutor gave (any case, with or
/// without the dash), and is enrolled in its courses. Joining again
/// changes nothing.
pub async fn join(ctx: Context<'_>, account: &Account, code: &str) -> ServiceResult<ClassSummary> {
    check_may_join(account)?;
    let code = JoinCode::parse(code)
        .map_err(|_| ServiceError::invalid(Message::key("class-error-code")))?;
    let class = ctx
        .store
        .class_by_join_code(&code)
        .await?
        // An archived class takes nobody new: its code is spent.
        .filter(|class| class.archived_at.is_none())
        .ok_or_else(|| ServiceError::not_found(Message::key("class-join-unknown")))?;
    ctx.store.join_class(&class, account.id).await?;
    Ok(summary(ctx, account, class))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::certificate::{Issuer, IssuerKey, KeyRing};
    use crate::config::Settings;
    use crate::domain::names::{FullName, Username};
    use crate::store::Store;
    use crate::store::users::NewAccount;

    /// What a service test needs: an empty database and no courses.
    pub(crate) struct World {
        pub store: Store,
        pub catalog: Catalog,
        pub settings: Settings,
        pub issuer: Issuer,
    }

    impl World {
        pub(crate) async fn new() -> World {
            let settings = Settings::default();
            let store = Store::connect("sqlite::memory:").await.expect("store");
            let key = IssuerKey::generate("key-1", chrono::Utc::now()).expect("key");
            let issuer = Issuer::new("https://presto.example.org", KeyRing::new(key, Vec::new()))
                .expect("issuer");
            World {
                store,
                catalog: Catalog::default(),
                settings,
                issuer,
            }
        }

        pub(crate) fn ctx(&self) -> Context<'_> {
            Context {
                store: &self.store,
                catalog: &self.catalog,
                settings: &self.settings,
                issuer: &self.issuer,
            }
        }

        pub(crate) async fn account(&self, username: &str, role: Role) -> Account {
            self.store
                .create_user(NewAccount {
                    username: &Username::parse(username).expect("username"),
                    full_name: &FullName::parse(&format!("{username} Test")).expect("name"),
                    email: None,
                    role,
                    password_hash: "not-a-hash",
                    language: "en",
                    home_language: None,
                    name_in_own_script: None,
                })
                .await
                .expect("account")
        }
    }

    fn new_class<'a>(name: &'a str, sector: Option<&'a str>) -> NewClass<'a> {
        NewClass {
            name,
            sector,
            courses: &[],
        }
    }

    #[tokio::test]
    async fn only_tutors_and_admins_create_and_the_sector_defaults_to_other() {
        let world = World::new().await;
        let tutor = world.account("tess", Role::Tutor).await;
        let coordinator = world.account("cora", Role::Coordinator).await;
        let refused = create(world.ctx(), &coordinator, new_class("Group", None)).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden(_))));

        let class = create(world.ctx(), &tutor, new_class("  Monday  group ", Some("")))
            .await
            .unwrap();
        assert_eq!(class.name, "Monday group");
        assert_eq!(class.sector, "other", "no course, no sector: other");
        assert!(class.manages && class.join_code.is_some());
    }

    #[tokio::test]
    async fn every_problem_with_a_new_class_is_named() {
        let world = World::new().await;
        let tutor = world.account("tess", Role::Tutor).await;
        let courses = ["no-such-course".to_string()];
        let refused = create(
            world.ctx(),
            &tutor,
            NewClass {
                name: " ",
                sector: Some("space"),
                courses: &courses,
            },
        )
        .await;
        let Err(ServiceError::Invalid(problems)) = refused else {
            panic!("refused as invalid: {refused:?}");
        };
        let keys: Vec<String> = problems.iter().map(Message::english).collect();
        assert_eq!(problems.len(), 3, "{keys:?}");
        assert!(
            keys.iter().any(|k| k.contains("no-such-course")),
            "{keys:?}"
        );
    }

    #[tokio::test]
    async fn a_class_is_seen_by_whoever_runs_it_and_its_learners_only() {
        let world = World::new().await;
        let tutor = world.account("tess", Role::Tutor).await;
        let other = world.account("otto", Role::Tutor).await;
        let learner = world.account("amina", Role::Learner).await;
        let coordinator = world.account("cora", Role::Coordinator).await;
        let class = create(world.ctx(), &tutor, new_class("Group", None))
            .await
            .unwrap();
        let code = class.join_code.clone().unwrap();

        for (who, allowed) in [(&other, false), (&learner, false), (&coordinator, true)] {
            let seen = page(world.ctx(), who, class.id).await;
            assert_eq!(seen.is_ok(), allowed, "{}", who.username);
        }
        assert!(matches!(
            page(world.ctx(), &tutor, 999).await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(matches!(
            join(world.ctx(), &tutor, &code).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            join(world.ctx(), &learner, "not a code").await,
            Err(ServiceError::Invalid(_))
        ));
        assert!(matches!(
            join(world.ctx(), &learner, "K7MX-3QPA").await,
            Err(ServiceError::NotFound(_))
        ));
        let joined = join(world.ctx(), &learner, &code.to_lowercase())
            .await
            .unwrap();
        assert_eq!(joined.join_code, None, "learners do not see the code");
        let seen = page(world.ctx(), &learner, class.id).await.unwrap();
        assert!(seen.roster.is_none(), "learners see no roster");
        let run = page(world.ctx(), &tutor, class.id).await.unwrap();
        let roster = run.roster.unwrap();
        assert_eq!(roster.members.len(), 1);
        assert!(roster.invites, "a tutor invites existing learners");
        let listed = list(world.ctx(), &other).await.unwrap();
        assert!(listed.is_empty(), "a tutor lists only their own classes");
    }

    #[tokio::test]
    async fn an_archived_class_leaves_the_lists_and_comes_back() {
        let world = World::new().await;
        let ctx = world.ctx();
        let tutor = world.account("tess", Role::Tutor).await;
        let other = world.account("otto", Role::Tutor).await;
        let learner = world.account("amina", Role::Learner).await;
        let class = create(ctx, &tutor, new_class("Group", None)).await.unwrap();
        let code = class.join_code.clone().unwrap();
        join(ctx, &learner, &code).await.unwrap();

        let archive = ClassChange {
            archived: Some(true),
            name: Some("  Autumn  group "),
            ..ClassChange::default()
        };
        for who in [&other, &learner] {
            assert!(matches!(
                change(ctx, who, class.id, archive).await,
                Err(ServiceError::Forbidden(_))
            ));
        }
        let changed = change(ctx, &tutor, class.id, archive).await.unwrap();
        assert!(changed.archived);
        assert_eq!(changed.name, "Autumn group");
        assert!(list(ctx, &tutor).await.unwrap().is_empty());
        assert!(list(ctx, &learner).await.unwrap().is_empty());
        assert!(list_archived(ctx, &learner).await.unwrap().is_empty());
        assert_eq!(list_archived(ctx, &tutor).await.unwrap().len(), 1);
        assert!(list_archived(ctx, &other).await.unwrap().is_empty());
        let newcomer = world.account("olena", Role::Learner).await;
        assert!(matches!(
            join(ctx, &newcomer, &code).await,
            Err(ServiceError::NotFound(_))
        ));

        let restore = ClassChange {
            archived: Some(false),
            ..ClassChange::default()
        };
        let back = change(ctx, &tutor, class.id, restore).await.unwrap();
        assert!(!back.archived);
        assert_eq!(back.name, "Autumn group", "left out: unchanged");
        assert_eq!(list(ctx, &learner).await.unwrap().len(), 1);

        let bad = ClassChange {
            name: Some(" "),
            ..ClassChange::default()
        };
        assert!(matches!(
            change(ctx, &tutor, class.id, bad).await,
            Err(ServiceError::Invalid(_))
        ));
    }
}
