//! A learner's day, through the pages: catalogue, course, lessons, quiz,
//! progress; requirements between courses; progress that survives
//! republishing and double submissions.

use presto::domain::names::Role;
use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, hidden_field, location};

on_both_databases!(
    a_learner_finishes_a_course_through_the_pages,
    a_required_course_comes_first,
    a_double_submitted_attempt_is_stored_once,
    progress_survives_republishing,
    attempts_run_out,
    the_attempt_limit_holds_under_concurrency,
    each_learner_gets_their_own_lesson_page,
);

async fn a_learner_finishes_a_course_through_the_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.learner("amina").await;

    let (status, home) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Warehousing"), "catalogue grouped by sector");
    assert!(home.contains("First steps at work") && home.contains("English level A1"));

    let (_, course) = app.page("/courses/first-steps").await;
    assert!(course.contains("Start this course"));
    let enrolled = app.post_form("/courses/first-steps/enrol", &[]).await;
    assert_eq!(enrolled.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&enrolled), "/courses/first-steps/lessons/hello");

    let (status, lesson) = app.page("/courses/first-steps/lessons/hello").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        lesson.contains("Good morning! I am Sam."),
        "compiled lesson HTML"
    );
    assert!(
        lesson.contains("data-say=\"supervisor\""),
        "vocabulary for the listen button"
    );
    assert!(lesson.contains("1 of 3"));
    assert!(lesson.contains("rel=\"next\" href=\"/courses/first-steps/lessons/shoes\""));

    let done = app
        .post_form("/courses/first-steps/lessons/hello/done", &[])
        .await;
    assert_eq!(
        location(&done),
        "/courses/first-steps/lessons/shoes",
        "on to the next lesson"
    );
    let (_, course) = app.page("/courses/first-steps").await;
    assert!(course.contains("33% done"), "one of three done: {course}");
    assert!(
        course.contains("href=\"/courses/first-steps/lessons/shoes\">Continue")
            || course.contains("/courses/first-steps/lessons/shoes\">Continue where"),
        "continue where you left off"
    );
    app.post_form("/courses/first-steps/lessons/shoes/done", &[])
        .await;

    // A wrong attempt: feedback, not passed, the course not complete.
    let (_, quiz) = app.page("/courses/first-steps/lessons/first-quiz").await;
    assert!(quiz.contains("You pass with 60% or more"));
    assert!(quiz.contains("Show a hint") && quiz.contains("Read the first lesson again"));
    assert!(quiz.contains("You have 3 tries left"));
    let wrong = app
        .submit_quiz("first-steps", "first-quiz", false, None)
        .await;
    assert_eq!(wrong.status(), StatusCode::SEE_OTHER);
    let (_, result) = app.page(&location(&wrong)).await;
    assert!(result.contains("Score: 0%"), "{result}");
    assert!(result.contains("Not passed yet"));
    assert!(
        result.contains("No. A visitor does not work here."),
        "per-option feedback"
    );
    assert!(
        result.contains("Arrive, sign in, then start work."),
        "the explanation"
    );
    assert!(result.contains("You have 2 tries left"));
    assert!(result.contains("Try again"));

    let right = app
        .submit_quiz("first-steps", "first-quiz", true, None)
        .await;
    let (_, result) = app.page(&location(&right)).await;
    assert!(
        result.contains("Score: 100%") && result.contains("You passed"),
        "{result}"
    );
    assert!(result.contains("Yes. The supervisor leads the team."));

    let (_, progress) = app.page("/progress").await;
    assert!(progress.contains("100% done") && progress.contains("Course complete"));
    let (_, home) = app.page("/").await;
    assert!(home.contains("Course complete"));
}

async fn a_required_course_comes_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.learner("yonas").await;
    let (_, page) = app.page("/courses/next-steps").await;
    assert!(page.contains("Finish this course first"));
    assert!(
        page.contains("href=\"/courses/first-steps\""),
        "a link to the course to take first"
    );
    assert!(!page.contains("Start this course"));
    // The page offers no button; a form sent anyway is refused as the
    // API refuses it (403), and nothing is stored.
    let refused = app.post_form("/courses/next-steps/enrol", &[]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, lesson) = app.page("/courses/next-steps/lessons/breaks").await;
    assert!(
        !lesson.contains("Ask your supervisor"),
        "no lesson before enrolling"
    );

    app.post_form("/courses/first-steps/enrol", &[]).await;
    app.post_form("/courses/first-steps/lessons/hello/done", &[])
        .await;
    app.post_form("/courses/first-steps/lessons/shoes/done", &[])
        .await;
    app.submit_quiz("first-steps", "first-quiz", true, None)
        .await;

    let (_, page) = app.page("/courses/next-steps").await;
    assert!(page.contains("Start this course"), "{page}");
    let enrolled = app.post_form("/courses/next-steps/enrol", &[]).await;
    assert_eq!(location(&enrolled), "/courses/next-steps/lessons/breaks");
}

async fn a_double_submitted_attempt_is_stored_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.learner("olena").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;
    let first = app
        .submit_quiz("first-steps", "first-quiz", false, Some("same-token"))
        .await;
    let second = app
        .submit_quiz("first-steps", "first-quiz", false, Some("same-token"))
        .await;
    assert_eq!(
        location(&first),
        location(&second),
        "the same stored attempt"
    );
    let count = app
        .store
        .attempt_count(account.id, "first-steps", "first-quiz")
        .await
        .unwrap();
    assert_eq!(count, 1);
    let (_, quiz) = app.page("/courses/first-steps/lessons/first-quiz").await;
    assert!(
        quiz.contains("You have 2 tries left"),
        "one try used, not two"
    );
}

async fn progress_survives_republishing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.learner("farid").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;
    app.post_form("/courses/first-steps/lessons/hello/done", &[])
        .await;
    app.post_form("/courses/first-steps/lessons/shoes/done", &[])
        .await;

    // The tutor edits the first lesson's text and removes the second.
    let edited = tempfile::TempDir::new().unwrap();
    copy_dir(&crate::support::fixture_courses(), edited.path());
    let module = edited.path().join("first-steps/01-first-day.md");
    let text = std::fs::read_to_string(&module).unwrap();
    let start = text.find("## Safety shoes").unwrap();
    let end = text.find("## Quiz").unwrap();
    let text = format!("{}{}", &text[..start], &text[end..])
        .replace("I am Sam.", "I am Sam, your supervisor.");
    std::fs::write(&module, text).unwrap();

    let restarted = app.restart_with(edited.path()).await;
    let courses = restarted.store.published_courses().await.unwrap();
    let first = courses
        .iter()
        .find(|c| c.course.slug == "first-steps")
        .unwrap();
    assert_eq!(first.version, 2, "a new version was published");

    let browser = restarted.another_browser();
    browser.sign_in("farid", "password123").await;
    let (_, lesson) = browser.page("/courses/first-steps/lessons/hello").await;
    assert!(lesson.contains("your supervisor"), "the new text is served");
    assert!(
        lesson.contains("✓ Done"),
        "the edited lesson keeps its progress"
    );
    let (_, course) = browser.page("/courses/first-steps").await;
    assert!(
        course.contains("50% done"),
        "1 of 2 left (lesson and quiz): {course}"
    );
    let records = restarted
        .store
        .progress_records(account.id, "first-steps")
        .await
        .unwrap();
    assert!(
        records.iter().any(|r| r.lesson_id == "shoes" && r.done),
        "the removed lesson's history is kept"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

async fn attempts_run_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.learner("hamid").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;
    for _ in 0..3 {
        app.submit_quiz("first-steps", "first-quiz", false, None)
            .await;
    }
    let (_, quiz) = app.page("/courses/first-steps/lessons/first-quiz").await;
    assert!(quiz.contains("You have used all your tries"), "{quiz}");
    assert!(!quiz.contains("Check my answers"));
    let fourth = app
        .submit_quiz("first-steps", "first-quiz", true, None)
        .await;
    assert_eq!(fourth.status(), StatusCode::CONFLICT);
    let refusal = fourth.text().await.unwrap();
    // The rule's own words, as the API gives them (in English here).
    assert!(
        refusal.contains("You have used all 3 attempts at this quiz."),
        "{refusal}"
    );
}

/// The fixture courses with the quiz allowing two attempts.
fn courses_with_two_attempts() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    copy_dir(&crate::support::fixture_courses(), dir.path());
    let quiz = dir.path().join("first-steps/01-first-day.md");
    let text = std::fs::read_to_string(&quiz).unwrap();
    assert!(text.contains("attempts=3"));
    std::fs::write(&quiz, text.replace("attempts=3", "attempts=2")).unwrap();
    dir
}

/// Twenty attempts at once, each with its own Idempotency-Key, half to
/// each of two instances on one database: exactly the two allowed are
/// stored, the rest are refused with 409 and none fails; the count the
/// learner sees is the number stored. A repeat of an accepted attempt
/// still gets that attempt back, not a refusal.
async fn the_attempt_limit_holds_under_concurrency(backend: Backend) {
    const QUIZ: &str = "/api/v1/courses/first-steps/lessons/first-quiz/attempts";
    let courses = courses_with_two_attempts();
    let one = TestApp::spawn_with(backend, courses.path()).await;
    let two = one.restart_with(courses.path()).await;
    let learner = one.learner("zahra").await;
    let token = one.token("zahra", "password123").await;
    let (status, _) = one
        .api(&token)
        .post("/api/v1/courses/first-steps/enrol", serde_json::json!({}))
        .await;
    assert!(status.is_success());

    let sends: Vec<_> = (0..20)
        .map(|n| {
            let app = if n % 2 == 0 { &one } else { &two };
            let request = reqwest::Client::new()
                .post(app.url(QUIZ))
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("attempt-{n}"))
                .json(&serde_json::json!({"answers": {}}));
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                let status = response.status();
                let body: serde_json::Value = response.json().await.unwrap();
                (n, status, body)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for send in sends {
        answers.push(send.await.unwrap());
    }
    let count = |status: StatusCode| answers.iter().filter(|a| a.1 == status).count();
    let others: Vec<_> = answers
        .iter()
        .filter(|a| a.1 != StatusCode::CREATED && a.1 != StatusCode::CONFLICT)
        .collect();
    assert!(others.is_empty(), "only 201 or 409: {others:?}");
    assert_eq!(count(StatusCode::CREATED), 2, "{answers:?}");
    assert_eq!(count(StatusCode::CONFLICT), 18);
    for (_, status, body) in &answers {
        if *status == StatusCode::CONFLICT {
            assert_eq!(body["error"], "conflict");
            assert!(
                body["message"].as_str().unwrap().contains("all 2 attempts"),
                "{body}"
            );
        }
    }

    let stored = one
        .store
        .attempt_count(learner.id, "first-steps", "first-quiz")
        .await
        .unwrap();
    assert_eq!(stored, 2);
    let (_, progress) = one.api(&token).get("/api/v1/me/progress").await;
    assert_eq!(progress[0]["quizzes"][0]["attempts"], 2, "{progress}");

    // A repeat of an accepted attempt is that attempt, on either instance.
    let (n, _, first) = answers.iter().find(|a| a.1 == StatusCode::CREATED).unwrap();
    for app in [&one, &two] {
        let again = reqwest::Client::new()
            .post(app.url(QUIZ))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("attempt-{n}"))
            .json(&serde_json::json!({"answers": {}}))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::OK);
        let again: serde_json::Value = again.json().await.unwrap();
        assert_eq!(again["attempt_id"], first["attempt_id"]);
        assert_eq!(again["replayed"], true);
    }

    // The page refuses the same way, with the same words.
    let page = one
        .submit_quiz("first-steps", "first-quiz", true, None)
        .await;
    assert_eq!(page.status(), StatusCode::CONFLICT);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("You have used all 2 attempts at this quiz.")
    );
    assert_eq!(
        one.store
            .attempt_count(learner.id, "first-steps", "first-quiz")
            .await
            .unwrap(),
        2
    );
    two.stop().await;
}

/// Lesson pages are rendered once and shared (`web/lesson_shells.rs`):
/// each learner must still get their own form token, done state, language
/// and menu, compressed or not.
async fn each_learner_gets_their_own_lesson_page(backend: Backend) {
    const HELLO: &str = "/courses/first-steps/lessons/hello";
    let amina = TestApp::spawn(backend).await;
    amina.learner("amina").await;
    let farid = amina.another_browser();
    farid.learner("farid").await;
    let tutor = amina.another_browser();
    tutor.add_user("tess", Role::Tutor, "password123").await;
    tutor.sign_in("tess", "password123").await;
    for browser in [&amina, &farid, &tutor] {
        browser.post_form("/courses/first-steps/enrol", &[]).await;
    }

    let (_, page_a) = amina.page(HELLO).await;
    let (_, page_f) = farid.page(HELLO).await;
    let token_a = hidden_field(&page_a, "csrf").expect("a form on the lesson");
    let token_f = hidden_field(&page_f, "csrf").expect("a form on the lesson");
    assert_ne!(token_a, token_f, "each session has its own token");
    assert_eq!(token_a, amina.csrf().await, "the token is amina's own");
    assert_eq!(token_f, farid.csrf().await, "the token is farid's own");
    assert!(!page_a.contains("csrf-slot"), "no slot is left unfilled");
    assert_eq!(page_a.replace(&token_a, "T"), page_f.replace(&token_f, "T"));

    // Compressed, the page is the same page.
    let compressed = amina
        .client
        .get(amina.url(HELLO))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.status(), StatusCode::OK);
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    assert_eq!(compressed.headers()["cache-control"], "no-store");
    let bytes = compressed.bytes().await.unwrap();
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut unzipped)
        .unwrap();
    assert_eq!(unzipped, page_a);

    // Amina marks it done with the token from the page itself.
    let done = amina
        .client
        .post(amina.url(&format!("{HELLO}/done")))
        .form(&[("csrf", token_a.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (_, page_a) = amina.page(HELLO).await;
    assert!(page_a.contains("✓ Done"), "amina's page shows it done");
    let (_, page_f) = farid.page(HELLO).await;
    assert!(!page_f.contains("✓ Done"), "farid's does not");
    assert!(
        page_f.contains("I have finished: next lesson"),
        "the button marks it done and goes on"
    );

    // Farid reads in Arabic; Amina still in English.
    farid.post_form("/language", &[("lang", "ar")]).await;
    let (_, page_f) = farid.page(HELLO).await;
    assert!(
        page_f.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{page_f}"
    );
    let (_, page_a) = amina.page(HELLO).await;
    assert!(page_a.contains("<html lang=\"en-GB\" dir=\"ltr\">"));

    // The menu follows the role.
    let (_, page_t) = tutor.page(HELLO).await;
    assert!(page_t.contains("href=\"/authoring\""), "a tutor's menu");
    assert!(!page_a.contains("href=\"/authoring\""), "not a learner's");
    assert_eq!(
        hidden_field(&page_t, "csrf").unwrap(),
        tutor.csrf().await,
        "the tutor's own token"
    );
}
