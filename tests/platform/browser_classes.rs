//! A class kept up over a term, in headless Chromium on a phone and a
//! laptop, in English and Arabic: cells pasted from a spreadsheet with a
//! bad line given back in the box, login cards printed again (a Print
//! button; each card in its learner's language), the class's edit page.
//! Every page axe-checked; screenshots at 360 px and 1280 px.

use serde_json::json;

use crate::browser::{LAPTOP, PHONE, Page, browser_tools, laptop, phone, screenshot_dir};
use crate::support::{Backend, TestApp, location};

/// Whether the page can be dragged sideways.
async fn scrolls_sideways(page: &Page<'_>) -> bool {
    page.js("return document.documentElement.scrollWidth > document.documentElement.clientWidth")
        .await
        == json!(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tutor_keeps_a_class_up_in_english_and_arabic() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let tutor = app.another_browser();
    tutor
        .add_user("tess", presto::domain::names::Role::Tutor, "password123")
        .await;
    tutor.sign_in("tess", "password123").await;
    let made = tutor
        .post_form(
            "/classes",
            &[
                ("name", "Monday warehouse group"),
                ("sector", "warehousing"),
                ("course", "first-steps"),
            ],
        )
        .await;
    let class_path = location(&made);
    tutor
        .post_form(
            &format!("{class_path}/import"),
            &[(
                "roster",
                "username,full name,language\namina,أمينة يوسف,ar\nolena,Олена Коваленко,uk\nben,Ben Adams,en\n",
            )],
        )
        .await;

    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    // Tall, so a screenshot holds the whole page.
    let client = phone(port, profile.path(), (PHONE.0, 2000)).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "tess", "password123").await;
    for lang in ["en", "ar"] {
        if lang == "ar" {
            page.click_and_wait("button[name=lang][value=ar]").await;
        }
        // Cells as a spreadsheet copies them: tabs, a header, a bad line.
        client
            .goto(&app.url(&format!("{class_path}/import")))
            .await
            .unwrap();
        let pasted = format!(
            "Username\\tFull name\\tLanguage\\nfarid-{lang}\\tفرید احمدی\\tfa\\nx\\t\\tzz\\n"
        );
        page.js(&format!(
            "document.querySelector('#roster').value = '{pasted}'; return true"
        ))
        .await;
        page.click_and_wait("form.stack button[type=submit]").await;
        let again = page
            .js("return document.querySelector('#roster').value")
            .await;
        assert_eq!(
            again,
            json!("Username\tFull name\tLanguage\nx\t\tzz\n"),
            "the failed line is back in the box"
        );
        let text = page.text().await;
        assert!(text.contains(&format!("farid-{lang}")), "{text}");
        assert!(!scrolls_sideways(&page).await, "{lang}: import result");
        page.look(&format!("{lang}-class-import-failed-360")).await;

        // Printed again: the button shows, each card in its language.
        client
            .goto(&app.url(&format!("{class_path}/cards")))
            .await
            .unwrap();
        let shown = page
            .js("return !document.querySelector('button[data-print]').hidden")
            .await;
        assert_eq!(shown, json!(true), "the Print button with JavaScript on");
        let arabic_card = page
            .js("const c = [...document.querySelectorAll('.login-card')].find(c => c.innerText.includes('amina')); return getComputedStyle(c).direction")
            .await;
        assert_eq!(arabic_card, json!("rtl"));
        let english_card = page
            .js("const c = [...document.querySelectorAll('.login-card')].find(c => c.innerText.includes('ben')); return getComputedStyle(c).direction")
            .await;
        assert_eq!(english_card, json!("ltr"));
        assert!(!scrolls_sideways(&page).await, "{lang}: cards");
        page.look(&format!("{lang}-login-cards-again-360")).await;

        client
            .goto(&app.url(&format!("{class_path}/edit")))
            .await
            .unwrap();
        assert!(!scrolls_sideways(&page).await, "{lang}: edit");
        page.look(&format!("{lang}-class-edit-360")).await;

        client.goto(&app.url(&class_path)).await.unwrap();
        assert!(!scrolls_sideways(&page).await, "{lang}: class page");
        page.look(&format!("{lang}-class-members-360")).await;
    }
    client.close().await.unwrap();

    // The same pages on a laptop, where staff pages use the width.
    let profile = tempfile::TempDir::new().unwrap();
    let client = laptop(port, profile.path(), LAPTOP).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "tess", "password123").await;
    for lang in ["en", "ar"] {
        // The choice is kept on the account: choose each time.
        page.click_and_wait(&format!("button[name=lang][value={lang}]"))
            .await;
        client
            .goto(&app.url(&format!("{class_path}/import")))
            .await
            .unwrap();
        page.js(&format!(
            "document.querySelector('#roster').value = 'username\\tfull name\\nwide-{lang}\\tWide Screen\\n!!\\tBad Name\\n'; return true"
        ))
        .await;
        page.click_and_wait("form.stack button[type=submit]").await;
        assert!(!scrolls_sideways(&page).await, "{lang}: import result");
        page.look(&format!("{lang}-class-import-failed-1280")).await;
        for (path, name) in [("cards", "login-cards-again"), ("edit", "class-edit")] {
            client
                .goto(&app.url(&format!("{class_path}/{path}")))
                .await
                .unwrap();
            assert!(!scrolls_sideways(&page).await, "{lang}: {path}");
            page.look(&format!("{lang}-{name}-1280")).await;
        }
    }
    client.close().await.unwrap();
    eprintln!("screenshots: {}", shots.display());
}
