//! A class's live sessions and their attendance register, for those who
//! run the class; a learner's coming sessions for their home page.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ClassSummary, managed, summary};
use crate::domain::class::{Attendance, FieldError, NewSession};
use crate::service::{Context, Message, ServiceError, ServiceResult};
use crate::store::classes::{self as rows, Class, Session};
use crate::store::users::Account;

/// A planned live session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionInfo {
    pub id: i32,
    pub class_id: i32,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub meeting_url: String,
}

impl SessionInfo {
    /// An unscheduled live class's session: it has no title of its own
    /// (every planned session has one), and each page calls it a live
    /// class in its viewer's language.
    pub fn untitled(&self) -> bool {
        self.title.is_empty()
    }

    /// When it is over.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + chrono::Duration::minutes(self.duration_minutes.into())
    }
}

impl From<Session> for SessionInfo {
    fn from(s: Session) -> SessionInfo {
        SessionInfo {
            id: s.id,
            class_id: s.class_id,
            title: s.title,
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes,
            meeting_url: s.meeting_url,
        }
    }
}

/// Plans a live session for the class. `session` is the input as read,
/// checked or refused; it is looked at only once `account` is known to
/// run the class (who may not gets 403, whatever they sent).
pub async fn add(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session: Result<NewSession, FieldError>,
) -> ServiceResult<SessionInfo> {
    let class = managed(ctx, account, class_id).await?;
    let session = session?;
    let stored = ctx
        .store
        .add_session(
            class.id,
            rows::NewSession {
                title: session.title.as_str(),
                starts_at: session.starts_at,
                duration_minutes: session.minutes.get(),
                meeting_url: session.meeting_url.as_str(),
            },
        )
        .await?;
    Ok(stored.into())
}

fn no_session() -> ServiceError {
    ServiceError::not_found(Message::key("class-error-no-session"))
}

/// The class (if `account` runs it) and its session.
async fn class_session(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
) -> ServiceResult<(Class, Session)> {
    let class = managed(ctx, account, class_id).await?;
    let session = ctx
        .store
        .session(session_id)
        .await?
        .filter(|s| s.class_id == class.id)
        .ok_or_else(no_session)?;
    Ok((class, session))
}

/// A session of a class `account` runs (to ask before deleting it).
pub async fn find(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
) -> ServiceResult<(ClassSummary, SessionInfo)> {
    let (class, session) = class_session(ctx, account, class_id, session_id).await?;
    Ok((summary(ctx, account, class), session.into()))
}

/// Deletes a session and its register.
pub async fn delete(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
) -> ServiceResult<()> {
    let (_, session) = class_session(ctx, account, class_id, session_id).await?;
    ctx.store.delete_session(session.id).await?;
    Ok(())
}

/// One learner's line on a register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterLine {
    pub id: i32,
    pub full_name: String,
    pub username: String,
    /// None until marked.
    pub status: Option<Attendance>,
}

/// The register of one session: a line per member of the class, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Register {
    pub class: ClassSummary,
    pub session: SessionInfo,
    pub lines: Vec<RegisterLine>,
}

pub async fn register(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
) -> ServiceResult<Register> {
    let (class, session) = class_session(ctx, account, class_id, session_id).await?;
    let marks = ctx.store.attendance(session.id).await?;
    let lines = ctx
        .store
        .class_members(class.id)
        .await?
        .into_iter()
        .map(|m| RegisterLine {
            status: marks.get(&m.id).copied(),
            id: m.id,
            full_name: m.full_name,
            username: m.username,
        })
        .collect();
    Ok(Register {
        class: summary(ctx, account, class),
        session: session.into(),
        lines,
    })
}

/// Records marks on a session's register: `(learner id, mark)`, a learner
/// marked again gets the new mark. Only this class's learners are on its
/// register and a mark is present, late or absent: a mark for anyone else,
/// or any other mark, refuses the whole submission (each problem named)
/// and nothing of it is stored.
pub async fn record_attendance(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
    marks: &[(i32, &str)],
) -> ServiceResult<()> {
    let (class, session) = class_session(ctx, account, class_id, session_id).await?;
    let members: HashSet<i32> = ctx
        .store
        .class_members(class.id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let checked = check_marks(&members, marks)
        .map_err(|problems| ServiceError::invalid_or_missing(problems, "class-error-not-member"))?;
    ctx.store.record_attendance(session.id, &checked).await?;
    Ok(())
}

/// "Everyone present": every learner of the class not yet on the
/// register is marked present. Marks already there stay, the tutor's and
/// the live class's alike. Who may: as for the register.
pub async fn everyone_present(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
) -> ServiceResult<u64> {
    let (class, session) = class_session(ctx, account, class_id, session_id).await?;
    let members: Vec<i32> = ctx
        .store
        .class_members(class.id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    Ok(ctx
        .store
        .mark_unmarked_present(session.id, &members)
        .await?)
}

/// The marks, or every problem with them.
fn check_marks(
    members: &HashSet<i32>,
    marks: &[(i32, &str)],
) -> Result<Vec<(i32, Attendance)>, Vec<Message>> {
    let mut checked = Vec::with_capacity(marks.len());
    let mut problems = Vec::new();
    for &(id, mark) in marks {
        let status = Attendance::parse(mark);
        if status.is_none() {
            problems.push(Message::key("class-error-mark").arg("mark", mark));
        }
        if !members.contains(&id) {
            problems.push(Message::key("class-error-not-member").arg("id", id));
        }
        if let Some(status) = status {
            checked.push((id, status));
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

/// A coming session with the name of its class.
#[derive(Debug, Clone, PartialEq)]
pub struct Upcoming {
    pub class_name: String,
    pub session: SessionInfo,
}

/// A learner's next live sessions (at most three, not yet over), soonest
/// first, for their home page.
pub async fn upcoming(ctx: Context<'_>, account: &Account) -> ServiceResult<Vec<Upcoming>> {
    Ok(ctx
        .store
        .upcoming_sessions_for(account.id, Utc::now(), 3)
        .await?
        .into_iter()
        .map(|(class_name, session)| Upcoming {
            class_name,
            session: session.into(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::names::Role;
    use crate::service::classes::tests::World;
    use crate::service::classes::{NewClass, create, join};

    #[test]
    fn a_mark_for_a_stranger_or_an_unknown_mark_refuses_all() {
        let members = HashSet::from([1, 2]);
        assert_eq!(
            check_marks(&members, &[(1, "present"), (2, "late")]),
            Ok(vec![(1, Attendance::Present), (2, Attendance::Late)])
        );
        let problems =
            check_marks(&members, &[(1, "present"), (9, "absent"), (2, "here")]).unwrap_err();
        let words: Vec<String> = problems.iter().map(Message::english).collect();
        assert_eq!(words.len(), 2, "{words:?}");
        assert!(words[0].contains('9'), "{words:?}");
        assert!(words[1].contains("here"), "{words:?}");
    }

    #[tokio::test]
    async fn the_register_is_kept_by_whoever_runs_the_class_and_only_for_its_members() {
        let world = World::new().await;
        let ctx = world.ctx();
        let tutor = world.account("tess", Role::Tutor).await;
        let other = world.account("otto", Role::Tutor).await;
        let amina = world.account("amina", Role::Learner).await;
        let stranger = world.account("yusuf", Role::Learner).await;
        let class = create(
            ctx,
            &tutor,
            NewClass {
                name: "Group",
                sector: None,
                courses: &[],
            },
        )
        .await
        .unwrap();
        join(ctx, &amina, class.join_code.as_deref().unwrap())
            .await
            .unwrap();
        let planned = NewSession::parse(
            "Talk",
            Utc::now() + chrono::Duration::days(1),
            45,
            "https://meet.example.org/x",
        );
        let refused = add(ctx, &other, class.id, Err(FieldError::Duration)).await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "who may not learns nothing about their input"
        );
        let session = add(ctx, &tutor, class.id, planned).await.unwrap();
        assert_eq!(session.duration_minutes, 45);
        assert_eq!(upcoming(ctx, &amina).await.unwrap().len(), 1);

        let refused = record_attendance(
            ctx,
            &tutor,
            class.id,
            session.id,
            &[(amina.id, "present"), (stranger.id, "present")],
        )
        .await;
        // The stranger is no member of this class: a 404, not a 400.
        assert!(matches!(refused, Err(ServiceError::NotFound(_))));
        assert!(
            ctx.store.attendance(session.id).await.unwrap().is_empty(),
            "nothing of a refused submission is kept"
        );
        record_attendance(ctx, &tutor, class.id, session.id, &[(amina.id, "late")])
            .await
            .unwrap();
        let kept = register(ctx, &tutor, class.id, session.id).await.unwrap();
        assert_eq!(kept.lines[0].status, Some(Attendance::Late));
        assert!(matches!(
            register(ctx, &other, class.id, session.id).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            find(ctx, &tutor, class.id, session.id + 1).await,
            Err(ServiceError::NotFound(_))
        ));
        delete(ctx, &tutor, class.id, session.id).await.unwrap();
        assert!(ctx.store.session(session.id).await.unwrap().is_none());
    }
}
