//! One event of a live class, as instances pass it to each other and as
//! each stream filters it for its viewer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What happened. The names are the contract's event names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Lesson,
    Question,
    Reveal,
    Hand,
    End,
    /// Tutors: the answers so far to the open question.
    Tally,
    /// Tutors: a learner joined for the first time.
    Joined,
    /// Tutors: a learner started or stopped following the tutor.
    Following,
    /// Internal: a learner left the class; their streams close.
    Removed,
    /// Internal: this instance may have missed events (its listening
    /// connection dropped); every stream sends a fresh state.
    Resync,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Lesson => "lesson",
            EventKind::Question => "question",
            EventKind::Reveal => "reveal",
            EventKind::Hand => "hand",
            EventKind::End => "end",
            EventKind::Tally => "tally",
            EventKind::Joined => "joined",
            EventKind::Following => "following",
            EventKind::Removed => "removed",
            EventKind::Resync => "resync",
        }
    }
}

/// Who sees an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Everyone,
    /// The class's tutor and observers (coordinators, admins).
    Staff,
    /// No one as such: it changes what a stream does.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub class_id: i32,
    /// The live class's session: event numbers start again with each one.
    pub session_id: i32,
    /// Its number in the class's stream. None for news a fresh state
    /// carries anyway (a tally, a learner joining), which is not kept for
    /// streams that reconnect.
    pub seq: Option<i64>,
    pub kind: EventKind,
    pub audience: Audience,
    /// What every viewer in the audience gets in `data:`.
    pub data: Value,
    /// What one learner gets besides (a reveal: their answer and whether it
    /// was right), by user id; merged into `data` for that learner only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub personal: BTreeMap<i32, Value>,
}

impl LiveEvent {
    pub fn new(class_id: i32, session_id: i32, kind: EventKind, data: Value) -> LiveEvent {
        let audience = match kind {
            EventKind::Tally | EventKind::Joined | EventKind::Following => Audience::Staff,
            EventKind::Removed | EventKind::Resync => Audience::Internal,
            _ => Audience::Everyone,
        };
        LiveEvent {
            class_id,
            session_id,
            seq: None,
            kind,
            audience,
            data,
            personal: BTreeMap::new(),
        }
    }

    /// Whether a stream that reconnects should get it again: what changes
    /// the class's state is kept; passing news is not.
    pub fn is_kept(&self) -> bool {
        matches!(
            self.kind,
            EventKind::Lesson
                | EventKind::Question
                | EventKind::Reveal
                | EventKind::Hand
                | EventKind::End
        )
    }

    /// The SSE `id:`, `<session>-<number>`, for kept events.
    pub fn wire_id(&self) -> Option<String> {
        self.seq.map(|seq| format!("{}-{seq}", self.session_id))
    }

    /// The event as one learner sees it, or None when it is not for them.
    pub fn for_learner(&self, user_id: i32) -> Option<Value> {
        if self.audience != Audience::Everyone {
            return None;
        }
        let mut data = self.data.clone();
        if let (Some(own), Value::Object(fields)) = (self.personal.get(&user_id), &mut data)
            && let Value::Object(extra) = own
        {
            for (key, value) in extra {
                fields.insert(key.clone(), value.clone());
            }
        }
        Some(data)
    }

    /// The event as the class's tutor or an observer sees it.
    pub fn for_staff(&self) -> Option<&Value> {
        (self.audience != Audience::Internal).then_some(&self.data)
    }
}

/// The session and number in a `Last-Event-ID` header, if it is one of ours.
pub fn parse_event_id(text: &str) -> Option<(i32, i64)> {
    let (session, seq) = text.trim().split_once('-')?;
    Some((session.parse().ok()?, seq.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_learner_sees_only_their_own_answer_on_a_reveal() {
        let mut reveal = LiveEvent::new(
            1,
            2,
            EventKind::Reveal,
            json!({"question_id": 5, "correct": 1}),
        );
        reveal
            .personal
            .insert(7, json!({"answer": 0, "right": false}));
        reveal
            .personal
            .insert(8, json!({"answer": 1, "right": true}));
        assert_eq!(
            reveal.for_learner(7),
            Some(json!({"question_id": 5, "correct": 1, "answer": 0, "right": false}))
        );
        assert_eq!(
            reveal.for_learner(9),
            Some(json!({"question_id": 5, "correct": 1}))
        );
        assert_eq!(
            reveal.for_staff(),
            Some(&json!({"question_id": 5, "correct": 1}))
        );
    }

    #[test]
    fn learners_never_get_the_tutors_news() {
        let tally = LiveEvent::new(1, 2, EventKind::Tally, json!({"answered": 3}));
        assert_eq!(tally.for_learner(7), None);
        assert!(tally.for_staff().is_some());
        let removed = LiveEvent::new(1, 2, EventKind::Removed, json!({"user_id": 7}));
        assert_eq!(removed.for_learner(7), None);
        assert_eq!(removed.for_staff(), None);
    }

    #[test]
    fn event_ids_round_trip_and_strangers_are_ignored() {
        let mut event = LiveEvent::new(1, 12, EventKind::Hand, json!({}));
        event.seq = Some(40);
        assert_eq!(event.wire_id().as_deref(), Some("12-40"));
        assert_eq!(parse_event_id("12-40"), Some((12, 40)));
        assert_eq!(parse_event_id("40"), None);
        assert_eq!(parse_event_id("a-b"), None);
    }
}
