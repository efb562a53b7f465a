//! Pages and the API follow one rule set: for each action, the same actor
//! with the same input gets the same outcome (success, not found,
//! forbidden, invalid, conflict) from a form on a page and from the JSON
//! API, and the same thing is stored.
//!
//! Each database gets one server and two equivalent worlds in it: the
//! page world (usernames `pg.*`, actors signed in, each in a browser of
//! their own, posting forms with their CSRF token) and the API world
//! (`api.*`, actors with bearer tokens). Each world has the same people:
//!
//! | actor  | who                                                        |
//! |--------|------------------------------------------------------------|
//! | `lena` | the learner themselves (a member of the main class)        |
//! | `lars` | another learner (in no class until he joins one)           |
//! | `tess` | the class's tutor (she made the main and the join class)   |
//! | `otto` | another tutor                                              |
//! | `cora` | a coordinator                                              |
//! | `adam` | an admin                                                   |
//!
//! Every case runs once in each world, in the same order, so the two
//! worlds stay equivalent; after each side's call the stored effect is read
//! back (from the store, or through the API as the world's coordinator)
//! with the world's prefix taken out, and the two must be equal. Each case
//! also says the outcome the rule gives, and where it matters what must be
//! stored. All differences are collected and reported together at the end.
//!
//! Routes, page and API:
//!
//! | action       | page                                   | API                                              |
//! |--------------|----------------------------------------|--------------------------------------------------|
//! | enrol        | POST /courses/{slug}/enrol             | POST /api/v1/courses/{slug}/enrol                |
//! | complete     | POST /courses/{slug}/lessons/{id}/done | POST /api/v1/courses/{slug}/lessons/{id}/complete|
//! | attempt      | POST /courses/{slug}/lessons/{id}/attempts | POST /api/v1/courses/{slug}/lessons/{id}/attempts |
//! | class create | POST /classes                          | POST /api/v1/classes                             |
//! | add member   | POST /classes/{id}/members             | POST /api/v1/classes/{id}/members                |
//! | join         | POST /join                             | POST /api/v1/classes/join                        |
//! | session      | POST /classes/{id}/sessions            | POST /api/v1/classes/{id}/sessions               |
//! | attendance   | POST /classes/{id}/sessions/{s}        | PUT /api/v1/classes/{id}/sessions/{s}/attendance |
//! | revoke       | POST /certificates/{id}/revoke (confirm=yes) | POST /api/v1/certificates/{id}/revoke      |
//! | outcome      | POST /learners/{id}/outcomes           | POST /api/v1/learners/{id}/outcomes              |
//! | erase        | POST /learners/{id}/erase              | POST /api/v1/learners/{id}/erase                 |
//! | export       | GET /learners/{id}/data.json, GET /reports/*.csv | GET /api/v1/learners/{id}/data, GET /api/v1/reports/*.csv |
//! | own settings | POST /account/profile                  | PATCH /api/v1/me                                 |
//!
//! Every action has both forms. (The page's revocation asks first; the
//! case posts the confirmation, `confirm=yes`, as its button does. Class
//! sessions are given a local date and time on the page and an RFC 3339
//! instant in the API: 10:00 in London in January is 10:00 UTC.)
//!
//! A page's success is a 303 See Other (not to the sign-in page) or a 200;
//! its refusals are 404, 403, 400 and 409 like the API's.

use std::collections::{BTreeMap, HashMap};

use presto::course::{Answer, GapSegment, QuestionKind};
use presto::domain::certificate_id::CertificateId;
use presto::domain::names::{FullName, Role, Username};
use presto::passwords::{hash_password, random_token, token_hash};
use presto::store::users::{Account, NewAccount};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::{Backend, TestApp, compiled_fixture, location, quiz_fields};

on_both_databases!(pages_and_the_api_agree);

/// What became of a request, whichever way it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    NotFound,
    Forbidden,
    Invalid,
    Conflict,
    Other(u16),
}

use Outcome::{Conflict, Forbidden, Invalid, NotFound, Success};

fn api_outcome(status: StatusCode) -> Outcome {
    match status.as_u16() {
        200 | 201 | 202 | 204 => Success,
        400 => Invalid,
        403 => Forbidden,
        404 => NotFound,
        409 => Conflict,
        other => Outcome::Other(other),
    }
}

fn page_outcome(response: &reqwest::Response) -> Outcome {
    match response.status().as_u16() {
        303 if location(response).starts_with("/login") => Outcome::Other(303),
        200 | 303 => Success,
        _ => api_outcome(response.status()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Page,
    Api,
}

/// The actors, by their relation to the learner and the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Learner,
    OtherLearner,
    Tutor,
    OtherTutor,
    Coordinator,
    Admin,
}

use Who::{Admin, Coordinator, Learner, OtherLearner, OtherTutor, Tutor};

impl Who {
    const ALL: [Who; 6] = [Learner, OtherLearner, Tutor, OtherTutor, Coordinator, Admin];

    fn name(self) -> &'static str {
        match self {
            Learner => "lena",
            OtherLearner => "lars",
            Tutor => "tess",
            OtherTutor => "otto",
            Coordinator => "cora",
            Admin => "adam",
        }
    }

    fn role(self) -> Role {
        match self {
            Learner | OtherLearner => Role::Learner,
            Tutor | OtherTutor => Role::Tutor,
            Coordinator => Role::Coordinator,
            Admin => Role::Admin,
        }
    }
}

const PASSWORD: &str = "password123";
/// An id no row has.
const UNKNOWN_ID: i32 = 999_999;

struct Person {
    account: Account,
    /// For the API world's calls, and for reading back in both worlds.
    token: String,
    /// Signed in, in a browser of their own (page world only).
    browser: Option<TestApp>,
}

/// One side's people and objects.
struct World<'a> {
    app: &'a TestApp,
    side: Side,
    prefix: &'static str,
    hash: &'a str,
    people: HashMap<Who, Person>,
    /// Learners who are acted on, by bare name.
    others: HashMap<&'static str, Account>,
    main_class: i32,
    join_class: i32,
    join_code: String,
    /// A session of the join class (not of the main class).
    other_session: i32,
}

impl<'a> World<'a> {
    async fn new(app: &'a TestApp, side: Side, hash: &'a str) -> World<'a> {
        let prefix = match side {
            Side::Page => "pg.",
            Side::Api => "api.",
        };
        let mut world = World {
            app,
            side,
            prefix,
            hash,
            people: HashMap::new(),
            others: HashMap::new(),
            main_class: 0,
            join_class: 0,
            join_code: String::new(),
            other_session: 0,
        };
        for who in Who::ALL {
            let account = world.account(who.name(), who.role()).await;
            let token = random_token();
            app.store
                .add_api_token(account.id, &token_hash(&token))
                .await
                .expect("a token");
            let browser = match side {
                Side::Page => {
                    let browser = app.another_browser();
                    browser.sign_in(&account.username, PASSWORD).await;
                    Some(browser)
                }
                Side::Api => None,
            };
            world.people.insert(
                who,
                Person {
                    account,
                    token,
                    browser,
                },
            );
        }
        for name in ["mo", "ivy", "jay", "kai", "leo", "eve", "ezra"] {
            let account = world.account(name, Role::Learner).await;
            world.others.insert(name, account);
        }
        // Set up through the API, the same for both worlds.
        world.main_class = world.setup_class("Main class", &[]).await.0;
        for name in ["lena", "mo"] {
            let (status, body) = world
                .api(Coordinator)
                .post(
                    &format!("/api/v1/classes/{}/members", world.main_class),
                    json!({"username": world.own(name)}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{name} in the main class: {body}");
        }
        let (join_class, join_code) = world.setup_class("Join class", &["first-steps"]).await;
        world.join_class = join_class;
        world.join_code = join_code;
        world.other_session = world.setup_session(join_class).await;
        world
    }

    async fn account(&self, name: &str, role: Role) -> Account {
        let username = self.own(name);
        self.app
            .store
            .create_user(NewAccount {
                username: &Username::parse(&username).expect("username"),
                full_name: &FullName::parse(&format!("{name} Test")).expect("name"),
                email: None,
                role,
                password_hash: self.hash,
                language: "en",
                home_language: None,
                name_in_own_script: None,
            })
            .await
            .expect("user created")
    }

    async fn setup_class(&self, name: &str, courses: &[&str]) -> (i32, String) {
        let (status, body) = self
            .api(Tutor)
            .post(
                "/api/v1/classes",
                json!({"name": self.own(name), "sector": "warehousing", "courses": courses}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
        (
            body["id"].as_i64().expect("an id") as i32,
            body["join_code"].as_str().expect("a code").to_string(),
        )
    }

    async fn setup_session(&self, class: i32) -> i32 {
        let (status, body) = self
            .api(Tutor)
            .post(
                &format!("/api/v1/classes/{class}/sessions"),
                json!({
                    "title": "A session",
                    "starts_at": "2031-01-08T10:00:00Z",
                    "duration_minutes": 60,
                    "meeting_url": "https://meet.example.org/abc",
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "a session: {body}");
        body["id"].as_i64().expect("an id") as i32
    }

    /// A name in this world.
    fn own(&self, bare: &str) -> String {
        format!("{}{bare}", self.prefix)
    }

    /// Text read back, with this world's prefix taken out.
    fn bare(&self, text: &str) -> String {
        text.replace(self.prefix, "")
    }

    fn person(&self, who: Who) -> &Person {
        &self.people[&who]
    }

    fn id(&self, who: Who) -> i32 {
        self.person(who).account.id
    }

    /// The id of anyone in this world, by bare name.
    fn id_of(&self, bare: &str) -> i32 {
        Who::ALL
            .into_iter()
            .find(|w| w.name() == bare)
            .map(|w| self.id(w))
            .or_else(|| self.others.get(bare).map(|a| a.id))
            .unwrap_or_else(|| panic!("no {bare}"))
    }

    fn name_of(&self, id: i32) -> String {
        Who::ALL
            .into_iter()
            .map(|w| &self.person(w).account)
            .chain(self.others.values())
            .find(|a| a.id == id)
            .map_or_else(|| format!("#{id}"), |a| self.bare(&a.username))
    }

    fn api(&self, who: Who) -> crate::support::Api<'a> {
        self.app.api(self.person(who).token.clone())
    }

    /// A form posted on a page, or a call to the API, as this world does.
    async fn act(
        &self,
        who: Who,
        page_path: &str,
        fields: &[(String, String)],
        method: Method,
        api_path: &str,
        body: Option<Value>,
    ) -> Outcome {
        match self.side {
            Side::Page => {
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let browser = self.person(who).browser.as_ref().expect("a browser");
                page_outcome(&browser.post_form(page_path, &fields).await)
            }
            Side::Api => api_outcome(self.api(who).call(method, api_path, body).await.0),
        }
    }

    /// A GET of a page, or of the API, with its body as text.
    async fn fetch(&self, who: Who, page_path: &str, api_path: &str) -> (Outcome, String) {
        let response = match self.side {
            Side::Page => {
                let browser = self.person(who).browser.as_ref().expect("a browser");
                browser.get(page_path).await
            }
            Side::Api => self
                .app
                .client
                .get(self.app.url(api_path))
                .bearer_auth(&self.person(who).token)
                .send()
                .await
                .expect("GET"),
        };
        let outcome = match self.side {
            Side::Page => page_outcome(&response),
            Side::Api => api_outcome(response.status()),
        };
        (outcome, response.text().await.expect("body"))
    }

    /// The actor's courses: done of total, completed, and each quiz's
    /// attempts, best score and pass, through the API.
    async fn progress(&self, who: Who) -> String {
        let (status, body) = self.api(who).get("/api/v1/me/progress").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mut lines: Vec<String> = body
            .as_array()
            .expect("a list")
            .iter()
            .map(|c| {
                let quizzes: Vec<String> = c["quizzes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|q| q["attempts"].as_u64() != Some(0))
                    .map(|q| {
                        format!(
                            "{} tried {} best {} passed {}",
                            q["id"].as_str().unwrap_or(""),
                            q["attempts"],
                            q["best_score"],
                            q["passed"]
                        )
                    })
                    .collect();
                format!(
                    "{} {}/{} completed {} [{}]",
                    c["slug"].as_str().unwrap_or(""),
                    c["lessons_done"],
                    c["lessons_total"],
                    c["completed"],
                    quizzes.join(", ")
                )
            })
            .collect();
        lines.sort();
        lines.join("; ")
    }

    /// A class as the world's coordinator reads it through the API.
    async fn class(&self, id: i32) -> Value {
        let (status, body) = self
            .api(Coordinator)
            .get(&format!("/api/v1/classes/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Whether the person is a member of the class, invited to it, or
    /// neither.
    async fn membership(&self, class: i32, username: &str) -> String {
        let body = self.class(class).await;
        let has = |list: &str| {
            body[list]
                .as_array()
                .into_iter()
                .flatten()
                .any(|m| m["username"] == username)
        };
        if has("members") {
            "member".into()
        } else if has("invited") {
            "invited".into()
        } else {
            "none".into()
        }
    }
}

/// Every case's result, and the differences.
struct Report {
    database: &'static str,
    cases: usize,
    failures: Vec<String>,
}

impl Report {
    fn check(
        &mut self,
        action: &str,
        case: &str,
        expected: Outcome,
        stored: Option<&str>,
        page: (Outcome, String),
        api: (Outcome, String),
    ) {
        self.cases += 1;
        let mut problems = Vec::new();
        if page.0 != api.0 {
            problems.push(format!("page {:?} but API {:?}", page.0, api.0));
        }
        if page.0 != expected || api.0 != expected {
            problems.push(format!("the rule says {expected:?}"));
        }
        if page.1 != api.1 {
            problems.push(format!("stored: page {:?}, API {:?}", page.1, api.1));
        } else if let Some(stored) = stored
            && stored != page.1
        {
            problems.push(format!("stored {:?}, the rule says {stored:?}", page.1));
        }
        let line = format!("{action}: {case}");
        if problems.is_empty() {
            eprintln!("ok   {line}");
        } else {
            let failure = format!("{line}: {}", problems.join("; "));
            eprintln!("DIFF {failure}");
            self.failures.push(failure);
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "on {}, {} of {} cases differ from the rule:\n{}",
            self.database,
            self.failures.len(),
            self.cases,
            self.failures.join("\n")
        );
    }
}

async fn pages_and_the_api_agree(backend: Backend) {
    let database = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres(_) => "PostgreSQL",
    };
    let app = TestApp::spawn(backend).await;
    // One hash for everyone: argon2 is slow on purpose.
    let hash = hash_password(PASSWORD).expect("hash");
    let page = World::new(&app, Side::Page, &hash).await;
    let api = World::new(&app, Side::Api, &hash).await;
    let mut report = Report {
        database,
        cases: 0,
        failures: Vec::new(),
    };
    let worlds = [&page, &api];

    own_settings(&worlds, &mut report).await;
    enrol(&worlds, &mut report).await;
    complete(&worlds, &mut report).await;
    attempt(&worlds, &mut report).await;
    enrol_after_finishing(&worlds, &mut report).await;
    create_class(&worlds, &mut report).await;
    add_member(&worlds, &mut report).await;
    session(&worlds, &mut report).await;
    attendance(&worlds, &mut report).await;
    join(&worlds, &mut report).await;
    revoke(&worlds, &mut report).await;
    outcome(&worlds, &mut report).await;
    erase(&worlds, &mut report).await;
    export(&worlds, &mut report).await;
    report.finish();
}

type Worlds<'w, 'a> = [&'w World<'a>; 2];

// ---------------------------------------------------------------- one's own settings

async fn own_settings_once(
    world: &World<'_>,
    who: Who,
    home_language: &str,
    own_script: &str,
) -> (Outcome, String) {
    let fields = [
        ("home_language".to_string(), home_language.to_string()),
        ("name_in_own_script".to_string(), own_script.to_string()),
    ];
    let outcome = world
        .act(
            who,
            "/account/profile",
            &fields,
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"home_language": home_language, "name_in_own_script": own_script})),
        )
        .await;
    let account = world
        .app
        .store
        .account(world.id(who))
        .await
        .expect("read")
        .expect("the account");
    (
        outcome,
        format!(
            "{:?} {:?}",
            account.chosen_home_language, account.name_in_own_script
        ),
    )
}

/// Anyone signed in sets their own home language (one the courses
/// translate into, or empty for the interface's) and name in their own
/// script; a code no course has, or a name too long, is invalid on both
/// and changes nothing.
async fn own_settings(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let long = "ا".repeat(101);
    let chosen = "Some(\"fa\") Some(\"لينا\")";
    // What is typed: the home language and the name in one's own script.
    type Case<'a> = (&'a str, Who, &'a str, &'a str, Outcome, Option<&'a str>);
    let cases: &[Case] = &[
        ("the learner", Learner, "fa", "لينا", Success, Some(chosen)),
        (
            "the learner, a language no course has",
            Learner,
            "ti",
            "",
            Invalid,
            Some(chosen),
        ),
        (
            "the learner, a name too long",
            Learner,
            "uk",
            &long,
            Invalid,
            Some(chosen),
        ),
        (
            "the learner, back to the interface's",
            Learner,
            "",
            "",
            Success,
            Some("None None"),
        ),
        (
            "a tutor",
            Tutor,
            "ar",
            "",
            Success,
            Some("Some(\"ar\") None"),
        ),
    ];
    for &(case, who, home_language, own_script, expected, stored) in cases {
        let [page, api] = worlds;
        let p = own_settings_once(page, who, home_language, own_script).await;
        let a = own_settings_once(api, who, home_language, own_script).await;
        report.check("own settings", case, expected, stored, p, a);
    }
}

// ---------------------------------------------------------------- learning

async fn enrol_once(world: &World<'_>, who: Who, slug: &str) -> (Outcome, String) {
    let outcome = world
        .act(
            who,
            &format!("/courses/{slug}/enrol"),
            &[],
            Method::POST,
            &format!("/api/v1/courses/{slug}/enrol"),
            None,
        )
        .await;
    (outcome, world.progress(who).await)
}

/// Anyone signed in may enrol; a course with a requirement not finished
/// yet is refused (403 on both: the page used to send the learner back to
/// the course page instead).
async fn enrol(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let cases: &[(&str, Who, &str, Outcome, Option<&str>)] = &[
        (
            "the learner, a required course not finished",
            Learner,
            "next-steps",
            Forbidden,
            Some(""),
        ),
        (
            "the learner",
            Learner,
            "first-steps",
            Success,
            Some("first-steps 0/2 completed false []"),
        ),
        (
            "the learner again",
            Learner,
            "first-steps",
            Success,
            Some("first-steps 0/2 completed false []"),
        ),
        (
            "the learner, unknown course",
            Learner,
            "no-such-course",
            NotFound,
            None,
        ),
        ("a tutor", Tutor, "first-steps", Success, None),
    ];
    for &(case, who, slug, expected, stored) in cases {
        let [page, api] = worlds;
        let p = enrol_once(page, who, slug).await;
        let a = enrol_once(api, who, slug).await;
        report.check("enrol", case, expected, stored, p, a);
    }
}

async fn complete_once(world: &World<'_>, who: Who, slug: &str, lesson: &str) -> (Outcome, String) {
    let outcome = world
        .act(
            who,
            &format!("/courses/{slug}/lessons/{lesson}/done"),
            &[],
            Method::POST,
            &format!("/api/v1/courses/{slug}/lessons/{lesson}/complete"),
            None,
        )
        .await;
    (outcome, world.progress(who).await)
}

/// A lesson is marked done by an enrolled learner; a quiz is not (it is
/// done when passed). Not enrolled: refused, 403 on both (the page used to
/// send the learner to the course page).
async fn complete(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let cases: &[(&str, Who, &str, &str, Outcome)] = &[
        (
            "the learner, a lesson",
            Learner,
            "first-steps",
            "hello",
            Success,
        ),
        (
            "the learner, another lesson",
            Learner,
            "first-steps",
            "shoes",
            Success,
        ),
        (
            "the learner, a quiz",
            Learner,
            "first-steps",
            "first-quiz",
            Conflict,
        ),
        (
            "the learner, unknown lesson",
            Learner,
            "first-steps",
            "no-such-lesson",
            NotFound,
        ),
        (
            "the learner, unknown course",
            Learner,
            "no-such-course",
            "hello",
            NotFound,
        ),
        (
            "the learner, not enrolled",
            Learner,
            "next-steps",
            "breaks",
            Forbidden,
        ),
    ];
    for &(case, who, slug, lesson, expected) in cases {
        let [page, api] = worlds;
        let p = complete_once(page, who, slug, lesson).await;
        let a = complete_once(api, who, slug, lesson).await;
        report.check("complete", case, expected, None, p, a);
    }
}

#[derive(Debug, Clone, Copy)]
enum Answers {
    Right,
    Wrong,
    /// An option that is not one of the question's.
    Bogus,
}

/// The quiz form's fields for these answers.
fn quiz_form(answers: Answers) -> Vec<(String, String)> {
    match answers {
        Answers::Right => quiz_fields("first-steps", "first-quiz", true),
        Answers::Wrong => quiz_fields("first-steps", "first-quiz", false),
        Answers::Bogus => vec![("q:who-leads".into(), "not-an-option".into())],
    }
}

/// The same answers as the API takes them (what `quiz_fields` puts in
/// the form, question by question).
fn quiz_json(answers: Answers) -> Value {
    let right = match answers {
        Answers::Right => true,
        Answers::Wrong => false,
        Answers::Bogus => return json!({"who-leads": "not-an-option"}),
    };
    let course = compiled_fixture("first-steps");
    let quiz = course
        .lesson("first-quiz")
        .and_then(|l| l.quiz.clone())
        .expect("a quiz");
    let mut out = serde_json::Map::new();
    for q in &quiz.questions {
        let answer = match &q.answer {
            Answer::Choice { options } => {
                let mut ids: Vec<&str> = options
                    .iter()
                    .filter(|o| o.correct == right)
                    .map(|o| o.id.as_str())
                    .collect();
                if !right {
                    ids.truncate(1);
                }
                if q.kind() == QuestionKind::Multiple {
                    json!(ids)
                } else {
                    json!(ids[0])
                }
            }
            Answer::Gap { segments } => {
                let words: Vec<String> = segments
                    .iter()
                    .filter_map(|s| match s {
                        GapSegment::Gap(accepted) if right => Some(accepted[0].to_uppercase()),
                        GapSegment::Gap(_) => Some("wrong".to_string()),
                        GapSegment::Html(_) => None,
                    })
                    .collect();
                json!(words)
            }
            Answer::Match { pairs } => {
                let count = pairs.len();
                let map: BTreeMap<&str, &str> = pairs
                    .iter()
                    .enumerate()
                    .map(|(i, pair)| {
                        let to = if right {
                            &pair.right.id
                        } else {
                            &pairs[(i + 1) % count].right.id
                        };
                        (pair.left.id.as_str(), to.as_str())
                    })
                    .collect();
                json!(map)
            }
            Answer::Order { items } => {
                let mut ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                if !right {
                    ids.reverse();
                }
                json!(ids)
            }
            Answer::Number { low, high, .. } => json!(if right { *low } else { high + 1.0 }),
        };
        out.insert(q.id.clone(), answer);
    }
    Value::Object(out)
}

async fn attempt_once(
    world: &World<'_>,
    who: Who,
    lesson: &str,
    answers: Answers,
) -> (Outcome, String) {
    let outcome = world
        .act(
            who,
            &format!("/courses/first-steps/lessons/{lesson}/attempts"),
            &quiz_form(answers),
            Method::POST,
            &format!("/api/v1/courses/first-steps/lessons/{lesson}/attempts"),
            Some(json!({"answers": quiz_json(answers)})),
        )
        .await;
    (outcome, world.progress(who).await)
}

/// An enrolled learner's answers are graded and stored; answers that
/// cannot belong to the quiz are refused before anything is stored; the
/// quiz allows three attempts. Not enrolled: 403 on both (the page used to
/// send the learner to the course page).
async fn attempt(worlds: &Worlds<'_, '_>, report: &mut Report) {
    type Case = (
        &'static str,
        Who,
        &'static str,
        Answers,
        Outcome,
        Option<&'static str>,
    );
    let cases: &[Case] = &[
        (
            "another learner, not enrolled",
            OtherLearner,
            "first-quiz",
            Answers::Right,
            Forbidden,
            Some(""),
        ),
        (
            "the learner, a lesson not a quiz",
            Learner,
            "hello",
            Answers::Right,
            NotFound,
            None,
        ),
        (
            "the learner, unknown quiz",
            Learner,
            "no-such-quiz",
            Answers::Right,
            NotFound,
            None,
        ),
        (
            "the learner, an answer not of the quiz",
            Learner,
            "first-quiz",
            Answers::Bogus,
            Conflict,
            Some("first-steps 2/2 completed false []"),
        ),
        (
            "the learner, wrong answers",
            Learner,
            "first-quiz",
            Answers::Wrong,
            Success,
            Some("first-steps 2/2 completed false [first-quiz tried 1 best 0 passed false]"),
        ),
        (
            "the learner, right answers",
            Learner,
            "first-quiz",
            Answers::Right,
            Success,
            Some("first-steps 2/2 completed true [first-quiz tried 2 best 100 passed true]"),
        ),
        (
            "the learner, a third attempt",
            Learner,
            "first-quiz",
            Answers::Wrong,
            Success,
            None,
        ),
        (
            "the learner, no attempts left",
            Learner,
            "first-quiz",
            Answers::Right,
            Conflict,
            Some("first-steps 2/2 completed true [first-quiz tried 3 best 100 passed true]"),
        ),
    ];
    for &(case, who, lesson, answers, expected, stored) in cases {
        let [page, api] = worlds;
        let p = attempt_once(page, who, lesson, answers).await;
        let a = attempt_once(api, who, lesson, answers).await;
        report.check("attempt", case, expected, stored, p, a);
    }
}

/// Once the required course is finished, the next one opens.
async fn enrol_after_finishing(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let [page, api] = worlds;
    let p = enrol_once(page, Learner, "next-steps").await;
    let a = enrol_once(api, Learner, "next-steps").await;
    report.check(
        "enrol",
        "the learner, the required course finished",
        Success,
        None,
        p,
        a,
    );
}

// ----------------------------------------------------------------- classes

async fn create_class_once(
    world: &World<'_>,
    who: Who,
    name: &str,
    sector: Option<&str>,
    courses: &[&str],
) -> (Outcome, String) {
    // An empty name stays empty; others are the world's own.
    let name = if name.is_empty() {
        String::new()
    } else {
        world.own(name)
    };
    let mut fields = vec![("name".to_string(), name.clone())];
    let mut body = json!({"name": name, "courses": courses});
    if let Some(sector) = sector {
        fields.push(("sector".into(), sector.into()));
        body["sector"] = json!(sector);
    }
    for course in courses {
        fields.push(("course".into(), course.to_string()));
    }
    let outcome = world
        .act(
            who,
            "/classes",
            &fields,
            Method::POST,
            "/api/v1/classes",
            Some(body),
        )
        .await;
    let (status, all) = world.api(Coordinator).get("/api/v1/classes").await;
    assert_eq!(status, StatusCode::OK);
    let made: Vec<String> = all
        .as_array()
        .expect("a list")
        .iter()
        .filter(|c| !name.is_empty() && c["name"] == name.as_str())
        .map(|c| {
            world.bare(&format!(
                "{} | {} | {}",
                c["name"].as_str().unwrap_or(""),
                c["sector"].as_str().unwrap_or(""),
                c["courses"]
            ))
        })
        .collect();
    let stored = if made.is_empty() {
        "none".to_string()
    } else {
        made.join("; ")
    };
    (outcome, stored)
}

/// Tutors and admins create classes, coordinators and learners may not.
/// Without a sector, a class takes its first course's, else `other`.
async fn create_class(worlds: &Worlds<'_, '_>, report: &mut Report) {
    type Case<'c> = (
        &'c str,
        Who,
        &'c str,
        Option<&'c str>,
        &'c [&'c str],
        Outcome,
        &'c str,
    );
    let cases: &[Case] = &[
        (
            "the tutor",
            Tutor,
            "Warehouse A",
            Some("warehousing"),
            &["first-steps"],
            Success,
            "Warehouse A | warehousing | [\"first-steps\"]",
        ),
        (
            "the tutor, no sector: the first course's",
            Tutor,
            "Sector from course",
            None,
            &["first-steps"],
            Success,
            "Sector from course | warehousing | [\"first-steps\"]",
        ),
        (
            "the tutor, no sector and no course: other",
            Tutor,
            "No sector",
            None,
            &[],
            Success,
            "No sector | other | []",
        ),
        (
            "an admin",
            Admin,
            "Admin class",
            Some("hospitality"),
            &[],
            Success,
            "Admin class | hospitality | []",
        ),
        (
            "a coordinator",
            Coordinator,
            "Coordinator class",
            Some("care"),
            &[],
            Forbidden,
            "none",
        ),
        (
            "a learner",
            Learner,
            "Learner class",
            Some("care"),
            &[],
            Forbidden,
            "none",
        ),
        (
            "the tutor, no name",
            Tutor,
            "",
            Some("care"),
            &[],
            Invalid,
            "none",
        ),
        (
            "the tutor, unknown sector",
            Tutor,
            "Space",
            Some("space"),
            &[],
            Invalid,
            "none",
        ),
        (
            "the tutor, unknown course",
            Tutor,
            "Unknown course",
            Some("care"),
            &["no-such-course"],
            NotFound,
            "none",
        ),
    ];
    for &(case, who, name, sector, courses, expected, stored) in cases {
        let [page, api] = worlds;
        let p = create_class_once(page, who, name, sector, courses).await;
        let a = create_class_once(api, who, name, sector, courses).await;
        report.check("class create", case, expected, Some(stored), p, a);
    }
}

#[derive(Debug, Clone, Copy)]
enum Member {
    /// A new account: username and full name.
    New(&'static str, &'static str),
    /// An existing learner, by username alone.
    Existing(&'static str),
}

async fn add_member_once(
    world: &World<'_>,
    who: Who,
    class: Option<i32>,
    member: Member,
) -> (Outcome, String) {
    let class_id = class.unwrap_or(UNKNOWN_ID);
    let (username, full_name) = match member {
        Member::New(username, full_name) => (world.own(username), full_name),
        Member::Existing(username) => (world.own(username), ""),
    };
    let fields = vec![
        ("username".to_string(), username.clone()),
        ("full_name".to_string(), full_name.to_string()),
        ("language".to_string(), String::new()),
        ("email".to_string(), String::new()),
    ];
    let body = json!({"username": username, "full_name": full_name, "language": "", "email": ""});
    let outcome = world
        .act(
            who,
            &format!("/classes/{class_id}/members"),
            &fields,
            Method::POST,
            &format!("/api/v1/classes/{class_id}/members"),
            Some(body),
        )
        .await;
    (outcome, world.membership(world.main_class, &username).await)
}

/// A class's tutor, coordinators and admins add learners; others may not.
/// An existing learner named by username alone is invited by a tutor and
/// added at once by a coordinator or an admin, the same from the page and
/// the API. A username already taken by someone else is a conflict.
async fn add_member(worlds: &Worlds<'_, '_>, report: &mut Report) {
    type Case = (&'static str, Who, bool, Member, Outcome, &'static str);
    let cases: &[Case] = &[
        (
            "the tutor, a new learner",
            Tutor,
            true,
            Member::New("newbie", "New Learner"),
            Success,
            "member",
        ),
        (
            "the tutor, an existing learner: invited",
            Tutor,
            true,
            Member::Existing("ivy"),
            Success,
            "invited",
        ),
        (
            "a coordinator, an existing learner: added",
            Coordinator,
            true,
            Member::Existing("jay"),
            Success,
            "member",
        ),
        (
            "an admin, an existing learner: added",
            Admin,
            true,
            Member::Existing("kai"),
            Success,
            "member",
        ),
        (
            "the tutor, a learner already in the class",
            Tutor,
            true,
            Member::Existing("lena"),
            Success,
            "member",
        ),
        (
            "another tutor",
            OtherTutor,
            true,
            Member::Existing("leo"),
            Forbidden,
            "none",
        ),
        (
            "a learner of the class",
            Learner,
            true,
            Member::New("mia", "Mia Learner"),
            Forbidden,
            "none",
        ),
        (
            "the tutor, no learner has this username",
            Tutor,
            true,
            Member::Existing("nobody"),
            NotFound,
            "none",
        ),
        (
            "the tutor, the username is a tutor's",
            Tutor,
            true,
            Member::Existing("otto"),
            NotFound,
            "none",
        ),
        (
            "the tutor, a new learner with a bad username",
            Tutor,
            true,
            Member::New("bad name!", "Bad Name"),
            Invalid,
            "none",
        ),
        (
            "the tutor, a new learner whose username is taken",
            Tutor,
            true,
            Member::New("lars", "Someone Else"),
            Conflict,
            "none",
        ),
        (
            "the tutor, unknown class",
            Tutor,
            false,
            Member::Existing("leo"),
            NotFound,
            "none",
        ),
    ];
    for &(case, who, known, member, expected, stored) in cases {
        let [page, api] = worlds;
        let p = add_member_once(page, who, known.then_some(page.main_class), member).await;
        let a = add_member_once(api, who, known.then_some(api.main_class), member).await;
        report.check("add member", case, expected, Some(stored), p, a);
    }
}

async fn session_once(
    world: &World<'_>,
    who: Who,
    class: Option<i32>,
    title: &str,
    minutes: i32,
    url: &str,
) -> (Outcome, String) {
    let class_id = class.unwrap_or(UNKNOWN_ID);
    let fields: Vec<(String, String)> = [
        ("title", title),
        ("date", "2031-01-15"),
        ("time", "10:00"),
        ("duration", &minutes.to_string()),
        ("meeting_url", url),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    let body = json!({
        "title": title,
        "starts_at": "2031-01-15T10:00:00Z",
        "duration_minutes": minutes,
        "meeting_url": url,
    });
    let outcome = world
        .act(
            who,
            &format!("/classes/{class_id}/sessions"),
            &fields,
            Method::POST,
            &format!("/api/v1/classes/{class_id}/sessions"),
            Some(body),
        )
        .await;
    let class = world.class(world.main_class).await;
    let found: Vec<String> = class["sessions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| !title.is_empty() && s["title"] == title)
        .map(|s| {
            format!(
                "{} | {} | {} | {}",
                s["title"].as_str().unwrap_or(""),
                s["starts_at"].as_str().unwrap_or(""),
                s["duration_minutes"],
                s["meeting_url"].as_str().unwrap_or("")
            )
        })
        .collect();
    let stored = if found.is_empty() {
        "none".to_string()
    } else {
        found.join("; ")
    };
    (outcome, stored)
}

/// Those who run a class plan its sessions; the title, length and link
/// are checked the same way.
async fn session(worlds: &Worlds<'_, '_>, report: &mut Report) {
    const LINK: &str = "https://meet.example.org/abc-defg";
    type Case = (
        &'static str,
        Who,
        bool,
        &'static str,
        i32,
        &'static str,
        Outcome,
    );
    let cases: &[Case] = &[
        ("the tutor", Tutor, true, "Week 1", 60, LINK, Success),
        (
            "a coordinator",
            Coordinator,
            true,
            "Week 2",
            45,
            LINK,
            Success,
        ),
        ("an admin", Admin, true, "Week 3", 90, LINK, Success),
        (
            "another tutor",
            OtherTutor,
            true,
            "Week 4",
            60,
            LINK,
            Forbidden,
        ),
        (
            "a learner of the class",
            Learner,
            true,
            "Week 5",
            60,
            LINK,
            Forbidden,
        ),
        (
            "the tutor, not a web link",
            Tutor,
            true,
            "Week 6",
            60,
            "javascript:alert(1)",
            Invalid,
        ),
        (
            "the tutor, three minutes",
            Tutor,
            true,
            "Week 7",
            3,
            LINK,
            Invalid,
        ),
        ("the tutor, no title", Tutor, true, "", 60, LINK, Invalid),
        (
            "the tutor, unknown class",
            Tutor,
            false,
            "Week 8",
            60,
            LINK,
            NotFound,
        ),
    ];
    for &(case, who, known, title, minutes, url, expected) in cases {
        let [page, api] = worlds;
        let stored = if expected == Success {
            format!("{title} | 2031-01-15T10:00:00Z | {minutes} | {url}")
        } else {
            "none".into()
        };
        let p = session_once(
            page,
            who,
            known.then_some(page.main_class),
            title,
            minutes,
            url,
        )
        .await;
        let a = session_once(
            api,
            who,
            known.then_some(api.main_class),
            title,
            minutes,
            url,
        )
        .await;
        report.check("session", case, expected, Some(&stored), p, a);
    }
}

#[derive(Debug, Clone, Copy)]
enum Register {
    /// A new session of the main class.
    Fresh,
    /// A session of another class.
    OtherClass,
    UnknownSession,
    UnknownClass,
}

async fn attendance_once(
    world: &World<'_>,
    who: Who,
    register: Register,
    marks: &[(&str, &str)],
) -> (Outcome, String) {
    let fresh = match register {
        Register::Fresh => Some(world.setup_session(world.main_class).await),
        _ => None,
    };
    let (class, session) = match register {
        Register::Fresh => (world.main_class, fresh.unwrap_or_default()),
        Register::OtherClass => (world.main_class, world.other_session),
        Register::UnknownSession => (world.main_class, UNKNOWN_ID),
        Register::UnknownClass => (UNKNOWN_ID, world.other_session),
    };
    let fields: Vec<(String, String)> = marks
        .iter()
        .map(|(name, status)| (format!("u:{}", world.id_of(name)), status.to_string()))
        .collect();
    let body = json!({
        "marks": marks
            .iter()
            .map(|(name, status)| json!({"user_id": world.id_of(name), "status": status}))
            .collect::<Vec<_>>(),
    });
    let outcome = world
        .act(
            who,
            &format!("/classes/{class}/sessions/{session}"),
            &fields,
            Method::PUT,
            &format!("/api/v1/classes/{class}/sessions/{session}/attendance"),
            Some(body),
        )
        .await;
    use presto::store::classes::attendance;
    let read = fresh.unwrap_or(world.other_session);
    let rows = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(read))
        .all(world.app.store.db())
        .await
        .expect("the register");
    let mut stored: Vec<String> = rows
        .iter()
        .map(|row| format!("{} {}", world.name_of(row.user_id), row.status))
        .collect();
    stored.sort();
    (outcome, stored.join(", "))
}

/// Those who run a class keep its register. A mark for someone not in the
/// class, or a mark that is not present, late or absent, is refused with
/// 404 (no such member) and nothing is stored (the page used to drop non-members' marks
/// silently and store the rest).
async fn attendance(worlds: &Worlds<'_, '_>, report: &mut Report) {
    type Case = (
        &'static str,
        Who,
        Register,
        &'static [(&'static str, &'static str)],
        Outcome,
        &'static str,
    );
    let cases: &[Case] = &[
        (
            "the tutor",
            Tutor,
            Register::Fresh,
            &[("lena", "present"), ("mo", "late")],
            Success,
            "lena present, mo late",
        ),
        (
            "a coordinator",
            Coordinator,
            Register::Fresh,
            &[("lena", "absent")],
            Success,
            "lena absent",
        ),
        (
            "an admin",
            Admin,
            Register::Fresh,
            &[("mo", "present")],
            Success,
            "mo present",
        ),
        (
            "another tutor",
            OtherTutor,
            Register::Fresh,
            &[("lena", "present")],
            Forbidden,
            "",
        ),
        (
            "the learner",
            Learner,
            Register::Fresh,
            &[("lena", "present")],
            Forbidden,
            "",
        ),
        (
            "the tutor, a mark for someone not in the class",
            Tutor,
            Register::Fresh,
            &[("lena", "present"), ("lars", "present")],
            NotFound,
            "",
        ),
        (
            "the tutor, an unknown mark",
            Tutor,
            Register::Fresh,
            &[("lena", "here")],
            Invalid,
            "",
        ),
        (
            "the tutor, a session of another class",
            Tutor,
            Register::OtherClass,
            &[("lena", "present")],
            NotFound,
            "",
        ),
        (
            "the tutor, unknown session",
            Tutor,
            Register::UnknownSession,
            &[("lena", "present")],
            NotFound,
            "",
        ),
        (
            "the tutor, unknown class",
            Tutor,
            Register::UnknownClass,
            &[("lena", "present")],
            NotFound,
            "",
        ),
    ];
    for &(case, who, register, marks, expected, stored) in cases {
        let [page, api] = worlds;
        let p = attendance_once(page, who, register, marks).await;
        let a = attendance_once(api, who, register, marks).await;
        report.check("attendance", case, expected, Some(stored), p, a);
    }
}

#[derive(Debug, Clone, Copy)]
enum Code {
    /// The join class's code as typed on a phone: small letters, no dash.
    Right,
    /// Well formed, but no class has it.
    Unknown,
    /// Not a class code at all.
    Malformed,
}

async fn join_once(world: &World<'_>, who: Who, code: Code) -> (Outcome, String) {
    let typed = match code {
        Code::Right => world.join_code.replace('-', "").to_lowercase(),
        Code::Unknown => "K7MX-3QPA".to_string(),
        Code::Malformed => "!!".to_string(),
    };
    let outcome = world
        .act(
            who,
            "/join",
            &[("code".to_string(), typed.clone())],
            Method::POST,
            "/api/v1/classes/join",
            Some(json!({"code": typed})),
        )
        .await;
    let username = &world.person(who).account.username;
    let membership = world.membership(world.join_class, username).await;
    (
        outcome,
        format!("{membership}; {}", world.progress(who).await),
    )
}

/// Learners join with a code and are enrolled in the class's courses;
/// others may not join. A well-formed code no class has is not found; a
/// text that is not a code at all is invalid (400, as the API has it; the
/// page used to say 404 for both).
async fn join(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let joined = "member; first-steps 0/2 completed false []";
    let cases: &[(&str, Who, Code, Outcome, Option<&str>)] = &[
        ("another tutor", OtherTutor, Code::Right, Forbidden, None),
        (
            "a coordinator",
            Coordinator,
            Code::Right,
            Forbidden,
            Some("none; "),
        ),
        (
            "a learner, unknown code",
            OtherLearner,
            Code::Unknown,
            NotFound,
            Some("none; "),
        ),
        (
            "a learner, not a code",
            OtherLearner,
            Code::Malformed,
            Invalid,
            Some("none; "),
        ),
        (
            "a learner",
            OtherLearner,
            Code::Right,
            Success,
            Some(joined),
        ),
        (
            "a learner again",
            OtherLearner,
            Code::Right,
            Success,
            Some(joined),
        ),
    ];
    for &(case, who, code, expected, stored) in cases {
        let [page, api] = worlds;
        let p = join_once(page, who, code).await;
        let a = join_once(api, who, code).await;
        report.check("join", case, expected, stored, p, a);
    }
}

// ------------------------------------------------------------ certificates

#[derive(Debug, Clone, Copy)]
enum Number {
    /// The learner's certificate (issued when she passed the quiz).
    Learners,
    /// Well formed, but no certificate has it.
    Unknown,
    Malformed,
}

async fn learners_certificate(world: &World<'_>) -> String {
    let (status, list) = world.api(Learner).get("/api/v1/me/certificates").await;
    assert_eq!(status, StatusCode::OK);
    list[0]["id"]
        .as_str()
        .expect("the learner has a certificate")
        .to_string()
}

async fn revoke_once(
    world: &World<'_>,
    who: Who,
    number: Number,
    reason: &str,
) -> (Outcome, String) {
    let own = learners_certificate(world).await;
    let id = match number {
        Number::Learners => own.clone(),
        Number::Unknown => {
            // Well formed, and not the learner's (none other exists).
            let mut unknown = CertificateId::generate().as_str().to_string();
            while unknown == own {
                unknown = CertificateId::generate().as_str().to_string();
            }
            unknown
        }
        Number::Malformed => "nonsense".to_string(),
    };
    let fields = vec![
        ("reason".to_string(), reason.to_string()),
        ("confirm".to_string(), "yes".to_string()),
    ];
    let outcome = world
        .act(
            who,
            &format!("/certificates/{id}/revoke"),
            &fields,
            Method::POST,
            &format!("/api/v1/certificates/{id}/revoke"),
            Some(json!({"reason": reason})),
        )
        .await;
    let stored = world
        .app
        .store
        .certificate(&CertificateId::parse(&own).expect("a number"))
        .await
        .expect("read")
        .expect("the certificate");
    let stored = match stored.revoked_reason {
        Some(reason) => format!("revoked: {reason}"),
        None => "valid".to_string(),
    };
    (outcome, stored)
}

/// Coordinators and admins revoke a certificate, with a reason; revoking
/// again keeps the first reason. Nobody else may.
async fn revoke(worlds: &Worlds<'_, '_>, report: &mut Report) {
    const WHY: &str = "Issued to the wrong learner";
    let revoked = "revoked: Issued to the wrong learner";
    let cases: &[(&str, Who, Number, &str, Outcome, &str)] = &[
        (
            "the learner, her own",
            Learner,
            Number::Learners,
            "mine",
            Forbidden,
            "valid",
        ),
        (
            "another learner",
            OtherLearner,
            Number::Learners,
            WHY,
            Forbidden,
            "valid",
        ),
        (
            "the class's tutor",
            Tutor,
            Number::Learners,
            WHY,
            Forbidden,
            "valid",
        ),
        (
            "another tutor",
            OtherTutor,
            Number::Learners,
            WHY,
            Forbidden,
            "valid",
        ),
        (
            "a coordinator, no reason",
            Coordinator,
            Number::Learners,
            "  ",
            Invalid,
            "valid",
        ),
        (
            "a coordinator, unknown number",
            Coordinator,
            Number::Unknown,
            WHY,
            NotFound,
            "valid",
        ),
        (
            "a coordinator, not a number",
            Coordinator,
            Number::Malformed,
            WHY,
            NotFound,
            "valid",
        ),
        (
            "a coordinator",
            Coordinator,
            Number::Learners,
            WHY,
            Success,
            revoked,
        ),
        (
            "an admin, again",
            Admin,
            Number::Learners,
            "Another reason",
            Success,
            revoked,
        ),
    ];
    for &(case, who, number, reason, expected, stored) in cases {
        let [page, api] = worlds;
        let p = revoke_once(page, who, number, reason).await;
        let a = revoke_once(api, who, number, reason).await;
        report.check("revoke", case, expected, Some(stored), p, a);
    }
}

// ----------------------------------------------------------------- reports

#[derive(Debug, Clone, Copy)]
enum Target {
    /// A learner of this world, by bare name.
    Named(&'static str),
    /// The tutor's account: not a learner.
    ATutor,
    Unknown,
    /// Not a number at all.
    NotANumber,
}

impl Target {
    fn path(self, world: &World<'_>) -> String {
        match self {
            Target::Named(name) => world.id_of(name).to_string(),
            Target::ATutor => world.id(Tutor).to_string(),
            Target::Unknown => UNKNOWN_ID.to_string(),
            Target::NotANumber => "abc".to_string(),
        }
    }
}

async fn outcomes_of(world: &World<'_>, name: &str) -> String {
    let (status, list) = world
        .api(Coordinator)
        .get(&format!("/api/v1/learners/{}/outcomes", world.id_of(name)))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let mut lines: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|o| {
            format!(
                "{} {} {}",
                o["kind"].as_str().unwrap_or(""),
                o["happened_on"].as_str().unwrap_or(""),
                o["note"].as_str().unwrap_or("")
            )
        })
        .collect();
    lines.sort();
    lines.join(", ")
}

async fn outcome_once(
    world: &World<'_>,
    who: Who,
    target: Target,
    kind: &str,
    on: &str,
) -> (Outcome, String) {
    let id = target.path(world);
    let note = "Through the class";
    let fields = vec![
        ("kind".to_string(), kind.to_string()),
        ("happened_on".to_string(), on.to_string()),
        ("note".to_string(), note.to_string()),
    ];
    let outcome = world
        .act(
            who,
            &format!("/learners/{id}/outcomes"),
            &fields,
            Method::POST,
            &format!("/api/v1/learners/{id}/outcomes"),
            Some(json!({"kind": kind, "happened_on": on, "note": note})),
        )
        .await;
    (outcome, outcomes_of(world, "lena").await)
}

/// Coordinators and admins record a learner's outcomes; the kind and the
/// day are checked the same way; nobody else may.
async fn outcome(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let lena = Target::Named("lena");
    let one = "job 2026-01-10 Through the class";
    let two = "further_training 2026-02-01 Through the class, job 2026-01-10 Through the class";
    let cases: &[(&str, Who, Target, &str, &str, Outcome, &str)] = &[
        (
            "the learner, herself",
            Learner,
            lena,
            "job",
            "2026-01-10",
            Forbidden,
            "",
        ),
        (
            "another learner",
            OtherLearner,
            lena,
            "job",
            "2026-01-10",
            Forbidden,
            "",
        ),
        (
            "her class's tutor",
            Tutor,
            lena,
            "job",
            "2026-01-10",
            Forbidden,
            "",
        ),
        (
            "another tutor",
            OtherTutor,
            lena,
            "job",
            "2026-01-10",
            Forbidden,
            "",
        ),
        (
            "a coordinator",
            Coordinator,
            lena,
            "job",
            "2026-01-10",
            Success,
            one,
        ),
        (
            "an admin",
            Admin,
            lena,
            "further_training",
            "2026-02-01",
            Success,
            two,
        ),
        (
            "a coordinator, unknown kind",
            Coordinator,
            lena,
            "holiday",
            "2026-01-10",
            Invalid,
            two,
        ),
        (
            "a coordinator, a day to come",
            Coordinator,
            lena,
            "job",
            "2999-01-01",
            Invalid,
            two,
        ),
        (
            "a coordinator, not a day",
            Coordinator,
            lena,
            "job",
            "10/01/2026",
            Invalid,
            two,
        ),
        (
            "a coordinator, unknown learner",
            Coordinator,
            Target::Unknown,
            "job",
            "2026-01-10",
            NotFound,
            two,
        ),
        (
            "a coordinator, a tutor's account",
            Coordinator,
            Target::ATutor,
            "job",
            "2026-01-10",
            NotFound,
            two,
        ),
        (
            "a coordinator, not an id",
            Coordinator,
            Target::NotANumber,
            "job",
            "2026-01-10",
            NotFound,
            two,
        ),
    ];
    for &(case, who, target, kind, on, expected, stored) in cases {
        let [page, api] = worlds;
        let p = outcome_once(page, who, target, kind, on).await;
        let a = outcome_once(api, who, target, kind, on).await;
        report.check("outcome", case, expected, Some(stored), p, a);
    }
}

async fn erase_once(
    world: &World<'_>,
    who: Who,
    target: Target,
    confirm: &str,
) -> (Outcome, String) {
    let id = target.path(world);
    // The confirmation is the learner's username: the world's own.
    let confirm = if confirm.is_empty() {
        String::new()
    } else {
        world.own(confirm)
    };
    let outcome = world
        .act(
            who,
            &format!("/learners/{id}/erase"),
            &[("confirm".to_string(), confirm.clone())],
            Method::POST,
            &format!("/api/v1/learners/{id}/erase"),
            Some(json!({"confirm": confirm})),
        )
        .await;
    let mut stored = Vec::new();
    for name in ["lena", "eve", "ezra"] {
        let learner = world
            .app
            .store
            .learner(world.id_of(name))
            .await
            .expect("read")
            .expect("the learner");
        stored.push(format!(
            "{name} {}",
            if learner.erased { "erased" } else { "kept" }
        ));
    }
    (outcome, stored.join(", "))
}

/// Coordinators and admins erase a learner, once, after typing the
/// username; nobody else may. Erasing again is a conflict (409, as the API
/// has it; the page used to show the learner's page again with 200).
async fn erase(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let none = "lena kept, eve kept, ezra kept";
    let eve = "lena kept, eve erased, ezra kept";
    let both = "lena kept, eve erased, ezra erased";
    let cases: &[(&str, Who, Target, &str, Outcome, &str)] = &[
        (
            "the learner, herself",
            Learner,
            Target::Named("lena"),
            "lena",
            Forbidden,
            none,
        ),
        (
            "another learner",
            OtherLearner,
            Target::Named("eve"),
            "eve",
            Forbidden,
            none,
        ),
        (
            "a tutor",
            Tutor,
            Target::Named("eve"),
            "eve",
            Forbidden,
            none,
        ),
        (
            "a coordinator, wrong username typed",
            Coordinator,
            Target::Named("eve"),
            "lena",
            Invalid,
            none,
        ),
        (
            "a coordinator, nothing typed",
            Coordinator,
            Target::Named("eve"),
            "",
            Invalid,
            none,
        ),
        (
            "a coordinator, unknown learner",
            Coordinator,
            Target::Unknown,
            "eve",
            NotFound,
            none,
        ),
        (
            "a coordinator, a tutor's account",
            Coordinator,
            Target::ATutor,
            "tess",
            NotFound,
            none,
        ),
        (
            "a coordinator",
            Coordinator,
            Target::Named("eve"),
            "eve",
            Success,
            eve,
        ),
        (
            "a coordinator, again",
            Coordinator,
            Target::Named("eve"),
            "eve",
            Conflict,
            eve,
        ),
        (
            "an admin",
            Admin,
            Target::Named("ezra"),
            "ezra",
            Success,
            both,
        ),
    ];
    for &(case, who, target, confirm, expected, stored) in cases {
        let [page, api] = worlds;
        let p = erase_once(page, who, target, confirm).await;
        let a = erase_once(api, who, target, confirm).await;
        report.check("erase", case, expected, Some(stored), p, a);
    }
}

/// What an export holds, in outline: the top-level keys of a learner's
/// data, or the header line of a CSV.
fn outline(outcome: Outcome, body: &str) -> String {
    if outcome != Success {
        return "-".into();
    }
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => map.keys().cloned().collect::<Vec<_>>().join(","),
        _ => body.lines().next().unwrap_or("").to_string(),
    }
}

async fn data_once(world: &World<'_>, who: Who, target: Target) -> (Outcome, String) {
    let id = target.path(world);
    let (outcome, body) = world
        .fetch(
            who,
            &format!("/learners/{id}/data.json"),
            &format!("/api/v1/learners/{id}/data"),
        )
        .await;
    (outcome, outline(outcome, &body))
}

async fn report_once(world: &World<'_>, who: Who, file: &str) -> (Outcome, String) {
    let (outcome, body) = world
        .fetch(
            who,
            &format!("/reports/{file}"),
            &format!("/api/v1/reports/{file}"),
        )
        .await;
    (outcome, outline(outcome, &body))
}

/// Coordinators and admins export a learner's data and the reports' CSV
/// files; nobody else may.
async fn export(worlds: &Worlds<'_, '_>, report: &mut Report) {
    let lena = Target::Named("lena");
    let cases: &[(&str, Who, Target, Outcome)] = &[
        ("the learner, her own data", Learner, lena, Forbidden),
        ("another learner", OtherLearner, lena, Forbidden),
        ("her class's tutor", Tutor, lena, Forbidden),
        ("a coordinator", Coordinator, lena, Success),
        ("an admin", Admin, lena, Success),
        (
            "a coordinator, unknown learner",
            Coordinator,
            Target::Unknown,
            NotFound,
        ),
        (
            "a coordinator, a tutor's account",
            Coordinator,
            Target::ATutor,
            NotFound,
        ),
        (
            "a coordinator, not an id",
            Coordinator,
            Target::NotANumber,
            NotFound,
        ),
    ];
    for &(case, who, target, expected) in cases {
        let [page, api] = worlds;
        let p = data_once(page, who, target).await;
        let a = data_once(api, who, target).await;
        report.check("export data", case, expected, None, p, a);
    }
    for file in ["completions.csv", "progress.csv", "funder.csv"] {
        let cases: &[(&str, Who, Outcome)] = &[
            ("a learner", Learner, Forbidden),
            ("a tutor", Tutor, Forbidden),
            ("a coordinator", Coordinator, Success),
            ("an admin", Admin, Success),
        ];
        for &(case, who, expected) in cases {
            let [page, api] = worlds;
            let p = report_once(page, who, file).await;
            let a = report_once(api, who, file).await;
            report.check(&format!("export {file}"), case, expected, None, p, a);
        }
    }
}
