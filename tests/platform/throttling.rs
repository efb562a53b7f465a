//! Throttles that slow guessing without locking anyone out: signing in
//! (the page and the API's token), registering and asking for a password
//! link, counted by the client's address, which only a trusted proxy may
//! tell.

use std::time::Duration;

use presto::domain::names::Role;
use presto::proxies::TrustedProxies;
use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses};

on_both_databases!(
    guessing_from_one_address_does_not_lock_the_learner_out,
    forwarded_addresses_count_only_through_a_trusted_proxy,
    registering_and_asking_for_password_links_are_throttled_per_address,
);

/// A server behind a proxy on 127.0.0.1, as the tests' clients are.
async fn behind_a_proxy(backend: Backend) -> TestApp {
    TestApp::spawn_configured(backend, &fixture_courses(), |settings| {
        settings.trusted_proxies = TrustedProxies::parse(["127.0.0.1"]).expect("a range");
    })
    .await
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("429 says when to try again")
}

async fn sign_in(app: &TestApp, password: &str) -> reqwest::Response {
    app.post_form("/login", &[("username", "leyla"), ("password", password)])
        .await
}

async fn token(app: &TestApp, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "leyla", "password": password}))
        .send()
        .await
        .expect("token")
}

async fn guessing_from_one_address_does_not_lock_the_learner_out(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    app.add_user("leyla", Role::Learner, "password123").await;
    let attacker = app.via_proxy_from("198.51.100.7");

    // Ten wrong passwords from the attacker's address, waiting whenever
    // told to: the first five answer at once, then each wait is longer.
    let mut statuses = Vec::new();
    let mut waits = Vec::new();
    while statuses.len() < 10 {
        let response = sign_in(&attacker, "guess").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after(&response);
            waits.push(wait);
            if waits.len() == 3 {
                break;
            }
            tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(100)).await;
        } else {
            statuses.push(response.status());
        }
    }
    assert_eq!(statuses, vec![StatusCode::UNAUTHORIZED; statuses.len()]);
    assert_eq!(
        statuses.len(),
        7,
        "five free tries, then one after each wait"
    );
    assert_eq!(waits, vec![1, 2, 4], "the waits grow");
    let refused = sign_in(&attacker, "password123").await;
    assert_eq!(
        refused.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "from the guessing address even the right password waits"
    );
    let text = refused.text().await.unwrap();
    assert!(text.contains("wait a little"), "{text}");
    let api = token(&attacker, "password123").await;
    assert_eq!(
        api.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the API shares the count"
    );
    assert!(retry_after(&api) >= 1);

    // Leyla, from her own address, is not slowed by any of it.
    let leyla = app.via_proxy_from("203.0.113.20");
    let typo = sign_in(&leyla, "pasword123").await;
    assert_eq!(
        typo.status(),
        StatusCode::UNAUTHORIZED,
        "a typo is just a typo"
    );
    let signed_in = sign_in(&leyla, "password123").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let (status, _) = leyla.page("/progress").await;
    assert_eq!(status, StatusCode::OK, "signed in");
    let api = token(&app.via_proxy_from("203.0.113.21"), "password123").await;
    assert_eq!(api.status(), StatusCode::OK, "and her app gets a token");
}

async fn forwarded_addresses_count_only_through_a_trusted_proxy(backend: Backend) {
    // No trusted proxies (the default): X-Forwarded-For changes nothing.
    let app = TestApp::spawn(backend.clone()).await;
    app.add_user("leyla", Role::Learner, "password123").await;
    for i in 0..5 {
        let claimed = app.via_proxy_from(&format!("198.51.100.{i}"));
        assert_eq!(
            sign_in(&claimed, "guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let claimed = app.via_proxy_from("198.51.100.99");
    assert_eq!(
        sign_in(&claimed, "guess").await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a made-up address does not start a fresh count"
    );

    // Behind a trusted proxy, what the client wrote to the left of what
    // the proxy added does not count either.
    let app = behind_a_proxy(backend).await;
    app.add_user("leyla", Role::Learner, "password123").await;
    for i in 0..5 {
        let spoofing = app.via_proxy_from(&format!("10.0.0.{i}, 198.51.100.7"));
        assert_eq!(
            sign_in(&spoofing, "guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let spoofing = app.via_proxy_from("10.9.9.9, 198.51.100.7");
    assert_eq!(
        sign_in(&spoofing, "guess").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let other = app.via_proxy_from("198.51.100.8");
    assert_eq!(
        sign_in(&other, "password123").await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn registering_and_asking_for_password_links_are_throttled_per_address(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let probe = app.via_proxy_from("198.51.100.7");
    // Refused forms count too: they are how taken names are probed.
    for i in 0..30 {
        let response = probe
            .post_form(
                "/register",
                &[
                    ("username", &format!("probe{i}")),
                    ("full_name", "Probe"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "registration {i}"
        );
    }
    let refused = probe
        .post_form(
            "/register",
            &[
                ("username", "probe"),
                ("full_name", "Probe"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused) > 60, "a slot comes back in minutes");
    let elsewhere = app
        .via_proxy_from("203.0.113.20")
        .post_form(
            "/register",
            &[
                ("username", "amina"),
                ("full_name", "Amina"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(
        elsewhere.status(),
        StatusCode::SEE_OTHER,
        "another address registers"
    );

    for i in 0..10 {
        let response = probe
            .post_form("/password/forgot", &[("login", &format!("someone{i}"))])
            .await;
        assert_eq!(response.status(), StatusCode::OK, "link request {i}");
    }
    let refused = probe
        .post_form("/password/forgot", &[("login", "amina")])
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused) > 60);
    let elsewhere = app
        .via_proxy_from("203.0.113.20")
        .post_form("/password/forgot", &[("login", "amina")])
        .await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
}
