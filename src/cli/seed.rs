//! `presto seed`: fills a database with a realistic load for benchmarks:
//! learners in classes, enrolled in the shipped courses, with progress
//! through their lessons, completions and certificates, spread over the
//! last year. Rows go in as multi-row INSERTs inside transactions (the only
//! way to write millions of rows in minutes); ids are given explicitly so
//! no row has to be read back.
//!
//! Not for a live site: every seeded learner shares one password, and the
//! data is invented. Quiz attempts, live sessions and attendance are not
//! seeded.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};

use super::{EXIT_USAGE, ServerArgs};
use crate::catalog::{Catalog, publish_folder};
use crate::config::{Overrides, Settings};
use crate::course::LessonKind;
use crate::domain::certificate_id::CertificateId;
use crate::domain::join_code::JoinCode;
use crate::passwords::hash_password;
use crate::store::Store;

/// What to make.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    pub learners: u64,
    pub classes: u64,
    pub progress_rows: u64,
    /// Password of the `seed-coordinator` and `seed-admin` accounts.
    pub staff_password: String,
    /// Password of every seeded learner (`seed-l000001`, ...).
    pub learner_password: String,
}

/// Rows per INSERT statement: under SQLite's and PostgreSQL's limits on
/// statement size, large enough that the statement overhead disappears.
const ROWS_PER_INSERT: usize = 500;
/// Statements per transaction.
const INSERTS_PER_TRANSACTION: usize = 40;

pub fn run(plan: SeedPlan, courses: Option<PathBuf>, server: ServerArgs) -> ExitCode {
    super::serve::init_tracing();
    if plan.learners == 0 || plan.classes == 0 || plan.classes > plan.learners {
        eprintln!(
            "presto seed: give at least one learner and one class, and no more classes than learners."
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let overrides = Overrides {
        courses,
        database_url: server.database_url,
        data: server.data,
        ..Overrides::default()
    };
    let settings = match Settings::load(&server.config, &overrides) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("presto seed: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let result = tokio::runtime::Runtime::new()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(seed(&settings, &plan)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("presto seed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A course as the seed needs it.
struct SeedCourse {
    slug: String,
    sector: String,
    title: String,
    certificate_title: String,
    level: String,
    hours: Option<f64>,
    lessons: Vec<(String, LessonKind)>,
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn ts(at: DateTime<Utc>) -> String {
    // The same text sqlx writes for SQLite, so stored values compare alike;
    // PostgreSQL reads it as a timestamptz.
    quote(&at.to_rfc3339_opts(SecondsFormat::AutoSi, false))
}

fn opt_ts(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "NULL".to_string(), ts)
}

/// Buffers rows of one table and writes them in multi-row INSERTs.
struct Inserter<'a> {
    store: &'a Store,
    head: String,
    rows: Vec<String>,
    statements: Vec<String>,
    written: u64,
}

impl<'a> Inserter<'a> {
    fn new(store: &'a Store, table: &str, columns: &str) -> Inserter<'a> {
        Inserter {
            store,
            head: format!("INSERT INTO {table} ({columns}) VALUES "),
            rows: Vec::with_capacity(ROWS_PER_INSERT),
            statements: Vec::new(),
            written: 0,
        }
    }

    async fn push(&mut self, row: String) -> anyhow::Result<()> {
        self.rows.push(row);
        if self.rows.len() >= ROWS_PER_INSERT {
            self.close_statement();
            if self.statements.len() >= INSERTS_PER_TRANSACTION {
                self.write().await?;
            }
        }
        Ok(())
    }

    fn close_statement(&mut self) {
        if self.rows.is_empty() {
            return;
        }
        let mut sql = String::with_capacity(self.head.len() + self.rows.len() * 120);
        sql.push_str(&self.head);
        sql.push_str(&self.rows.join(","));
        self.written += self.rows.len() as u64;
        self.rows.clear();
        self.statements.push(sql);
    }

    async fn write(&mut self) -> anyhow::Result<()> {
        let txn = self.store.db().begin().await?;
        for sql in self.statements.drain(..) {
            txn.execute_unprepared(&sql).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    async fn finish(mut self) -> anyhow::Result<u64> {
        self.close_statement();
        self.write().await?;
        Ok(self.written)
    }
}

async fn next_id(store: &Store, table: &str) -> anyhow::Result<i64> {
    let row = store
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            store.backend(),
            format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}"),
        ))
        .await?;
    let max: i64 = match row {
        Some(row) => row
            .try_get::<i64>("", "m")
            .or_else(|_| row.try_get::<i32>("", "m").map(i64::from))?,
        None => 0,
    };
    Ok(max + 1)
}

const GIVEN: &[&str] = &[
    "Amina",
    "Bilal",
    "Chen",
    "Dara",
    "Olena",
    "Mohammed",
    "Fatima",
    "Yusuf",
    "Hana",
    "Omid",
    "Tigist",
    "Samir",
    "Layla",
    "Petro",
    "Nadia",
    "Ahmad",
    "أمينة",
    "محمد",
    "فاطمة",
    "زهرا",
    "Оксана",
    "Андрій",
    "ትግስት",
    "Zainab",
];
const FAMILY: &[&str] = &[
    "Yusuf",
    "Karimi",
    "Haidari",
    "Kovalenko",
    "Ahmadi",
    "Hassan",
    "Ali",
    "Rahimi",
    "Shevchenko",
    "Tesfaye",
    "Osman",
    "Noori",
    "Bondarenko",
    "Abdi",
    "خان",
    "حسين",
    "Мельник",
    "ሃይሌ",
];

async fn seed(settings: &Settings, plan: &SeedPlan) -> anyhow::Result<()> {
    let started = Instant::now();
    std::fs::create_dir_all(&settings.data)?;
    let store = Store::connect(&settings.database_url()).await?;
    let backend = store.backend();
    let report = publish_folder(&store, Path::new(&settings.courses)).await?;
    for (slug, problems) in &report.rejected {
        eprintln!("not published: {slug}\n{problems}");
    }
    let catalog = Catalog::default();
    catalog.reload(&store).await?;
    let courses: Vec<SeedCourse> = catalog
        .snapshot()
        .values()
        .map(|p| {
            let s = &p.course.settings;
            SeedCourse {
                slug: p.course.slug.clone(),
                sector: s.sector.as_str().to_string(),
                title: s.title.clone(),
                certificate_title: if s.certificate.title.trim().is_empty() {
                    s.title.clone()
                } else {
                    s.certificate.title.clone()
                },
                level: s.level.as_str().to_string(),
                hours: s.hours,
                lessons: p.course.lessons().map(|l| (l.id.clone(), l.kind)).collect(),
            }
        })
        .filter(|c| !c.lessons.is_empty())
        .collect();
    anyhow::ensure!(
        !courses.is_empty(),
        "no published course in {}",
        settings.courses.display()
    );
    let taken = store
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM users WHERE username LIKE 'seed-%'".to_string(),
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n").unwrap_or(0))
        .unwrap_or(0);
    anyhow::ensure!(
        taken == 0,
        "this database is already seeded (it has seed-… accounts)"
    );
    eprintln!(
        "seeding {} learners in {} classes with about {} progress rows, courses: {}",
        plan.learners,
        plan.classes,
        plan.progress_rows,
        courses
            .iter()
            .map(|c| c.slug.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut rng = StdRng::seed_from_u64(5);
    let now = crate::store::now();
    let hash = |password: &str| {
        hash_password(password).map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
    };
    let staff_hash = hash(&plan.staff_password)?;
    let learner_hash = hash(&plan.learner_password)?;

    // People: staff, tutors (one per ten classes), learners.
    let phase = Instant::now();
    let first_user = next_id(&store, "users").await?;
    let tutors = plan.classes.div_ceil(10);
    let mut users = Inserter::new(
        &store,
        "users",
        "id, username, full_name, email, role, password_hash, language, created_at",
    );
    let mut id = first_user;
    for (name, role) in [("seed-coordinator", "coordinator"), ("seed-admin", "admin")] {
        users
            .push(format!(
                "({id}, {}, {}, NULL, '{role}', {}, 'en', {})",
                quote(name),
                quote(&format!("Seed {role}")),
                quote(&staff_hash),
                ts(now)
            ))
            .await?;
        id += 1;
    }
    let first_tutor = id;
    for t in 0..tutors {
        users
            .push(format!(
                "({id}, {}, {}, NULL, 'tutor', {}, 'en', {})",
                quote(&format!("seed-t{:05}", t + 1)),
                quote(&format!("Tutor {}", t + 1)),
                quote(&staff_hash),
                ts(now)
            ))
            .await?;
        id += 1;
    }
    let first_learner = id;
    let languages = ["en", "ar", "fa", "uk"];
    for n in 0..plan.learners {
        let name = format!(
            "{} {}",
            GIVEN[rng.random_range(0..GIVEN.len())],
            FAMILY[rng.random_range(0..FAMILY.len())]
        );
        let created = now - Duration::days(rng.random_range(0..400));
        users
            .push(format!(
                "({id}, {}, {}, NULL, 'learner', {}, '{}', {})",
                quote(&format!("seed-l{:06}", n + 1)),
                quote(&name),
                quote(&learner_hash),
                languages[(n % 4) as usize],
                ts(created)
            ))
            .await?;
        id += 1;
    }
    let written = users.finish().await?;
    eprintln!("  users: {written} in {:.1?}", phase.elapsed());

    // Classes: a sector each, its main course and any course that follows
    // it on the pathway.
    let phase = Instant::now();
    let mut sectors: Vec<&str> = courses.iter().map(|c| c.sector.as_str()).collect();
    sectors.sort();
    sectors.dedup();
    let first_class = next_id(&store, "classes").await?;
    let mut class_courses_of: Vec<Vec<usize>> = Vec::new();
    let mut classes = Inserter::new(
        &store,
        "classes",
        "id, name, sector, tutor_id, join_code, created_at",
    );
    let mut class_courses =
        Inserter::new(&store, "class_courses", "class_id, course_slug, position");
    let mut codes = HashSet::new();
    // Certificate numbers are random; at this many, two could meet.
    let mut numbers: HashSet<String> = HashSet::new();
    for c in 0..plan.classes {
        let sector = sectors[(c as usize) % sectors.len()];
        let mut in_sector: Vec<usize> = (0..courses.len())
            .filter(|&i| courses[i].sector == sector)
            .collect();
        in_sector.sort_by_key(|&i| std::cmp::Reverse(courses[i].lessons.len()));
        let code = loop {
            let code = JoinCode::generate().as_str().to_string();
            if codes.insert(code.clone()) {
                break code;
            }
        };
        let class_id = first_class + c as i64;
        classes
            .push(format!(
                "({class_id}, {}, {}, {}, {}, {})",
                quote(&format!("{} group {}", sector, c + 1)),
                quote(sector),
                first_tutor + (c % tutors) as i64,
                quote(&code),
                ts(now - Duration::days(rng.random_range(0..365)))
            ))
            .await?;
        for (position, &course) in in_sector.iter().enumerate() {
            class_courses
                .push(format!(
                    "({class_id}, {}, {position})",
                    quote(&courses[course].slug)
                ))
                .await?;
        }
        class_courses_of.push(in_sector);
    }
    let written = classes.finish().await? + class_courses.finish().await?;
    eprintln!(
        "  classes and their courses: {written} rows in {:.1?}",
        phase.elapsed()
    );

    // Members, enrolments, progress and certificates, learner by learner.
    let phase = Instant::now();
    let mut members = Inserter::new(&store, "class_members", "class_id, user_id, joined_at");
    let mut enrolments = Inserter::new(
        &store,
        "enrolments",
        "id, user_id, course_slug, enrolled_at, last_lesson_id, last_active_at, completed_at",
    );
    let mut progress = Inserter::new(
        &store,
        "lesson_progress",
        "id, user_id, course_slug, lesson_id, kind, completed_at, best_score, passed, attempts, updated_at",
    );
    let mut certificates = Inserter::new(
        &store,
        "certificates",
        "id, user_id, course_slug, course_version, learner_name, title, course_title, sector, level, hours, organisation, issued_at, expires_at, revoked_at, revoked_reason",
    );
    let mut enrolment_id = next_id(&store, "enrolments").await?;
    let mut progress_id = next_id(&store, "lesson_progress").await?;
    let per_learner = plan.progress_rows / plan.learners;
    let extra = plan.progress_rows % plan.learners;
    let (yes, no) = match backend {
        DbBackend::Postgres => ("TRUE", "FALSE"),
        _ => ("1", "0"),
    };
    let mut pending_jitter: i64 = 0;
    for n in 0..plan.learners {
        let user_id = first_learner + n as i64;
        let class = (n % plan.classes) as usize;
        let class_id = first_class + class as i64;
        let joined = now - Duration::days(rng.random_range(1..365));
        members
            .push(format!("({class_id}, {user_id}, {})", ts(joined)))
            .await?;
        // About as many rows for each learner; the jitter of one learner is
        // paid back by the next, so the total stays as asked.
        let mut target = (per_learner + u64::from(n < extra)) as i64;
        if pending_jitter != 0 {
            target -= pending_jitter;
            pending_jitter = 0;
        } else {
            let jitter = rng.random_range(0..=(per_learner as i64 / 2));
            target += jitter;
            pending_jitter = jitter;
        }
        let mut target = target.max(0) as usize;
        // The class's courses first, then others (people try more than
        // one sector) until there is room for the learner's rows.
        let mut mine: Vec<usize> = class_courses_of[class].clone();
        let mut others: Vec<usize> = (0..courses.len()).filter(|i| !mine.contains(i)).collect();
        others.shuffle(&mut rng);
        let mut room: usize = mine.iter().map(|&i| courses[i].lessons.len()).sum();
        for other in others {
            if room >= target + target / 2 {
                break;
            }
            room += courses[other].lessons.len();
            mine.push(other);
        }
        let name = format!(
            "{} {}",
            GIVEN[rng.random_range(0..GIVEN.len())],
            FAMILY[rng.random_range(0..FAMILY.len())]
        );
        for course_index in mine {
            let course = &courses[course_index];
            let days_ago = rng.random_range(0..joined_days(now, joined).max(1));
            let enrolled =
                now - Duration::days(days_ago) - Duration::minutes(rng.random_range(0..1440));
            let done = target.min(course.lessons.len());
            target -= done;
            let completed = (done == course.lessons.len()).then(|| {
                (enrolled
                    + Duration::days(rng.random_range(3..90))
                    + Duration::minutes(rng.random_range(0..600)))
                .min(now - Duration::minutes(5))
            });
            let last_active = completed.unwrap_or_else(|| {
                let span = (now - enrolled).num_minutes().max(1);
                enrolled + Duration::minutes(rng.random_range(0..span))
            });
            let last_lesson = course
                .lessons
                .get(done.saturating_sub(1))
                .filter(|_| done > 0);
            enrolments
                .push(format!(
                    "({enrolment_id}, {user_id}, {}, {}, {}, {}, {})",
                    quote(&course.slug),
                    ts(enrolled),
                    last_lesson.map_or_else(|| "NULL".to_string(), |(id, _)| quote(id)),
                    ts(last_active),
                    opt_ts(completed)
                ))
                .await?;
            enrolment_id += 1;
            let span = (last_active - enrolled).num_seconds().max(1);
            for (k, (lesson, kind)) in course.lessons.iter().take(done).enumerate() {
                let at = enrolled + Duration::seconds(span * (k as i64 + 1) / done as i64);
                let mut row = String::with_capacity(160);
                let _ = match kind {
                    LessonKind::Lesson => write!(
                        row,
                        "({progress_id}, {user_id}, {}, {}, 'lesson', {}, NULL, {no}, 0, {})",
                        quote(&course.slug),
                        quote(lesson),
                        ts(at),
                        ts(at)
                    ),
                    LessonKind::Quiz => write!(
                        row,
                        "({progress_id}, {user_id}, {}, {}, 'quiz', {}, {}, {yes}, {}, {})",
                        quote(&course.slug),
                        quote(lesson),
                        ts(at),
                        rng.random_range(60..=100),
                        rng.random_range(1..=3),
                        ts(at)
                    ),
                };
                progress.push(row).await?;
                progress_id += 1;
            }
            if let Some(issued) = completed {
                certificates
                    .push(format!(
                        "({}, {user_id}, {}, 1, {}, {}, {}, {}, {}, {}, 'Presto', {}, NULL, NULL, NULL)",
                        quote(&loop {
                            let number = CertificateId::generate().as_str().to_string();
                            if numbers.insert(number.clone()) {
                                break number;
                            }
                        }),
                        quote(&course.slug),
                        quote(&name),
                        quote(&course.certificate_title),
                        quote(&course.title),
                        quote(&course.sector),
                        quote(&course.level),
                        course.hours.map_or_else(|| "NULL".to_string(), |h| h.to_string()),
                        ts(issued)
                    ))
                    .await?;
            }
        }
        if (n + 1) % 10_000 == 0 {
            eprintln!("  {} learners, {:.1?}", n + 1, phase.elapsed());
        }
    }
    let members = members.finish().await?;
    let enrolments = enrolments.finish().await?;
    let progress = progress.finish().await?;
    let certificates = certificates.finish().await?;
    eprintln!(
        "  {members} class members, {enrolments} enrolments, {progress} progress rows, {certificates} certificates in {:.1?}",
        phase.elapsed()
    );

    // Explicit ids leave PostgreSQL's sequences behind: move them on.
    if backend == DbBackend::Postgres {
        for table in ["users", "classes", "enrolments", "lesson_progress"] {
            store
                .db()
                .execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .await?;
        }
    }
    // The rows went in around the store: count the reports' roll-up.
    let phase = Instant::now();
    store.rebuild_report_rollup().await?;
    eprintln!("  report roll-up in {:.1?}", phase.elapsed());
    let phase = Instant::now();
    store.db().execute_unprepared("ANALYZE").await?;
    eprintln!("  ANALYZE in {:.1?}", phase.elapsed());
    eprintln!(
        "done in {:.1?}. Sign in as seed-coordinator (or seed-admin) with the staff password.",
        started.elapsed()
    );
    Ok(())
}

fn joined_days(now: DateTime<Utc>, joined: DateTime<Utc>) -> i64 {
    (now - joined).num_days()
}
