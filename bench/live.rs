//! Load generator for live classes (issue 19), run by `bench/live.sh`.
//!
//! Sets up CLASSES classes of LEARNERS learners each, straight in the
//! database the servers use (one password hash for everyone, tokens minted
//! as the API would), starts every class live, opens one event stream per
//! learner (spread over the servers in BASES), and has each tutor ask a
//! question every INTERVAL seconds, QUESTIONS times, while every learner
//! answers within ANSWER_WITHIN seconds of seeing it. It prints:
//!
//! - the time from the tutor's request to each learner's `question` event,
//!   and to the last learner's, per question (p50, p99, max);
//! - answers acknowledged, answers stored, lost (must be 0) and errors;
//! - each server's resident memory, idle and with every stream open
//!   (SERVER_PIDS, read from /proc).
//!
//! Not a test: `cargo test` does not build it, CI does not run it.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use presto::domain::names::{FullName, Role, Username};
use presto::passwords::{hash_password, token_hash};
use presto::store::Store;
use presto::store::users::NewAccount;
use rand::Rng;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tokio::sync::Mutex;

struct Config {
    bases: Vec<String>,
    database_url: String,
    classes: usize,
    learners: usize,
    questions: usize,
    interval: Duration,
    answer_within: Duration,
    server_pids: Vec<u32>,
    /// How many streams may be opening at once (learners join over a few
    /// seconds, not in one instant).
    open_at_once: usize,
    /// bench/live.sh kills the second server during the run: its learners
    /// reconnect to the first.
    fault: bool,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl Config {
    fn from_env() -> Option<Config> {
        let bases: Vec<String> = std::env::var("BASES")
            .ok()?
            .split(',')
            .map(str::to_string)
            .collect();
        Some(Config {
            bases,
            database_url: std::env::var("DATABASE_URL").ok()?,
            classes: env_or("CLASSES", 100),
            learners: env_or("LEARNERS", 30),
            questions: env_or("QUESTIONS", 6),
            interval: Duration::from_secs_f64(env_or("INTERVAL", 10.0)),
            answer_within: Duration::from_secs_f64(env_or("ANSWER_WITHIN", 5.0)),
            open_at_once: env_or("OPEN_AT_ONCE", 3000),
            fault: env_or("FAULT", 0) == 1,
            server_pids: std::env::var("SERVER_PIDS")
                .unwrap_or_default()
                .split(',')
                .filter_map(|p| p.parse().ok())
                .collect(),
        })
    }
}

/// Resident memory of a process, in KB.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
}

struct SetUpClass {
    id: i32,
    tutor: String,
    learners: Vec<String>,
}

async fn set_up(store: &Store, config: &Config) -> anyhow::Result<Vec<SetUpClass>> {
    let hash = hash_password("bench-live-password").map_err(|e| anyhow::anyhow!("{e}"))?;
    let run = rand::rng().random::<u32>();
    let mut classes = Vec::with_capacity(config.classes);
    for c in 0..config.classes {
        let account = |name: String, role: Role| {
            let hash = hash.clone();
            async move {
                let username = Username::parse(&name).map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let full_name = FullName::parse(&name).map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let account = store
                    .create_user(NewAccount {
                        username: &username,
                        full_name: &full_name,
                        email: None,
                        role,
                        password_hash: &hash,
                        language: "en",
                        home_language: None,
                        name_in_own_script: None,
                    })
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let token = format!("bench-{run}-{name}-{}", rand::rng().random::<u64>());
                store.add_api_token(account.id, &token_hash(&token)).await?;
                Ok::<_, anyhow::Error>((account, token))
            }
        };
        let (tutor, tutor_token) = account(format!("t{run}-{c}"), Role::Tutor).await?;
        let class = store
            .create_class(tutor.id, &format!("Live bench {c}"), "other", &[])
            .await?;
        let mut learners = Vec::with_capacity(config.learners);
        for l in 0..config.learners {
            let (learner, token) = account(format!("l{run}-{c}-{l}"), Role::Learner).await?;
            store.join_class(&class, learner.id).await?;
            learners.push(token);
        }
        classes.push(SetUpClass {
            id: class.id,
            tutor: tutor_token,
            learners,
        });
    }
    Ok(classes)
}

#[derive(Default)]
struct Tally {
    /// Milliseconds from the tutor's request to each learner's event.
    each: Mutex<Vec<f64>>,
    /// (class, question) to the latencies of its learners.
    per_question: Mutex<HashMap<(i32, i64), Vec<f64>>>,
    acknowledged: AtomicU64,
    errors: AtomicU64,
    streams_open: AtomicU64,
    stream_errors: AtomicU64,
    /// Streams that went on on the other server after theirs went away.
    reconnected: AtomicU64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// One learner: reads the stream; answers each question after a while.
#[allow(clippy::too_many_arguments)]
async fn learner(
    client: reqwest::Client,
    base: String,
    class_id: i32,
    token: String,
    asked_at: Arc<Mutex<HashMap<i32, Instant>>>,
    tally: Arc<Tally>,
    answer_within: Duration,
    all_open: Arc<tokio::sync::Barrier>,
    opening: Arc<tokio::sync::Semaphore>,
    // Where to reconnect when this learner's server goes away (FAULT=1).
    mut fallback: Option<String>,
) {
    let mut base = base;
    let permit = opening.acquire_owned().await;
    let opened = client
        .get(format!("{base}/api/v1/classes/{class_id}/live/events"))
        .bearer_auth(&token)
        .send()
        .await;
    let mut response = match opened {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            eprintln!("stream refused: {}", r.status());
            tally.stream_errors.fetch_add(1, Ordering::Relaxed);
            all_open.wait().await;
            return;
        }
        Err(e) => {
            eprintln!("stream failed: {e}");
            tally.stream_errors.fetch_add(1, Ordering::Relaxed);
            all_open.wait().await;
            return;
        }
    };
    tally.streams_open.fetch_add(1, Ordering::Relaxed);
    // The stream is open once its first event (the state) is read.
    let mut buffer = String::new();
    let mut last_id: Option<String> = None;
    match response.chunk().await {
        Ok(Some(bytes)) => buffer.push_str(&String::from_utf8_lossy(&bytes)),
        _ => {
            tally.stream_errors.fetch_add(1, Ordering::Relaxed);
        }
    }
    drop(permit);
    all_open.wait().await;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(bytes)) => bytes,
            broken => {
                // The server went away (an `end` returns below): go on on
                // the other one, from the last event seen.
                let Some(other) = fallback.take() else {
                    if let Err(e) = broken {
                        eprintln!("stream broke: {e}");
                        tally.stream_errors.fetch_add(1, Ordering::Relaxed);
                    }
                    return;
                };
                let mut again = client
                    .get(format!("{other}/api/v1/classes/{class_id}/live/events"))
                    .bearer_auth(&token);
                if let Some(id) = &last_id {
                    again = again.header("Last-Event-ID", id.as_str());
                }
                match again.send().await {
                    Ok(r) if r.status().is_success() => {
                        tally.reconnected.fetch_add(1, Ordering::Relaxed);
                        response = r;
                        base = other;
                        buffer.clear();
                        continue;
                    }
                    _ => {
                        tally.stream_errors.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
        };
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(id) = block.lines().find_map(|l| l.strip_prefix("id: ")) {
                last_id = Some(id.to_string());
            }
            let name = block
                .lines()
                .find_map(|l| l.strip_prefix("event: "))
                .unwrap_or("");
            if name == "end" {
                return;
            }
            if name != "question" {
                continue;
            }
            let data: Value = block
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .and_then(|d| serde_json::from_str(d).ok())
                .unwrap_or(Value::Null);
            let Some(question) = data["id"].as_i64() else {
                continue;
            };
            if let Some(asked) = asked_at.lock().await.get(&class_id) {
                let ms = now.duration_since(*asked).as_secs_f64() * 1000.0;
                tally.each.lock().await.push(ms);
                tally
                    .per_question
                    .lock()
                    .await
                    .entry((class_id, question))
                    .or_default()
                    .push(ms);
            }
            let client = client.clone();
            let (base, token, tally) = (base.clone(), token.clone(), tally.clone());
            let wait = answer_within.mul_f64(rand::rng().random::<f64>());
            tokio::spawn(async move {
                tokio::time::sleep(wait).await;
                let answer = client
                    .post(format!(
                        "{base}/api/v1/classes/{class_id}/live/questions/{question}/answers"
                    ))
                    .bearer_auth(&token)
                    .json(&json!({"answer": rand::rng().random_range(0..3)}))
                    .send()
                    .await;
                match answer {
                    Ok(r) if r.status().is_success() => {
                        tally.acknowledged.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) => {
                        eprintln!("answer refused: {}", r.status());
                        tally.errors.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        eprintln!("answer failed: {e}");
                        tally.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(config) = Config::from_env() else {
        eprintln!("run bench/live.sh (it sets BASES and DATABASE_URL)");
        return ExitCode::from(2);
    };
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench/live: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let store = Store::connect(&config.database_url).await?;
    let started = Instant::now();
    let classes = set_up(&store, &config).await?;
    eprintln!(
        "set up {} classes of {} learners in {:.1} s",
        classes.len(),
        config.learners,
        started.elapsed().as_secs_f64()
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    for class in &classes {
        let response = client
            .post(format!(
                "{}/api/v1/classes/{}/live",
                config.bases[0], class.id
            ))
            .bearer_auth(&class.tutor)
            .json(&json!({}))
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "start: {}",
            response.status()
        );
    }
    let idle: Vec<Option<u64>> = config.server_pids.iter().map(|&p| rss_kb(p)).collect();

    let tally = Arc::new(Tally::default());
    let asked_at: Arc<Mutex<HashMap<i32, Instant>>> = Arc::default();
    let streams = classes.len() * config.learners;
    let all_open = Arc::new(tokio::sync::Barrier::new(streams + 1));
    let opening = Arc::new(tokio::sync::Semaphore::new(config.open_at_once.max(1)));
    let mut tasks = Vec::with_capacity(streams);
    let mut n = 0usize;
    for class in &classes {
        for token in &class.learners {
            let base = config.bases[n % config.bases.len()].clone();
            let fallback =
                (config.fault && base != config.bases[0]).then(|| config.bases[0].clone());
            n += 1;
            tasks.push(tokio::spawn(learner(
                client.clone(),
                base,
                class.id,
                token.clone(),
                asked_at.clone(),
                tally.clone(),
                config.answer_within,
                all_open.clone(),
                opening.clone(),
                fallback,
            )));
        }
    }
    all_open.wait().await;
    // Let the `state` events and joins settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let open: Vec<Option<u64>> = config.server_pids.iter().map(|&p| rss_kb(p)).collect();
    eprintln!(
        "{} streams open ({} refused or failed)",
        tally.streams_open.load(Ordering::Relaxed),
        tally.stream_errors.load(Ordering::Relaxed)
    );

    // The tutors, each on their own clock within the interval.
    let peak = Arc::new(Mutex::new(open.clone()));
    let mut tutors = Vec::new();
    for class in &classes {
        let (client, base, token, id) = (
            client.clone(),
            config.bases[0].clone(),
            class.tutor.clone(),
            class.id,
        );
        let (asked_at, questions, interval) = (asked_at.clone(), config.questions, config.interval);
        let offset = interval.mul_f64(rand::rng().random::<f64>());
        tutors.push(tokio::spawn(async move {
            tokio::time::sleep(offset).await;
            for q in 0..questions {
                asked_at.lock().await.insert(id, Instant::now());
                let response = client
                    .post(format!("{base}/api/v1/classes/{id}/live/questions"))
                    .bearer_auth(&token)
                    .json(&json!({"poll": {"text": format!("Question {q}"), "options": ["A", "B", "C"], "correct": 1}}))
                    .send()
                    .await;
                if !response.is_ok_and(|r| r.status() == reqwest::StatusCode::CREATED) {
                    eprintln!("a question was refused");
                }
                tokio::time::sleep(interval).await;
            }
        }));
    }
    let pids = config.server_pids.clone();
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let mut peak = peak.lock().await;
                for (i, &pid) in pids.iter().enumerate() {
                    let now = rss_kb(pid);
                    if now > peak[i] {
                        peak[i] = now;
                    }
                }
            }
        })
    };
    for tutor in tutors {
        tutor.await?;
    }
    // The last answers come within ANSWER_WITHIN of the last question.
    tokio::time::sleep(config.answer_within + Duration::from_secs(2)).await;
    sampler.abort();
    // Memory once the class has been going for a while, streams still open.
    let settled: Vec<Option<u64>> = config.server_pids.iter().map(|&p| rss_kb(p)).collect();
    for class in &classes {
        let _ = client
            .post(format!(
                "{}/api/v1/classes/{}/live/end",
                config.bases[0], class.id
            ))
            .bearer_auth(&class.tutor)
            .send()
            .await;
    }
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }

    let stored = store
        .db()
        .query_one_raw(Statement::from_string(
            store.backend(),
            format!(
                "SELECT COUNT(*) AS n FROM live_answers a JOIN live_questions q ON q.id = a.question_id \
                 JOIN class_sessions s ON s.id = q.session_id WHERE s.class_id IN ({})",
                classes.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(",")
            ),
        ))
        .await?
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or(-1);
    let mut each = tally.each.lock().await.clone();
    each.sort_by(f64::total_cmp);
    let per_question = tally.per_question.lock().await;
    let mut last: Vec<f64> = per_question
        .values()
        .map(|v| v.iter().copied().fold(0.0, f64::max))
        .collect();
    last.sort_by(f64::total_cmp);
    let expected_events = classes.len() * config.learners * config.questions;
    let acknowledged = tally.acknowledged.load(Ordering::Relaxed);
    println!(
        "classes {} x learners {} = {streams} streams over {} server(s); {} questions each, every {:?}",
        classes.len(),
        config.learners,
        config.bases.len(),
        config.questions,
        config.interval
    );
    println!(
        "question events: {} of {expected_events} received",
        each.len()
    );
    println!(
        "tutor's request to each learner's event: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&each, 50.0),
        percentile(&each, 99.0),
        each.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "tutor's request to the last learner's event ({} questions): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        last.len(),
        percentile(&last, 50.0),
        percentile(&last, 99.0),
        last.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "answers: {acknowledged} acknowledged, {stored} stored, {} lost, {} errors; stream errors {}; streams reconnected to another server {}",
        (acknowledged as i64 - stored).max(0),
        tally.errors.load(Ordering::Relaxed),
        tally.stream_errors.load(Ordering::Relaxed),
        tally.reconnected.load(Ordering::Relaxed)
    );
    let peak = peak.lock().await;
    for (i, pid) in config.server_pids.iter().enumerate() {
        let (idle, open, peak, settled) = (
            idle[i].unwrap_or(0),
            open[i].unwrap_or(0),
            peak[i].unwrap_or(0),
            settled[i].unwrap_or(0),
        );
        let streams_here = streams.div_ceil(config.server_pids.len().max(1));
        println!(
            "server {pid}: resident {:.1} MB idle, {:.1} MB with streams open, {:.1} MB peak, {:.1} MB at the end (streams open); per stream beyond idle: {:.1} KB at the peak, {:.1} KB at the end",
            idle as f64 / 1024.0,
            open as f64 / 1024.0,
            peak as f64 / 1024.0,
            settled as f64 / 1024.0,
            (peak.saturating_sub(idle)) as f64 / streams_here as f64,
            (settled.saturating_sub(idle)) as f64 / streams_here as f64
        );
    }
    Ok(())
}
