//! Live classes through the JSON API and its event stream: a tutor starts,
//! leads, asks and ends; learners follow, answer and raise hands; the
//! register fills itself; who may not is refused first. On SQLite and
//! PostgreSQL, and across two instances on one PostgreSQL database.

use std::time::Duration;

use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

/// One event as a client reads it off the stream.
#[derive(Debug, Clone)]
struct Event {
    id: Option<String>,
    name: String,
    data: Value,
}

/// A client's open event stream.
struct Stream {
    response: reqwest::Response,
    buffer: String,
    closed: bool,
}

impl Stream {
    async fn open(app: &TestApp, token: &str, class_id: i32, last_id: Option<&str>) -> Stream {
        let mut request = app
            .client
            .get(app.url(&format!("/api/v1/classes/{class_id}/live/events")))
            .bearer_auth(token);
        if let Some(id) = last_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.expect("stream opens");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Stream {
            response,
            buffer: String::new(),
            closed: false,
        }
    }

    /// The next event (comment lines skipped), or None when the stream
    /// closed; panics after `wait` without one.
    async fn next(&mut self, wait: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = Event {
                    id: None,
                    name: "message".into(),
                    data: Value::Null,
                };
                let mut saw_data = false;
                for line in block.lines() {
                    if let Some(id) = line.strip_prefix("id: ") {
                        event.id = Some(id.to_string());
                    } else if let Some(name) = line.strip_prefix("event: ") {
                        event.name = name.to_string();
                    } else if let Some(data) = line.strip_prefix("data: ") {
                        assert!(!saw_data, "one data line per event: {block}");
                        saw_data = true;
                        event.data = serde_json::from_str(data).expect("data is JSON");
                    }
                }
                if saw_data {
                    return Some(event);
                }
                continue;
            }
            if self.closed {
                return None;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no event within {wait:?}; have {:?}", self.buffer))
                .expect("stream reads");
            match chunk {
                Some(bytes) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                None => self.closed = true,
            }
        }
    }

    /// Waits for a comment line (the heartbeat), with no event before it.
    async fn heartbeat(&mut self, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if self.buffer.starts_with(": ") {
                return;
            }
            assert!(
                !self.buffer.contains("\n\n"),
                "an event came first: {:?}",
                self.buffer
            );
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .unwrap_or_else(|_| panic!("no line within {wait:?}"))
                .expect("stream reads")
                .expect("the stream is open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event named `name`, skipping others.
    async fn next_named(&mut self, name: &str) -> Event {
        loop {
            let event = self
                .next(Duration::from_secs(10))
                .await
                .unwrap_or_else(|| panic!("the stream closed before `{name}`"));
            if event.name == name {
                return event;
            }
        }
    }
}

const WAIT: Duration = Duration::from_secs(10);

/// A class of first-steps taught by `tess`, with learners who joined by
/// code: their tokens and ids.
struct Class {
    id: i32,
    tutor: String,
    learners: Vec<(String, i32, String)>,
}

async fn class_with(app: &TestApp, learners: &[&str]) -> Class {
    let tutor = app.token_for("tess", Role::Tutor).await;
    let (status, class) = app
        .api(&tutor)
        .post(
            "/api/v1/classes",
            json!({"name": "Evening group", "courses": ["first-steps"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{class}");
    let id = class["id"].as_i64().unwrap() as i32;
    let code = class["join_code"].as_str().unwrap().to_string();
    let mut joined = Vec::new();
    for name in learners {
        let user = app.add_user(name, Role::Learner, "password123").await.id;
        let token = app.token(name, "password123").await;
        let (status, body) = app
            .api(&token)
            .post("/api/v1/classes/join", json!({"code": code}))
            .await;
        assert!(status.is_success(), "{status} {body}");
        joined.push((name.to_string(), user, token));
    }
    Class {
        id,
        tutor,
        learners: joined,
    }
}

fn contains_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(fields) => {
            fields.contains_key(key) || fields.values().any(|v| contains_key(v, key))
        }
        Value::Array(items) => items.iter().any(|v| contains_key(v, key)),
        _ => false,
    }
}

on_both_databases!(
    a_quiet_stream_still_sends_a_line_now_and_then,
    the_pages_work_without_javascript,
    a_learner_taken_out_of_the_class_is_cut_off,
    a_live_class_from_start_to_end,
    who_may_not_is_refused_first_and_bad_input_is_named,
    the_tutors_own_marks_win_and_late_comers_are_late,
    a_stream_that_reconnects_gets_what_it_missed,
    questions_from_the_course_are_graded_like_the_quiz,
    every_kind_of_course_question_is_answered_through_the_api,
    every_kind_of_course_question_is_answered_on_the_page,
    a_learners_live_part_is_in_their_data_and_erased_with_them,
    an_account_may_keep_a_few_streams_of_a_class_open_not_any_number,
    stopping_the_server_ends_its_streams_at_once,
    an_unscheduled_live_class_is_named_in_the_viewers_language,
);

async fn a_live_class_from_start_to_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal", "chen"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    let (amina_name, amina_id, amina_token) = &class.learners[0];
    let amina = app.api(amina_token);

    let (status, _) = amina.get(&base).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not live yet");
    let (status, started) = tutor.post(&base, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let session = started["session_id"].as_i64().unwrap();
    let (status, again) = tutor.post(&base, json!({})).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "starting twice is the same live class"
    );
    assert_eq!(again["session_id"].as_i64(), Some(session));

    let mut tutor_stream = Stream::open(&app, &class.tutor, class.id, None).await;
    let first = tutor_stream.next(WAIT).await.unwrap();
    assert_eq!(first.name, "state");
    assert!(first.id.is_some(), "the state has an id to go on from");

    let mut amina_stream = Stream::open(&app, amina_token, class.id, None).await;
    let state = amina_stream.next(WAIT).await.unwrap();
    assert_eq!(state.name, "state");
    assert_eq!(state.data["session_id"].as_i64(), Some(session));
    assert_eq!(state.data["lesson"], Value::Null);
    let joined = tutor_stream.next_named("joined").await;
    assert_eq!(joined.data["username"], json!(amina_name));
    assert_eq!(joined.data["status"], json!("present"));
    // A second phone of the same learner gets the same events.
    let mut amina_phone = Stream::open(&app, amina_token, class.id, None).await;
    assert_eq!(amina_phone.next(WAIT).await.unwrap().name, "state");

    let (status, _) = tutor
        .post(
            &format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "shoes"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let lesson = amina_stream.next(WAIT).await.unwrap();
    assert_eq!(lesson.name, "lesson");
    assert_eq!(
        lesson.data,
        json!({"course": "first-steps", "lesson": "shoes"})
    );
    assert_eq!(amina_phone.next(WAIT).await.unwrap().name, "lesson");

    let (status, asked) = tutor
        .post(
            &format!("{base}/questions"),
            json!({"poll": {"text": "Which shoes?", "options": ["Trainers", "Safety shoes"], "correct": 1}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    let q = asked["question_id"].as_i64().unwrap();
    let question = amina_stream.next(WAIT).await.unwrap();
    assert_eq!(question.name, "question");
    assert_eq!(
        question.data,
        json!({"id": q, "text": "Which shoes?", "options": ["Trainers", "Safety shoes"]})
    );
    let (_, seen) = amina.get(&base).await;
    assert!(
        !contains_key(&seen, "correct"),
        "no answer before the reveal: {seen}"
    );

    let answers = format!("{base}/questions/{q}/answers");
    let (status, _) = amina.post(&answers, json!({"answer": 0})).await;
    assert_eq!(status, StatusCode::CREATED, "a first answer");
    let (status, _) = amina.post(&answers, json!({"answer": 1})).await;
    assert_eq!(status, StatusCode::OK, "a replaced answer");
    let mut tally = tutor_stream.next_named("tally").await;
    if tally.data["options"][1]["count"] != json!(1) {
        tally = tutor_stream.next_named("tally").await;
    }
    assert_eq!(tally.data["answered"], json!(1));
    assert_eq!(tally.data["total"], json!(3));
    assert_eq!(tally.data["options"][0]["count"], json!(0));
    let (status, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(counted["answered"], json!(1));
    assert_eq!(counted["total"], json!(3));
    assert_eq!(
        counted["options"][1],
        json!({"text": "Safety shoes", "count": 1, "percent": 100})
    );
    assert_eq!(counted["waiting"], json!(["bilal", "chen"]));

    let (status, _) = tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let reveal = amina_stream.next_named("reveal").await;
    assert_eq!(reveal.data["question_id"].as_i64(), Some(q));
    assert_eq!(reveal.data["correct"], json!(1));
    assert_eq!(reveal.data["answer"], json!(1));
    assert_eq!(reveal.data["right"], json!(true));
    let staff_reveal = tutor_stream.next_named("reveal").await;
    assert!(!contains_key(&staff_reveal.data, "answer"));
    let (status, _) = amina.post(&answers, json!({"answer": 0})).await;
    assert_eq!(status, StatusCode::CONFLICT, "no answers after the reveal");

    let (status, _) = amina
        .post(&format!("{base}/hand"), json!({"up": true}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let hand = tutor_stream.next_named("hand").await;
    assert_eq!(
        hand.data,
        json!({"user_id": amina_id, "username": amina_name, "up": true})
    );
    let (_, seen) = tutor.get(&base).await;
    assert_eq!(seen["hands"], json!(["amina"]));
    let (status, _) = tutor
        .post(
            &format!("{base}/hand"),
            json!({"up": false, "user": amina_id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Her own hand going up, then the tutor lowering it.
    assert_eq!(
        amina_stream.next_named("hand").await.data["up"],
        json!(true)
    );
    assert_eq!(
        amina_stream.next_named("hand").await.data["up"],
        json!(false)
    );

    let (status, _) = tutor.post(&format!("{base}/end"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(amina_stream.next_named("end").await.data, json!({}));
    assert!(
        amina_stream.next(WAIT).await.is_none(),
        "the stream closes after `end`"
    );
    let (status, _) = amina.get(&base).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = tutor.post(&format!("{base}/end"), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not live any more");

    let (status, register) = tutor
        .get(&format!(
            "/api/v1/classes/{}/sessions/{session}/attendance",
            class.id
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{register}");
    let line = |name: &str| {
        register
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["username"] == json!(name))
            .cloned()
            .unwrap_or_else(|| panic!("{name} on the register: {register}"))
    };
    assert_eq!(line("amina")["status"], json!("present"));
    assert!(line("amina")["joined_at"].is_string());
    assert_eq!(line("bilal")["status"], json!("absent"), "never joined");
    assert_eq!(line("bilal")["joined_at"], Value::Null);
    assert_eq!(line("chen")["status"], json!("absent"));
}

async fn who_may_not_is_refused_first_and_bad_input_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let stranger_token = app.token_for("yusuf", Role::Learner).await;
    let stranger = app.api(&stranger_token);
    let other_tutor_token = app.token_for("otto", Role::Tutor).await;
    let other_tutor = app.api(&other_tutor_token);
    let amina = app.api(&class.learners[0].2);
    let tutor = app.api(&class.tutor);

    // Not live: who may not still learns nothing but 403.
    for who in [&stranger, &other_tutor] {
        let (status, _) = who.get(&base).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = who.post(&base, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = amina.get(&base).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a member learns it is not live"
    );
    let (status, _) = amina
        .post(&format!("{base}/hand"), json!({"up": true}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = tutor.post(&base, json!({"session": 999_999})).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no such session in the class"
    );
    let (status, _) = tutor.post(&base, json!({"session": "soon"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response = app
        .client
        .post(app.url(&base))
        .bearer_auth(&class.tutor)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "no body: send {{}}"
    );
    let (status, _) = tutor.post(&base, json!({"session": 999_999.0})).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a whole number written with .0 is read"
    );
    let response = app
        .client
        .post(app.url(&base))
        .bearer_auth(&class.tutor)
        .header("content-type", "application/json")
        .body("{\"session\":")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "broken JSON");
    let (status, _) = tutor.post(&base, json!({})).await;
    assert_eq!(status, StatusCode::CREATED);

    // Live: strangers and other tutors are still refused, before their input is read.
    for (method, path, body) in [
        ("GET", base.clone(), None),
        ("GET", format!("{base}/events"), None),
        (
            "POST",
            format!("{base}/lesson"),
            Some(json!({"course": "x"})),
        ),
        (
            "POST",
            format!("{base}/questions"),
            Some(json!({"nonsense": 1})),
        ),
        (
            "POST",
            format!("{base}/questions/1/answers"),
            Some(json!({"answer": 0})),
        ),
        ("POST", format!("{base}/hand"), Some(json!({"up": true}))),
        ("POST", format!("{base}/end"), None),
    ] {
        for who in [&stranger, &other_tutor] {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let (status, body) = who.call(method.clone(), &path, body.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
        }
    }
    // A learner of the class calling the tutor's calls.
    for (path, body) in [
        (base.clone(), json!({})),
        (
            format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "hello"}),
        ),
        (format!("{base}/questions"), json!({"check": true})),
        (format!("{base}/end"), json!({})),
    ] {
        let (status, _) = amina.post(&path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    // A coordinator observes but does not lead.
    let coordinator_token = app.token_for("cora", Role::Coordinator).await;
    let coordinator = app.api(&coordinator_token);
    let (status, seen) = coordinator.get(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(seen["learners"].is_array(), "observers see the learners");
    let mut watching = Stream::open(&app, &coordinator_token, class.id, None).await;
    assert_eq!(watching.next(WAIT).await.unwrap().name, "state");
    let (status, _) = coordinator
        .post(&format!("{base}/questions"), json!({"check": true}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Bad input from the tutor, each named.
    for body in [
        json!({"poll": {"text": "One?", "options": ["Only"]}}),
        json!({"poll": {"text": "Many?", "options": ["1", "2", "3", "4", "5", "6", "7"]}}),
        json!({"poll": {"text": "", "options": ["a", "b"]}}),
        json!({"poll": {"text": "Right?", "options": ["a", "b"], "correct": 5}}),
        json!({"poll": {"text": "Blank?", "options": ["a", "  "]}}),
        json!({"check": true, "poll": {"text": "Both?", "options": ["a", "b"]}}),
        json!({}),
    ] {
        let (status, answer) = tutor.post(&format!("{base}/questions"), body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(
            answer["error"].is_string() || answer["message"].is_string(),
            "{answer}"
        );
    }
    let (status, _) = tutor
        .post(
            &format!("{base}/questions"),
            json!({"poll": {"text": "x".repeat(501), "options": ["a", "b"]}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "too long");
    let (status, _) = tutor
        .post(
            &format!("{base}/lesson"),
            json!({"course": "next-steps", "lesson": "hello"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not a course of the class");
    let (status, _) = tutor
        .post(
            &format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "nope"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = tutor
        .post(
            &format!("{base}/hand"),
            json!({"up": true, "user": class.learners[0].1}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a tutor cannot raise a hand");
    let (status, _) = tutor
        .post(&format!("{base}/hand"), json!({"up": false, "user": null}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "whose hand? none named");

    let (_, asked) = tutor
        .post(&format!("{base}/questions"), json!({"check": true}))
        .await;
    let q = asked["question_id"].as_i64().unwrap();
    let answers = format!("{base}/questions/{q}/answers");
    for bad in [json!(3), json!(-1), json!("yes"), json!(null), json!([0])] {
        let (status, _) = amina.post(&answers, json!({"answer": bad})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (status, _) = amina
        .post(
            &format!("{base}/questions/{}/answers", q + 1000),
            json!({"answer": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such question");
    let (status, _) = tutor.post(&answers, json!({"answer": 0})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "tutors do not answer");
    let (status, _) = amina
        .post(&format!("{base}/hand"), json!({"up": true, "user": 1}))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a learner's call for another"
    );
    // A new question closes the old one.
    let (_, second) = tutor
        .post(&format!("{base}/questions"), json!({"check": true}))
        .await;
    assert_ne!(second["question_id"].as_i64(), Some(q));
    let (status, _) = amina.post(&answers, json!({"answer": 0})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the earlier question is closed"
    );
}

async fn the_tutors_own_marks_win_and_late_comers_are_late(backend: Backend) {
    let app = TestApp::spawn_configured(backend, &crate::support::fixture_courses(), |s| {
        s.live_late_after_minutes = 0;
    })
    .await;
    let class = class_with(&app, &["amina", "bilal", "chen"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    let (_, started) = tutor.post(&base, json!({})).await;
    let session = started["session_id"].as_i64().unwrap();
    let register = format!("/api/v1/classes/{}/sessions/{session}/attendance", class.id);
    let (amina_id, bilal_id) = (class.learners[0].1, class.learners[1].1);

    // The tutor marked amina absent by hand before she joined; bilal present.
    let (status, _) = tutor
        .put(
            &register,
            json!({"marks": [{"user_id": amina_id, "status": "absent"}, {"user_id": bilal_id, "status": "present"}]}),
        )
        .await;
    assert!(status.is_success());
    tokio::time::sleep(Duration::from_millis(20)).await;
    let mut amina = Stream::open(&app, &class.learners[0].2, class.id, None).await;
    amina.next(WAIT).await.unwrap();
    let mut chen = Stream::open(&app, &class.learners[2].2, class.id, None).await;
    chen.next(WAIT).await.unwrap();

    let (_, lines) = tutor.get(&register).await;
    let status_of = |lines: &Value, name: &str| {
        lines
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["username"] == json!(name))
            .map(|l| l["status"].clone())
            .unwrap()
    };
    assert_eq!(
        status_of(&lines, "amina"),
        json!("absent"),
        "the tutor's mark wins"
    );
    assert_eq!(
        status_of(&lines, "chen"),
        json!("late"),
        "joined after the late mark"
    );
    let (status, _) = tutor.post(&format!("{base}/end"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, lines) = tutor.get(&register).await;
    assert_eq!(
        status_of(&lines, "bilal"),
        json!("present"),
        "ending keeps the tutor's marks"
    );
    assert_eq!(status_of(&lines, "chen"), json!("late"));
    // And stay editable.
    let (status, _) = tutor
        .put(
            &register,
            json!({"marks": [{"user_id": class.learners[2].1, "status": "present"}]}),
        )
        .await;
    assert!(status.is_success());
    let (_, lines) = tutor.get(&register).await;
    assert_eq!(status_of(&lines, "chen"), json!("present"));
}

async fn a_stream_that_reconnects_gets_what_it_missed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let token = &class.learners[0].2;
    let mut stream = Stream::open(&app, token, class.id, None).await;
    let state = stream.next(WAIT).await.unwrap();
    let last = state.id.clone().unwrap();
    drop(stream);

    for lesson in ["hello", "shoes"] {
        let (status, _) = tutor
            .post(
                &format!("{base}/lesson"),
                json!({"course": "first-steps", "lesson": lesson}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let mut again = Stream::open(&app, token, class.id, Some(&last)).await;
    let first = again.next(WAIT).await.unwrap();
    assert_eq!(first.name, "lesson", "what was missed, not a fresh state");
    assert_eq!(first.data["lesson"], json!("hello"));
    let second = again.next(WAIT).await.unwrap();
    assert_eq!(second.data["lesson"], json!("shoes"));
    let second_id = second.id.unwrap();
    assert_ne!(second_id, last);

    let mut stranger = Stream::open(&app, token, class.id, Some("not-an-id")).await;
    let fresh = stranger.next(WAIT).await.unwrap();
    assert_eq!(fresh.name, "state");
    assert_eq!(fresh.data["lesson"]["lesson"], json!("shoes"));
    assert_eq!(fresh.id.as_deref(), Some(second_id.as_str()));
}

async fn questions_from_the_course_are_graded_like_the_quiz(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let (status, asked) = tutor
        .post(
            &format!("{base}/questions"),
            json!({"course": "first-steps", "quiz": "first-quiz", "question": "who-leads"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    let q = asked["question_id"].as_i64().unwrap();
    let amina = app.api(&class.learners[0].2);
    let bilal = app.api(&class.learners[1].2);
    let (_, seen) = amina.get(&base).await;
    assert_eq!(
        seen["question"]["options"],
        json!(["A visitor", "The supervisor"])
    );
    assert!(!contains_key(&seen, "correct"));
    let answers = format!("{base}/questions/{q}/answers");
    assert_eq!(
        amina.post(&answers, json!({"answer": 1})).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        bilal.post(&answers, json!({"answer": 0})).await.0,
        StatusCode::CREATED
    );
    let (_, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    assert_eq!(counted["options"][0]["count"], json!(1));
    assert_eq!(counted["options"][1]["count"], json!(1));
    assert_eq!(counted["right"], json!(1));
    let mut bilal_stream = Stream::open(&app, &class.learners[1].2, class.id, None).await;
    bilal_stream.next(WAIT).await.unwrap();
    tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;
    let revealed = bilal_stream.next_named("reveal").await;
    assert_eq!(revealed.data["right"], json!(false), "{revealed:?}");
    assert_eq!(
        revealed.data["feedback"],
        json!("No. A visitor does not work here."),
        "his own feedback in his reveal event"
    );
    let (_, seen) = amina.get(&base).await;
    assert_eq!(seen["question"]["correct"], json!(1));
    assert_eq!(seen["question"]["right"], json!(true));
    assert_eq!(
        seen["question"]["feedback"],
        json!("Yes. The supervisor leads the team."),
        "the feedback her choice earned"
    );
    let (_, seen) = bilal.get(&base).await;
    assert_eq!(seen["question"]["right"], json!(false));
    assert_eq!(
        seen["question"]["feedback"],
        json!("No. A visitor does not work here.")
    );

    // A gap question takes the quiz's answer shape.
    let (_, asked) = tutor
        .post(
            &format!("{base}/questions"),
            json!({"course": "first-steps", "quiz": "first-quiz", "question": "gap"}),
        )
        .await;
    let q = asked["question_id"].as_i64().unwrap();
    let answers = format!("{base}/questions/{q}/answers");
    assert_eq!(
        amina
            .post(&answers, json!({"answer": ["morning", "new"]}))
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        bilal.post(&answers, json!({"answer": {"a": "b"}})).await.0,
        StatusCode::BAD_REQUEST
    );
    let (status, _) = tutor
        .post(
            &format!("{base}/questions"),
            json!({"course": "first-steps", "quiz": "first-quiz", "question": "nope"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Class progress shows them as live answers; they are not graded attempts.
    let (status, progress) = tutor
        .get(&format!("/api/v1/classes/{}/progress", class.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let live_of = |name: &str| {
        progress["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["username"] == json!(name))
            .map(|l| l["live_answers"].clone())
            .unwrap()
    };
    assert_eq!(live_of("amina"), json!({"answered": 2, "right": 2}));
    assert_eq!(live_of("bilal"), json!({"answered": 1, "right": 0}));
    let items = &progress["learners"][0]["courses"][0]["items"];
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["status"] == json!("not_started")),
        "no quiz attempt was made: {items}"
    );
}

/// Two instances on one PostgreSQL database, the tutor on one and a
/// learner on the other: LISTEN/NOTIFY carries the events across.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_on_another_instance_follows_the_tutor() {
    let Some(backend) = Backend::postgres() else {
        eprintln!("PostgreSQL not tested: PRESTO_TEST_POSTGRES_URL is not set");
        return;
    };
    let first = TestApp::spawn(backend).await;
    let second = first.restart_with(&crate::support::fixture_courses()).await;
    let class = class_with(&first, &["amina"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = first.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let mut tutor_stream = Stream::open(&first, &class.tutor, class.id, None).await;
    tutor_stream.next(WAIT).await.unwrap();
    let mut amina = Stream::open(&second, &class.learners[0].2, class.id, None).await;
    assert_eq!(amina.next(WAIT).await.unwrap().name, "state");
    assert_eq!(
        tutor_stream.next_named("joined").await.data["username"],
        json!("amina"),
        "a learner joining on B reaches the tutor on A"
    );
    tutor
        .post(
            &format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "shoes"}),
        )
        .await;
    let lesson = amina.next(WAIT).await.unwrap();
    assert_eq!(lesson.name, "lesson");
    assert_eq!(lesson.data["lesson"], json!("shoes"));
    let (_, asked) = tutor
        .post(&format!("{base}/questions"), json!({"check": true}))
        .await;
    let q = asked["question_id"].as_i64().unwrap();
    assert_eq!(amina.next(WAIT).await.unwrap().name, "question");
    let (status, _) = second
        .api(&class.learners[0].2)
        .post(
            &format!("{base}/questions/{q}/answers"),
            json!({"answer": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let tally = tutor_stream.next_named("tally").await;
    assert_eq!(
        tally.data["options"][2],
        json!({"text": "Lost", "count": 1})
    );
    tutor.post(&format!("{base}/end"), json!({})).await;
    assert_eq!(amina.next_named("end").await.name, "end");
    second.stop().await;
}

async fn a_learner_taken_out_of_the_class_is_cut_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let (amina_id, amina_token) = (class.learners[0].1, class.learners[0].2.clone());
    let mut amina = Stream::open(&app, &amina_token, class.id, None).await;
    amina.next(WAIT).await.unwrap();
    let mut bilal = Stream::open(&app, &class.learners[1].2, class.id, None).await;
    bilal.next(WAIT).await.unwrap();
    let (status, _) = app
        .api(&amina_token)
        .post(&format!("{base}/hand"), json!({"up": true}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let other_token = app.token_for("otto", Role::Tutor).await;
    let (status, _) = app
        .api(&other_token)
        .delete(&format!("/api/v1/classes/{}/members/{amina_id}", class.id))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not otto's class");
    let (status, _) = tutor
        .delete(&format!("/api/v1/classes/{}/members/{amina_id}", class.id))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = tutor
        .delete(&format!("/api/v1/classes/{}/members/{amina_id}", class.id))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not in the class any more");

    // Her stream ends; bilal's goes on.
    while let Some(event) = amina.next(WAIT).await {
        assert_eq!(event.name, "hand", "{event:?}");
    }
    let (status, _) = app.api(&amina_token).get(&base).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, seen) = tutor.get(&base).await;
    assert_eq!(seen["hands"], json!([]), "her hand went down with her");
    tutor
        .post(
            &format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "hello"}),
        )
        .await;
    assert_eq!(
        bilal.next_named("lesson").await.data["lesson"],
        json!("hello")
    );
}

/// The whole class through the pages alone, as a phone without JavaScript
/// uses them: plain forms and a page that refreshes itself.
async fn the_pages_work_without_javascript(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal"]).await;
    let live = format!("/classes/{}/live", class.id);
    let tutor = app.another_browser();
    tutor.sign_in("tess", "password123").await;
    let amina = app.another_browser();
    amina.sign_in("amina", "password123").await;
    let stranger = app.another_browser();
    app.add_user("yusuf", Role::Learner, "password123").await;
    stranger.sign_in("yusuf", "password123").await;

    let (status, page) = amina.page(&live).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("not live yet"), "{page}");
    let (_, home) = amina.page("/").await;
    assert!(!home.contains("live-now"), "nothing live yet");
    let response = amina.post_form(&format!("{live}/start"), &[]).await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "learners do not start classes"
    );
    let response = tutor.post_form(&format!("{live}/start"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::support::location(&response), live);

    let (_, home) = amina.page("/").await;
    // A live class started without a session has no meeting link: no
    // button may lead nowhere.
    assert!(!home.contains("href=\"\""), "{home}");
    let (_, class_page) = amina.page(&format!("/classes/{}", class.id)).await;
    assert!(!class_page.contains("href=\"\""), "{class_page}");
    assert!(
        home.contains(&format!("href=\"{live}\"")),
        "Live now: join, on her home page"
    );
    let (status, page) = amina.page(&live).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("<noscript><meta http-equiv=\"refresh\""),
        "a learner's page refreshes itself without JavaScript"
    );
    let (status, _) = stranger.page(&live).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, page) = tutor.page(&live).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("amina Test") && page.contains("bilal Test"),
        "{page}"
    );
    assert!(page.contains("following"), "amina follows: {page}");
    assert!(page.contains("not joined"), "bilal has not joined: {page}");

    let response = tutor
        .post_form(
            &format!("{live}/lesson"),
            &[("lesson", "first-steps|shoes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = amina.page(&live).await;
    assert!(
        page.contains("Wear safety shoes on the warehouse floor."),
        "{page}"
    );

    let response = tutor
        .post_form(&format!("{live}/ask"), &[("kind", "check")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = amina.page(&live).await;
    let question = crate::support::hidden_field(&page, "question").expect("the question's form");
    let response = amina
        .post_form(
            &format!("{live}/answer"),
            &[("question", &question), ("answer", "1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = amina
        .post_form(&format!("{live}/hand"), &[("up", "1")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = amina.page(&live).await;
    assert!(
        page.contains("aria-pressed=\"true\""),
        "her choice shows: {page}"
    );
    assert!(page.contains("Your hand is up"), "{page}");

    let (_, page) = tutor.page(&live).await;
    assert!(page.contains("1 of 2 have answered"), "{page}");
    assert!(page.contains("Not answered yet:"), "{page}");
    let response = tutor
        .post_form(
            &format!("{live}/ask"),
            &[("kind", "poll"), ("text", ""), ("option", "a")],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "an empty poll is refused"
    );
    let response = tutor
        .post_form(&format!("{live}/reveal"), &[("question", &question)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = amina.page(&live).await;
    assert!(
        page.contains("How the class answered"),
        "the bars after the reveal: {page}"
    );

    let response = tutor.post_form(&format!("{live}/end"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = amina.page(&live).await;
    assert!(page.contains("not live yet"), "{page}");
}

async fn a_quiet_stream_still_sends_a_line_now_and_then(backend: Backend) {
    let app = TestApp::spawn_configured(backend, &crate::support::fixture_courses(), |s| {
        s.live_heartbeat_secs = 1;
    })
    .await;
    let class = class_with(&app, &["amina"]).await;
    app.api(&class.tutor)
        .post(&format!("/api/v1/classes/{}/live", class.id), json!({}))
        .await;
    let mut stream = Stream::open(&app, &class.learners[0].2, class.id, None).await;
    assert_eq!(stream.next(WAIT).await.unwrap().name, "state");
    // Nothing happens in the class: a comment line keeps proxies from
    // closing the stream, and a client reading events skips it.
    stream.heartbeat(Duration::from_secs(3)).await;
    stream.buffer.clear();
    stream.heartbeat(Duration::from_secs(3)).await;
}

/// One of two instances goes down during a class: its learners reconnect to
/// the other with the last event they saw, get what they missed, and go on
/// answering; nothing they had answered is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_an_instance_goes_down_its_learners_carry_on_on_the_other() {
    let Some(backend) = Backend::postgres() else {
        eprintln!("PostgreSQL not tested: PRESTO_TEST_POSTGRES_URL is not set");
        return;
    };
    let first = TestApp::spawn(backend).await;
    let second = first.restart_with(&crate::support::fixture_courses()).await;
    let class = class_with(&first, &["amina"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = first.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let token = &class.learners[0].2;
    let mut on_second = Stream::open(&second, token, class.id, None).await;
    on_second.next(WAIT).await.unwrap();
    let (_, asked) = tutor
        .post(&format!("{base}/questions"), json!({"check": true}))
        .await;
    let q = asked["question_id"].as_i64().unwrap();
    let question = on_second.next_named("question").await;
    let last_seen = question.id.clone().expect("a kept event has an id");
    let (status, _) = second
        .api(token)
        .post(
            &format!("{base}/questions/{q}/answers"),
            json!({"answer": 0}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "answered through the second instance"
    );

    second.crash().await;
    let broken = tokio::time::timeout(WAIT, async {
        // A dropped connection: the body ends early (or cleanly).
        while let Ok(Some(_)) = on_second.response.chunk().await {}
    })
    .await;
    assert!(
        broken.is_ok(),
        "the stream on the instance that went down ends"
    );
    // Meanwhile the tutor goes on, on the first instance.
    tutor
        .post(
            &format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "shoes"}),
        )
        .await;

    let mut on_first = Stream::open(&first, token, class.id, Some(&last_seen)).await;
    let missed = on_first.next(WAIT).await.unwrap();
    assert_eq!(missed.name, "lesson", "what she missed, then on as before");
    assert_eq!(missed.data["lesson"], json!("shoes"));
    let (_, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    assert_eq!(
        counted["answered"],
        json!(1),
        "her answer through the lost instance is kept"
    );
    let (status, _) = first
        .api(token)
        .post(
            &format!("{base}/questions/{q}/answers"),
            json!({"answer": 1}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "she changes it through the first instance"
    );
}

/// Asks `question` of first-steps' quiz; its id.
async fn ask_course(app: &TestApp, class: &Class, question: &str) -> i64 {
    let (status, asked) = app
        .api(&class.tutor)
        .post(
            &format!("/api/v1/classes/{}/live/questions", class.id),
            json!({"course": "first-steps", "quiz": "first-quiz", "question": question}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    asked["question_id"].as_i64().unwrap()
}

/// Gaps, matching, order and several right choices, answered through the
/// API in the quiz's shapes with the ids the live question gives; the
/// tutor sees right and not right (and each choice ticked); nothing tells
/// a learner the answer before the reveal; after it each is told theirs.
async fn every_kind_of_course_question_is_answered_through_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal", "chen"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let amina = app.api(&class.learners[0].2);
    let bilal = app.api(&class.learners[1].2);
    let mut stream = Stream::open(&app, &class.learners[2].2, class.id, None).await;
    stream.next(WAIT).await.unwrap();

    // Matching: the left and right ids come with the question.
    let q = ask_course(&app, &class, "match").await;
    let event = stream.next_named("question").await;
    assert_eq!(event.data["quiz"]["kind"], json!("match"), "{event:?}");
    let (_, seen) = amina.get(&base).await;
    let quiz = &seen["question"]["quiz"];
    assert_eq!(quiz, &event.data["quiz"], "the event and the state agree");
    assert!(!contains_key(&seen, "correct"), "{seen}");
    let left: Vec<&str> = quiz["left"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let text_to_id = |side: &str, text: &str| {
        quiz[side]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["text"] == json!(text))
            .map(|c| c["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let (supervisor, forklift) = (left[0], left[1]);
    let (leads, lifts) = (
        text_to_id("right", "leads the team"),
        text_to_id("right", "lifts pallets"),
    );
    let answers = format!("{base}/questions/{q}/answers");
    let (status, body) = amina
        .post(
            &answers,
            json!({"answer": {supervisor: leads, forklift: lifts}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = bilal
        .post(
            &answers,
            json!({"answer": {supervisor: lifts, forklift: leads}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = bilal.post(&answers, json!({"answer": {}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an empty answer: {body}");
    let (status, _) = bilal
        .post(&answers, json!({"answer": {supervisor: "nobody"}}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an id the question lacks");
    let (_, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    assert_eq!(counted["answered"], json!(2));
    assert_eq!(
        (counted["right"].clone(), counted["wrong"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(counted["options"], json!([]));
    assert_eq!(counted["waiting"], json!(["chen"]));
    let (_, seen) = bilal.get(&base).await;
    assert!(
        seen["question"].get("right").is_none() && !contains_key(&seen, "correct"),
        "whether it was right only after the reveal: {seen}"
    );
    tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;
    let (_, seen) = amina.get(&base).await;
    assert_eq!(seen["question"]["right"], json!(true));
    assert_eq!(
        seen["question"]["correct"],
        json!(["supervisor — leads the team", "forklift — lifts pallets"])
    );
    let (_, seen) = bilal.get(&base).await;
    assert_eq!(seen["question"]["right"], json!(false));
    assert_eq!(
        bilal
            .post(
                &answers,
                json!({"answer": {supervisor: leads, forklift: lifts}})
            )
            .await
            .0,
        StatusCode::CONFLICT,
        "no answer after the reveal"
    );

    // Order, with the question's feedback after the reveal.
    let q = ask_course(&app, &class, "order").await;
    let (_, seen) = amina.get(&base).await;
    let items = seen["question"]["quiz"]["items"]
        .as_array()
        .unwrap()
        .clone();
    let id_of = |text: &str| {
        items
            .iter()
            .find(|i| i["text"] == json!(text))
            .map(|i| i["id"].clone())
            .unwrap()
    };
    let right_order = json!([id_of("Arrive"), id_of("Sign in"), id_of("Start work")]);
    let answers = format!("{base}/questions/{q}/answers");
    assert_eq!(
        amina.post(&answers, json!({"answer": right_order})).await.0,
        StatusCode::CREATED
    );
    let wrong_order = json!([id_of("Start work"), id_of("Sign in"), id_of("Arrive")]);
    assert_eq!(
        bilal.post(&answers, json!({"answer": wrong_order})).await.0,
        StatusCode::CREATED
    );
    // Changing one's mind before the reveal: now right.
    assert_eq!(
        bilal.post(&answers, json!({"answer": right_order})).await.0,
        StatusCode::OK
    );
    let (_, seen) = bilal.get(&base).await;
    assert!(
        !contains_key(&seen, "feedback"),
        "no feedback before the reveal: {seen}"
    );
    tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;
    let mut reveal = stream.next_named("reveal").await;
    while reveal.data["question_id"] != json!(q) {
        reveal = stream.next_named("reveal").await;
    }
    assert!(
        reveal.data.get("right").is_none(),
        "chen did not answer: {reveal:?}"
    );
    let (_, seen) = bilal.get(&base).await;
    assert_eq!(seen["question"]["right"], json!(true));
    assert_eq!(
        seen["question"]["feedback"],
        json!("Arrive, sign in, then start work.")
    );

    // Gaps: the words in order.
    let q = ask_course(&app, &class, "gap").await;
    let (_, seen) = amina.get(&base).await;
    assert_eq!(seen["question"]["quiz"]["gaps"], json!(2));
    assert!(
        !seen.to_string().contains("morning"),
        "no gap's word before the reveal: {seen}"
    );
    let answers = format!("{base}/questions/{q}/answers");
    assert_eq!(
        amina
            .post(&answers, json!({"answer": ["Morning", "new"]}))
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        bilal
            .post(&answers, json!({"answer": ["evening", "new"]}))
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        bilal.post(&answers, json!({"answer": ["", " "]})).await.0,
        StatusCode::BAD_REQUEST
    );
    let (_, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    assert_eq!(
        (counted["right"].clone(), counted["wrong"].clone()),
        (json!(1), json!(1))
    );

    // Several right: each choice ticked is counted, by id or by place.
    let q = ask_course(&app, &class, "wear").await;
    let (_, seen) = amina.get(&base).await;
    let ids: Vec<Value> = seen["question"]["quiz"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert_eq!(seen["question"]["options"].as_array().unwrap().len(), 3);
    let answers = format!("{base}/questions/{q}/answers");
    assert_eq!(
        amina
            .post(&answers, json!({"answer": [ids[0], ids[1]]}))
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        bilal.post(&answers, json!({"answer": [0, 2]})).await.0,
        StatusCode::CREATED
    );
    let (_, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    let counts: Vec<&Value> = counted["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["count"])
        .collect();
    assert_eq!(counts, [&json!(2), &json!(1), &json!(1)]);
    assert_eq!(
        (counted["right"].clone(), counted["wrong"].clone()),
        (json!(1), json!(1))
    );
    tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;
    let (_, seen) = amina.get(&base).await;
    assert_eq!(seen["question"]["correct"], json!([0, 1]));
    assert_eq!(seen["question"]["right"], json!(true));
    assert_eq!(seen["question"]["answer"], json!([0, 1]));
    let (_, seen) = bilal.get(&base).await;
    assert_eq!(seen["question"]["right"], json!(false));
    assert_eq!(
        seen["tally"]["options"][0]["count"],
        json!(2),
        "the class sees the bars"
    );
}

/// The same on a phone without JavaScript: the quiz page's own inputs,
/// read as the quiz page reads them.
async fn every_kind_of_course_question_is_answered_on_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal"]).await;
    let live = format!("/classes/{}/live", class.id);
    let tutor = app.another_browser();
    tutor.sign_in("tess", "password123").await;
    let amina = app.another_browser();
    amina.sign_in("amina", "password123").await;
    let bilal = app.another_browser();
    bilal.sign_in("bilal", "password123").await;
    tutor.post_form(&format!("{live}/start"), &[]).await;
    let fields_for = |question: &str, right: bool| -> Vec<(String, String)> {
        let prefix = format!("q:{question}");
        crate::support::quiz_fields("first-steps", "first-quiz", right)
            .into_iter()
            .filter(|(name, _)| name == &prefix || name.starts_with(&format!("{prefix}:")))
            .collect()
    };
    for (question, input) in [
        ("gap", "name=\"q:gap:1\""),
        ("match", "name=\"q:match:"),
        ("order", "name=\"q:order:"),
        ("wear", "type=\"checkbox\" name=\"q:wear\""),
    ] {
        let response = tutor
            .post_form(
                &format!("{live}/ask"),
                &[
                    ("kind", "course"),
                    ("question", &format!("first-steps|first-quiz|{question}")),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{question}");
        let (_, page) = amina.page(&live).await;
        assert!(
            page.contains(input),
            "{question}: the quiz's inputs: {page}"
        );
        assert!(!page.contains("Tell your tutor"), "{page}");
        let id = crate::support::hidden_field(&page, "question").expect("the question's form");
        for (learner, right) in [(&amina, true), (&bilal, false)] {
            let mut fields = fields_for(question, right);
            fields.push(("question".into(), id.clone()));
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let response = learner.post_form(&format!("{live}/answer"), &fields).await;
            assert_eq!(
                response.status(),
                StatusCode::SEE_OTHER,
                "{question} {right}"
            );
        }
        let (_, page) = amina.page(&live).await;
        assert!(page.contains("Your answer is saved"), "{page}");
        assert!(
            !page.contains("Right!") && !page.contains("The right answer"),
            "{page}"
        );
        let (_, page) = tutor.page(&live).await;
        assert!(page.contains("2 of 2 have answered"), "{question}: {page}");
        assert!(
            page.contains("Right: 1 · Not right: 1"),
            "{question}: {page}"
        );
        let response = tutor
            .post_form(&format!("{live}/reveal"), &[("question", &id)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = amina.page(&live).await;
        assert!(page.contains("Right!"), "{question}: {page}");
        assert!(page.contains("The right answer"), "{question}: {page}");
        assert!(
            !page.contains(input),
            "{question}: no form after the reveal"
        );
        let (_, page) = bilal.page(&live).await;
        assert!(page.contains("Not right this time."), "{question}: {page}");
    }
    let (_, page) = bilal.page(&live).await;
    assert!(
        page.contains("Safety shoes"),
        "the right choices in words: {page}"
    );

    // An empty form is a clear 400, not a wrong answer.
    tutor
        .post_form(
            &format!("{live}/ask"),
            &[
                ("kind", "course"),
                ("question", "first-steps|first-quiz|gap"),
            ],
        )
        .await;
    let (_, page) = amina.page(&live).await;
    let id = crate::support::hidden_field(&page, "question").unwrap();
    let response = amina
        .post_form(
            &format!("{live}/answer"),
            &[("question", &id), ("q:gap:1", ""), ("q:gap:2", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("Answer the question first"), "{body}");
    // The order's feedback, after the reveal.
    tutor
        .post_form(
            &format!("{live}/ask"),
            &[
                ("kind", "course"),
                ("question", "first-steps|first-quiz|order"),
            ],
        )
        .await;
    let (_, page) = amina.page(&live).await;
    let id = crate::support::hidden_field(&page, "question").unwrap();
    tutor
        .post_form(&format!("{live}/reveal"), &[("question", &id)])
        .await;
    let (_, page) = amina.page(&live).await;
    assert!(page.contains("Arrive, sign in, then start work."), "{page}");
}

/// The personal data export holds a learner's live answers, hands up and
/// the live classes they joined; erasing them removes what they typed,
/// their hand and their name in the events kept for reconnecting streams,
/// and keeps whether they were right and when they joined.
async fn a_learners_live_part_is_in_their_data_and_erased_with_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina", "bilal"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    let tutor = app.api(&class.tutor);
    tutor.post(&base, json!({})).await;
    let (amina_id, amina_token) = (class.learners[0].1, class.learners[0].2.clone());
    let amina = app.api(&amina_token);
    let mut her_stream = Stream::open(&app, &amina_token, class.id, None).await;
    her_stream.next(WAIT).await.unwrap();
    let q = ask_course(&app, &class, "gap").await;
    let (status, _) = amina
        .post(
            &format!("{base}/questions/{q}/answers"),
            json!({"answer": ["Morning", "newish"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        amina
            .post(&format!("{base}/hand"), json!({"up": true}))
            .await
            .0,
        StatusCode::OK
    );
    tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;

    let coordinator = app.api(app.token_for("cora", Role::Coordinator).await);
    let (status, data) = coordinator
        .get(&format!("/api/v1/learners/{amina_id}/data"))
        .await;
    assert_eq!(status, StatusCode::OK, "{data}");
    assert_eq!(
        data["live_answers"][0]["answer"],
        json!(["Morning", "newish"]),
        "{data}"
    );
    assert_eq!(data["live_answers"][0]["right"], json!(false));
    assert_eq!(
        data["live_answers"][0]["question"],
        json!("Fill in the gap.")
    );
    assert_eq!(data["live_hands"][0]["class_id"], json!(class.id), "{data}");
    assert!(
        data["live_attendance"][0]["joined_at"].is_string(),
        "{data}"
    );
    let (_, bilal_data) = coordinator
        .get(&format!("/api/v1/learners/{}/data", class.learners[1].1))
        .await;
    assert_eq!(
        bilal_data["live_answers"],
        json!([]),
        "only her own: {bilal_data}"
    );

    let (status, body) = coordinator
        .post(
            &format!("/api/v1/learners/{amina_id}/erase"),
            json!({"confirm": "amina"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let erased_name = body["username"].as_str().unwrap().to_string();
    let (_, data) = coordinator
        .get(&format!("/api/v1/learners/{amina_id}/data"))
        .await;
    assert_eq!(data["live_answers"][0]["answer"], Value::Null, "{data}");
    assert_eq!(
        data["live_answers"][0]["right"],
        json!(false),
        "the figures stay"
    );
    assert_eq!(data["live_hands"], json!([]));
    assert!(data["live_attendance"][0]["joined_at"].is_string());
    let (_, seen) = tutor.get(&base).await;
    assert_eq!(seen["hands"], json!([]), "her hand is down: {seen}");
    // The events kept for streams that reconnect: her name and her answer
    // are no longer in them.
    let kept = app
        .store
        .live_events_after(class.id, seen["session_id"].as_i64().unwrap() as i32, 0)
        .await
        .unwrap();
    let text = format!("{kept:?}");
    assert!(text.contains("Hand"), "the hand events are kept: {text}");
    assert!(!text.contains("\"amina\""), "{text}");
    assert!(!text.contains("newish"), "{text}");
    assert!(text.contains(&erased_name), "{text}");
}

/// Opening the class's stream once more than allowed: the status and body.
async fn try_stream(app: &TestApp, token: &str, class_id: i32) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/classes/{class_id}/live/events")))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers")
}

/// A tutor's second tab and a learner's second phone work, each getting
/// every event; a sixth stream of one account is refused with a plain
/// message, and a place comes back when a stream closes.
async fn an_account_may_keep_a_few_streams_of_a_class_open_not_any_number(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina"]).await;
    let base = format!("/api/v1/classes/{}/live", class.id);
    app.api(&class.tutor).post(&base, json!({})).await;
    let mut tabs = Vec::new();
    for _ in 0..5 {
        let mut tab = Stream::open(&app, &class.tutor, class.id, None).await;
        assert_eq!(tab.next(WAIT).await.unwrap().name, "state");
        tabs.push(tab);
    }
    let refused = try_stream(&app, &class.tutor, class.id).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = refused.json().await.expect("a JSON message");
    assert_eq!(body["error"], json!("too_many_requests"));
    assert!(
        body["message"].as_str().unwrap().contains("Close one"),
        "{body}"
    );
    // Another account is not counted with the tutor's: her two phones.
    let token = &class.learners[0].2;
    let mut phone = Stream::open(&app, token, class.id, None).await;
    let mut other_phone = Stream::open(&app, token, class.id, None).await;
    phone.next(WAIT).await.unwrap();
    other_phone.next(WAIT).await.unwrap();
    app.api(&class.tutor)
        .post(
            &format!("{base}/lesson"),
            json!({"course": "first-steps", "lesson": "shoes"}),
        )
        .await;
    for stream in [&mut phone, &mut other_phone] {
        assert_eq!(
            stream.next_named("lesson").await.data["lesson"],
            json!("shoes")
        );
    }
    for tab in &mut tabs {
        assert_eq!(
            tab.next_named("lesson").await.data["lesson"],
            json!("shoes"),
            "every tab"
        );
    }
    // A tab closes (a page reloaded): the next one opens at once, though
    // no line went to the closed one since (the heartbeat is 15 s).
    drop(tabs.pop());
    let reopened = try_stream(&app, &class.tutor, class.id).await;
    assert_eq!(
        reopened.status(),
        StatusCode::OK,
        "the closed tab's place is free"
    );
    let refused = try_stream(&app, &class.tutor, class.id).await;
    assert_eq!(
        refused.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "five again"
    );
    drop(reopened);
}

/// Stopping the server gracefully ends the open streams at once (their
/// clients reconnect elsewhere with their last event) instead of holding
/// the stop up for half a minute.
async fn stopping_the_server_ends_its_streams_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina"]).await;
    app.api(&class.tutor)
        .post(&format!("/api/v1/classes/{}/live", class.id), json!({}))
        .await;
    let mut learner = Stream::open(&app, &class.learners[0].2, class.id, None).await;
    let mut tutor = Stream::open(&app, &class.tutor, class.id, None).await;
    learner.next(WAIT).await.unwrap();
    tutor.next(WAIT).await.unwrap();
    let (stopped, learner_events, tutor_events) = tokio::join!(
        tokio::time::timeout(WAIT, app.stop()),
        async {
            let mut events = Vec::new();
            // `next` fails the test when the stream stays open past WAIT.
            while let Some(event) = learner.next(WAIT).await {
                events.push(event);
            }
            (events, learner.buffer.clone())
        },
        async {
            let mut events = Vec::new();
            while let Some(event) = tutor.next(WAIT).await {
                events.push(event);
            }
            events
        },
    );
    assert!(stopped.is_ok(), "the server stopped");
    let (events, rest) = learner_events;
    assert!(
        events.iter().all(|e| e.name != "end"),
        "the class did not end, only this server: {events:?}"
    );
    assert!(rest.is_empty(), "nothing half sent: {rest:?}");
    assert!(
        tutor_events.iter().all(|e| e.name != "end"),
        "{tutor_events:?}"
    );
}

/// The session an unscheduled live class makes has no title of its own:
/// each page names it in its viewer's language, the API in English.
async fn an_unscheduled_live_class_is_named_in_the_viewers_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let class = class_with(&app, &["amina"]).await;
    app.api(&class.tutor)
        .post(&format!("/api/v1/classes/{}/live", class.id), json!({}))
        .await;
    let amina = app.another_browser();
    amina.sign_in("amina", "password123").await;
    let response = amina.post_form("/language", &[("lang", "ar")]).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let class_page = format!("/classes/{}", class.id);
    for path in ["/", class_page.as_str()] {
        let (status, page) = amina.page(path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<bdi>صف مباشر</bdi>"), "{path}: {page}");
        assert!(!page.contains("Live class"), "{path}: {page}");
    }
    let tutor = app.another_browser();
    tutor.sign_in("tess", "password123").await;
    let (_, page) = tutor.page(&class_page).await;
    assert!(page.contains("<bdi>Live class</bdi>"), "{page}");
    let (_, detail) = app
        .api(&class.tutor)
        .get(&format!("/api/v1/classes/{}", class.id))
        .await;
    assert_eq!(
        detail["sessions"][0]["title"],
        json!("Live class"),
        "{detail}"
    );
}
