//! A class's learners: one added by hand (a new account, or an existing
//! learner by username), many from a spreadsheet, and a new password for
//! a member. A new account's first password is shown once, on a login
//! card, and never stored in clear.
//!
//! Putting someone who already has an account in a class gives whoever
//! runs it their progress, their certificates and the power to make them
//! a new password, so a tutor may not do it alone: naming an existing
//! learner invites them. Coordinators and admins add them at once
//! ([`rules::may_add_existing_directly`]). A new password is only for a
//! learner who has joined the class (an invitation is not membership).

use serde::Serialize;

use super::{ClassSummary, MemberInfo, managed, summary};
use crate::domain::class as rules;
use crate::domain::names::{Role, Username, parse_email};
use crate::domain::roster::{self, LearnerCells, RosterProblem, RosterRow};
use crate::domain::roster_file;
use crate::i18n::LANGUAGES;
use crate::passwords::readable_password;
use crate::service::{Context, Message, ServiceError, ServiceResult};
use crate::store::classes::Class;
use crate::store::users::{Account, CreateUserError, NewAccount};

/// Someone to put on a login card: shown once, never stored in clear.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoginCard {
    pub id: i32,
    pub full_name: String,
    pub username: String,
    pub password: String,
    /// The learner's interface language: the card is printed in it.
    pub language: String,
}

/// A learner named for a class: a new account when `full_name` is given;
/// with the username alone, a learner who already has an account.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewMember<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    /// en, ar, fa or uk; or a language the courses translate into, which
    /// is the learner's home language (the interface then the caller's
    /// default); empty means the caller's default.
    pub language: &'a str,
    /// Empty means none.
    pub email: &'a str,
}

/// What naming an existing learner did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Put in the class (a coordinator or an admin did it) and enrolled in
    /// its courses.
    Joined,
    /// Already in the class: nothing changed.
    AlreadyMember,
    /// Invited: not in the class until they accept. Inviting again changes
    /// nothing.
    Invited,
}

/// What adding a member did.
#[derive(Debug, Clone, PartialEq)]
pub enum Added {
    /// A new learner account, in the class.
    Created(LoginCard),
    /// A learner who already had an account.
    Existing {
        id: i32,
        username: String,
        outcome: Existing,
    },
}

/// The languages a learner may be given: the interface languages, and
/// every language the site's courses translate into (a home language).
fn learner_languages(ctx: Context<'_>) -> Vec<String> {
    let mut codes: Vec<String> = LANGUAGES.iter().map(|l| l.code.to_string()).collect();
    for code in ctx.catalog.home_languages() {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// An archived class takes nobody new (its join code is spent too): it is
/// brought back first.
pub(crate) fn takes_new_members(class: &crate::store::classes::Class) -> ServiceResult<()> {
    if class.archived_at.is_some() {
        return Err(ServiceError::conflict(Message::key(
            "class-archived-no-new",
        )));
    }
    Ok(())
}

/// Adds one learner to a class `account` runs. `default_language` is the
/// language of a new learner whose language is left empty (the page's
/// language on a page, English in the API).
pub async fn add(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    member: NewMember<'_>,
    default_language: &'static str,
) -> ServiceResult<(ClassSummary, Added)> {
    let class = managed(ctx, account, class_id).await?;
    takes_new_members(&class)?;
    let languages = learner_languages(ctx);
    let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
    let added = if member.full_name.trim().is_empty() {
        // The details of a new account are not used for an existing one,
        // but what is sent must still be a language and an address.
        let problems: Vec<Message> = [
            roster::language(member.language, &languages, default_language).err(),
            parse_email(member.email).err().map(|e| e.to_string()),
        ]
        .into_iter()
        .flatten()
        .map(Message::Words)
        .collect();
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        add_existing(ctx, account, &class, member.username).await?
    } else {
        let cells = LearnerCells {
            username: member.username,
            full_name: member.full_name,
            language: member.language,
            email: member.email,
            ..LearnerCells::default()
        };
        let row = roster::check(cells, 1, &languages, default_language)
            .map_err(|problem| ServiceError::invalid(Message::Words(problem)))?;
        let (mut cards, taken) = create_learners(ctx, &class, vec![row]).await?;
        if let Some(name) = taken.into_iter().next() {
            return Err(ServiceError::conflict(
                Message::key("class-error-username-taken").arg("name", name.1),
            ));
        }
        let card = cards
            .pop()
            .ok_or_else(|| ServiceError::invalid(Message::key("class-error-no-learner")))?;
        Added::Created(card)
    };
    Ok((summary(ctx, account, class), added))
}

/// A learner who already has an account, named by username: put in the
/// class or invited, by the rule of who names them.
async fn add_existing(
    ctx: Context<'_>,
    account: &Account,
    class: &Class,
    username: &str,
) -> ServiceResult<Added> {
    // A name that cannot be a username, a staff account's and nobody's all
    // name no learner: 404, and no telling which.
    let no_learner = || ServiceError::not_found(Message::key("class-error-no-learner"));
    let name = Username::parse(username).map_err(|_| no_learner())?;
    let (learner, _) = ctx
        .store
        .credentials(name.as_str())
        .await?
        .ok_or_else(no_learner)?;
    // Staff accounts are not put in classes, by anyone.
    if learner.role != Role::Learner {
        return Err(no_learner());
    }
    let outcome = if ctx.store.is_class_member(class.id, learner.id).await? {
        Existing::AlreadyMember
    } else if rules::may_add_existing_directly(account.role) {
        ctx.store.join_class(class, learner.id).await?;
        Existing::Joined
    } else {
        ctx.store
            .invite_to_class(class.id, learner.id, account.id)
            .await?;
        Existing::Invited
    };
    Ok(Added::Existing {
        id: learner.id,
        username: learner.username,
        outcome,
    })
}

/// Creates each learner with a fresh password and puts them in the class:
/// the cards of those created, and `(line, username)` for each username
/// already taken.
async fn create_learners(
    ctx: Context<'_>,
    class: &Class,
    rows: Vec<RosterRow>,
) -> ServiceResult<(Vec<LoginCard>, Vec<(u64, String)>)> {
    let passwords: Vec<String> = rows.iter().map(|_| readable_password()).collect();
    // One after another through the server's hasher: argon2 is slow and
    // large on purpose, and a roster may have hundreds of lines.
    let hashes = crate::passwords::hash_each(passwords.clone()).await?;
    let mut cards = Vec::new();
    let mut taken = Vec::new();
    for ((row, password), hash) in rows.into_iter().zip(passwords).zip(hashes) {
        let created = ctx
            .store
            .create_learner_in_class(
                class,
                NewAccount {
                    username: &row.username,
                    full_name: &row.full_name,
                    email: row.email.as_deref(),
                    role: Role::Learner,
                    password_hash: &hash,
                    language: row.language,
                    home_language: row.home_language.as_deref(),
                    name_in_own_script: row.name_in_own_script.as_deref(),
                },
            )
            .await;
        match created {
            Ok(account) => cards.push(LoginCard {
                id: account.id,
                full_name: account.full_name,
                username: account.username,
                password,
                language: account.language,
            }),
            Err(CreateUserError::UsernameTaken(name)) => taken.push((row.line, name)),
            Err(CreateUserError::Store(e)) => return Err(e.into()),
        }
    }
    Ok((cards, taken))
}

/// What an import did: the cards of the learners made, and each line that
/// made nobody, by its number.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub class: ClassSummary,
    pub cards: Vec<LoginCard>,
    pub problems: Vec<RosterProblem>,
    /// The lines that made nobody, under the header if there was one: the
    /// text to fix and send again (empty when every line was used).
    pub again: String,
    /// The text of each line in `problems`, in the same order, to show
    /// beside its reason.
    pub failed_text: Vec<String>,
}

/// Creates the learners of a spreadsheet file (`.csv` or `.xlsx`, see
/// [`crate::domain::roster_file`]) as [`import`] does for pasted text. A
/// file that is not one of those, too big or broken is refused with what
/// to do.
pub async fn import_file(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    file_name: &str,
    bytes: &[u8],
    default_language: &'static str,
) -> ServiceResult<Imported> {
    // Whose class first: nobody learns anything about a file for a class
    // not theirs.
    managed(ctx, account, class_id).await?;
    let text = roster_file::read(file_name, bytes)
        .map_err(|e| ServiceError::invalid(Message::key(e.key())))?;
    import(ctx, account, class_id, &text, default_language).await
}

/// Creates the learners of a spreadsheet (text copied from one, or CSV,
/// see [`crate::domain::roster`]): the good lines become accounts in the
/// class, each bad line is reported by its number and given back.
pub async fn import(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    text: &str,
    default_language: &'static str,
) -> ServiceResult<Imported> {
    let class = managed(ctx, account, class_id).await?;
    takes_new_members(&class)?;
    let languages = learner_languages(ctx);
    let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
    let roster = roster::parse(text, &languages, default_language);
    if roster.rows.is_empty() && roster.problems.is_empty() {
        return Err(ServiceError::invalid(Message::key("class-import-empty")));
    }
    let mut problems = roster.problems;
    let (cards, taken) = create_learners(ctx, &class, roster.rows).await?;
    problems.extend(taken.into_iter().map(|(line, name)| RosterProblem {
        line,
        message: format!("The username \"{name}\" is taken. Choose another."),
    }));
    problems.sort_by_key(|p| p.line);
    let failed: Vec<u64> = problems.iter().map(|p| p.line).collect();
    let again = roster::lines_again(text, roster.header_line, &failed);
    let failed_text = failed
        .iter()
        .map(|&line| {
            roster::lines_again(text, None, &[line])
                .trim_end()
                .to_string()
        })
        .collect();
    Ok(Imported {
        class: summary(ctx, account, class),
        cards,
        problems,
        again,
        failed_text,
    })
}

/// The class and the learner whose password `account` may set through it:
/// the class is one `account` runs and the learner has joined it. An
/// invitation is not membership; a learner of another class is not this
/// class's; staff passwords are not reset from a class.
pub async fn password_target(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    learner_id: i32,
) -> ServiceResult<(ClassSummary, MemberInfo)> {
    let (class, learner) = class_and_member(ctx, account, class_id, learner_id).await?;
    if learner.role != Role::Learner {
        return Err(ServiceError::forbidden(Message::key(
            "class-error-staff-password",
        )));
    }
    Ok((summary(ctx, account, class), learner.into()))
}

/// The class's members to print login cards for again, without their
/// passwords (a password is shown once, when it is made): every member,
/// or only `learner` (who must be one).
pub async fn cards_again(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    learner: Option<i32>,
) -> ServiceResult<(ClassSummary, Vec<MemberInfo>)> {
    if let Some(learner_id) = learner {
        let (class, member) = password_target(ctx, account, class_id, learner_id).await?;
        return Ok((class, vec![member]));
    }
    let class = managed(ctx, account, class_id).await?;
    let members = ctx
        .store
        .class_members(class.id)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Learner)
        .map(MemberInfo::from)
        .collect();
    Ok((summary(ctx, account, class), members))
}

/// A member of the class `account` runs, to take out of it (the question
/// first).
pub async fn member_of(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    learner_id: i32,
) -> ServiceResult<(ClassSummary, MemberInfo)> {
    let (class, learner) = class_and_member(ctx, account, class_id, learner_id).await?;
    Ok((summary(ctx, account, class), learner.into()))
}

/// The class `account` runs and one of its members (an invitation is not
/// membership); anyone else is not found, in the same words.
async fn class_and_member(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    learner_id: i32,
) -> ServiceResult<(crate::store::classes::Class, Account)> {
    let class = managed(ctx, account, class_id).await?;
    let not_in_class = || ServiceError::not_found(Message::key("class-error-learner-not-member"));
    if !ctx.store.is_class_member(class.id, learner_id).await? {
        return Err(not_in_class());
    }
    let learner = ctx
        .store
        .account(learner_id)
        .await?
        .ok_or_else(not_in_class)?;
    Ok((class, learner))
}

/// Takes a learner out of the class. Their progress in its courses, their
/// certificates and their register marks stay; their open live class
/// streams close, and the class's pages and calls refuse them from now on.
pub async fn remove(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    learner_id: i32,
) -> ServiceResult<()> {
    let class = managed(ctx, account, class_id).await?;
    if !ctx.store.remove_class_member(class.id, learner_id).await? {
        return Err(ServiceError::not_found(Message::key(
            "class-error-learner-not-member",
        )));
    }
    let username = ctx
        .store
        .account(learner_id)
        .await?
        .map(|a| a.username)
        .unwrap_or_default();
    ctx.store
        .tell_removed(class.id, learner_id, &username)
        .await?;
    Ok(())
}

/// Makes a member of the class a new password (the old one, their printed
/// card, their other sessions and API tokens stop working) and returns it
/// on a login card.
pub async fn new_password(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    learner_id: i32,
) -> ServiceResult<(ClassSummary, LoginCard)> {
    let (class, learner) = password_target(ctx, account, class_id, learner_id).await?;
    let password = readable_password();
    let hash = crate::passwords::hash(password.clone()).await?;
    ctx.store.set_password_hash(learner.id, &hash).await?;
    tracing::info!(
        learner = learner.username,
        by = account.username,
        "password reset by tutor"
    );
    let card = LoginCard {
        id: learner.id,
        full_name: learner.full_name,
        username: learner.username,
        password,
        language: learner.language,
    };
    Ok((class, card))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::classes::tests::World;
    use crate::service::classes::{NewClass, create};

    async fn class_of(world: &World, tutor: &Account) -> ClassSummary {
        create(
            world.ctx(),
            tutor,
            NewClass {
                name: "Group",
                sector: None,
                courses: &[],
            },
        )
        .await
        .unwrap()
    }

    fn by_username(username: &str) -> NewMember<'_> {
        NewMember {
            username,
            ..NewMember::default()
        }
    }

    #[tokio::test]
    async fn a_tutor_invites_an_existing_learner_and_a_coordinator_adds_them() {
        let world = World::new().await;
        let ctx = world.ctx();
        let tutor = world.account("tess", Role::Tutor).await;
        let coordinator = world.account("cora", Role::Coordinator).await;
        let amina = world.account("amina", Role::Learner).await;
        let yusuf = world.account("yusuf", Role::Learner).await;
        world.account("staff", Role::Tutor).await;
        let class = class_of(&world, &tutor).await;

        let (_, added) = add(ctx, &tutor, class.id, by_username("amina"), "en")
            .await
            .unwrap();
        assert!(matches!(
            added,
            Added::Existing {
                outcome: Existing::Invited,
                ..
            }
        ));
        assert!(!ctx.store.is_class_member(class.id, amina.id).await.unwrap());
        assert!(ctx.store.is_invited(class.id, amina.id).await.unwrap());

        let (_, added) = add(ctx, &coordinator, class.id, by_username("YUSUF"), "en")
            .await
            .unwrap();
        assert_eq!(
            added,
            Added::Existing {
                id: yusuf.id,
                username: "yusuf".into(),
                outcome: Existing::Joined
            }
        );
        let (_, again) = add(ctx, &tutor, class.id, by_username("yusuf"), "en")
            .await
            .unwrap();
        assert!(matches!(
            again,
            Added::Existing {
                outcome: Existing::AlreadyMember,
                ..
            }
        ));
        for nobody in ["staff", "nobody-here", "!"] {
            let refused = add(ctx, &coordinator, class.id, by_username(nobody), "en").await;
            assert!(
                matches!(refused, Err(ServiceError::NotFound(_))),
                "{nobody}"
            );
        }
    }

    #[tokio::test]
    async fn a_new_learner_gets_a_card_and_a_taken_username_is_a_conflict() {
        let world = World::new().await;
        let ctx = world.ctx();
        let tutor = world.account("tess", Role::Tutor).await;
        let other = world.account("otto", Role::Tutor).await;
        let class = class_of(&world, &tutor).await;
        let olena = NewMember {
            username: "olena",
            full_name: "Олена Коваленко",
            language: "",
            email: "",
        };
        let refused = add(ctx, &other, class.id, olena, "uk").await;
        assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
        let (_, added) = add(ctx, &tutor, class.id, olena, "uk").await.unwrap();
        let Added::Created(card) = added else {
            panic!("a new account: {added:?}");
        };
        assert_eq!(card.username, "olena");
        let account = ctx.store.account(card.id).await.unwrap().unwrap();
        assert_eq!(account.language, "uk", "the caller's default language");
        assert!(ctx.store.is_class_member(class.id, card.id).await.unwrap());

        let taken = add(ctx, &tutor, class.id, olena, "en").await;
        assert!(matches!(taken, Err(ServiceError::Conflict(_))), "{taken:?}");
        let bad = NewMember {
            username: "erased-3",
            full_name: "Someone",
            ..NewMember::default()
        };
        let Err(ServiceError::Invalid(problems)) = add(ctx, &tutor, class.id, bad, "en").await
        else {
            panic!("refused");
        };
        assert!(problems[0].english().contains("erased accounts"));

        // A new password: for a member, by whoever runs the class.
        let (_, new) = new_password(ctx, &tutor, class.id, card.id).await.unwrap();
        assert_ne!(new.password, card.password);
        assert!(matches!(
            new_password(ctx, &other, class.id, card.id).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            new_password(ctx, &tutor, class.id, other.id).await,
            Err(ServiceError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn an_import_keeps_the_good_lines_and_names_the_bad_ones() {
        let world = World::new().await;
        let ctx = world.ctx();
        let tutor = world.account("tess", Role::Tutor).await;
        world.account("taken", Role::Learner).await;
        let class = class_of(&world, &tutor).await;
        let empty = import(ctx, &tutor, class.id, "\n\n", "en").await;
        assert!(matches!(empty, Err(ServiceError::Invalid(_))));
        let imported = import(
            ctx,
            &tutor,
            class.id,
            "amina,Amina Yusuf\nx,,xx\ntaken,Someone Else\n",
            "en",
        )
        .await
        .unwrap();
        let names: Vec<&str> = imported.cards.iter().map(|c| c.username.as_str()).collect();
        assert_eq!(names, ["amina"]);
        let lines: Vec<u64> = imported.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3]);
        assert!(imported.problems[1].message.contains("is taken"));
    }
}
