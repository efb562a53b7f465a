//! The sign-in throttle as the counter `service::accounts` checks sign-in
//! tries against, for the sign-in page and the API's token alike.

use std::net::IpAddr;
use std::time::Duration;

use super::throttle::SignInThrottle;
use crate::service::accounts::SignInTries;

impl SignInTries for SignInThrottle {
    fn begin<'a>(
        &'a self,
        username: &str,
        address: Option<IpAddr>,
    ) -> Result<Box<dyn FnOnce() + 'a>, Duration> {
        match SignInThrottle::begin(self, username, address) {
            Ok(attempt) => Ok(Box::new(move || attempt.succeeded())),
            Err(wait) => Err(wait.0),
        }
    }
}
