//! Password hashing (argon2id) and random tokens.
//!
//! Hashing is slow on purpose and takes about 19 MiB of memory each time.
//! The server hashes through [`hash`] and [`verify`], which run at most one
//! hash per core at once on the blocking pool; the rest wait their turn.
//! So a burst of sign-ins costs at most that many times 19 MiB, not 19 MiB
//! per request (`bench/signin_memory.sh`). The memory is given back when a
//! hash is done: `main` makes large allocations come straight from the
//! operating system. The command line hashes directly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Block, Params, Version, password_hash::rand_core::OsRng};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use tokio::sync::Semaphore;

/// Hashing that could not run (the blocking pool is gone) or failed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingError(String);

/// Runs hashes on the blocking pool, a bounded number at once.
pub struct Hasher {
    permits: Arc<Semaphore>,
    running: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
}

impl Hasher {
    pub fn new(at_once: usize) -> Hasher {
        Hasher {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
            running: Arc::default(),
            most_at_once: Arc::default(),
        }
    }

    /// The server's hasher: one hash at a time per core.
    pub fn global() -> &'static Hasher {
        static HASHER: LazyLock<Hasher> = LazyLock::new(|| {
            Hasher::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
        });
        &HASHER
    }

    /// Runs `work` on the blocking pool once a permit is free. The permit
    /// goes with the work, so a caller that gives up (a closed connection)
    /// does not free it before the work is done.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| HashingError(e.to_string()))?;
        let (running, most) = (self.running.clone(), self.most_at_once.clone());
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            let result = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            result
        })
        .await
        .map_err(|e| HashingError(e.to_string()))
    }

    /// The most hashes that have run at the same time.
    pub fn most_at_once(&self) -> usize {
        self.most_at_once.load(Ordering::SeqCst)
    }
}

/// [`hash_password`] through the server's hasher.
pub async fn hash(password: String) -> Result<String, HashingError> {
    Hasher::global()
        .run(move || hash_password(&password))
        .await?
        .map_err(|e| HashingError(e.to_string()))
}

/// Hashes one password after another: a roster of hundreds takes turns
/// with the sign-ins rather than holding every permit. The roster's hashes
/// share one 19 MiB buffer, given back at the end, rather than mapping
/// fresh memory for each.
pub async fn hash_each(passwords: Vec<String>) -> Result<Vec<String>, HashingError> {
    let mut hashes = Vec::with_capacity(passwords.len());
    let mut memory: Option<Vec<Block>> = None;
    for password in passwords {
        let lent = memory.take();
        let (hashed, returned) = Hasher::global()
            .run(move || {
                let mut blocks =
                    lent.unwrap_or_else(|| vec![Block::default(); Params::DEFAULT.block_count()]);
                (hash_password_in(&password, &mut blocks), blocks)
            })
            .await?;
        memory = Some(returned);
        hashes.push(hashed?);
    }
    Ok(hashes)
}

/// [`hash_password`] in memory the caller keeps (the default parameters'
/// block count).
fn hash_password_in(password: &str, blocks: &mut [Block]) -> Result<String, HashingError> {
    let failed = |e: &dyn std::fmt::Display| HashingError(e.to_string());
    let argon2 = Argon2::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buffer = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buffer).map_err(|e| failed(&e))?;
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut output, blocks)
        .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: argon2.params().try_into().map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&output).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// [`verify_password`] through the server's hasher.
pub async fn verify(password: String, phc: String) -> Result<bool, HashingError> {
    Hasher::global()
        .run(move || verify_password(&password, &phc))
        .await
}

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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_the_hasher_allows() {
        let hasher = Arc::new(Hasher::new(2));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let hasher = hasher.clone();
            tasks.push(tokio::spawn(async move {
                hasher
                    .run(|| std::thread::sleep(std::time::Duration::from_millis(30)))
                    .await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(hasher.most_at_once(), 2);
    }

    #[test]
    fn a_hash_in_kept_memory_is_the_same_kind_of_hash() {
        let mut blocks = vec![Block::default(); Params::DEFAULT.block_count()];
        let kept = hash_password_in("correct horse", &mut blocks).unwrap();
        let again = hash_password_in("correct horse", &mut blocks).unwrap();
        let usual = hash_password("correct horse").unwrap();
        assert_ne!(kept, again, "a fresh salt each time");
        let prefix = |phc: &str| phc.rsplitn(3, '$').nth(2).unwrap().to_string();
        assert_eq!(
            prefix(&kept),
            prefix(&usual),
            "the same algorithm and parameters"
        );
        assert!(verify_password("correct horse", &kept));
        assert!(verify_password("correct horse", &again));
        assert!(!verify_password("wrong horse", &kept));
    }

    #[tokio::test]
    async fn the_server_hasher_hashes_and_verifies() {
        let hashes = hash_each(vec!["first one".into(), "second one".into()])
            .await
            .unwrap();
        assert!(
            verify("second one".into(), hashes[1].clone())
                .await
                .unwrap()
        );
        assert!(
            !verify("second one".into(), hashes[0].clone())
                .await
                .unwrap()
        );
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
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
