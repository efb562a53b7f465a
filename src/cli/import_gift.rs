//! `presto import-gift FILE --out FILE.md`: placeholder until the importer lands.
use std::path::Path;
use std::process::ExitCode;

pub fn run(_file: &Path, _out: Option<&Path>, _force: bool) -> ExitCode {
    ExitCode::from(super::EXIT_USAGE)
}
