//! Password hashing (argon2id) and random tokens. Hashing is slow on
//! purpose; callers run it on the blocking pool.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, password_hash::rand_core::OsRng};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// An argon2id PHC string (the salt and parameters travel with the hash).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// False for a wrong password and for a hash that cannot be read.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to compare against when the username does not exist, so a wrong
/// username takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4ZuJ3tBmn+Ck1n0bEzpSNgbvkcO/m6AYbC3d13Y4bLQ"
}

/// 32 random bytes, URL-safe base64: API tokens, set-up links, form tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A first password a tutor hands a learner on a printed card: nine
/// characters (`7kmx-3qpa`) from an alphabet with no look-alikes, easy to
/// type on a phone. About 37 bits: enough behind sign-in throttling, and
/// the learner can change it.
pub fn readable_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"346789acdefghjkmnpqrtwxy";
    let mut rng = rand::rng();
    let mut password = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            password.push('-');
        }
        password.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    password
}

/// What is stored for a bearer token or a one-time link: its BLAKE3 hash,
/// so a copy of the database does not hold working tokens.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn readable_passwords_are_new_passwords() {
        let password = readable_password();
        assert_eq!(password.len(), 9);
        assert!(crate::domain::names::NewPassword::parse(&password).is_ok());
        assert_ne!(password, readable_password());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_ne!(token_hash(&a), a);
        assert!(PasswordHash::new(dummy_hash()).is_ok());
    }
}
