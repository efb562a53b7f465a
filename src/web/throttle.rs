//! Login throttling: a few tries a minute per username and per address, so
//! guessing a learner's password is slow. Kept in memory per instance.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct LoginThrottle {
    per_username: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

const PER_USERNAME_PER_MINUTE: u32 = 5;
const PER_ADDRESS_PER_MINUTE: u32 = 30;

impl Default for LoginThrottle {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        LoginThrottle {
            per_username: RateLimiter::keyed(quota(PER_USERNAME_PER_MINUTE)),
            per_address: RateLimiter::keyed(quota(PER_ADDRESS_PER_MINUTE)),
        }
    }
}

impl LoginThrottle {
    /// True when this try may go ahead (and counts it).
    pub fn allow(&self, username: &str, address: Option<IpAddr>) -> bool {
        let address_ok = address.is_none_or(|a| self.per_address.check_key(&a).is_ok());
        let username_ok = self
            .per_username
            .check_key(&username.trim().to_ascii_lowercase())
            .is_ok();
        // Old keys are dropped now and then so the maps stay small.
        if self.per_username.len() > 10_000 {
            self.per_username.retain_recent();
            self.per_address.retain_recent();
        }
        address_ok && username_ok
    }
}

/// Public certificate lookups (the verification page, its JSON and the
/// credential): generous for an employer checking a few certificates,
/// slow for someone trying ids one after another. Per address, in memory
/// per instance.
pub struct LookupThrottle {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

const LOOKUPS_PER_ADDRESS_PER_MINUTE: u32 = 60;

impl Default for LookupThrottle {
    fn default() -> Self {
        LookupThrottle::per_minute(LOOKUPS_PER_ADDRESS_PER_MINUTE)
    }
}

impl LookupThrottle {
    pub fn per_minute(lookups: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(lookups).unwrap_or(NonZeroU32::MIN));
        LookupThrottle {
            per_address: RateLimiter::keyed(quota),
        }
    }

    /// True when a lookup from this request's address may go ahead.
    pub fn allow_request(&self, request: &actix_web::HttpRequest) -> bool {
        self.allow(request.peer_addr().map(|address| address.ip()))
    }

    /// True when this lookup may go ahead (and counts it).
    pub fn allow(&self, address: Option<IpAddr>) -> bool {
        if self.per_address.len() > 10_000 {
            self.per_address.retain_recent();
        }
        address.is_none_or(|a| self.per_address.check_key(&a).is_ok())
    }
}
