//! The worker: one tokio task per instance that sends what the queue holds,
//! one mail at a time. It wakes when this instance queues a mail (a
//! `Notify` in the store), when the next retry is due, and every few
//! seconds anyway, for mails other instances queued.
//!
//! A failed try is retried after an exponential backoff with jitter; after
//! `mail_max_attempts` tries the mail is given up (kept, marked failed,
//! logged as an error). See the module above for what "sent" guarantees.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::compose::{ComposeError, Composer};
use super::transport::Transport;
use crate::config::Settings;
use crate::store::mail::QueuedMail;
use crate::store::{Store, now};

/// Looks at the queue at least this often (mails queued by other
/// instances, retries that came due).
const POLL_EVERY: Duration = Duration::from_secs(5);

/// How long a claimed mail is ours. Longer than composing and sending one
/// mail can take (each SMTP step times out after 30 seconds); if we die,
/// another worker tries it when this runs out.
const LEASE: TimeDelta = TimeDelta::minutes(5);

/// How long a stopping server waits for the mail being sent.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// When to try a failed mail again, and when to give up.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub first: Duration,
    pub max: Duration,
    pub max_attempts: u32,
}

/// No wait is longer than a week, whatever the settings say: a mail
/// should not sleep past any outage someone would wait out.
const LONGEST_WAIT: Duration = Duration::from_secs(7 * 24 * 3600);

impl RetryPolicy {
    pub fn from_settings(settings: &Settings) -> RetryPolicy {
        let first = Duration::from_secs(settings.mail_retry_secs).min(LONGEST_WAIT);
        RetryPolicy {
            first,
            max: Duration::from_secs(settings.mail_retry_max_secs).clamp(first, LONGEST_WAIT),
            max_attempts: settings.mail_max_attempts.max(1),
        }
    }

    /// The wait after the `attempts`-th failed try: `first`, doubling each
    /// time, at most `max`; then somewhere in its upper half, so mails that
    /// failed together (the server was down) do not all return at once.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(30);
        let full = self
            .first
            .saturating_mul(1u32 << doublings)
            .min(self.max)
            .max(Duration::from_millis(100));
        let half = full / 2;
        half + half.mul_f64(rand::rng().random::<f64>())
    }

    pub fn gives_up_after(&self, attempts: i32) -> bool {
        u32::try_from(attempts).unwrap_or(0) >= self.max_attempts
    }
}

/// The running worker. Dropping it stops the worker too (at its next
/// wait); `stop` also waits for the mail being sent.
pub struct MailWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl MailWorker {
    /// Sets up the transport and the templates (a wrong setting is a
    /// start-up error) and starts the worker.
    pub fn start(settings: &Settings, store: Store) -> anyhow::Result<MailWorker> {
        let transport = Transport::from_settings(settings)?;
        let composer = Composer::new(settings)?;
        tracing::info!("mail goes to the {}", transport.describe());
        let worker = Worker {
            store,
            transport,
            composer,
            retry: RetryPolicy::from_settings(settings),
        };
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(worker.run(stopped));
        Ok(MailWorker { stop, task })
    }

    /// Stops after the mail in hand (if any), waiting at most a few
    /// seconds; a send cut short is sent again later (at least once).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
            tracing::warn!("the mail worker did not stop in time; a mail may be sent twice");
            task.abort();
        }
    }
}

struct Worker {
    store: Store,
    transport: Transport,
    composer: Composer,
    retry: RetryPolicy,
}

fn stopping(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
}

impl Worker {
    async fn run(self, mut stop: watch::Receiver<bool>) {
        let waker = self.store.mail_waker();
        loop {
            if stopping(&stop) {
                break;
            }
            self.send_due(&stop).await;
            if stopping(&stop) {
                break;
            }
            let wait = self.wait_for_next().await;
            tokio::select! {
                _ = waker.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
        tracing::debug!("mail worker stopped");
    }

    /// Sends every mail that is due, one at a time.
    async fn send_due(&self, stop: &watch::Receiver<bool>) {
        while !stopping(stop) {
            let at = now();
            match self.store.claim_next_mail(at, at + LEASE).await {
                Ok(Some(mail)) => self.deliver(mail).await,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!("the mail queue cannot be read: {e}");
                    return;
                }
            }
        }
    }

    /// Until the next retry is due, at most `POLL_EVERY`.
    async fn wait_for_next(&self) -> Duration {
        match self.store.next_mail_due().await {
            Ok(Some(due)) => (due - now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                // Not a busy loop when a due mail could not be claimed.
                .max(Duration::from_millis(200))
                .min(POLL_EVERY),
            _ => POLL_EVERY,
        }
    }

    #[tracing::instrument(skip_all, fields(mail = mail.id, kind = %mail.kind, attempt = mail.attempts))]
    async fn deliver(&self, mail: QueuedMail) {
        let error = match self.composer.compose(&self.store, &mail).await {
            Ok(message) => match self.transport.send(message).await {
                Ok(()) => {
                    self.record_sent(&mail).await;
                    return;
                }
                Err(e) => e.to_string(),
            },
            Err(ComposeError::Permanent(why)) => {
                tracing::error!("mail given up, it cannot be made: {why}");
                if let Err(e) = self.store.mail_given_up(&mail, &why, now()).await {
                    tracing::error!("could not record that: {e}");
                }
                return;
            }
            Err(ComposeError::Transient(e)) => format!("{e:#}"),
        };
        if self.retry.gives_up_after(mail.attempts) {
            tracing::error!(
                "mail given up after {} tries; it stays in the queue: {error}",
                mail.attempts
            );
            if let Err(e) = self.store.mail_given_up(&mail, &error, now()).await {
                tracing::error!("could not record that: {e}");
            }
            return;
        }
        let wait = self
            .retry
            .backoff(u32::try_from(mail.attempts).unwrap_or(1));
        let at = now();
        let retry_at = TimeDelta::from_std(wait)
            .ok()
            .and_then(|wait| at.checked_add_signed(wait))
            .unwrap_or(at + LEASE);
        tracing::warn!(retry_at = %retry_at, "mail not sent, will try again: {error}");
        if let Err(e) = self.store.mail_failed(&mail, &error, retry_at).await {
            // The lease runs out and the mail is tried again anyway.
            tracing::warn!("could not record the failed try: {e}");
        }
    }

    /// Records the send, trying a few times: if it is never recorded the
    /// mail goes again when its lease ends (at least once).
    async fn record_sent(&self, mail: &QueuedMail) {
        let sent_at: DateTime<Utc> = now();
        for pause in [1, 2, 4, 8] {
            match self.store.mail_sent(mail, sent_at).await {
                Ok(()) => {
                    tracing::info!("mail sent");
                    return;
                }
                Err(e) => {
                    tracing::warn!("mail sent but not yet recorded: {e}");
                    tokio::time::sleep(Duration::from_secs(pause)).await;
                }
            }
        }
        tracing::error!("mail sent but not recorded; it will be sent again when its lease ends");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let retry = RetryPolicy {
            first: Duration::from_secs(30),
            max: Duration::from_secs(3600),
            max_attempts: 50,
        };
        for (attempts, full) in [(1, 30), (2, 60), (3, 120), (8, 3600), (40, 3600)] {
            for _ in 0..20 {
                let wait = retry.backoff(attempts);
                let full = Duration::from_secs(full);
                assert!(
                    wait >= full / 2 && wait <= full,
                    "{attempts}: {wait:?} not in the upper half of {full:?}"
                );
            }
        }
        assert!(!retry.gives_up_after(49));
        assert!(retry.gives_up_after(50));
    }

    #[test]
    fn settings_cannot_make_a_policy_that_never_tries() {
        let settings = Settings {
            mail_retry_secs: 10,
            mail_retry_max_secs: 1,
            mail_max_attempts: 0,
            ..Settings::default()
        };
        let retry = RetryPolicy::from_settings(&settings);
        assert_eq!(retry.max, Duration::from_secs(10));
        assert_eq!(retry.max_attempts, 1);
        let huge = Settings {
            mail_retry_secs: u64::MAX,
            mail_retry_max_secs: u64::MAX,
            ..Settings::default()
        };
        let wait = RetryPolicy::from_settings(&huge).backoff(60);
        assert!(wait <= LONGEST_WAIT && wait >= LONGEST_WAIT / 2, "{wait:?}");
    }
}
