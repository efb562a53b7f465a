//! The facts in the shipped courses that a learner would lose marks for in a
//! real exam (the Level 2 food safety exam, the CITB HS&E test) if a course
//! taught them wrong. Each test compiles the courses as `presto check` does
//! and looks at what a learner reads and answers. The facts come from
//! `sector-notes.md`; see issue 23.

use std::collections::BTreeSet;
use std::path::Path;

use presto::course::{
    self, Answer, CompileOptions, CompiledCourse, Lesson, Question, QuestionKind, source,
};

/// Every shipped course, compiled; a course with errors fails here.
fn shipped() -> Vec<CompiledCourse> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses");
    let discovery = source::discover(&dir).unwrap();
    let sources: Vec<_> = discovery
        .courses
        .iter()
        .map(|(d, n)| source::load_course(d, n))
        .collect();
    course::compile_all(&sources, &discovery.known_slugs, &CompileOptions::default())
        .into_iter()
        .map(|c| {
            let slug = c.slug.clone();
            c.course
                .unwrap_or_else(|| panic!("{slug} compiles without errors"))
        })
        .collect()
}

fn shipped_course(slug: &str) -> CompiledCourse {
    shipped()
        .into_iter()
        .find(|c| c.slug == slug)
        .unwrap_or_else(|| panic!("{slug} is shipped"))
}

fn questions(course: &CompiledCourse) -> impl Iterator<Item = (&Lesson, &Question)> {
    course
        .lessons()
        .filter_map(|l| l.quiz.as_ref().map(|q| (l, q)))
        .flat_map(|(l, q)| q.questions.iter().map(move |question| (l, question)))
}

/// The options of a choice question, as (text, correct).
fn options(question: &Question) -> Vec<(&str, bool)> {
    match &question.answer {
        Answer::Choice { options } => options
            .iter()
            .map(|o| (o.text.text.as_str(), o.correct))
            .collect(),
        _ => Vec::new(),
    }
}

/// HTML as the sentences a learner reads: table cells, list items and
/// paragraphs end a sentence, tags go.
fn sentences(html: &str) -> Vec<String> {
    let mut text = html.to_string();
    for end in [
        "</td>", "</th>", "</tr>", "</p>", "</li>", "</dd>", "</dt>", "<br>",
    ] {
        text = text.replace(end, ". ");
    }
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
        .split(['.', '!', '?', '\n'])
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// "Bacteria grow fastest in the danger zone / between 5°C and 63°C": the
/// mistake issue 23 found. 5–63°C is where they can grow; fastest is 37°C.
fn says_fastest_in_danger_zone(sentence: &str) -> bool {
    let fastest = sentence.contains("fastest") || sentence.contains("most quickly");
    let range = ["danger zone", "5°c and 63°c", "5°c to 63°c", "5 and 63"]
        .iter()
        .any(|r| sentence.contains(r));
    fastest && range && !sentence.contains("37")
}

fn hospitality() -> Vec<CompiledCourse> {
    let courses: Vec<CompiledCourse> = shipped()
        .into_iter()
        .filter(|c| c.settings.sector.as_str() == "hospitality")
        .collect();
    let slugs: BTreeSet<&str> = courses.iter().map(|c| c.slug.as_str()).collect();
    assert!(
        slugs.contains("hospitality-kitchen-english")
            && slugs.contains("food-safety-exam-practice"),
        "both hospitality courses are shipped: {slugs:?}"
    );
    courses
}

#[test]
fn no_hospitality_lesson_says_bacteria_grow_fastest_in_the_danger_zone() {
    for course in hospitality() {
        for lesson in course.lessons() {
            for sentence in sentences(&lesson.html) {
                assert!(
                    !says_fastest_in_danger_zone(&sentence),
                    "{}/{}: {sentence:?}",
                    course.slug,
                    lesson.id
                );
            }
        }
        for term in &course.glossary {
            for definition in &term.definitions {
                for sentence in sentences(definition) {
                    assert!(
                        !says_fastest_in_danger_zone(&sentence),
                        "{} glossary, {}: {sentence:?}",
                        course.slug,
                        term.term
                    );
                }
            }
        }
    }
}

#[test]
fn no_hospitality_question_marks_fastest_between_5_and_63_as_right() {
    for course in hospitality() {
        for (lesson, question) in questions(&course) {
            let asked = question.text.text.to_lowercase();
            let where_fastest = asked.contains("fastest") || asked.contains("most quickly");
            for (option, correct) in options(question) {
                if !correct {
                    continue;
                }
                let option = option.to_lowercase();
                if question.kind() == QuestionKind::TrueFalse {
                    // A statement marked True is taught as a fact.
                    assert!(
                        !(option == "true" && says_fastest_in_danger_zone(&asked)),
                        "{}/{}: {:?} is marked True",
                        course.slug,
                        lesson.id,
                        question.text.text
                    );
                } else {
                    assert!(
                        !(where_fastest && option.contains("5°c") && option.contains("63°c")),
                        "{}/{}: {:?} marks {option:?} right",
                        course.slug,
                        lesson.id,
                        question.text.text
                    );
                }
            }
            for note in question.explanation.iter().chain(match &question.answer {
                Answer::Choice { options } => {
                    options.iter().filter_map(|o| o.feedback.as_ref()).collect()
                }
                _ => Vec::new(),
            }) {
                for sentence in sentences(&note.html) {
                    assert!(
                        !says_fastest_in_danger_zone(&sentence),
                        "{}/{}: feedback {sentence:?}",
                        course.slug,
                        lesson.id
                    );
                }
            }
        }
    }
}

#[test]
fn both_hospitality_courses_ask_where_bacteria_grow_fastest_and_answer_37() {
    for course in hospitality() {
        let asks = questions(&course).any(|(_, question)| {
            let asked = question.text.text.to_lowercase();
            let right: Vec<String> = options(question)
                .into_iter()
                .filter(|(_, correct)| *correct)
                .map(|(text, _)| text.to_lowercase())
                .collect();
            (asked.contains("fastest") || asked.contains("most quickly"))
                && question.kind() == QuestionKind::Single
                && right
                    .iter()
                    .all(|r| r.contains("37°c") && !r.contains("63"))
        });
        assert!(
            asks,
            "{}: a question asks where bacteria grow fastest, answer 37°C",
            course.slug
        );
    }
}

#[test]
fn the_hospitality_courses_teach_food_safety_management_in_the_exams_words() {
    let kitchen = shipped_course("hospitality-kitchen-english");
    let text: String = kitchen.lessons().map(|l| l.html.as_str()).collect();
    for topic in [
        "HACCP",
        "Safer Food, Better Business",
        "due diligence",
        "improvement notice",
        "prohibition notice",
        "spores",
        "toxins",
    ] {
        assert!(text.contains(topic), "the kitchen course teaches {topic}");
    }
    let quiz = kitchen
        .lesson("food-safety-management-quiz")
        .and_then(|l| l.quiz.as_ref())
        .expect("a quiz on food safety management");
    assert!(
        quiz.questions.len() >= 8,
        "{} questions",
        quiz.questions.len()
    );

    for slug in ["hospitality-kitchen-english", "food-safety-exam-practice"] {
        let course = shipped_course(slug);
        for word in ["multiply", "perishable", "infestation", "at-risk groups"] {
            let term = course
                .glossary
                .iter()
                .find(|t| t.term == word)
                .unwrap_or_else(|| panic!("{slug}: {word} is in the vocabulary"));
            for language in &course.settings.languages {
                assert!(
                    term.translations.keys().any(|k| k.as_str() == language),
                    "{slug}: {word} is translated into {language}"
                );
            }
        }
        assert!(
            questions(&course).any(|(_, q)| q.text.text.contains("HACCP")),
            "{slug}: a question on HACCP"
        );
    }
}

#[test]
fn the_cscs_practice_course_passes_at_the_real_tests_90_percent() {
    let practice = shipped_course("cscs-test-practice");
    assert_eq!(practice.settings.pass_mark, 90);
    for lesson in practice.lessons() {
        if let Some(quiz) = &lesson.quiz {
            assert_eq!(quiz.pass_mark, 90, "{}", lesson.id);
        }
    }
    for slug in ["construction-cscs", "cscs-test-practice"] {
        let course = shipped_course(slug);
        assert!(
            course
                .lessons()
                .any(|l| l.html.contains("45 correct answers out of 50")),
            "{slug} tells learners the pass mark, 45 of 50"
        );
    }
}

#[test]
fn construction_teaches_electricity_tools_power_lines_and_notices_with_a_quiz() {
    let construction = shipped_course("construction-cscs");
    let module = construction
        .modules
        .iter()
        .find(|m| m.lessons.iter().any(|l| l.html.contains("110 V")))
        .expect("a module on electricity on site");
    let text: String = module.lessons.iter().map(|l| l.html.as_str()).collect();
    for topic in [
        "yellow",
        "RCD",
        "Battery tools",
        "guard",
        "Overhead power lines",
        "Improvement notice",
        "Prohibition notice",
    ] {
        assert!(text.contains(topic), "{}: {topic}", module.file);
    }
    let count: usize = module
        .lessons
        .iter()
        .filter_map(|l| l.quiz.as_ref())
        .map(|q| q.questions.len())
        .sum();
    assert!(
        (8..=10).contains(&count),
        "{}: 8 to 10 questions, found {count}",
        module.file
    );
    // The test-preparation module stays the last one.
    let last = construction.modules.last().unwrap();
    assert!(last.title.contains("HS&E test"), "{}", last.title);
}

#[test]
fn childcare_tells_the_safeguarding_lead_straight_away_not_the_same_day() {
    let childcare = shipped_course("childcare-nurseries");
    let module = childcare
        .modules
        .iter()
        .find(|m| m.file.starts_with("02-"))
        .expect("the safeguarding module");
    let mut said = Vec::new();
    for lesson in &module.lessons {
        said.extend(sentences(&lesson.html));
        if let Some(quiz) = &lesson.quiz {
            for question in &quiz.questions {
                said.extend(sentences(&question.text.html));
                if let Some(e) = &question.explanation {
                    said.extend(sentences(&e.html));
                }
                if let Answer::Choice { options } = &question.answer {
                    for o in options {
                        said.extend(sentences(&o.text.html));
                        if let Some(f) = &o.feedback {
                            said.extend(sentences(&f.html));
                        }
                    }
                }
            }
        }
    }
    // Parents hear about an accident the same day; the DSL hears at once.
    let safeguarding = |s: &str| {
        s.contains("dsl")
            || s.contains("safeguarding lead")
            || s.contains("someone")
            || s.contains("wait")
    };
    for sentence in &said {
        assert!(
            !(sentence.contains("same day") && safeguarding(sentence)),
            "{sentence:?}"
        );
    }
    assert!(
        said.iter()
            .any(|s| s.contains("dsl") && s.contains("straight away")),
        "the lesson says: tell the DSL straight away"
    );

    // The order agrees with the model dialogue: the practitioner first says
    // they must tell someone, then that the child did the right thing.
    let order = module
        .lessons
        .iter()
        .filter_map(|l| l.quiz.as_ref())
        .flat_map(|q| &q.questions)
        .find_map(|q| match &q.answer {
            Answer::Order { items } if q.text.text.contains("tells you something") => {
                Some(items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .expect("the disclosure ordering question");
    let at = |words: &str| {
        order
            .iter()
            .position(|i| i.contains(words))
            .unwrap_or_else(|| panic!("{words:?} in {order:?}"))
    };
    assert!(at("tell someone who can help") < at("did the right thing"));
    assert_eq!(order.last().copied(), Some("Tell the DSL straight away."));
    let dialogue = module
        .lessons
        .iter()
        .find(|l| l.html.contains("I can't keep it a secret"))
        .expect("the model dialogue");
    let html = &dialogue.html;
    let help = html
        .find("I need to tell someone who can help you")
        .unwrap();
    let right = html.find("You did the right thing").unwrap();
    assert!(help < right, "the dialogue and the question agree");
}
