//! A learner's home language apart from the interface language, the name
//! in their own script, and a course's glossary: on lesson pages (cached
//! shells served right to each learner), the account page, registration,
//! `/api/v1/me`, a class's CSV import, the personal data export, the
//! certificate verification page and `/courses/{slug}/glossary`.

use presto::domain::names::{FullName, Role, Username};
use presto::passwords::hash_password;
use presto::store::users::NewAccount;
use reqwest::StatusCode;
use serde_json::json;
use tempfile::TempDir;

use crate::authoring::courses_copy;
use crate::on_both_databases;
use crate::support::{Backend, TestApp, location};

on_both_databases!(
    a_tigrinya_home_language_shows_tigrinya_under_an_arabic_interface,
    the_api_reads_and_changes_only_the_callers_own_settings,
    registration_and_the_account_page_take_the_home_language_and_second_name,
    a_class_import_sets_home_languages_and_second_names,
    the_glossary_lists_every_word_in_either_order,
    the_certificate_carries_both_names,
);

/// The fixture courses and `home-words`, whose words are translated into
/// Arabic, Tigrinya and Ukrainian, first taught in course order "pallet",
/// "forklift", "apron".
fn courses_with_home_words() -> TempDir {
    let dir = courses_copy();
    let course = dir.path().join("home-words");
    std::fs::create_dir_all(&course).unwrap();
    std::fs::write(
        course.join("course.toml"),
        "title = \"Words at work\"\nsector = \"warehousing\"\nlevel = \"A1\"\n\
         summary = \"Words with their translations.\"\nhours = 1\n\
         languages = [\"ar\", \"ti\", \"uk\"]\n",
    )
    .unwrap();
    std::fs::write(
        course.join("01-words.md"),
        "# Words\n\n## Tools {#tools}\n\nThese are tools.\n\n\
         pallet\n: A flat base for goods.\n: ar: منصة نقالة\n: ti: ፓለት\n: uk: піддон\n\n\
         forklift\n: A machine that lifts pallets.\n: ar: رافعة شوكية\n: ti: ፎርክሊፍት\n: uk: навантажувач\n\n\
         ## Clothes {#clothes}\n\nWear these.\n\n\
         apron\n: You wear it in the kitchen.\n: ar: مريلة\n: ti: ቅናት\n: uk: фартух\n",
    )
    .unwrap();
    // A course with a mistake is not published: it has no glossary.
    let broken = dir.path().join("broken-words");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("course.toml"), "title = \"Broken\"\n").unwrap();
    std::fs::write(
        broken.join("01-words.md"),
        "# Words\n\n## Tools {#tools}\n\npallet\n: A base.\n",
    )
    .unwrap();
    dir
}

const SHOWN: &str = "<dd class=\"tr home\" lang=\"";

/// The codes of the translations a page shows.
fn shown_translations(html: &str) -> Vec<String> {
    html.split(SHOWN)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or("").to_string())
        .collect()
}

/// A signed-in learner in their own browser, with this interface
/// language, enrolled in `home-words`.
async fn learner_in(app: &TestApp, username: &str, interface: &str) -> TestApp {
    let browser = app.another_browser();
    browser.learner(username).await;
    let chosen = browser.post_form("/language", &[("lang", interface)]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let enrolled = browser.post_form("/courses/home-words/enrol", &[]).await;
    assert_eq!(enrolled.status(), StatusCode::SEE_OTHER);
    browser
}

async fn a_tigrinya_home_language_shows_tigrinya_under_an_arabic_interface(backend: Backend) {
    let courses = courses_with_home_words();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let lesson = "/courses/home-words/lessons/tools";

    let tigist = learner_in(&app, "tigist", "ar").await;
    let saved = tigist
        .post_form("/account/profile", &[("home_language", "ti")])
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let (status, page) = tigist.page(lesson).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        shown_translations(&page),
        ["ti", "ti"],
        "pallet and forklift"
    );
    assert!(page.contains("ፓለት") && page.contains("<dd class=\"tr\" lang=\"ar\""));

    // Amina has the same interface, role and progress: the same shell but
    // for the home language, which she has not chosen, so it is Arabic.
    let amina = learner_in(&app, "amina", "ar").await;
    let (_, page) = amina.page(lesson).await;
    assert_eq!(shown_translations(&page), ["ar", "ar"]);
    let (_, page) = tigist.page(lesson).await;
    assert_eq!(
        shown_translations(&page),
        ["ti", "ti"],
        "each learner's own"
    );

    // The default is read when needed: a new interface language carries it.
    amina.post_form("/language", &[("lang", "uk")]).await;
    let (_, page) = amina.page(lesson).await;
    assert_eq!(shown_translations(&page), ["uk", "uk"]);
    let stored = app.store.credentials("amina").await.unwrap().unwrap().0;
    assert_eq!(stored.chosen_home_language, None);

    // An English-interface learner with no home language sees none.
    let sam = learner_in(&app, "sam", "en").await;
    let (_, page) = sam.page(lesson).await;
    assert!(shown_translations(&page).is_empty());

    // The stylesheet shows only what the server marked.
    let (_, css) = sam.page("/assets/app.css").await;
    assert!(css.contains(".vocab dd.tr { display: none;"));
    assert!(css.contains(".vocab dd.tr.home { display: block; }"));
    assert!(
        !css.contains("data-ui-lang"),
        "no longer by interface language"
    );
}

async fn the_api_reads_and_changes_only_the_callers_own_settings(backend: Backend) {
    let courses = courses_with_home_words();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let token = app.token_for("tigist", Role::Learner).await;
    let other_token = app.token_for("amina", Role::Learner).await;
    let api = app.api(token);

    let (status, me) = api.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["username"], "tigist");
    assert_eq!(me["home_language"], "en");
    assert_eq!(me["home_language_follows_interface"], true);
    let offered: Vec<&str> = me["home_languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["ar", "fa", "ti", "uk"]);
    let tigrinya = me["home_languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "ti")
        .unwrap();
    assert_eq!(
        (&tigrinya["name"], &tigrinya["dir"]),
        (&json!("ትግርኛ"), &json!("ltr"))
    );

    let patch =
        |body: serde_json::Value| api.call(reqwest::Method::PATCH, "/api/v1/me", Some(body));
    let (status, me) =
        patch(json!({"language": "ar", "home_language": "TI", "name_in_own_script": "ትግስት ሃይሌ"}))
            .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (&me["language"], &me["home_language"]),
        (&json!("ar"), &json!("ti"))
    );
    assert_eq!(me["home_language_follows_interface"], false);
    assert_eq!(me["name_in_own_script"], "ትግስት ሃይሌ");

    // Unknown codes: 400, naming what is offered; nothing changes.
    let (status, error) = patch(json!({"home_language": "xx", "name_in_own_script": ""})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("\"xx\"") && message.contains("ar, fa, ti, uk"),
        "{message}"
    );
    let (status, error) = patch(json!([null, "ti"])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only an object: {error}");
    let (status, error) = patch(json!({"language": "ti"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("en, ar, fa, uk")
    );
    let (_, me) = api.get("/api/v1/me").await;
    assert_eq!(
        (&me["home_language"], &me["name_in_own_script"]),
        (&json!("ti"), &json!("ትግስት ሃይሌ"))
    );

    // Null: follow the interface again; left out: unchanged.
    let (status, me) = patch(json!({"home_language": null})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (&me["home_language"], &me["home_language_follows_interface"]),
        (&json!("ar"), &json!(true))
    );
    assert_eq!(me["name_in_own_script"], "ትግስት ሃይሌ");

    // Only ever oneself: another learner's token changes that learner.
    let (status, other) = app
        .api(other_token)
        .call(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"home_language": "uk"})),
        )
        .await;
    assert_eq!(
        (status, &other["username"]),
        (StatusCode::OK, &json!("amina"))
    );
    let (_, me) = api.get("/api/v1/me").await;
    assert_eq!(me["home_language"], "ar");
    let (status, _) = app
        .api("not a token")
        .call(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"home_language": "ti"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The document names the codes this site offers.
    let (_, document) = app.api("").get("/api/v1/openapi.json").await;
    let field = &document["components"]["schemas"]["MeChange"]["properties"]["home_language"];
    assert_eq!(
        field["enum"],
        json!(["ar", "fa", "ti", "uk", "", null]),
        "{field}"
    );
    assert!(document["paths"]["/api/v1/me"]["patch"].is_object());
}

async fn registration_and_the_account_page_take_the_home_language_and_second_name(
    backend: Backend,
) {
    let courses = courses_with_home_words();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let visitor = app.another_browser();
    let (status, form) = visitor.page("/register").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"home_language\"") && form.contains(">ትግርኛ (ti)</option>"));
    assert!(form.contains("name=\"name_in_own_script\""));

    let fields = |home: &'static str| {
        [
            ("username", "ahmed"),
            ("full_name", "Ahmed Hassan"),
            ("password", "a long password"),
            ("home_language", home),
            ("name_in_own_script", "أحمد حسن"),
        ]
    };
    let refused = visitor.post_form("/register", &fields("zz")).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("There are no translations into &quot;zz&quot; here"),
        "{page}"
    );
    assert!(page.contains("value=\"أحمد حسن\""), "what was typed stays");
    assert!(app.store.credentials("ahmed").await.unwrap().is_none());

    let made = visitor.post_form("/register", &fields("ti")).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let ahmed = app.store.credentials("ahmed").await.unwrap().unwrap().0;
    assert_eq!(ahmed.chosen_home_language.as_deref(), Some("ti"));
    assert_eq!(ahmed.name_in_own_script.as_deref(), Some("أحمد حسن"));

    let (_, account) = visitor.page("/account").await;
    assert!(
        account.contains("<option value=\"ti\" selected>"),
        "{account}"
    );
    assert!(account.contains("value=\"أحمد حسن\""));

    // Back to the interface's: the first choice, empty.
    let saved = visitor
        .post_form(
            "/account/profile",
            &[("home_language", ""), ("name_in_own_script", "")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert!(saved.text().await.unwrap().contains("Saved."));
    let ahmed = app.store.credentials("ahmed").await.unwrap().unwrap().0;
    assert_eq!(
        (ahmed.chosen_home_language, ahmed.name_in_own_script),
        (None, None)
    );

    // A bad code is named on the page, and nothing is changed.
    let bad = visitor
        .post_form(
            "/account/profile",
            &[("home_language", "de"), ("name_in_own_script", "x")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("&quot;de&quot;"));
    let ahmed = app.store.credentials("ahmed").await.unwrap().unwrap().0;
    assert_eq!(ahmed.name_in_own_script, None);

    // Only with the session's form token, and only when signed in.
    let forged = visitor
        .client
        .post(visitor.url("/account/profile"))
        .form(&[("home_language", "ti")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let stranger = app.another_browser();
    let refused = stranger
        .post_form("/account/profile", &[("home_language", "ti")])
        .await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert!(location(&refused).starts_with("/login"));
    let ahmed = app.store.credentials("ahmed").await.unwrap().unwrap().0;
    assert_eq!(ahmed.chosen_home_language, None);
}

async fn a_class_import_sets_home_languages_and_second_names(backend: Backend) {
    let courses = courses_with_home_words();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tutor = app.another_browser();
    tutor.add_user("tess", Role::Tutor, "password123").await;
    tutor.sign_in("tess", "password123").await;
    let created = tutor
        .post_form(
            "/classes",
            &[
                ("name", "Words group"),
                ("sector", "warehousing"),
                ("course", "home-words"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let class = location(&created);
    let roster = "username,full name,language,home language,name in own script\n\
                  tigist,Tigist Haile,ti,,ትግስት ሃይሌ\n\
                  ahmed,Ahmed Hassan,ar,ti,أحمد حسن\n\
                  olena,Olena Kovalenko,uk,,\n\
                  nobody,No Body,xx,,\n";
    let imported = tutor
        .post_form(&format!("{class}/import"), &[("roster", roster)])
        .await;
    assert_eq!(imported.status(), StatusCode::OK);
    let page = imported.text().await.unwrap();
    assert!(page.contains("(not &quot;xx&quot;)"), "{page}");

    let account = |name: &'static str| {
        let store = app.store.clone();
        async move { store.credentials(name).await.unwrap().unwrap().0 }
    };
    let tigist = account("tigist").await;
    assert_eq!(
        (tigist.language.as_str(), tigist.home_language()),
        ("en", "ti"),
        "a course language is the home language; the interface is the default"
    );
    assert_eq!(tigist.name_in_own_script.as_deref(), Some("ትግስት ሃይሌ"));
    let ahmed = account("ahmed").await;
    assert_eq!(
        (ahmed.language.as_str(), ahmed.home_language()),
        ("ar", "ti")
    );
    let olena = account("olena").await;
    assert_eq!(
        (olena.language.as_str(), olena.chosen_home_language),
        ("uk", None)
    );
    assert!(app.store.credentials("nobody").await.unwrap().is_none());

    // The personal data export carries both.
    let coordinator = app.token_for("cora", Role::Coordinator).await;
    let response = app
        .client
        .get(app.url(&format!("/api/v1/learners/{}/data", ahmed.id)))
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["account"]["home_language"], "ti");
    assert_eq!(data["account"]["name_in_own_script"], "أحمد حسن");

    // Erasing the learner takes both away with the name.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/learners/{}/erase", ahmed.id)))
        .bearer_auth(&coordinator)
        .json(&json!({"confirm": "ahmed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let data = app.store.personal_data(ahmed.id).await.unwrap().unwrap();
    assert_eq!(data["account"]["full_name"], "");
    assert_eq!(
        data["account"]["name_in_own_script"],
        serde_json::Value::Null
    );
    assert_eq!(data["account"]["home_language"], serde_json::Value::Null);
}

async fn the_glossary_lists_every_word_in_either_order(backend: Backend) {
    let courses = courses_with_home_words();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let terms = |html: &str| -> Vec<String> {
        html.split("<dt data-say=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or("").to_string())
            .collect()
    };

    // As the course page: a visitor sees it, with the interface
    // language's translations.
    let visitor = app.another_browser();
    let (status, course) = visitor.page("/courses/home-words").await;
    assert_eq!(status, StatusCode::OK);
    assert!(course.contains("href=\"/courses/home-words/glossary\""));
    let (status, page) = visitor.page("/courses/home-words/glossary").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(terms(&page), ["pallet", "forklift", "apron"]);
    assert!(page.contains("A flat base for goods.") && page.contains("3 words."));
    assert!(
        shown_translations(&page).is_empty(),
        "English: no translation"
    );
    assert!(page.contains("aria-current=\"page\">As in the course</a>"));
    visitor.post_form("/language", &[("lang", "ar")]).await;
    let (_, page) = visitor.page("/courses/home-words/glossary").await;
    assert_eq!(shown_translations(&page), ["ar", "ar", "ar"]);
    assert!(page.contains("منصة نقالة"));

    // A learner sees their home language's, in either order.
    let tigist = learner_in(&app, "tigist", "ar").await;
    tigist
        .post_form("/account/profile", &[("home_language", "ti")])
        .await;
    let (_, lesson) = tigist.page("/courses/home-words/lessons/tools").await;
    assert!(lesson.contains("href=\"/courses/home-words/glossary\""));
    let (status, page) = tigist.page("/courses/home-words/glossary?order=az").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(terms(&page), ["apron", "forklift", "pallet"]);
    assert_eq!(shown_translations(&page), ["ti", "ti", "ti"]);
    assert!(page.contains("<dd class=\"tr home\" lang=\"ti\" dir=\"ltr\">ቅናት</dd>"));
    assert!(!page.contains("منصة نقالة"), "only the home language's");
    assert!(page.contains("href=\"/courses/home-words/glossary?order=az\" aria-current=\"page\""));
    assert!(
        !page.contains("<script>") && !page.contains("style="),
        "CSP-clean"
    );

    // Small on a phone's data: gzip.
    let response = tigist
        .client
        .get(tigist.url("/courses/home-words/glossary"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.len() < 4_000, "{} bytes", bytes.len());

    // No course by that name, published or not: 404.
    for path in [
        "/courses/no-such-course/glossary",
        "/courses/broken-words/glossary",
        "/courses/../glossary",
    ] {
        let (status, _) = tigist.page(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

async fn the_certificate_carries_both_names(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.store
        .create_user(NewAccount {
            username: &Username::parse("ahmed").unwrap(),
            full_name: &FullName::parse("Ahmed Hassan").unwrap(),
            email: None,
            role: Role::Learner,
            password_hash: &hash_password("password123").unwrap(),
            language: "ar",
            home_language: None,
            name_in_own_script: Some("أحمد حسن"),
        })
        .await
        .unwrap();
    let learner = app.another_browser();
    learner.sign_in("ahmed", "password123").await;
    learner.complete_first_steps().await;
    let (_, certificates) = learner.page("/certificates").await;
    let id = certificates
        .split("/verify/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a verification link")
        .to_string();
    let (status, page) = app.another_browser().page(&format!("/verify/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ahmed Hassan · أحمد حسن"), "{page}");
}

/// On a phone, in Arabic and in English: a Tigrinya speaker registers with
/// Tigrinya as the home language under Arabic menus, reads the glossary
/// and their account page; an English reader sees the glossary A to Z.
/// axe-core checks each page, and each is captured whole (a tall window).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tigrinya_speaker_on_a_phone() {
    use crate::browser::{Page, browser_tools, phone, screenshot_dir};
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let courses = courses_with_home_words();
    let app = TestApp::spawn_with(Backend::Sqlite, courses.path()).await;
    let shots = screenshot_dir();
    let tall = (360, 1800);

    // Arabic menus, Tigrinya words.
    let profile = TempDir::new().unwrap();
    let client = phone(port, profile.path(), tall).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    client.goto(&app.url("/")).await.unwrap();
    page.click_and_wait("button[name=lang][value=ar]").await;
    client.goto(&app.url("/register")).await.unwrap();
    page.fill("#full_name", "Tigist Haile").await;
    page.fill("#name_in_own_script", "ትግስት ሃይሌ").await;
    page.client
        .find(fantoccini::Locator::Css("#home_language"))
        .await
        .expect("the home language picker")
        .select_by_value("ti")
        .await
        .expect("Tigrinya chosen");
    page.fill("#username", "tigist").await;
    page.fill("#password", "a long password").await;
    page.look("ar-home-language-register").await;
    page.click_and_wait("form.stack button[type=submit]").await;
    assert_eq!(page.path().await, "/");
    client.goto(&app.url("/account")).await.unwrap();
    let text = page.text().await;
    assert!(text.contains("ትግርኛ") && text.contains("ትግስት ሃይሌ"), "{text}");
    page.look("ar-home-language-account").await;
    client
        .goto(&app.url("/courses/home-words/glossary"))
        .await
        .unwrap();
    let shown = page
        .js("return [...document.querySelectorAll('dd.tr')].filter(d => getComputedStyle(d).display !== 'none').map(d => d.textContent)")
        .await;
    assert_eq!(shown, json!(["ፓለት", "ፎርክሊፍት", "ቅናት"]));
    let scrolls = page
        .js("return document.documentElement.scrollWidth > window.innerWidth")
        .await;
    assert_eq!(scrolls, json!(false), "nothing wider than the phone");
    page.look("ar-home-language-glossary").await;
    client.close().await.unwrap();

    // English, A to Z, as a visitor.
    let profile = TempDir::new().unwrap();
    let client = phone(port, profile.path(), tall).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots,
    };
    client.goto(&app.url("/courses/home-words")).await.unwrap();
    page.click_and_wait("a[href='/courses/home-words/glossary']")
        .await;
    page.click_and_wait("nav.order a[href$='order=az']").await;
    let terms = page
        .js("return [...document.querySelectorAll('dt[data-say]')].map(d => d.dataset.say)")
        .await;
    assert_eq!(terms, json!(["apron", "forklift", "pallet"]));
    page.look("en-home-language-glossary-az").await;
    client.goto(&app.url("/register")).await.unwrap();
    page.look("en-home-language-register").await;
    page.fill("#full_name", "Ahmed Hassan").await;
    page.fill("#name_in_own_script", "أحمد حسن").await;
    page.fill("#username", "ahmed").await;
    page.fill("#password", "a long password").await;
    page.click_and_wait("form.stack button[type=submit]").await;
    client.goto(&app.url("/account")).await.unwrap();
    let text = page.text().await;
    assert!(text.contains("English\u{2069}, like the site"), "{text}");
    page.look("en-home-language-account").await;
    client.close().await.unwrap();
}
