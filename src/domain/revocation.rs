//! Why a certificate is revoked: a reason a coordinator writes, shown to
//! anyone who checks the certificate afterwards.

use std::fmt;

/// The longest reason kept, in characters once trimmed.
pub const REASON_MAX_CHARS: usize = 500;

/// A revocation reason as typed: trimmed, not empty, at most
/// [`REASON_MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationReason(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RevocationReasonError {
    #[error("Please write why the certificate is revoked.")]
    Missing,
    #[error("The reason can have at most 500 characters.")]
    TooLong,
}

impl RevocationReasonError {
    /// The Fluent key of this message, for pages in the reader's language.
    pub fn message_key(self) -> &'static str {
        match self {
            RevocationReasonError::Missing => "certificate-revoke-reason-missing",
            RevocationReasonError::TooLong => "certificate-revoke-reason-long",
        }
    }
}

impl RevocationReason {
    /// Spaces at either end do not count: a reason of only spaces is
    /// missing.
    pub fn parse(typed: &str) -> Result<RevocationReason, RevocationReasonError> {
        let reason = typed.trim();
        if reason.is_empty() {
            Err(RevocationReasonError::Missing)
        } else if reason.chars().count() > REASON_MAX_CHARS {
            Err(RevocationReasonError::TooLong)
        } else {
            Ok(RevocationReason(reason.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_kept_trimmed() {
        let reason = RevocationReason::parse("  Issued to the wrong learner\n").unwrap();
        assert_eq!(reason.as_str(), "Issued to the wrong learner");
    }

    #[test]
    fn an_empty_reason_or_one_of_only_spaces_is_missing() {
        for typed in ["", "   ", "\n\t", "\u{3000}\u{a0}"] {
            assert_eq!(
                RevocationReason::parse(typed),
                Err(RevocationReasonError::Missing),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn at_most_500_characters_not_bytes_and_not_counting_the_spaces_around() {
        let longest = "أ".repeat(REASON_MAX_CHARS);
        assert!(
            RevocationReason::parse(&longest).is_ok(),
            "500 letters of 2 bytes"
        );
        assert!(RevocationReason::parse(&format!("  {longest}  ")).is_ok());
        assert_eq!(
            RevocationReason::parse(&format!("{longest}x")),
            Err(RevocationReasonError::TooLong)
        );
    }

    #[test]
    fn each_problem_says_in_english_what_its_message_key_says() {
        for problem in [
            RevocationReasonError::Missing,
            RevocationReasonError::TooLong,
        ] {
            assert_eq!(
                crate::i18n::text("en", problem.message_key()),
                problem.to_string()
            );
        }
    }
}
