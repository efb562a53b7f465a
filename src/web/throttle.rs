//! Throttles, kept in memory per instance: signing in, registering, asking
//! for a password link, and public lookups (certificates, class codes).
//!
//! Every throttle counts by the client's address as [`client_address`]
//! decides it, the one place that reads the forwarding headers.
//!
//! Signing in slows guessing without letting anyone lock a learner out:
//! wrong passwords are counted per (username, address) and per address,
//! and past a few free tries each key waits 1 s, 2 s, 4 s … (capped)
//! after its latest failure. A username's failures from one address never
//! slow the same username from another, so the real learner still gets in
//! while someone elsewhere guesses.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::http::header;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::proxies::TrustedProxies;

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the one the proxies forwarded (see [`TrustedProxies::client_address`]).
pub fn client_address(request: &HttpRequest, proxies: &TrustedProxies) -> Option<IpAddr> {
    let peer = request.peer_addr()?.ip();
    if proxies.is_empty() {
        return Some(peer.to_canonical());
    }
    let values = |name| {
        request
            .headers()
            .get_all(name)
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
    };
    let forwarded_for = values(header::HeaderName::from_static("x-forwarded-for"));
    let forwarded = values(header::FORWARDED);
    Some(proxies.client_address(peer, &forwarded_for, &forwarded))
}

/// How long a throttled client should wait (sent as `Retry-After`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up, at least one.
    pub fn seconds(self) -> u64 {
        let whole = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        whole.max(1)
    }
}

/// What an address is counted as: an IPv4 address, or an IPv6 /64 (one
/// subscriber usually has a whole /64, so counting single IPv6 addresses
/// would give one client 2^64 fresh counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum AddressKey {
    V4(u32),
    V6Prefix(u64),
    Unknown,
}

impl From<Option<IpAddr>> for AddressKey {
    fn from(address: Option<IpAddr>) -> Self {
        match address.map(|a| a.to_canonical()) {
            Some(IpAddr::V4(v4)) => AddressKey::V4(u32::from(v4)),
            Some(IpAddr::V6(v6)) => AddressKey::V6Prefix((u128::from(v6) >> 64) as u64),
            None => AddressKey::Unknown,
        }
    }
}

/// Failures counted for one key, forgotten after a quiet while.
#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    latest: Instant,
}

/// How one kind of key is slowed down.
#[derive(Clone, Copy, Debug)]
struct Backoff {
    /// Failures before any wait.
    free: u32,
    /// The first wait; each further failure doubles it.
    first: Duration,
    /// The longest wait.
    cap: Duration,
    /// A key with no failure for this long starts again from nothing.
    forget_after: Duration,
    /// Keys kept at most; past this the least harmful are dropped.
    max_keys: usize,
}

impl Backoff {
    /// The wait after `count` failures, counted from the latest.
    fn wait_after(&self, count: u32) -> Duration {
        if count < self.free {
            return Duration::ZERO;
        }
        let doublings = (count - self.free).min(20);
        self.first.saturating_mul(1 << doublings).min(self.cap)
    }

    fn remaining(&self, failures: &Failures, now: Instant) -> Duration {
        if now.saturating_duration_since(failures.latest) >= self.forget_after {
            return Duration::ZERO;
        }
        (failures.latest + self.wait_after(failures.count)).saturating_duration_since(now)
    }
}

/// Failure counts per key with a bounded number of keys.
struct FailureMap<K> {
    backoff: Backoff,
    keys: HashMap<K, Failures>,
}

impl<K: Eq + Hash + Copy> FailureMap<K> {
    fn new(backoff: Backoff) -> Self {
        FailureMap {
            backoff,
            keys: HashMap::new(),
        }
    }

    fn remaining(&self, key: &K, now: Instant) -> Duration {
        self.keys.get(key).map_or(Duration::ZERO, |failures| {
            self.backoff.remaining(failures, now)
        })
    }

    fn fail(&mut self, key: K, now: Instant) {
        if self.keys.len() >= self.backoff.max_keys && !self.keys.contains_key(&key) {
            self.make_room(now);
        }
        let forget_after = self.backoff.forget_after;
        let failures = self.keys.entry(key).or_insert(Failures {
            count: 0,
            latest: now,
        });
        if now.saturating_duration_since(failures.latest) >= forget_after {
            failures.count = 0;
        }
        failures.count = failures.count.saturating_add(1);
        failures.latest = now;
    }

    /// Takes back one failure counted ahead (the try succeeded).
    fn forgive_one(&mut self, key: &K) {
        if let Some(failures) = self.keys.get_mut(key) {
            failures.count = failures.count.saturating_sub(1);
            if failures.count == 0 {
                self.keys.remove(key);
            }
        }
    }

    fn clear(&mut self, key: &K) {
        self.keys.remove(key);
    }

    /// Drops forgotten keys and keys still within their free tries; if
    /// that is not enough (a flood of keys that each failed often), the
    /// oldest half. A flood of random usernames therefore costs at most
    /// `max_keys` entries.
    fn make_room(&mut self, now: Instant) {
        let backoff = self.backoff;
        self.keys.retain(|_, failures| {
            now.saturating_duration_since(failures.latest) < backoff.forget_after
                && failures.count >= backoff.free
        });
        if self.keys.len() >= backoff.max_keys / 2 {
            let mut latest: Vec<Instant> = self.keys.values().map(|f| f.latest).collect();
            let middle = latest.len() / 2;
            let (_, cut, _) = latest.select_nth_unstable(middle);
            let cut = *cut;
            self.keys.retain(|_, failures| failures.latest > cut);
        }
    }
}

/// Sign-in tries, per (username, address) and per address.
pub struct SignInThrottle {
    counts: Mutex<SignInCounts>,
}

struct SignInCounts {
    per_account_address: FailureMap<([u8; 16], AddressKey)>,
    per_address: FailureMap<AddressKey>,
}

/// Wrong passwords for one username from one address before any wait.
pub const FREE_TRIES_PER_ACCOUNT_AND_ADDRESS: u32 = 5;
/// Wrong passwords from one address (any usernames) before any wait: many
/// learners in one centre share an address.
pub const FREE_TRIES_PER_ADDRESS: u32 = 50;
const FIRST_WAIT: Duration = Duration::from_secs(1);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
const MAX_KEYS: usize = 50_000;

impl Default for SignInThrottle {
    fn default() -> Self {
        let backoff = |free| Backoff {
            free,
            first: FIRST_WAIT,
            cap: LONGEST_WAIT,
            forget_after: FORGET_AFTER,
            max_keys: MAX_KEYS,
        };
        SignInThrottle {
            counts: Mutex::new(SignInCounts {
                per_account_address: FailureMap::new(backoff(FREE_TRIES_PER_ACCOUNT_AND_ADDRESS)),
                per_address: FailureMap::new(backoff(FREE_TRIES_PER_ADDRESS)),
            }),
        }
    }
}

/// A sign-in try let through. It counts as a failure from the start, so
/// tries sent all at once cannot slip past the count while their passwords
/// are checked; [`SignInTry::succeeded`] takes that back.
#[must_use = "call succeeded() when the password was right"]
pub struct SignInTry<'a> {
    throttle: &'a SignInThrottle,
    account_address: ([u8; 16], AddressKey),
    address: AddressKey,
}

impl SignInThrottle {
    /// Before a password is checked: the try, or how long to wait.
    pub fn begin(
        &self,
        username: &str,
        address: Option<IpAddr>,
    ) -> Result<SignInTry<'_>, RetryAfter> {
        self.begin_at(username, address, Instant::now())
    }

    fn begin_at(
        &self,
        username: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<SignInTry<'_>, RetryAfter> {
        let address = AddressKey::from(address);
        let account_address = (username_key(username), address);
        let mut counts = self.lock();
        let wait = counts
            .per_account_address
            .remaining(&account_address, now)
            .max(counts.per_address.remaining(&address, now));
        if !wait.is_zero() {
            return Err(RetryAfter(wait));
        }
        counts.per_account_address.fail(account_address, now);
        counts.per_address.fail(address, now);
        Ok(SignInTry {
            throttle: self,
            account_address,
            address,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SignInCounts> {
        // The counts stay usable even if a thread panicked holding them.
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SignInTry<'_> {
    /// The password was right: this username's failures from this address
    /// are forgotten, and this try no longer counts against the address.
    pub fn succeeded(self) {
        let mut counts = self.throttle.lock();
        counts.per_account_address.clear(&self.account_address);
        counts.per_address.forgive_one(&self.address);
    }
}

/// Usernames are compared as sign-in does (case-insensitively), and kept
/// as a short digest so a long username costs no more memory than a short.
fn username_key(username: &str) -> [u8; 16] {
    let digest = blake3::hash(username.trim().to_ascii_lowercase().as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest.as_bytes()[..16]);
    key
}

/// So many requests per address in a period, then one more each time a
/// share of the period has passed: registrations, password-link requests
/// and public lookups.
pub struct AddressLimit {
    per_address: DefaultKeyedRateLimiter<AddressKey>,
}

impl AddressLimit {
    pub fn per_minute(requests: u32) -> Self {
        AddressLimit::new(Quota::per_minute(nonzero(requests)))
    }

    pub fn per_hour(requests: u32) -> Self {
        AddressLimit::new(Quota::per_hour(nonzero(requests)))
    }

    fn new(quota: Quota) -> Self {
        AddressLimit {
            per_address: RateLimiter::keyed(quota),
        }
    }

    /// Counts a request from this address, or says how long to wait.
    pub fn check(&self, address: Option<IpAddr>) -> Result<(), RetryAfter> {
        // Full addresses are dropped now and then so the map stays small.
        if self.per_address.len() > 10_000 {
            self.per_address.retain_recent();
        }
        self.per_address
            .check_key(&AddressKey::from(address))
            .map_err(|not_until| {
                RetryAfter(not_until.wait_time_from(DefaultClock::default().now()))
            })
    }
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// Public certificate lookups (the verification page, its JSON and the
/// credential) and class codes: generous for an employer checking a few
/// certificates, slow for someone trying ids one after another.
pub const LOOKUPS_PER_ADDRESS_PER_MINUTE: u32 = 60;
/// New accounts from one address: a class registering together fits.
pub const REGISTRATIONS_PER_ADDRESS_PER_HOUR: u32 = 30;
/// Password-link requests from one address (the store also sends one
/// account at most a few links an hour).
pub const RESET_REQUESTS_PER_ADDRESS_PER_HOUR: u32 = 10;

/// Every throttle of an instance.
pub struct Throttles {
    pub sign_in: SignInThrottle,
    pub registrations: AddressLimit,
    pub reset_requests: AddressLimit,
    pub lookups: AddressLimit,
}

impl Default for Throttles {
    fn default() -> Self {
        Throttles {
            sign_in: SignInThrottle::default(),
            registrations: AddressLimit::per_hour(REGISTRATIONS_PER_ADDRESS_PER_HOUR),
            reset_requests: AddressLimit::per_hour(RESET_REQUESTS_PER_ADDRESS_PER_HOUR),
            lookups: AddressLimit::per_minute(LOOKUPS_PER_ADDRESS_PER_MINUTE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    /// Fails `n` tries (each let through) at `now`.
    fn fail(
        throttle: &SignInThrottle,
        username: &str,
        address: Option<IpAddr>,
        n: u32,
        now: Instant,
    ) {
        for i in 0..n {
            let attempt = throttle.begin_at(username, address, now);
            assert!(attempt.is_ok(), "try {i} of {n} let through");
        }
    }

    #[test]
    fn waits_grow_after_the_free_tries_and_never_reach_other_addresses() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        let (a, b) = (ip("198.51.100.1"), ip("203.0.113.2"));
        fail(
            &throttle,
            "leyla",
            a,
            FREE_TRIES_PER_ACCOUNT_AND_ADDRESS,
            start,
        );
        let wait = |now| {
            throttle
                .begin_at("Leyla", a, now)
                .err()
                .map(RetryAfter::seconds)
        };
        assert_eq!(wait(start), Some(1), "the same username in other capitals");
        // After the wait, one more wrong try doubles it, and so on.
        let mut now = start;
        for expected in [2, 4, 8, 16] {
            now += Duration::from_secs(expected / 2);
            fail(&throttle, "leyla", a, 1, now);
            assert_eq!(wait(now), Some(expected));
        }
        assert!(
            throttle.begin_at("leyla", b, now).is_ok(),
            "from another address"
        );
        assert!(
            throttle.begin_at("omar", a, now).is_ok(),
            "another user here"
        );
        // A quiet hour forgets.
        assert!(throttle.begin_at("leyla", a, now + FORGET_AFTER).is_ok());
    }

    #[test]
    fn the_longest_wait_is_capped() {
        let backoff = Backoff {
            free: 5,
            first: FIRST_WAIT,
            cap: LONGEST_WAIT,
            forget_after: FORGET_AFTER,
            max_keys: 10,
        };
        assert_eq!(backoff.wait_after(4), Duration::ZERO);
        assert_eq!(backoff.wait_after(5), FIRST_WAIT);
        assert_eq!(backoff.wait_after(7), FIRST_WAIT * 4);
        assert_eq!(backoff.wait_after(40), LONGEST_WAIT);
        assert_eq!(backoff.wait_after(u32::MAX), LONGEST_WAIT);
    }

    #[test]
    fn success_clears_the_username_at_that_address() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let a = ip("198.51.100.1");
        fail(
            &throttle,
            "leyla",
            a,
            FREE_TRIES_PER_ACCOUNT_AND_ADDRESS - 1,
            now,
        );
        throttle.begin_at("leyla", a, now).unwrap().succeeded();
        fail(
            &throttle,
            "leyla",
            a,
            FREE_TRIES_PER_ACCOUNT_AND_ADDRESS,
            now,
        );
        assert!(throttle.begin_at("leyla", a, now).is_err());
    }

    #[test]
    fn one_address_trying_many_usernames_is_slowed_too() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let a = ip("198.51.100.1");
        for i in 0..FREE_TRIES_PER_ADDRESS {
            fail(&throttle, &format!("user{i}"), a, 1, now);
        }
        let refused = throttle.begin_at("someone-new", a, now);
        assert_eq!(refused.err(), Some(RetryAfter(FIRST_WAIT)));
        assert!(
            throttle
                .begin_at("someone-new", ip("198.51.100.2"), now)
                .is_ok()
        );
        // An IPv6 client is counted by its /64, not by each address in it.
        let throttle = SignInThrottle::default();
        for i in 0..FREE_TRIES_PER_ADDRESS {
            let address = ip(&format!("2001:db8:1:2::{i:x}"));
            fail(&throttle, &format!("user{i}"), address, 1, now);
        }
        assert!(
            throttle
                .begin_at("omar", ip("2001:db8:1:2::ffff"), now)
                .is_err()
        );
        assert!(
            throttle
                .begin_at("omar", ip("2001:db8:1:3::1"), now)
                .is_ok()
        );
    }

    #[test]
    fn a_flood_of_random_usernames_keeps_the_maps_bounded() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..(3 * MAX_KEYS as u32) {
            // Spread over many addresses so the address count never stops it.
            let address = Some(IpAddr::from(i.to_be_bytes()));
            fail(&throttle, &format!("random-{i}"), address, 1, now);
        }
        let counts = throttle.lock();
        assert!(counts.per_account_address.keys.len() <= MAX_KEYS);
        assert!(counts.per_address.keys.len() <= MAX_KEYS);
    }

    #[test]
    fn a_flood_of_failing_keys_still_stays_bounded() {
        let mut map = FailureMap::new(Backoff {
            free: 1,
            first: FIRST_WAIT,
            cap: LONGEST_WAIT,
            forget_after: FORGET_AFTER,
            max_keys: 100,
        });
        let start = Instant::now();
        for i in 0..1000u32 {
            map.fail(i, start + Duration::from_millis(u64::from(i)));
            assert!(map.keys.len() <= 100);
        }
        assert!(
            !map.remaining(&999, start + Duration::from_millis(999))
                .is_zero()
        );
    }

    #[test]
    fn an_address_limit_says_how_long_to_wait() {
        let limit = AddressLimit::per_hour(2);
        let a = ip("198.51.100.1");
        assert!(limit.check(a).is_ok());
        assert!(limit.check(a).is_ok());
        let wait = limit.check(a).unwrap_err();
        assert!((1700..=1800).contains(&wait.seconds()), "{wait:?}");
        assert!(limit.check(ip("198.51.100.2")).is_ok());
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(1001)).seconds(), 2);
        assert_eq!(RetryAfter(Duration::from_secs(4)).seconds(), 4);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
    }
}
