//! The `presto` command line: one subcommand per job.
//!
//! Exit status: 0 when all went well (warnings allowed), 1 when the input has
//! errors, 2 for a usage error (a wrong flag, a path that does not exist).

mod backup;
mod certificate_key;
mod check;
pub mod import_gift;
mod seed;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "presto",
    version,
    about = "English and Skills courses for people starting work in a new country"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check courses for mistakes before publishing them.
    Check {
        /// A folder of courses, or one course folder.
        #[arg(default_value = "courses")]
        path: PathBuf,
        /// `human` shows each problem with its source line; `json` prints
        /// one JSON object per problem (JSON Lines).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Turn a Moodle GIFT question bank into a quiz module.
    ImportGift {
        /// The GIFT file (.gift or .txt) exported from Moodle.
        file: PathBuf,
        /// Where to write the module, e.g. courses/my-course/05-question-bank.md.
        /// Without it the module is printed.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Run the platform: publish the courses and serve them.
    Serve {
        /// Address and port to listen on (env PRESTO_ADDR; default 127.0.0.1:8080).
        #[arg(long)]
        addr: Option<std::net::SocketAddr>,
        /// The folder of courses to publish (env PRESTO_COURSES; default ./courses).
        #[arg(long)]
        courses: Option<PathBuf>,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Back up the database, the keys and the courses into one file, while
    /// the server runs (SQLite; on PostgreSQL use pg_dump and --keys-only).
    Backup {
        /// The file to write, e.g. presto-2026-12-07.tar; it must not exist.
        #[arg(long)]
        out: PathBuf,
        /// The courses folder to include (env PRESTO_COURSES; default ./courses).
        #[arg(long)]
        courses: Option<PathBuf>,
        /// Leave the courses folder out (when it is kept elsewhere, e.g. in git).
        #[arg(long)]
        no_courses: bool,
        /// Leave the database out: only the keys, the outbox and the courses
        /// (for PostgreSQL, whose database pg_dump backs up).
        #[arg(long)]
        keys_only: bool,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Put a backup in place. Refuses while a server uses the data folder,
    /// and refuses to replace anything unless --force.
    Restore {
        /// The backup file made by `presto backup` or an automatic backup.
        file: PathBuf,
        /// Replace what is there: it is moved aside (never deleted), to
        /// {data}/before-restore-<time>/ and {courses}.before-restore-<time>.
        #[arg(long)]
        force: bool,
        /// The courses folder to restore into (env PRESTO_COURSES; default ./courses).
        #[arg(long)]
        courses: Option<PathBuf>,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the key that signs certificates.
    #[command(subcommand)]
    CertificateKey(CertificateKeyCommand),
    /// Fill a database with invented learners, classes and progress, for
    /// benchmarks. Never on a live site.
    Seed {
        #[arg(long, default_value_t = 100_000)]
        learners: u64,
        #[arg(long, default_value_t = 4_000)]
        classes: u64,
        /// About this many lesson progress rows in all.
        #[arg(long, default_value_t = 5_000_000)]
        progress_rows: u64,
        /// Password of `seed-coordinator` and `seed-admin`.
        #[arg(
            long,
            env = "PRESTO_SEED_STAFF_PASSWORD",
            default_value = "seed-staff-password"
        )]
        staff_password: String,
        /// Password of every seeded learner.
        #[arg(
            long,
            env = "PRESTO_SEED_LEARNER_PASSWORD",
            default_value = "seed-learner-password"
        )]
        learner_password: String,
        /// The folder of courses to publish and enrol in (default ./courses).
        #[arg(long)]
        courses: Option<PathBuf>,
        #[command(flatten)]
        server: ServerArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum CertificateKeyCommand {
    /// Make a new signing key; older certificates still verify.
    Rotate {
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// Where the server's settings come from; each flag overrides
/// `presto.toml` and the `PRESTO_*` environment variables.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// The settings file.
    #[arg(long, default_value = crate::config::DEFAULT_CONFIG_FILE)]
    pub config: PathBuf,
    /// `sqlite://...` or `postgres://...` (env PRESTO_DATABASE_URL).
    #[arg(long)]
    pub database_url: Option<String>,
    /// The data folder: SQLite database, keys, mail outbox (env PRESTO_DATA).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is read from standard input.
    Add {
        username: String,
        /// learner, tutor, coordinator or admin.
        #[arg(long)]
        role: String,
        /// The person's full name, in any script.
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The interface language: en, ar, fa or uk.
        #[arg(long, default_value = "en")]
        language: String,
        #[command(flatten)]
        server: ServerArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Exit status for input with errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit status for a usage error; clap uses it too.
pub const EXIT_USAGE: u8 = 2;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { path, format } => check::run(&path, format),
        Command::ImportGift { file, out, force } => import_gift::run(&file, out.as_deref(), force),
        Command::Serve {
            addr,
            courses,
            server,
        } => serve::run(addr, courses, server),
        Command::Backup {
            out,
            courses,
            no_courses,
            keys_only,
            server,
        } => backup::run_backup(
            &out,
            courses,
            backup::Leave {
                courses: no_courses,
                database: keys_only,
            },
            server,
        ),
        Command::Restore {
            file,
            force,
            courses,
            server,
        } => backup::run_restore(&file, courses, force, server),
        Command::User(UserCommand::Add {
            username,
            role,
            name,
            email,
            password_stdin: _,
            language,
            server,
        }) => user::add(&username, &role, &name, email.as_deref(), &language, server),
        Command::CertificateKey(CertificateKeyCommand::Rotate { server }) => {
            certificate_key::rotate(server)
        }
        Command::Seed {
            learners,
            classes,
            progress_rows,
            staff_password,
            learner_password,
            courses,
            server,
        } => seed::run(
            seed::SeedPlan {
                learners,
                classes,
                progress_rows,
                staff_password,
                learner_password,
            },
            courses,
            server,
        ),
    }
}
