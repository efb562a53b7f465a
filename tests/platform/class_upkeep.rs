//! A class kept up over a term, as a tutor does it: learners pasted
//! straight from a spreadsheet (tabs) or sent as a .csv or .xlsx file,
//! with the lines that failed given back in the box; login cards printed
//! again without touching passwords, each in its learner's language; a
//! class renamed, given other courses, archived and brought back; a
//! learner taken out after a question. And nobody else may do any of it.

use presto::domain::names::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, location};

/// A tutor signed in, with a class of the fixture course: (browser, id).
async fn tutor_and_class(app: &TestApp, username: &str) -> (TestApp, i32) {
    let tutor = app.another_browser();
    tutor.add_user(username, Role::Tutor, "password123").await;
    tutor.sign_in(username, "password123").await;
    let response = tutor
        .post_form(
            "/classes",
            &[
                ("name", "Monday group"),
                ("sector", "warehousing"),
                ("course", "first-steps"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = location(&response)
        .trim_start_matches("/classes/")
        .parse()
        .expect("the new class's page");
    (tutor, id)
}

/// The login cards with a password on a page: (username, password).
fn cards(html: &str) -> Vec<(String, String)> {
    let values: Vec<String> = html
        .split("<dd dir=\"ltr\" class=\"number\">")
        .skip(1)
        .map(|part| part.split('<').next().unwrap_or("").to_string())
        .collect();
    values
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect()
}

/// What the roster box holds on a page, unescaped.
fn roster_box(html: &str) -> String {
    let start = html.find("<textarea id=\"roster\"").expect("a roster box");
    let start = html[start..].find('>').expect("its tag ends") + start + 1;
    let end = html[start..].find("</textarea>").expect("the box ends") + start;
    html[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The page's `<title>`.
fn title(html: &str) -> &str {
    let start = html.find("<title>").expect("a title") + "<title>".len();
    let end = html[start..].find("</title>").expect("it ends") + start;
    &html[start..end]
}

/// Posts the import form as the page sends it: multipart, with the CSRF
/// token, the box's text and maybe a file.
async fn send_import(
    browser: &TestApp,
    id: i32,
    text: &str,
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let csrf = browser.csrf().await;
    let mut form = Form::new()
        .text("csrf", csrf)
        .text("roster", text.to_string());
    form = match file {
        Some((name, bytes)) => form.part("file", Part::bytes(bytes).file_name(name.to_string())),
        // What a browser sends for a file input left empty.
        None => form.part("file", Part::bytes(Vec::new()).file_name(String::new())),
    };
    browser
        .client
        .post(browser.url(&format!("/classes/{id}/import")))
        .multipart(form)
        .send()
        .await
        .expect("POST")
}

async fn usernames_in(app: &TestApp, id: i32) -> Vec<String> {
    let mut names: Vec<String> = app
        .store
        .class_members(id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.username)
        .collect();
    names.sort();
    names
}

on_both_databases!(cells_pasted_from_a_spreadsheet_are_imported_whatever_the_separator);

/// Excel, LibreOffice and Google Sheets put tabs between copied cells;
/// European Excel's CSV has semicolons. Both are read, header and all.
async fn cells_pasted_from_a_spreadsheet_are_imported_whatever_the_separator(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id) = tutor_and_class(&app, "tess").await;
    // Exactly what a copy of four columns of a sheet looks like.
    let pasted = "Username\tFull name\tLanguage\tEmail\r\n\
                  amina\tYusuf, Amina\tar\tamina@example.org\r\n\
                  olena\tОлена Коваленко\tuk\t\r\n";
    let response = send_import(&tutor, id, pasted, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let made: Vec<String> = cards(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(made, ["amina", "olena"], "{page}");
    assert!(!page.contains("These lines were not added"), "{page}");
    assert_eq!(title(&page), "Login cards · Presto");
    let amina = app.store.credentials("amina").await.unwrap().unwrap().0;
    assert_eq!(
        (amina.full_name.as_str(), amina.language.as_str()),
        ("Yusuf, Amina", "ar")
    );

    // Semicolons, as a plain form post (the API-less older page did that).
    let response = tutor
        .post_form(
            &format!("/classes/{id}/import"),
            &[("roster", "username;full name;email\ntigist;ትግስት ሃይሌ;\n")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(usernames_in(&app, id).await, ["amina", "olena", "tigist"]);
}

on_both_databases!(failed_lines_come_back_in_the_box_with_their_reasons);

/// The good lines make learners; each bad one is listed with its reason
/// and put back in the box under the header, to fix and send again.
async fn failed_lines_come_back_in_the_box_with_their_reasons(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id) = tutor_and_class(&app, "tess").await;
    app.add_user("taken", Role::Learner, "password123").await;
    let pasted = "username\tfull name\tlanguage\n\
                  amina\tAmina Yusuf\tar\n\
                  x\t\tzz\n\
                  taken\tSomeone Else\ten\n\
                  olena\tОлена Коваленко\tuk\n";
    let response = send_import(&tutor, id, pasted, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let made: Vec<String> = cards(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(made, ["amina", "olena"]);
    assert_eq!(
        roster_box(&page),
        "username\tfull name\tlanguage\nx\t\tzz\ntaken\tSomeone Else\ten\n"
    );
    assert!(
        page.contains("Line 3:") && page.contains("Line 4:"),
        "{page}"
    );
    assert!(page.contains("is taken"), "the reason beside the line");
    assert!(page.contains("<code dir=\"ltr\">taken | Someone Else | en</code>"));

    // Fixed and sent again: the box's own text, with the two lines mended.
    let fixed = roster_box(&page)
        .replace("x\t\tzz", "xavier\tXavier Ruiz\ten")
        .replace("taken\t", "taken2\t");
    let response = send_import(&tutor, id, &fixed, None).await;
    let page = response.text().await.unwrap();
    let made: Vec<String> = cards(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(made, ["xavier", "taken2"], "{page}");
    assert_eq!(roster_box_or_none(&page), None, "nothing to give back");

    // The API gives back the same.
    let api = app.api(app.token("tess", "password123").await);
    let (status, body) = api
        .post(
            &format!("/api/v1/classes/{id}/import"),
            json!({"roster": "username\tfull name\nbeth\tBeth Moss\nno\tShort Name\n"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"][0]["username"], json!("beth"));
    assert!(body["created"][0]["password"].as_str().unwrap().len() >= 8);
    assert_eq!(body["failed"][0]["line"], json!(3));
    assert_eq!(body["failed"][0]["text"], json!("no\tShort Name"));
    assert_eq!(
        body["again"],
        json!("username\tfull name\nno\tShort Name\n")
    );

    // Nothing usable at all: the page says no cards were made.
    let response = send_import(&tutor, id, "!!\tBad\n", None).await;
    let page = response.text().await.unwrap();
    assert_eq!(title(&page), "No new cards · Presto");
    assert!(
        !page.contains("data-print"),
        "no Print button without cards"
    );
    assert_eq!(roster_box(&page), "!!\tBad\n");
}

fn roster_box_or_none(html: &str) -> Option<String> {
    html.contains("<textarea id=\"roster\"")
        .then(|| roster_box(html))
}

/// A real workbook, as Excel saves it: a header, then learners, one
/// username typed as a number, one bad line.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 3]; 4] = [
        ["Full name", "Username", "Language"],
        ["Amina Yusuf", "amina", "AR"],
        ["Bad Line", "", "en"],
        ["Tigist Haile", "tigist", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    sheet.write(4, 0, "Number Name").unwrap();
    sheet.write(4, 1, 20261).unwrap();
    book.save_to_buffer().unwrap()
}

on_both_databases!(an_xlsx_or_csv_file_is_imported_and_a_wrong_file_is_refused_clearly);

async fn an_xlsx_or_csv_file_is_imported_and_a_wrong_file_is_refused_clearly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id) = tutor_and_class(&app, "tess").await;
    let response = send_import(&tutor, id, "", Some(("Class list.xlsx", workbook()))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let made: Vec<String> = cards(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(made, ["amina", "tigist", "20261"], "{page}");
    assert!(
        page.contains("Line 3:"),
        "the spreadsheet's own row: {page}"
    );
    assert_eq!(
        roster_box(&page),
        "Full name\tUsername\tLanguage\nBad Line\t\ten\n"
    );
    let amina = app.store.credentials("amina").await.unwrap().unwrap().0;
    assert_eq!(amina.language, "ar");

    // A CSV file from European Excel: a byte-order mark and semicolons.
    let csv = "\u{feff}username;full name\r\nolena;Олена Коваленко\r\n".as_bytes();
    let response = send_import(&tutor, id, "", Some(("olena.csv", csv.to_vec()))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(usernames_in(&app, id).await.contains(&"olena".to_string()));

    // Wrong or broken files: the import page again, saying what to do.
    for (name, bytes, says) in [
        (
            "photo.jpg",
            vec![0xff, 0xd8, 0xff],
            "Choose a .csv or .xlsx file",
        ),
        ("list.xlsx", b"PK not really".to_vec(), "cannot be opened"),
        ("old.csv", b"Jos\xe9;Jos\xe9 Ruiz\n".to_vec(), "CSV UTF-8"),
    ] {
        let response = send_import(&tutor, id, "kept\tin the box\n", Some((name, bytes))).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
        let page = response.text().await.unwrap();
        assert!(page.contains(says), "{name}: {page}");
        assert_eq!(roster_box(&page), "kept\tin the box\n", "{name}");
    }
    // Too big for the form: refused before it is read, not a 500.
    let huge = vec![b'a'; 3 * 1024 * 1024];
    let response = send_import(&tutor, id, "", Some(("big.csv", huge))).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.text().await.unwrap().contains("too big"));
    assert_eq!(usernames_in(&app, id).await.len(), 4);
}

on_both_databases!(login_cards_are_printed_again_without_passwords_in_each_learners_language);

async fn login_cards_are_printed_again_without_passwords_in_each_learners_language(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id) = tutor_and_class(&app, "tess").await;
    let pasted = "username,full name,language\namina,Amina Yusuf,ar\nolena,Олена Коваленко,uk\nben,Ben Adams,en\n";
    let response = send_import(&tutor, id, pasted, None).await;
    let page = response.text().await.unwrap();
    let passwords = cards(&page);
    assert_eq!(passwords.len(), 3);
    assert!(page.contains("data-print"), "a Print button");
    assert!(
        page.contains("To print the cards, use your browser"),
        "and a hint without JS"
    );
    // Each card in its learner's language, Arabic right to left.
    assert!(page.contains("<li class=\"login-card\" lang=\"ar\" dir=\"rtl\">"));
    assert!(page.contains("<li class=\"login-card\" lang=\"uk\" dir=\"ltr\">"));
    assert!(page.contains("كلمة المرور") && page.contains("Пароль"));

    let (status, class_page) = tutor.page(&format!("/classes/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(class_page.contains(&format!("href=\"/classes/{id}/cards\"")));
    assert!(class_page.contains("Print login cards"));

    // The whole class again: names and usernames, no password, and the
    // passwords on the first cards still work.
    let (status, again) = tutor.page(&format!("/classes/{id}/cards")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(title(&again), "Login cards to print again · Presto");
    for (username, password) in &passwords {
        assert!(again.contains(username.as_str()));
        assert!(!again.contains(password.as_str()), "no password reprinted");
        app.another_browser().sign_in(username, password).await;
    }
    assert!(again.contains("اطلب من معلمك كلمة سر جديدة"), "Arabic card");
    assert!(again.contains("Попросіть викладача про новий пароль"));
    assert!(again.contains("Ask your tutor for a new password."));
    assert!(again.contains("data-print"));

    // One learner's card.
    let amina = app.store.credentials("amina").await.unwrap().unwrap().0;
    let (status, one) = tutor
        .page(&format!("/classes/{id}/members/{}/card", amina.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(one.contains("amina") && !one.contains("olena"));
    assert!(one.contains(&format!("/classes/{id}/members/{}/password", amina.id)));
    // Someone not in the class has no card here.
    let outsider = app.add_user("yusuf", Role::Learner, "password123").await;
    let (status, _) = tutor
        .page(&format!("/classes/{id}/members/{}/card", outsider.id))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_both_databases!(a_class_is_renamed_given_courses_archived_and_brought_back);

async fn a_class_is_renamed_given_courses_archived_and_brought_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id) = tutor_and_class(&app, "tess").await;
    let code = app.store.class(id).await.unwrap().unwrap().join_code;
    let learner = app.another_browser();
    let amina = learner.learner("amina").await;
    learner.post_form("/join", &[("code", &code)]).await;

    // Rename and add a course: Amina starts it at once.
    let (status, form) = tutor.page(&format!("/classes/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"Monday group\""));
    let response = tutor
        .post_form(
            &format!("/classes/{id}/edit"),
            &[
                ("name", "  Autumn   warehouse "),
                ("course", "first-steps"),
                ("course", "next-steps"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = tutor.page(&location(&response)).await;
    assert!(page.contains("Autumn warehouse") && page.contains("The changes are saved."));
    let class = app.store.class(id).await.unwrap().unwrap();
    assert_eq!(class.courses, ["first-steps", "next-steps"]);
    assert!(
        app.store
            .enrolment(amina.id, "next-steps")
            .await
            .unwrap()
            .is_some()
    );
    // A bad name and an unknown course: the form again, nothing changed.
    let response = tutor
        .post_form(
            &format!("/classes/{id}/edit"),
            &[("name", " "), ("course", "no-such-course")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(page.contains("Please write a class name") && page.contains("no-such-course"));
    assert_eq!(
        app.store.class(id).await.unwrap().unwrap().name,
        "Autumn warehouse"
    );

    // Archived: off the lists of its tutor and learner, and the learner's
    // home; in "Archived classes"; its code takes nobody.
    let response = tutor
        .post_form(&format!("/classes/{id}/archive"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, list) = tutor.page("/classes").await;
    assert!(!list.contains("Autumn warehouse"), "{list}");
    assert!(list.contains("href=\"/classes/archived\""));
    let (_, archived) = tutor.page("/classes/archived").await;
    assert!(archived.contains("Autumn warehouse"));
    let (_, list) = learner.page("/classes").await;
    assert!(!list.contains("Autumn warehouse"));
    let newcomer = app.another_browser();
    newcomer.learner("olena").await;
    let response = newcomer.post_form("/join", &[("code", &code)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Kept whole: its page, its members, its progress.
    let (status, page) = tutor.page(&format!("/classes/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This class is archived."));
    assert!(app.store.is_class_member(id, amina.id).await.unwrap());

    // Nobody new comes in by hand or from a spreadsheet either, and an
    // invitation sent before waits until the class is back.
    let api = app.api(app.token("tess", "password123").await);
    let (status, body) = api
        .post(
            &format!("/api/v1/classes/{id}/members"),
            json!({"username": "zara-new", "full_name": "Zara New"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"].as_str().unwrap_or("").contains("archived"),
        "{body}"
    );
    let (status, _) = api
        .post(
            &format!("/api/v1/classes/{id}/import"),
            json!({"roster": "zara-new\tZara New"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        app.store.credentials("zara-new").await.unwrap().is_none(),
        "no account made"
    );

    // The API sees the same, and brings it back.
    let (_, listed) = api.get("/api/v1/classes").await;
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
    let (_, listed) = api.get("/api/v1/classes?archived=true").await;
    assert_eq!(listed[0]["archived"], json!(true), "{listed}");
    let (status, body) = api
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/classes/{id}"),
            Some(json!({"archived": false, "name": "Spring group", "courses": ["next-steps"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["name"], &body["archived"], &body["courses"]),
        (
            &json!("Spring group"),
            &json!(false),
            &json!(["next-steps"])
        )
    );
    let (_, list) = tutor.page("/classes").await;
    assert!(list.contains("Spring group"));
    // Taking a course off keeps the learner's enrolment.
    assert!(
        app.store
            .enrolment(amina.id, "first-steps")
            .await
            .unwrap()
            .is_some()
    );
    // Bad input through the API: named, nothing changed.
    let (status, body) = api
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/classes/{id}"),
            Some(json!({"name": "   "})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = api
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/classes/{id}"),
            Some(json!({"courses": ["no-such-course"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "the class is there");
    assert_eq!(
        app.store.class(id).await.unwrap().unwrap().name,
        "Spring group"
    );
}

on_both_databases!(a_member_is_taken_out_after_a_question_and_keeps_their_progress);

async fn a_member_is_taken_out_after_a_question_and_keeps_their_progress(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id) = tutor_and_class(&app, "tess").await;
    let learner = app.another_browser();
    let amina = learner.learner("amina").await;
    learner.complete_first_steps().await;
    let class = app.store.class(id).await.unwrap().unwrap();
    app.store.join_class(&class, amina.id).await.unwrap();

    let (_, page) = tutor.page(&format!("/classes/{id}")).await;
    let remove = format!("/classes/{id}/members/{}/remove", amina.id);
    assert!(page.contains(&format!("href=\"{remove}\"")));
    let (status, question) = tutor.page(&remove).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        question.contains("Take amina Test out of Monday group?"),
        "{question}"
    );
    // A post that did not come from the question asks it first.
    let response = tutor.post_form(&remove, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), remove);
    assert!(app.store.is_class_member(id, amina.id).await.unwrap());

    let response = tutor.post_form(&remove, &[("confirm", "yes")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(!app.store.is_class_member(id, amina.id).await.unwrap());
    let enrolment = app.store.enrolment(amina.id, "first-steps").await.unwrap();
    assert!(
        enrolment.is_some_and(|e| e.completed_at.is_some()),
        "her progress stays"
    );
    // Not a member any more: nothing to take out.
    let response = tutor.post_form(&remove, &[("confirm", "yes")]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

on_both_databases!(nobody_else_keeps_up_a_class);

/// A tutor of another class and a learner of this one are refused every
/// new page and call, as the class's other routes refuse them; a forged
/// post without the form's token changes nothing.
async fn nobody_else_keeps_up_a_class(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tess, id) = tutor_and_class(&app, "tess").await;
    let (otto, _) = tutor_and_class(&app, "otto").await;
    let learner = app.another_browser();
    let amina = learner.learner("amina").await;
    let class = app.store.class(id).await.unwrap().unwrap();
    app.store.join_class(&class, amina.id).await.unwrap();
    let member = amina.id;

    for (who, browser) in [("another tutor", &otto), ("a learner", &learner)] {
        for path in [
            format!("/classes/{id}/edit"),
            format!("/classes/{id}/cards"),
            format!("/classes/{id}/members/{member}/card"),
            format!("/classes/{id}/members/{member}/remove"),
            format!("/classes/{id}/import"),
        ] {
            let (status, _) = browser.page(&path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: GET {path}");
        }
        for (path, fields) in [
            (format!("/classes/{id}/edit"), vec![("name", "Mine now")]),
            (format!("/classes/{id}/archive"), vec![]),
            (format!("/classes/{id}/restore"), vec![]),
            (
                format!("/classes/{id}/members/{member}/remove"),
                vec![("confirm", "yes")],
            ),
            (
                format!("/classes/{id}/import"),
                vec![("roster", "eve,Eve Intruder\n")],
            ),
        ] {
            let response = browser.post_form(&path, &fields).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{who}: POST {path}"
            );
        }
        let response = send_import(browser, id, "", Some(("list.xlsx", workbook()))).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{who}: file");
    }
    for (who, username) in [("another tutor", "otto"), ("a learner", "amina")] {
        let api = app.api(app.token(username, "password123").await);
        let (status, _) = api
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/classes/{id}"),
                Some(json!({"name": "Mine now", "archived": true})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        let (status, _) = api
            .post(
                &format!("/api/v1/classes/{id}/import"),
                json!({"roster": "eve,Eve Intruder\n"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: API import");
        let (status, _) = api
            .delete(&format!("/api/v1/classes/{id}/members/{member}"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: API remove");
    }
    let api = app.api(app.token("tess", "password123").await);
    let (status, _) = api
        .call(
            reqwest::Method::PATCH,
            "/api/v1/classes/999999",
            Some(json!({"name": "Nobody's"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Forged: the class's own tutor's cookies, but no token from a form.
    for path in [
        format!("/classes/{id}/edit"),
        format!("/classes/{id}/archive"),
        format!("/classes/{id}/members/{member}/remove"),
    ] {
        let response = tess
            .client
            .post(tess.url(&path))
            .form(&[("name", "Forged"), ("confirm", "yes")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let forged = Form::new()
        .text("roster", "eve,Eve Intruder\n")
        .text("csrf", "not-the-token");
    let response = tess
        .client
        .post(tess.url(&format!("/classes/{id}/import")))
        .multipart(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let class = app.store.class(id).await.unwrap().unwrap();
    assert_eq!(class.name, "Monday group");
    assert!(class.archived_at.is_none());
    assert!(app.store.is_class_member(id, member).await.unwrap());
    assert!(app.store.credentials("eve").await.unwrap().is_none());
}
