//! The GIFT importer on arbitrary text: never panics, and what it writes is
//! a module the compiler accepts without errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use presto::course::gift::import_gift;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let import = import_gift(text, "Fuzz");
    let problems = presto::cli::import_gift::compile_check(&import.markdown, None);
    assert!(
        !problems.iter().any(|d| d.is_error()),
        "imported module has errors: {problems:?}\n---\n{}",
        import.markdown
    );
});
