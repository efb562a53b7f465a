//! Certificate ids a person can read out on the phone and type without
//! mistakes: eight characters from an alphabet with no look-alikes (none of
//! 0 O 1 I L 2 Z 5 S B U V; 8 stays, as B is gone), then a check character (Luhn mod 24) that
//! catches any one wrong character and any swap of two neighbours but one
//! (`3Y` for `Y3`, as Luhn misses `09` for `90`). Written in groups:
//! `K7MX-3QPA-W`.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// 24 characters that cannot be taken for one another, in print or by ear.
pub(crate) const ALPHABET: &[u8; 24] = b"346789ACDEFGHJKMNPQRTWXY";

const BODY_LENGTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificateId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateIdError {
    #[error("A certificate number has 9 letters and numbers, like K7MX-3QPA-W.")]
    Length,
    #[error("\"{0}\" cannot be in a certificate number.")]
    Character(char),
    #[error("This certificate number has a mistake in it. Please check each letter.")]
    Check,
}

impl CertificateIdError {
    /// The Fluent key of this message, for pages in the reader's language.
    pub fn message_key(&self) -> &'static str {
        match self {
            CertificateIdError::Length => "certificate-id-length",
            CertificateIdError::Character(_) => "certificate-id-character",
            CertificateIdError::Check => "certificate-id-check",
        }
    }
}

fn value_of(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == c)
}

/// Luhn mod N over the alphabet: the check character that makes the sum
/// come out to zero.
fn check_character(body: &[u8]) -> u8 {
    let n = ALPHABET.len();
    let mut sum = 0;
    for (i, &c) in body.iter().rev().enumerate() {
        let mut v = value_of(c).unwrap_or(0);
        if i % 2 == 0 {
            v *= 2;
            v = v / n + v % n;
        }
        sum += v;
    }
    ALPHABET[(n - sum % n) % n]
}

impl CertificateId {
    pub fn generate() -> CertificateId {
        let mut rng = rand::rng();
        let body: Vec<u8> = (0..BODY_LENGTH)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
            .collect();
        CertificateId::from_body(&body)
    }

    fn from_body(body: &[u8]) -> CertificateId {
        let mut text = String::with_capacity(BODY_LENGTH + 1);
        text.extend(body.iter().map(|&b| b as char));
        text.push(check_character(body) as char);
        CertificateId(text)
    }

    /// Reads an id as a person typed it: any case, with or without dashes
    /// and spaces. The check character must agree.
    pub fn parse(typed: &str) -> Result<CertificateId, CertificateIdError> {
        let cleaned: Vec<u8> = typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
            .map(|c| c.to_ascii_uppercase())
            .map(|c| {
                if c.is_ascii() && value_of(c as u8).is_some() {
                    Ok(c as u8)
                } else {
                    Err(CertificateIdError::Character(c))
                }
            })
            .collect::<Result<_, _>>()?;
        if cleaned.len() != BODY_LENGTH + 1 {
            return Err(CertificateIdError::Length);
        }
        let (body, check) = cleaned.split_at(BODY_LENGTH);
        if check_character(body) != check[0] {
            return Err(CertificateIdError::Check);
        }
        Ok(CertificateId::from_body(body))
    }

    /// The stored form: nine characters, no dashes.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The written form, in groups: `K7MX-3QPA-W`.
impl fmt::Display for CertificateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{}-{}-{}", &s[..4], &s[4..8], &s[8..])
    }
}

impl TryFrom<String> for CertificateId {
    type Error = CertificateIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CertificateId::parse(&value)
    }
}

impl From<CertificateId> for String {
    fn from(id: CertificateId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in b"0O1IL2Z5SBUV" {
            assert!(!ALPHABET.contains(c), "{}", *c as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len());
    }

    #[test]
    fn a_generated_id_reads_back_however_it_is_typed() {
        for _ in 0..200 {
            let id = CertificateId::generate();
            let written = id.to_string();
            assert_eq!(written.len(), 11);
            assert_eq!(CertificateId::parse(&written), Ok(id.clone()));
            assert_eq!(
                CertificateId::parse(&written.to_lowercase()),
                Ok(id.clone())
            );
            assert_eq!(
                CertificateId::parse(&written.replace('-', " ")),
                Ok(id.clone())
            );
            assert_eq!(CertificateId::parse(id.as_str()), Ok(id));
        }
    }

    #[test]
    fn every_single_mistake_and_neighbour_swap_is_caught() {
        let id = CertificateId::generate();
        let bytes = id.as_str().as_bytes().to_vec();
        for i in 0..bytes.len() {
            for &other in ALPHABET.iter().filter(|&&c| c != bytes[i]) {
                let mut typo = bytes.clone();
                typo[i] = other;
                let typo = String::from_utf8(typo).unwrap();
                assert!(
                    CertificateId::parse(&typo).is_err(),
                    "{typo} accepted for {id}"
                );
            }
        }
        for i in 0..bytes.len() - 1 {
            let pair = [bytes[i], bytes[i + 1]];
            if pair[0] == pair[1] || pair == *b"3Y" || pair == *b"Y3" {
                continue;
            }
            let mut swapped = bytes.clone();
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert!(
                CertificateId::parse(&swapped).is_err(),
                "{swapped} accepted for {id}"
            );
        }
    }

    #[test]
    fn wrong_lengths_and_characters_are_explained() {
        assert_eq!(
            CertificateId::parse("K7MX"),
            Err(CertificateIdError::Length)
        );
        assert_eq!(
            CertificateId::parse("K7MX-3QPA-0"),
            Err(CertificateIdError::Character('0'))
        );
    }
}
