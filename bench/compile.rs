//! Compile throughput on a large generated course, against pulldown-cmark
//! parsing and rendering the same markdown in the same run.
//!
//!     cargo bench --bench compile
//!     PAIRED_ONLY=1 cargo bench --bench compile     # the paired timing alone
//!
//! The target (issue 2) is a ratio: compile at least 0.5 of raw
//! pulldown-cmark's MB/s. Both are measured in one run on the same bytes, so
//! the ratio holds on a noisy shared machine where absolute numbers do not.
//!
//! Two corpora: a large generated course (every element, dense with quizzes
//! and vocabulary), and the shipped sector courses copied four times into
//! one course (real writing: long dialogues, fewer questions per KB).
//!
//! After criterion, the same comparison is timed in turns (raw, compile,
//! raw, compile, ...; `PAIRED_ROUNDS`, default 200) and the ratio of each
//! pair reported: a change in the machine's load then falls on both sides.

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput};
use presto::course::{self, CompileOptions, CourseSource, MediaFile, SourceFile, markdown};

const MODULES: usize = 12;
const LESSONS_PER_MODULE: usize = 40;

/// A course shaped like the real ones (dialogues, vocabulary with
/// translations, callouts, images, every question kind), only much bigger.
fn generated_course() -> CourseSource {
    let mut markdown = Vec::new();
    for m in 0..MODULES {
        let mut text = format!(
            "+++\nsummary = \"Module {m}.\"\n+++\n\n# Module {m}\n\nIntroduction to module {m}.\n\n"
        );
        for l in 0..LESSONS_PER_MODULE {
            text.push_str(&format!(
                "## Lesson {m}-{l}\n\n\
                 **Supervisor:** Good morning. Can you check the fridge temperature, please?\n\n\
                 **Worker:** Yes, of course. It is *4°C*. Is that OK?\n\n\
                 **Supervisor:** Yes, that is fine. Write it on the **chart**, please.\n\n\
                 ![A fridge thermometer showing 4 degrees](media/thermometer.svg)\n\n\
                 > [!WARNING]\n> Cold food must be kept at 8°C or below by law.\n\n\
                 ### Useful phrases\n\n- Can you show me, please?\n- Where do I put this?\n- I have finished. What next?\n\n\
                 | Word | Meaning |\n| --- | --- |\n| chart | a paper to write numbers on |\n| probe | a thermometer you put in food |\n\n\
                 word{m}x{l}a\n: A word used in the kitchen every day.\n: ar: كلمة\n: fa: کلمه\n: uk: слово\n\n\
                 word{m}x{l}b\n: Another useful word at work.\n: ar: كلمة أخرى\n: fa: کلمه دیگر\n: uk: інше слово\n\n\
                 Listen to the dialogue: [dialogue](media/dialogue.mp3)\n\n"
            ));
        }
        text.push_str(&format!("## Quiz: Module {m} {{#quiz-{m} pass=70}}\n\n"));
        for q in 0..20 {
            text.push_str(&format!(
                "### What temperature is safe, question {q}?\n\n> Hint: Look at the warning.\n\n\
                 - [ ] 15°C\n  > No, that is too warm.\n- [x] 5°C\n- [ ] 25°C\n  > No, that is room temperature.\n\n\
                 > Fridges should be at 8°C or below.\n\n\
                 ### Fill in the gaps {q}.\n\nThe fridge is [[cold]] and the oven is [[hot|very hot]].\n\n\
                 ### Match the words {q}.\n\n- fridge = cold\n- oven = hot\n- sink = water\n\n\
                 ### Put the steps in order {q}.\n\n1. Wet your hands\n2. Use soap\n3. Rinse\n4. Dry\n\n"
            ));
        }
        markdown.push(SourceFile::new(format!("{:02}-module.md", m + 1), text));
    }
    let mut media = BTreeMap::new();
    media.insert(
        "media/thermometer.svg".to_string(),
        MediaFile::from_bytes("media/thermometer.svg", b"<svg/>"),
    );
    media.insert(
        "media/dialogue.mp3".to_string(),
        MediaFile::from_bytes("media/dialogue.mp3", b"ID3"),
    );
    CourseSource {
        slug: "bench".to_string(),
        display_root: "bench".to_string(),
        settings: Some(SourceFile::new(
            "course.toml",
            "title = \"Bench\"\nsector = \"hospitality\"\nlevel = \"A2\"\nsummary = \"S\"\nlanguages = [\"ar\", \"fa\", \"uk\"]\n",
        )),
        markdown,
        media,
        problems: Vec::new(),
    }
}

/// The shipped courses, four times over, as one large course. Ids get a
/// prefix per copy so they stay unique.
fn shipped_courses_x4() -> CourseSource {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("courses");
    let discovery = presto::course::source::discover(&root).expect("the courses folder");
    let courses: Vec<CourseSource> = discovery
        .courses
        .iter()
        .map(|(dir, name)| presto::course::source::load_course(dir, name))
        .collect();
    let mut combined = generated_course();
    combined.markdown.clear();
    for copy in 0..4 {
        for course in &courses {
            for file in &course.markdown {
                let number = combined.markdown.len() + 1;
                let text = String::from_utf8_lossy(&file.bytes);
                let text = text.replace("{#", &format!("{{#c{number}-"));
                // Headings without an id get one, so copies do not collide.
                let text: String = text
                    .lines()
                    .enumerate()
                    .map(|(n, line)| {
                        if line.starts_with("## ") && !line.contains("{#") {
                            format!("{line} {{#c{number}-line-{n}}}\n")
                        } else {
                            format!("{line}\n")
                        }
                    })
                    .collect();
                let name = format!("{number:03}-{}-copy-{copy}", course.slug);
                combined
                    .markdown
                    .push(SourceFile::new(format!("{name}.md"), text));
            }
            for (path, media) in &course.media {
                combined.media.insert(path.clone(), media.clone());
            }
        }
    }
    combined
}

/// The corpus as text, for raw pulldown-cmark.
fn texts_of(source: &CourseSource) -> Vec<&str> {
    source
        .markdown
        .iter()
        .map(|f| std::str::from_utf8(&f.bytes).expect("course text is UTF-8"))
        .collect()
}

// Kept a function of its own, so a profiler can time it alone
// (`valgrind --tool=callgrind --toggle-collect=compile::raw_pulldown`).
#[inline(never)]
fn raw_pulldown(texts: &[&str]) -> usize {
    let mut total = 0;
    for text in texts {
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(text, markdown::parser_options()),
        );
        total += html.len();
    }
    total
}

fn bench_corpus(c: &mut Criterion, name: &str, source: &CourseSource) {
    let bytes: usize = source.markdown.iter().map(|f| f.bytes.len()).sum();
    let texts = texts_of(source);
    let known = BTreeSet::new();
    let options = CompileOptions::default();
    let check = course::compile(source, &known, &options);
    assert!(
        check.diagnostics.is_empty(),
        "the {name} corpus must compile clean: {:?}",
        check.diagnostics.first()
    );

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("pulldown_cmark_parse_and_render", |b| {
        b.iter(|| black_box(raw_pulldown(black_box(&texts))))
    });
    group.bench_function("presto_compile_course", |b| {
        // Freeing the result is left out of the timing: a compiled course
        // lives until the next publish. Each one is freed before the next
        // compile starts, as when the server publishes a new version of a
        // course. (`iter_with_large_drop` kept up to a few dozen compiled
        // courses alive at once, so each compile wrote into memory that no
        // compile had used before, which no server does; see BENCHMARKS.md.)
        b.iter_batched(
            || (),
            |()| course::compile(black_box(source), &known, &options),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// The same comparison without criterion's statistics: raw pulldown-cmark
/// and the compiler take turns, one pass of the corpus each, so a change in
/// the machine's load falls on both alike. Criterion measures one for
/// seconds and then the other, and on a shared machine the load can change
/// in between; the ratio of these paired timings is the figure to trust.
fn paired(name: &str, source: &CourseSource, rounds: usize) {
    let texts = texts_of(source);
    let known = BTreeSet::new();
    let options = CompileOptions::default();
    let mut raw = Vec::with_capacity(rounds);
    let mut compiled = Vec::with_capacity(rounds);
    for round in 0..rounds {
        // Who goes first swaps each round, so neither side always runs
        // just after the other has filled the caches or freed memory.
        let time_raw = |raw: &mut Vec<Duration>| {
            let start = Instant::now();
            black_box(raw_pulldown(black_box(&texts)));
            raw.push(start.elapsed());
        };
        if round % 2 == 0 {
            time_raw(&mut raw);
        }
        let start = Instant::now();
        let compilation = course::compile(black_box(source), &known, &options);
        compiled.push(start.elapsed());
        // As after a publish: the new course is kept, the old one freed,
        // outside the timing (as in the criterion benchmark).
        drop(black_box(compilation));
        if round % 2 == 1 {
            time_raw(&mut raw);
        }
    }
    let ratios: Vec<f64> = raw
        .iter()
        .zip(&compiled)
        .map(|(r, c)| r.as_secs_f64() / c.as_secs_f64())
        .collect();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "paired {name}: {rounds} rounds; fastest raw {:.2} ms, fastest compile {:.2} ms, ratio of fastest {:.3}; median ratio {:.3} (quartiles {:.3}-{:.3})",
        ms(*raw.iter().min().expect("rounds")),
        ms(*compiled.iter().min().expect("rounds")),
        raw.iter().min().expect("rounds").as_secs_f64()
            / compiled.iter().min().expect("rounds").as_secs_f64(),
        quantile(&ratios, 0.5),
        quantile(&ratios, 0.25),
        quantile(&ratios, 0.75),
    );
}

fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let generated = generated_course();
    let shipped = shipped_courses_x4();
    // `PAIRED_ONLY=1` skips criterion, for a quick look while working;
    // `PAIRED_ONLY=generated` (or `shipped`) also skips the other corpus.
    let only = std::env::var("PAIRED_ONLY").ok();
    if only.is_none() {
        let mut c = Criterion::default().configure_from_args();
        bench_corpus(&mut c, "generated", &generated);
        bench_corpus(&mut c, "shipped_courses_x4", &shipped);
        c.final_summary();
    }
    let rounds = std::env::var("PAIRED_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
        .max(1);
    for (name, source) in [("generated", &generated), ("shipped_courses_x4", &shipped)] {
        if only
            .as_deref()
            .is_none_or(|only| only == "1" || name.starts_with(only))
        {
            paired(name, source, rounds);
        }
    }
}
