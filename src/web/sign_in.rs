//! Checking a username and password, for the sign-in page and the API's
//! token alike: throttled per (username, address) and per address, and as
//! slow for an unknown username as for a wrong password.

use std::net::IpAddr;

use super::AppState;
use super::throttle::RetryAfter;
use crate::passwords;
use crate::store::users::Account;

/// Why a sign-in did not go through.
#[derive(Debug)]
pub enum Refused {
    /// Unknown username or wrong password (which of the two is not told).
    WrongCredentials,
    /// Too many wrong tries from this address: not checked at all.
    Wait(RetryAfter),
}

/// The account for a username and password, or why not.
pub async fn check_credentials(
    state: &AppState,
    address: Option<IpAddr>,
    username: &str,
    password: &str,
) -> anyhow::Result<Result<Account, Refused>> {
    let attempt = match state.throttles.sign_in.begin(username, address) {
        Ok(attempt) => attempt,
        Err(wait) => return Ok(Err(Refused::Wait(wait))),
    };
    let found = state.store.credentials(username).await?;
    let hash = found
        .as_ref()
        .map_or_else(|| passwords::dummy_hash().to_string(), |(_, h)| h.clone());
    let verified = passwords::verify(password.to_string(), hash).await?;
    match found.filter(|_| verified) {
        Some((account, _)) => {
            attempt.succeeded();
            Ok(Ok(account))
        }
        None => Ok(Err(Refused::WrongCredentials)),
    }
}
