//! `presto import-gift` as a tutor runs it: a real GIFT bank in, a module
//! out, what could not be carried over named with its line, and a tutor's
//! own file never overwritten by accident.

use std::path::Path;
use std::process::{Command, Output};

fn presto(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_presto"))
        .args(args)
        .output()
        .expect("presto runs")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gift")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_moodle_bank_becomes_a_module_and_unsupported_questions_are_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("05-question-bank.md");
    let bank = fixture("moodle_examples.gift");
    let run = presto(&["import-gift", &bank, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let module = std::fs::read_to_string(&out).unwrap();
    assert!(module.starts_with("# moodle examples\n"), "{module}");
    assert!(module.contains("## Quiz:"));
    assert!(module.contains("- [x] "));
    // Numerical questions come in as number questions; a part-credit
    // answer that cannot is a warning with its place.
    assert!(module.contains("\n= 1822 ± 1\n"), "{module}");
    assert!(stderr.contains("warning[gift-import]"), "{stderr}");
    assert!(
        stderr.contains(&format!("{bank}:78:5")),
        "the warning names the file and line: {stderr}"
    );
    assert!(
        stderr.contains("The answer \"1822:2\" earns 50% credit"),
        "{stderr}"
    );
    assert!(stderr.contains("Imported 43 questions"), "{stderr}");
}

#[test]
fn an_existing_file_is_only_replaced_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("05-bank.md");
    std::fs::write(&out, "# My own edits\n").unwrap();
    let bank = fixture("moodle_docs.gift");
    let refused = presto(&["import-gift", &bank, "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "# My own edits\n",
        "nothing lost"
    );

    let forced = presto(&[
        "import-gift",
        &bank,
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(
        forced.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("## Quiz:"));
}

#[test]
fn without_out_the_module_is_printed() {
    let run = presto(&["import-gift", &fixture("moodle_docs.gift")]);
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("# moodle docs\n"));
}

#[test]
fn bad_files_get_a_clear_message() {
    let missing = presto(&["import-gift", "/nonexistent/bank.gift"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/bank.gift")
    );

    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("bank.gift");
    std::fs::write(&latin1, b"Caf\xe9 {=yes ~no}\n").unwrap();
    let run = presto(&["import-gift", latin1.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is not UTF-8"));
}
