//! Class join codes: what a tutor reads out or writes on the board in a
//! virtual classroom, and learners type on a phone. Eight characters from
//! the certificate alphabet (no look-alikes), shown in two groups:
//! `K7MX-3QPA`. Any case, dashes and spaces are accepted when typed.

use std::fmt;

use rand::Rng;

use super::certificate_id::ALPHABET;

const LENGTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("A class code has 8 letters and numbers, like K7MX-3QPA.")]
pub struct JoinCodeError;

impl JoinCode {
    pub fn generate() -> JoinCode {
        let mut rng = rand::rng();
        JoinCode(
            (0..LENGTH)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect(),
        )
    }

    pub fn parse(typed: &str) -> Result<JoinCode, JoinCodeError> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = cleaned.len() == LENGTH && cleaned.bytes().all(|b| ALPHABET.contains(&b));
        if valid {
            Ok(JoinCode(cleaned))
        } else {
            Err(JoinCodeError)
        }
    }

    /// The stored form: eight characters, no dash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..4], &self.0[4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        for _ in 0..100 {
            let code = JoinCode::generate();
            let shown = code.to_string();
            assert_eq!(shown.len(), 9);
            assert_eq!(JoinCode::parse(&shown), Ok(code.clone()));
            assert_eq!(JoinCode::parse(&shown.to_lowercase()), Ok(code.clone()));
            assert_eq!(JoinCode::parse(&shown.replace('-', " ")), Ok(code));
        }
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_refused() {
        for bad in ["", "K7MX-3QP", "K7MX-3QPA-W", "O0I1-LZ25", "ابجد-هوزح"] {
            assert_eq!(JoinCode::parse(bad), Err(JoinCodeError), "{bad}");
        }
    }
}
