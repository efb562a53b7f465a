use std::process::ExitCode;

fn main() -> ExitCode {
    presto::cli::run()
}
