//! xAPI 1.0.3 statements for a learning record store, one JSON object a
//! line. The actor is the learner's account on this site (homePage is the
//! public address, name the username: no email, no full name). Each
//! statement's id is a UUID v5 of the row it comes from, so exporting
//! again sends the same ids and the store keeps one copy.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

/// The ADL verbs we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Attempted,
    Completed,
    Passed,
    Failed,
}

impl Verb {
    pub fn word(self) -> &'static str {
        match self {
            Verb::Attempted => "attempted",
            Verb::Completed => "completed",
            Verb::Passed => "passed",
            Verb::Failed => "failed",
        }
    }

    pub fn id(self) -> String {
        format!("http://adlnet.gov/expapi/verbs/{}", self.word())
    }
}

/// What a statement is about: a course, or a lesson or quiz in it.
pub struct Activity<'a> {
    pub course_slug: &'a str,
    pub lesson_id: Option<&'a str>,
    /// Shown as the activity's name (en-US).
    pub name: &'a str,
}

/// A quiz's result.
pub struct Score {
    /// 0 to 100.
    pub percent: i32,
    pub passed: bool,
}

/// One statement. `source` names the row it comes from (e.g.
/// `attempt:42`); the same source always gives the same id.
pub struct Statement<'a> {
    pub source: &'a str,
    pub username: &'a str,
    pub verb: Verb,
    pub activity: Activity<'a>,
    pub score: Option<Score>,
    pub timestamp: DateTime<Utc>,
}

/// The namespace of our statement ids: a v5 UUID of the site's address, so
/// two Presto sites never share ids.
fn namespace(public_url: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, public_url.as_bytes())
}

pub fn statement_id(public_url: &str, source: &str) -> Uuid {
    Uuid::new_v5(&namespace(public_url), source.as_bytes())
}

pub fn to_json(public_url: &str, s: &Statement<'_>) -> Value {
    let base = public_url.trim_end_matches('/');
    let course_url = format!("{base}/courses/{}", s.activity.course_slug);
    let (object_id, activity_type) = match s.activity.lesson_id {
        Some(lesson) => (
            format!("{course_url}/lessons/{lesson}"),
            if s.score.is_some() {
                "http://adlnet.gov/expapi/activities/assessment"
            } else {
                "http://adlnet.gov/expapi/activities/lesson"
            },
        ),
        None => (
            course_url.clone(),
            "http://adlnet.gov/expapi/activities/course",
        ),
    };
    let mut statement = json!({
        "id": statement_id(public_url, s.source).to_string(),
        "actor": {
            "objectType": "Agent",
            "account": { "homePage": base, "name": s.username },
        },
        "verb": { "id": s.verb.id(), "display": { "en-US": s.verb.word() } },
        "object": {
            "objectType": "Activity",
            "id": object_id,
            "definition": {
                "name": { "en-US": s.activity.name },
                "type": activity_type,
            },
        },
        "timestamp": s.timestamp.to_rfc3339_opts(SecondsFormat::Millis, true),
        "version": "1.0.3",
    });
    if s.activity.lesson_id.is_some() {
        statement["context"] = json!({
            "contextActivities": { "parent": [{ "id": course_url, "objectType": "Activity" }] }
        });
    }
    match (&s.score, s.verb) {
        (Some(score), _) => {
            statement["result"] = json!({
                "score": { "scaled": f64::from(score.percent.clamp(0, 100)) / 100.0, "raw": score.percent, "min": 0, "max": 100 },
                "success": score.passed,
                "completion": true,
            });
        }
        (None, Verb::Completed) => statement["result"] = json!({ "completion": true }),
        _ => {}
    }
    statement
}

/// The statement as one line of JSON Lines.
pub fn line(public_url: &str, s: &Statement<'_>) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(&to_json(public_url, s)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(passed: bool) -> Statement<'static> {
        Statement {
            source: "attempt:7",
            username: "amina",
            verb: if passed { Verb::Passed } else { Verb::Failed },
            activity: Activity {
                course_slug: "hospitality",
                lesson_id: Some("hygiene-quiz"),
                name: "Hygiene quiz",
            },
            score: Some(Score {
                percent: 80,
                passed,
            }),
            timestamp: DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
        }
    }

    #[test]
    fn a_quiz_attempt_becomes_a_passed_statement_with_a_scaled_score() {
        let v = to_json("https://learn.example.org/", &attempt(true));
        assert_eq!(v["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
        assert_eq!(v["verb"]["display"]["en-US"], "passed");
        assert_eq!(
            v["actor"]["account"]["homePage"],
            "https://learn.example.org"
        );
        assert_eq!(v["actor"]["account"]["name"], "amina");
        assert!(v["actor"].get("mbox").is_none());
        assert_eq!(
            v["object"]["id"],
            "https://learn.example.org/courses/hospitality/lessons/hygiene-quiz"
        );
        assert_eq!(v["result"]["score"]["scaled"], 0.8);
        assert_eq!(v["result"]["success"], true);
        assert_eq!(v["timestamp"], "2026-09-21T14:13:20.000Z");
        assert_eq!(v["version"], "1.0.3");
    }

    #[test]
    fn ids_are_stable_per_row_and_differ_between_rows_and_sites() {
        let a = to_json("https://a.example", &attempt(true))["id"].clone();
        let again = to_json("https://a.example", &attempt(true))["id"].clone();
        let other_site = to_json("https://b.example", &attempt(true))["id"].clone();
        assert_eq!(a, again);
        assert_ne!(a, other_site);
        let parsed = Uuid::parse_str(a.as_str().unwrap()).unwrap();
        assert_eq!(parsed.get_version_num(), 5);
    }

    #[test]
    fn a_line_is_one_json_object() {
        let line = line("https://a.example", &attempt(false));
        assert_eq!(line.iter().filter(|b| **b == b'\n').count(), 1);
        let v: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v["verb"]["display"]["en-US"], "failed");
    }
}
