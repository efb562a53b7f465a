//! A live class in headless Chromium: a tutor on a laptop (1280 px) and
//! three learners on phones (360 px), one of them reading Arabic. The
//! learners' pages follow the tutor through the event stream (live.js);
//! axe-core checks each page and a screenshot of each is saved.

use std::time::Duration;

use presto::domain::names::Role;
use serde_json::json;

use crate::browser::{PHONE, Page, browser_tools, phone, screenshot_dir};
use crate::support::{Backend, TestApp};

const LAPTOP: (u32, u32) = (1280, 900);

/// Waits until the page's text has `needle` (the page reloads itself when
/// an event comes).
async fn wait_for_text(page: &Page<'_>, needle: &str) {
    for _ in 0..100 {
        if page.text().await.contains(needle) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never saw {needle:?} on {}: {}",
        page.path().await,
        page.text().await
    );
}

/// Waits until a script on the page returns true.
async fn wait_for_js(page: &Page<'_>, script: &str) {
    for _ in 0..100 {
        if page.js(script).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true on {}: {script}", page.path().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tutor_teaches_three_learners_live() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let tutor_token = app.token_for("tess", Role::Tutor).await;
    let (_, class) = app
        .api(&tutor_token)
        .post(
            "/api/v1/classes",
            json!({"name": "Warehouse evening group", "courses": ["first-steps"]}),
        )
        .await;
    let class_id = class["id"].as_i64().unwrap();
    let code = class["join_code"].as_str().unwrap().to_string();
    for name in ["amina", "bilal", "chen"] {
        let learner = app.add_user(name, Role::Learner, "password123").await;
        if name == "amina" {
            app.store.set_language(learner.id, "ar").await.unwrap();
        }
        let token = app.token(name, "password123").await;
        app.api(&token)
            .post("/api/v1/classes/join", json!({"code": code}))
            .await;
    }
    let shots = screenshot_dir();

    // The tutor, on a laptop, starts the class from its page.
    let tutor_profile = tempfile::TempDir::new().unwrap();
    let tutor_client = phone(port, tutor_profile.path(), LAPTOP).await;
    let tutor = Page {
        client: &tutor_client,
        axe: &axe,
        shots: shots.clone(),
    };
    tutor.sign_in(&app, "tess", "password123").await;
    tutor_client
        .goto(&app.url(&format!("/classes/{class_id}")))
        .await
        .unwrap();
    tutor
        .click_and_wait("form[action$='/live/start'] button")
        .await;
    assert_eq!(tutor.path().await, format!("/classes/{class_id}/live"));
    tutor.look("live-1-tutor-started-1280").await;

    // Three learners on phones; Amina's pages are in Arabic.
    let mut profiles = Vec::new();
    let mut clients = Vec::new();
    for _ in 0..3 {
        let profile = tempfile::TempDir::new().unwrap();
        clients.push(phone(port, profile.path(), PHONE).await);
        profiles.push(profile);
    }
    let learners: Vec<Page> = clients
        .iter()
        .map(|client| Page {
            client,
            axe: &axe,
            shots: shots.clone(),
        })
        .collect();
    for (page, name) in learners.iter().zip(["amina", "bilal", "chen"]) {
        page.sign_in(&app, name, "password123").await;
        assert!(
            page.js("return !!document.querySelector('.live-now a[href$=\"/live\"]')")
                .await
                == json!(true),
            "{name}'s home page says the class is live"
        );
        if name == "amina" {
            assert_eq!(
                page.js("return document.documentElement.dir").await,
                json!("rtl")
            );
            page.look("live-2-home-live-now-ar").await;
        }
        page.click_and_wait(".live-now a[href$='/live']").await;
        assert_eq!(page.path().await, format!("/classes/{class_id}/live"));
    }
    learners[0].look("live-3-learner-waiting-ar").await;

    // The tutor opens a lesson; every learner's phone follows.
    tutor_client.refresh().await.unwrap();
    wait_for_text(&tutor, "chen").await;
    tutor
        .click_and_wait("button[name=lesson][value='first-steps|shoes']")
        .await;
    for page in &learners {
        wait_for_text(page, "Wear safety shoes on the warehouse floor.").await;
    }
    learners[1].look("live-4-learner-following-lesson").await;

    // The quick check: two answer, one raises a hand.
    tutor
        .click_and_wait("form[action$='/live/ask'] input[value=check] ~ button")
        .await;
    for (i, page) in learners.iter().enumerate() {
        wait_for_text(page, if i == 0 { "أفهم" } else { "I understand" }).await;
    }
    learners[0]
        .click_and_wait(".choices button[value='0']")
        .await;
    learners[1]
        .click_and_wait(".choices button[value='2']")
        .await;
    learners[2].click_and_wait("form.hand button").await;
    learners[0].look("live-5-learner-answered-ar").await;
    wait_for_text(&tutor, "2 of 3 have answered").await;
    // The hand's event can come after the tally's: wait for the hands list
    // itself ("chen Test" is also among those who have not answered).
    wait_for_js(
        &tutor,
        "return (document.querySelector('.hands')?.innerText || '').includes('chen')",
    )
    .await;
    let hands = tutor
        .js("return document.querySelector('.hands').innerText")
        .await;
    assert!(hands.as_str().unwrap_or("").contains("chen"), "{hands}");
    tutor.look("live-6-tutor-tally-1280").await;

    tutor
        .click_and_wait("form[action$='/live/reveal'] button")
        .await;
    for page in &learners {
        wait_for_js(
            page,
            "return !!document.querySelector('.live-question .bars')",
        )
        .await;
    }
    let counts = learners[1]
        .js("return [...document.querySelectorAll('.live-question .bars .count')].map(c => c.textContent)")
        .await;
    assert_eq!(counts, json!(["1", "0", "1"]), "the class sees the bars");
    learners[0].look("live-7-learner-revealed-ar").await;

    // A course question with inputs of its own (matching): the phones show
    // the quiz page's inputs; one learner right, one not.
    tutor
        .js("document.getElementById('course-question').value = 'first-steps|first-quiz|match'; return true;")
        .await;
    tutor
        .click_and_wait("form[action$='/live/ask'] input[value=course] ~ button")
        .await;
    for page in &learners {
        wait_for_js(page, "return !!document.querySelector('.live-quiz select')").await;
    }
    for (page, pairs) in [
        (
            &learners[0],
            [
                ("supervisor", "leads the team"),
                ("forklift", "lifts pallets"),
            ],
        ),
        (
            &learners[1],
            [
                ("supervisor", "lifts pallets"),
                ("forklift", "leads the team"),
            ],
        ),
    ] {
        for (left, right) in pairs {
            page.select_for_label(left, right).await;
        }
    }
    learners[0].look("live-9-learner-match-ar").await;
    for page in &learners[..2] {
        page.click_and_wait(".live-quiz button[type=submit]").await;
    }
    wait_for_text(&tutor, "2 of 3 have answered").await;
    let right_wrong = tutor
        .js("return [...document.querySelectorAll('.bars .count')].map(c => c.textContent)")
        .await;
    assert_eq!(right_wrong, json!(["1", "1"]), "right and not right");
    tutor.look("live-10-tutor-match-1280").await;
    tutor
        .click_and_wait("form[action$='/live/reveal'] button")
        .await;
    wait_for_text(&learners[0], "صحيح!").await;
    wait_for_text(&learners[1], "Not right this time.").await;
    wait_for_text(&learners[1], "supervisor — leads the team").await;
    learners[0].look("live-11-learner-match-revealed-ar").await;
    learners[1].look("live-12-learner-match-revealed").await;

    // Gaps: words typed into the sentence, on a phone.
    tutor
        .js("document.getElementById('course-question').value = 'first-steps|first-quiz|gap'; return true;")
        .await;
    tutor
        .click_and_wait("form[action$='/live/ask'] input[value=course] ~ button")
        .await;
    wait_for_js(
        &learners[1],
        "return !!document.querySelector(\"input[name='q:gap:1']\")",
    )
    .await;
    learners[1].fill("input[name='q:gap:1']", "morning").await;
    learners[1].fill("input[name='q:gap:2']", "new").await;
    learners[1].look("live-13-learner-gap").await;
    learners[1]
        .click_and_wait(".live-quiz button[type=submit]")
        .await;
    wait_for_text(&learners[1], "Your answer is saved").await;

    // The tutor's screen on a phone too.
    let small_profile = tempfile::TempDir::new().unwrap();
    let small = phone(port, small_profile.path(), PHONE).await;
    let small_page = Page {
        client: &small,
        axe: &axe,
        shots: shots.clone(),
    };
    small_page.sign_in(&app, "tess", "password123").await;
    small
        .goto(&app.url(&format!("/classes/{class_id}/live")))
        .await
        .unwrap();
    small_page.look("live-8-tutor-360").await;
    let sideways = small_page
        .js("return document.documentElement.scrollWidth > window.innerWidth")
        .await;
    assert_eq!(
        sideways,
        json!(false),
        "the tutor's page never scrolls sideways on a phone"
    );
    small.close().await.unwrap();

    // The end: every learner's page says so.
    tutor.click("details.end summary").await;
    tutor.click_and_wait("details.end button.danger").await;
    for (i, page) in learners.iter().enumerate() {
        wait_for_text(
            page,
            if i == 0 {
                "ليس مباشرًا"
            } else {
                "not live"
            },
        )
        .await;
    }
    for client in clients {
        client.close().await.unwrap();
    }
    tutor_client.close().await.unwrap();
}
