//! Every interface string exists in every language, and every key the
//! templates and the code ask for exists: a missing one would show a learner
//! the raw key.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use presto::course::sectors::SHIPPED;
use presto::i18n::{self, LANGUAGES};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids from every Fluent file of a language (`main.ftl`,
/// `mail.ftl`, ...: the app loads them all).
fn messages(code: &str) -> BTreeSet<String> {
    let folder = root().join(format!("assets/locales/{code}"));
    let mut ids = BTreeSet::new();
    for entry in fs::read_dir(&folder).unwrap_or_else(|e| panic!("{code}: {e}")) {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            if !line.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                continue;
            }
            if let Some((id, _)) = line.split_once(" =") {
                let id = id.trim().to_string();
                assert!(ids.insert(id.clone()), "{code}: {id} is defined twice");
            }
        }
    }
    ids
}

/// Every template: pages, and the HTML and text of mails.
fn template_files(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            template_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "html" || e == "txt") {
            found.push(path);
        }
    }
}

/// Keys named in templates as `t(key="...")`.
fn template_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut files = Vec::new();
    template_files(&root().join("templates"), &mut files);
    assert!(files.iter().any(|f| f.ends_with("email/certificate.txt")));
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for quote in ['"', '\''] {
            let marker = format!("key={quote}");
            let mut rest = text.as_str();
            while let Some(start) = rest.find(&marker) {
                rest = &rest[start + marker.len()..];
                let end = rest.find(quote).unwrap();
                let key = &rest[..end];
                // `"sector-" ~ group.sector` is checked below with every sector.
                if !key.ends_with('-') {
                    keys.insert(key.to_string());
                }
            }
        }
    }
    keys
}

#[test]
fn every_language_has_every_message_and_nothing_else() {
    let english = messages("en");
    assert!(english.len() > 50);
    for language in LANGUAGES {
        let theirs = messages(language.code);
        let missing: Vec<_> = english.difference(&theirs).collect();
        let extra: Vec<_> = theirs.difference(&english).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", language.code);
        assert!(extra.is_empty(), "{} has unknown {extra:?}", language.code);
    }
}

#[test]
fn every_key_asked_for_exists() {
    let english = messages("en");
    let mut asked = template_keys();
    for (sector, _) in SHIPPED {
        asked.insert(format!("sector-{sector}"));
    }
    for key in [
        "not-found",
        "forbidden",
        "too-many",
        "too-large",
        "bad-request",
        "internal",
    ] {
        asked.insert(format!("error-{key}"));
        asked.insert(format!("error-{key}-detail"));
    }
    for key in [
        "login-wrong",
        "register-taken",
        "error-username",
        "error-full-name",
        "error-password-short",
        "error-password-long",
        "error-email",
        "error-role",
        "certificate-status-valid",
        "certificate-status-expired",
        "certificate-status-revoked",
        "certificate-id-length",
        "certificate-id-character",
        "certificate-id-check",
        "certificate-revoke-reason-missing",
        "certificate-revoke-reason-long",
        "attendance-present",
        "attendance-late",
        "attendance-absent",
        "class-error-name",
        "class-error-sector",
        "class-error-course",
        "class-error-no-learner",
        "class-error-date",
        "class-error-time",
        "class-error-link",
        "class-error-session-title",
        "class-error-duration",
        "class-join-unknown",
        "class-import-empty",
        "mail-certificate-subject",
        "mail-reset-subject",
        "password-forgot-empty",
        "password-mismatch",
        // src/web/authoring.rs
        "editor-too-large",
        "editor-changed",
        "editor-published",
        "editor-has-errors",
        "upload-no-file",
        "upload-bad-form",
        "upload-has-errors",
        "upload-slug-taken",
        "upload-wrong-course",
        "zip-not-a-zip",
        "zip-too-big",
        "zip-too-big-unpacked",
        "zip-too-many-files",
        "zip-unsafe-path",
        "zip-symlink",
        "zip-outside-course",
        "zip-no-course",
        "zip-unreadable",
        "check-counts",
        "check-ready",
        "check-not-ready",
        "sector-none",
        "reports-chart-completed",
        "reports-chart-rate",
        "reports-error-sector",
        "reports-error-class",
        "reports-error-date",
        "reports-error-backwards",
        "outcome-work_experience",
        "outcome-job",
        "outcome-further_training",
        "outcome-error-kind",
        "outcome-error-date",
        "outcome-error-future",
        "outcome-error-note",
        "learner-erase-mismatch",
        // src/domain/roster_file.rs, src/web/class_upkeep.rs
        "class-import-file-kind",
        "class-import-file-too-big",
        "class-import-file-encoding",
        "class-import-file-broken",
        "class-remove-confirm-title",
        "class-remove-confirm-warning",
        "class-remove-confirm-button",
    ] {
        asked.insert(key.to_string());
    }
    let missing: Vec<_> = asked.difference(&english).collect();
    assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
}

#[test]
fn messages_are_translated_and_fill_in_their_numbers() {
    assert_eq!(i18n::text("en", "nav-courses"), "Courses");
    for language in LANGUAGES.iter().filter(|l| l.code != "en") {
        assert_ne!(
            i18n::text(language.code, "quiz-submit"),
            i18n::text("en", "quiz-submit"),
            "{} is translated",
            language.code
        );
        // The files besides main.ftl are loaded too.
        for key in ["mail-reset-subject", "password-forgot-link"] {
            let text = i18n::text(language.code, key);
            assert!(
                text != key && text != i18n::text("en", key),
                "{key}: {text}"
            );
        }
        let mut args = std::collections::HashMap::new();
        args.insert("percent".into(), 42.into());
        let text = i18n::text_with(language.code, "progress-percent", &args);
        assert!(text.contains("42"), "{}: {text}", language.code);
    }
}

#[test]
fn right_to_left_languages_say_so() {
    let dir = |code| i18n::language(code).unwrap().dir;
    assert_eq!(dir("ar"), "rtl");
    assert_eq!(dir("fa"), "rtl");
    assert_eq!(dir("uk"), "ltr");
    assert_eq!(dir("en"), "ltr");
    assert_eq!(i18n::negotiate("prs-AF, en;q=0.5").code, "fa");
    assert_eq!(i18n::negotiate("de-DE, uk;q=0.8, en;q=0.7").code, "uk");
    assert_eq!(i18n::negotiate("").code, "en");
}
