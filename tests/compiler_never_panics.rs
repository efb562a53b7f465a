//! Whatever a tutor (or an attacker uploading a course) writes, the compiler
//! answers with a course or with diagnostics that point inside the file,
//! never with a panic.

use std::collections::{BTreeMap, BTreeSet};

use presto::course::{self, CompileOptions, CourseSource, MediaFile, SourceFile};
use proptest::prelude::*;

const TOML: &str =
    "title = \"T\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"S\"\nlanguages = [\"ar\"]\n";

fn course_with(settings: &[u8], module: &[u8]) -> CourseSource {
    let mut media = BTreeMap::new();
    media.insert(
        "media/a.svg".to_string(),
        MediaFile::from_bytes("media/a.svg", b"<svg/>"),
    );
    CourseSource {
        slug: "prop".to_string(),
        display_root: "prop".to_string(),
        settings: Some(SourceFile::new("course.toml", settings)),
        markdown: vec![SourceFile::new("01-module.md", module)],
        media,
        problems: Vec::new(),
    }
}

/// Compiles and checks what must hold for any input.
fn check(settings: &[u8], module: &[u8]) {
    let source = course_with(settings, module);
    let compilation = course::compile(&source, &BTreeSet::new(), &CompileOptions::default());
    let lines = |bytes: &[u8]| bytes.iter().filter(|b| **b == b'\n').count() + 1;
    for d in &compilation.diagnostics {
        assert!(!d.message.is_empty() && !d.hint.is_empty(), "{d:?}");
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        let max_line = if d.file.ends_with("course.toml") {
            lines(settings)
        } else {
            lines(module)
        };
        assert!(
            d.line <= max_line,
            "line {} past the end ({max_line}): {d:?}",
            d.line
        );
        // The place underlined is in the file, even when the module was
        // compiled from a copy with its special spaces made ordinary.
        let file = if d.file.ends_with("course.toml") {
            settings
        } else {
            module
        };
        assert!(
            d.span.start <= d.span.end && d.span.end <= file.len(),
            "span {:?} outside the file ({} bytes): {d:?}",
            d.span,
            file.len()
        );
    }
    let errors = compilation.errors();
    assert_eq!(
        compilation.course.is_some(),
        errors == 0,
        "a course exactly when there are no errors"
    );
}

/// Pieces of the course format, so random input reaches deep into the
/// compiler instead of being rejected at the first line.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Title\n".to_string()),
        Just("## Lesson\n".to_string()),
        Just("## Quiz: Q {#q pass=70 attempts=2}\n".to_string()),
        Just("## Quiz: \n".to_string()),
        Just("### Question?\n".to_string()),
        Just("### {#x}\n".to_string()),
        Just("- [x] right\n".to_string()),
        Just("- [ ] wrong\n  > feedback\n".to_string()),
        Just("- a = b\n".to_string()),
        Just("- c\n".to_string()),
        Just("1. first\n".to_string()),
        Just("2. second\n".to_string()),
        Just("The [[gap|alt]] and [[ ]] and [[open\n".to_string()),
        Just("> Hint: think\n".to_string()),
        Just("> explanation\n".to_string()),
        Just("> [!WARNING]\n> careful\n".to_string()),
        Just("word\n: a definition\n: ar: كلمة\n: xx: ?\n".to_string()),
        Just("![alt](media/a.svg) ![](../x.svg) [s](media/s.mp3) [j](javascript:x)\n".to_string()),
        Just("<b>html</b> <!-- c -->\n".to_string()),
        Just("+++\nsummary = 1\n+++\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("    - - - - - nested\n".to_string()),
        Just(">>>>>>>> deep\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        // Slips tutors make (issue 21).
        Just("## Quizz: Q\n".to_string()),
        Just("## ✅ Quiz : Q\n".to_string()),
        Just("## 🧼\n".to_string()),
        Just("Put it on the [[shelf]. Follow [[me]] [top]] ]] [[\n".to_string()),
        Just("###\u{a0}Question?\n-\u{a0}[x]\u{a0}right\n12.\u{a0}step\n".to_string()),
        Just("\u{a0}\u{a0}-\u{a0}\u{a0}\n#\u{a0}\n".to_string()),
        Just("word\n: a definition\nar: كلمة\n: ar: \n: uk: ???\n: ua: слово\n".to_string()),
        Just("+++\nsummary = “S”\n+++\n".to_string()),
        Just("![A](media/A_B.PNG) ![B](media/a b.svg)\n".to_string()),
        "[ -~]{0,20}\n",
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn structured_modules_never_panic(parts in prop::collection::vec(fragment(), 0..40)) {
        check(TOML.as_bytes(), parts.concat().as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(module in prop::collection::vec(any::<u8>(), 0..600)) {
        check(TOML.as_bytes(), &module);
    }

    #[test]
    fn arbitrary_course_toml_never_panics(
        settings in prop::collection::vec(prop_oneof![
            Just("title = \"T\"\n".to_string()),
            Just("sector = \"nope\"\n".to_string()),
            Just("level = 3\n".to_string()),
            Just("hours = -1\n".to_string()),
            Just("pass_mark = 101\n".to_string()),
            Just("languages = [\"ar\", 5, \"Arabic\"]\n".to_string()),
            Just("requires = [\"prop\", \"x\"]\n".to_string()),
            Just("[certificate]\nvalid_for_months = 0\n".to_string()),
            Just("= = [\n".to_string()),
            Just("summary = “S’\nlanguages = [‘ar’, \"ua\"]\n".to_string()),
            "[ -~]{0,30}\n",
        ], 0..12)
    ) {
        check(settings.concat().as_bytes(), b"# T\n\n## L\n\nText.\n");
    }
}

#[test]
fn a_very_deep_list_or_quote_does_not_overflow_the_stack() {
    let list: String = (0..3000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    check(TOML.as_bytes(), format!("# T\n\n## L\n\n{list}").as_bytes());
    let quote = format!("# T\n\n## L\n\n{} deep\n", ">".repeat(5000));
    check(TOML.as_bytes(), quote.as_bytes());
}
