//! The compiled form of a course that uses every element of the format:
//! a snapshot of the whole thing, plus the facts a learner would notice
//! asserted one by one, so a snapshot update cannot quietly lose them.

use std::collections::BTreeSet;
use std::path::Path;

use presto::course::{
    self, Answer, CompileOptions, CompiledCourse, GapSegment, LessonKind, QuestionKind, source,
};

fn compile_fixture(name: &str) -> CompiledCourse {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ok")
        .join(name);
    let source = source::load_course(&dir, &format!("ok/{name}"));
    let compilation = course::compile(&source, &BTreeSet::new(), &CompileOptions::default());
    assert!(
        compilation.diagnostics.is_empty(),
        "expected a clean course, got: {:#?}",
        compilation.diagnostics
    );
    compilation.course.expect("a clean course compiles")
}

#[test]
fn the_whole_compiled_course_matches_the_snapshot() {
    let course = compile_fixture("kitchen-basics");
    insta::assert_json_snapshot!(course);
}

#[test]
fn settings_come_from_course_toml() {
    let course = compile_fixture("kitchen-basics");
    let s = &course.settings;
    assert_eq!(s.title, "Kitchen basics");
    assert_eq!(s.sector.as_str(), "hospitality");
    assert_eq!(s.level, course::Level::A2);
    assert_eq!(s.hours, Some(2.5));
    assert_eq!(s.pass_mark, 75);
    assert_eq!(s.certificate.title, "Kitchen Basics (A2)");
    assert_eq!(s.certificate.valid_for_months, Some(24));
}

#[test]
fn modules_and_lessons_are_in_file_order_with_stable_ids() {
    let course = compile_fixture("kitchen-basics");
    let titles: Vec<&str> = course.modules.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["The kitchen", "Cleaning up"]);
    assert_eq!(
        course.modules[0].summary.as_deref(),
        Some("Words for the kitchen and keeping food cold.")
    );
    let ids: Vec<(&str, LessonKind)> = course.lessons().map(|l| (l.id.as_str(), l.kind)).collect();
    assert_eq!(
        ids,
        [
            ("first-day", LessonKind::Lesson),
            ("kitchen-quiz", LessonKind::Quiz),
            ("cleaning-a-surface", LessonKind::Lesson),
            ("quiz-cleaning", LessonKind::Quiz),
        ]
    );
}

#[test]
fn lesson_html_has_media_callouts_and_tables_for_a_phone() {
    let course = compile_fixture("kitchen-basics");
    let html = &course.lesson("first-day").unwrap().html;
    assert!(html.contains(r#"<img src="/media/kitchen-basics/fridge.svg" alt="A tall white fridge with two doors" loading="lazy""#), "{html}");
    assert!(
        html.contains(
            r#"<audio controls preload="none" src="/media/kitchen-basics/greeting.mp3">"#
        ),
        "{html}"
    );
    assert!(html.contains(
        r#"<aside class="callout callout-warning" role="note"><p class="callout-title">Warning</p>"#
    ));
    assert!(html.contains("callout-tip"));
    assert!(html.contains(r#"<div class="table-wrap"><table>"#));
    // `###` inside a lesson sits under the page's own h1 and the lesson h2... as h2.
    assert!(html.contains("<h2>Useful phrases</h2>"), "{html}");
    assert!(html.contains(r#"<a href="https://www.food.gov.uk/">Food Standards Agency</a>"#));
}

#[test]
fn vocabulary_becomes_a_glossary_with_translations_marked_by_language() {
    let course = compile_fixture("kitchen-basics");
    let terms: Vec<&str> = course.glossary.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(terms, ["fridge", "chef", "sink"]);
    let fridge = &course.glossary[0];
    assert_eq!(
        fridge.definitions,
        ["A cold cupboard that keeps food cold."]
    );
    assert_eq!(fridge.translations["ar"], "ثلاجة");
    assert_eq!(fridge.translations["fa"], "یخچال");
    assert_eq!(fridge.translations["uk"], "холодильник");
    assert_eq!(fridge.lesson.as_deref(), Some("first-day"));
    let html = &course.lesson("first-day").unwrap().html;
    assert!(
        html.contains(r#"<dt data-say="fridge">fridge</dt>"#),
        "{html}"
    );
    assert!(html.contains(r#"<dd class="tr" lang="ar" dir="rtl">ثلاجة</dd>"#));
    assert!(html.contains(r#"<dd class="tr" lang="uk" dir="ltr">холодильник</dd>"#));
}

#[test]
fn quiz_settings_ride_on_the_heading_or_come_from_the_course() {
    let course = compile_fixture("kitchen-basics");
    let quiz = course
        .lesson("kitchen-quiz")
        .unwrap()
        .quiz
        .as_ref()
        .unwrap();
    assert_eq!(quiz.pass_mark, 70);
    assert_eq!(quiz.max_attempts, Some(3));
    let other = course
        .lesson("quiz-cleaning")
        .unwrap()
        .quiz
        .as_ref()
        .unwrap();
    assert_eq!(other.pass_mark, 75, "the course pass mark applies");
    assert_eq!(other.max_attempts, None, "unlimited by default");
}

#[test]
fn every_question_kind_is_typed_data() {
    let course = compile_fixture("kitchen-basics");
    let quiz = course
        .lesson("kitchen-quiz")
        .unwrap()
        .quiz
        .as_ref()
        .unwrap();
    let kinds: Vec<QuestionKind> = quiz.questions.iter().map(|q| q.kind()).collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::TrueFalse,
            QuestionKind::Gap,
            QuestionKind::Match,
            QuestionKind::Order
        ]
    );

    let single = &quiz.questions[0];
    assert_eq!(single.id, "what-temperature-is-the-law-for-cold-food-in");
    assert_eq!(
        single.hint.as_ref().unwrap().text,
        "Look at the warning box."
    );
    assert_eq!(
        single.explanation.as_ref().unwrap().text,
        "The law says 8°C or below. Many kitchens aim for 5°C."
    );
    let Answer::Choice { options } = &single.answer else {
        panic!("a choice")
    };
    let correct: Vec<&str> = options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.text.text.as_str())
        .collect();
    assert_eq!(correct, ["8°C or below"]);
    assert_eq!(
        options[0].feedback.as_ref().unwrap().text,
        "No. 15°C is too warm. Bacteria grow fast."
    );
    assert!(options[1].feedback.is_none());

    assert_eq!(
        quiz.questions[1].id, "kitchen-jobs",
        "an id given in the heading is kept"
    );

    let Answer::Gap { segments } = &quiz.questions[3].answer else {
        panic!("a gap fill")
    };
    let gaps: Vec<&Vec<String>> = segments
        .iter()
        .filter_map(|s| match s {
            GapSegment::Gap(answers) => Some(answers),
            GapSegment::Html(_) => None,
        })
        .collect();
    assert_eq!(
        gaps,
        [
            &vec!["cold".to_string()],
            &vec!["hot".to_string(), "very hot".to_string()]
        ]
    );

    let Answer::Match { pairs } = &quiz.questions[4].answer else {
        panic!("a matching")
    };
    assert_eq!(pairs.len(), 3);
    assert_eq!(
        (pairs[1].left.text.as_str(), pairs[1].right.text.as_str()),
        ("oven", "cooks food")
    );

    let Answer::Order { items } = &quiz.questions[5].answer else {
        panic!("an ordering")
    };
    let steps: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        steps,
        ["Wet your hands", "Use soap", "Rinse", "Dry your hands"]
    );
}

#[test]
fn answer_ids_do_not_give_away_the_answer() {
    let course = compile_fixture("kitchen-basics");
    let quiz = course
        .lesson("kitchen-quiz")
        .unwrap()
        .quiz
        .as_ref()
        .unwrap();
    let Answer::Match { pairs } = &quiz.questions[4].answer else {
        panic!("a matching")
    };
    // Left and right ids are hashes of their own text, not positions.
    for pair in pairs {
        assert_ne!(pair.left.id[1..], pair.right.id[1..]);
    }
    let Answer::Order { items } = &quiz.questions[5].answer else {
        panic!("an ordering")
    };
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_ne!(
        ids, sorted,
        "ids in the right order should not also be sorted order (they are text hashes)"
    );
}

#[test]
fn editing_a_lesson_keeps_its_id_and_changes_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok/kitchen-basics");
    let copy = dir.path().join("kitchen-basics");
    copy_dir(&fixture, &copy);
    let before = course::compile(
        &source::load_course(&copy, "k"),
        &BTreeSet::new(),
        &CompileOptions::default(),
    );
    let module = copy.join("01-the-kitchen.md");
    let text = std::fs::read_to_string(&module)
        .unwrap()
        .replace("Good morning!", "Hello!");
    std::fs::write(&module, text).unwrap();
    let after = course::compile(
        &source::load_course(&copy, "k"),
        &BTreeSet::new(),
        &CompileOptions::default(),
    );
    let (before, after) = (before.course.unwrap(), after.course.unwrap());
    assert_ne!(before.content_hash, after.content_hash);
    let ids = |c: &CompiledCourse| c.lessons().map(|l| l.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&before), ids(&after));
    assert!(after.lesson("first-day").unwrap().html.contains("Hello!"));
}

#[test]
fn the_same_files_give_the_same_hash() {
    let a = compile_fixture("kitchen-basics");
    let b = compile_fixture("kitchen-basics");
    assert_eq!(a.content_hash, b.content_hash);
    assert_eq!(a.content_hash.len(), 64);
}

#[test]
fn the_shipped_courses_check_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses");
    let discovery = source::discover(&dir).unwrap();
    let sources: Vec<_> = discovery
        .courses
        .iter()
        .map(|(d, n)| source::load_course(d, n))
        .collect();
    assert!(sources.len() >= 5, "the five sector courses are shipped");
    for compilation in
        course::compile_all(&sources, &discovery.known_slugs, &CompileOptions::default())
    {
        assert!(
            compilation.diagnostics.is_empty(),
            "{} has problems:\n{}",
            compilation.slug,
            course::report::human_string(&compilation.diagnostics, &|_| None)
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
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

/// The counts `presto check` prints after a course: each one, counted here
/// from the compiled course itself.
#[test]
fn the_summary_counts_what_the_course_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok/kitchen-basics");
    let source = source::load_course(&dir, "ok/kitchen-basics");
    let compilation = course::compile(&source, &BTreeSet::new(), &CompileOptions::default());
    let course = compilation
        .course
        .as_ref()
        .expect("a clean course compiles");
    let summary = &compilation.summary;

    let lessons = course.lessons().filter(|l| l.quiz.is_none()).count();
    let quizzes = course.lessons().filter(|l| l.quiz.is_some()).count();
    assert_eq!(summary.modules, course.modules.len());
    assert_eq!(summary.lessons, lessons);
    assert_eq!(summary.quizzes, quizzes);
    assert_eq!(summary.glossary_terms, course.glossary.len());
    let questions: Vec<QuestionKind> = course
        .lessons()
        .filter_map(|l| l.quiz.as_ref())
        .flat_map(|q| q.questions.iter().map(|question| question.kind()))
        .collect();
    assert!(questions.len() >= 5, "the fixture has every kind");
    for kind in QuestionKind::ALL {
        let expected = questions.iter().filter(|k| **k == kind).count();
        assert_eq!(
            summary
                .questions_by_kind
                .get(kind.as_str())
                .copied()
                .unwrap_or(0),
            expected,
            "{kind:?}"
        );
    }
    assert_eq!(summary.questions(), questions.len());
}

/// A word defined again, in any case and in any script, stays one glossary
/// entry: the first lesson keeps it, and later lists add only what it
/// lacked. Many other words around it must not confuse the lookup.
#[test]
fn a_word_met_again_in_another_case_is_one_glossary_entry() {
    let mut first = String::from(
        "# Words\n\n## Kitchen\n\nFridge\n: A cold cupboard.\n: ar: ثلاجة\n\nЁЛКА\n: uk: ялинка\n\n",
    );
    for n in 0..300 {
        first.push_str(&format!("word{n}\n: Word number {n}.\n\n"));
    }
    let second = "# More words\n\n## Again\n\nfridge\n: Another definition.\n: ar: غير\n: fa: یخچال\n\nёлка\n: A tree.\n\nWORD7\n: Seven.\n";
    let source = course::CourseSource {
        slug: "words".to_string(),
        display_root: "words".to_string(),
        settings: Some(course::SourceFile::new(
            "course.toml",
            "title = \"Words\"\nsector = \"hospitality\"\nlevel = \"A1\"\nsummary = \"S\"\n",
        )),
        markdown: vec![
            course::SourceFile::new("01-words.md", first),
            course::SourceFile::new("02-more.md", second),
        ],
        media: Default::default(),
        problems: Vec::new(),
    };
    let compilation = course::compile(&source, &BTreeSet::new(), &CompileOptions::default());
    assert_eq!(compilation.errors(), 0, "{:#?}", compilation.diagnostics);
    let glossary = &compilation.course.expect("no errors").glossary;
    assert_eq!(glossary.len(), 302, "every word once");
    let fridge = &glossary[0];
    assert_eq!(fridge.term, "Fridge");
    assert_eq!(fridge.definitions, ["A cold cupboard."]);
    assert_eq!(
        fridge.translations["ar"], "ثلاجة",
        "the first translation counts"
    );
    assert_eq!(fridge.translations["fa"], "یخچال", "a missing one is added");
    assert_eq!(fridge.lesson.as_deref(), Some("kitchen"));
    let tree = &glossary[1];
    assert_eq!(tree.term, "ЁЛКА");
    assert_eq!(
        tree.definitions,
        ["A tree."],
        "it had no definition: it takes one"
    );
    assert_eq!(tree.translations["uk"], "ялинка");
    assert_eq!(glossary[9].term, "word7");
    assert_eq!(glossary[9].definitions, ["Word number 7."]);
}
