//! The course compiler on arbitrary bytes: the first line (up to a NUL) is
//! course.toml, the rest one module. Must never panic, and must only publish
//! a course with no errors.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use libfuzzer_sys::fuzz_target;
use presto::course::{self, CompileOptions, CourseSource, MediaFile, SourceFile};

fuzz_target!(|data: &[u8]| {
    let (settings, module) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (
            &b"title = \"T\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"S\"\nlanguages = [\"ar\"]\n"[..],
            data,
        ),
    };
    let mut media = BTreeMap::new();
    media.insert("media/a.svg".to_string(), MediaFile::from_bytes("media/a.svg", b"<svg/>"));
    let source = CourseSource {
        slug: "fuzz".to_string(),
        display_root: "fuzz".to_string(),
        settings: Some(SourceFile::new("course.toml", settings)),
        markdown: vec![SourceFile::new("01-module.md", module)],
        media,
        problems: Vec::new(),
    };
    let compilation = course::compile(&source, &BTreeSet::new(), &CompileOptions::default());
    assert_eq!(compilation.course.is_some(), compilation.errors() == 0);
    // Drawing the diagnostics must not panic either.
    let _ = course::report::human_string(&compilation.diagnostics, &|name| source.text_of(name));
});
