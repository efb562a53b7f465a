//! Parse, don't validate: account fields as newtypes that can only hold a
//! valid value. Each error message is shown to the person who typed it.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("A username needs 3 to 32 letters (a to z), numbers, dots, dashes or underscores.")]
    Username,
    #[error(
        "Usernames that start with \"erased-\" are kept for erased accounts. Please choose another."
    )]
    UsernameReserved,
    #[error("Please write your full name (1 to 100 characters).")]
    FullName,
    #[error("A password needs at least 8 characters.")]
    PasswordTooShort,
    #[error("A password can have at most 200 characters.")]
    PasswordTooLong,
    #[error("That email address does not look right.")]
    Email,
    #[error("The role must be learner, tutor, coordinator or admin.")]
    Role,
    #[error("The name in your own script can have at most 100 characters.")]
    OwnScriptName,
}

impl NameError {
    /// The interface-string key for this message, so it can be shown in the
    /// person's own language.
    pub fn message_key(&self) -> &'static str {
        match self {
            NameError::Username => "error-username",
            NameError::UsernameReserved => "error-username-reserved",
            NameError::FullName => "error-full-name",
            NameError::PasswordTooShort => "error-password-short",
            NameError::PasswordTooLong => "error-password-long",
            NameError::Email => "error-email",
            NameError::Role => "error-role",
            NameError::OwnScriptName => "error-own-script-name",
        }
    }
}

/// What an erased account's username starts with (`erased-<id>`, see
/// `store::erasure`). No account can be made with it, so a person cannot
/// pass for an erased learner, nor take the name an erasure will give.
pub const ERASED_PREFIX: &str = "erased-";

/// A login name: lower-case ASCII, so it is easy to type on any phone
/// keyboard and cannot be confused with a look-alike.
///
/// Every way of making an account (the sign-up page, `presto user add`, a
/// class's CSV import and new member form, the API) goes through
/// [`Username::parse`], so its rules hold everywhere. Signing in does not
/// parse: an account made before a rule existed can still sign in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Username, NameError> {
        let name = text.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if !((3..=32).contains(&name.len()) && name.chars().all(allowed)) {
            Err(NameError::Username)
        } else if name.starts_with(ERASED_PREFIX) {
            Err(NameError::UsernameReserved)
        } else {
            Ok(Username(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = NameError;

    fn try_from(text: String) -> Result<Username, NameError> {
        Username::parse(&text)
    }
}

impl From<Username> for String {
    fn from(name: Username) -> String {
        name.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name as they write it, in any script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullName(String);

impl FullName {
    pub fn parse(text: &str) -> Result<FullName, NameError> {
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = name.chars().count();
        if (1..=100).contains(&length) && !name.chars().any(char::is_control) {
            Ok(FullName(name))
        } else {
            Err(NameError::FullName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password. Length is the rule (no character classes), as the UK's
/// NCSC advises; the hash is all that is stored.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(text: &str) -> Result<NewPassword, NameError> {
        match text.chars().count() {
            0..8 => Err(NameError::PasswordTooShort),
            8..=200 => Ok(NewPassword(text.to_string())),
            _ => Err(NameError::PasswordTooLong),
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// An optional email address; empty means none (many learners have none).
pub fn parse_email(text: &str) -> Result<Option<String>, NameError> {
    let email = text.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(Some(email.to_string()))
    } else {
        Err(NameError::Email)
    }
}

/// An optional name in the person's own script ("أحمد حسن", "ትግስት ሃይሌ"),
/// beside the full name as on their papers: spaces tidied as in a full
/// name, at most 100 characters; empty means none.
pub fn parse_own_script_name(text: &str) -> Result<Option<String>, NameError> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Ok(None)
    } else if name.chars().count() <= 100 && !name.chars().any(char::is_control) {
        Ok(Some(name))
    } else {
        Err(NameError::OwnScriptName)
    }
}

/// Both names in one line, as a certificate carries them: "Ahmed Hassan ·
/// أحمد حسن"; the full name alone when there is no other (or it is the
/// same).
pub fn both_names(full_name: &str, own_script: Option<&str>) -> String {
    match own_script.map(str::trim) {
        Some(own) if !own.is_empty() && own != full_name.trim() => {
            format!("{full_name} · {own}")
        }
        _ => full_name.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Learner,
    Tutor,
    Coordinator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Learner, Role::Tutor, Role::Coordinator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Tutor => "tutor",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Role, NameError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim().to_ascii_lowercase())
            .ok_or(NameError::Role)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_its_own_script_is_optional_and_goes_beside_the_full_name() {
        assert_eq!(parse_own_script_name("  "), Ok(None));
        assert_eq!(
            parse_own_script_name(" أحمد   حسن "),
            Ok(Some("أحمد حسن".to_string()))
        );
        assert_eq!(
            parse_own_script_name(&"ት".repeat(101)),
            Err(NameError::OwnScriptName)
        );
        assert_eq!(
            both_names("Ahmed Hassan", Some("أحمد حسن")),
            "Ahmed Hassan · أحمد حسن"
        );
        assert_eq!(both_names("Ahmed Hassan", None), "Ahmed Hassan");
        assert_eq!(
            both_names("Ahmed Hassan", Some("Ahmed Hassan")),
            "Ahmed Hassan"
        );
    }

    #[test]
    fn usernames_are_lower_case_ascii() {
        assert_eq!(Username::parse(" Amina.K ").unwrap().as_str(), "amina.k");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("amina k").is_err());
        assert!(Username::parse("амина").is_err());
    }

    #[test]
    fn the_erased_form_is_kept_for_erasure() {
        for name in ["erased-8", " Erased-8 ", "ERASED-12-2", "erased-x"] {
            assert_eq!(
                Username::parse(name),
                Err(NameError::UsernameReserved),
                "{name}"
            );
        }
        // Deserialising goes through the same rule.
        assert!(serde_json::from_str::<Username>("\"erased-8\"").is_err());
        assert_eq!(
            serde_json::from_str::<Username>("\"Amina\"").unwrap(),
            Username::parse("amina").unwrap()
        );
        // Only the prefix is kept: names that merely contain it are fine.
        assert!(Username::parse("erased").is_ok());
        assert!(Username::parse("not-erased-8").is_ok());
        assert!(Username::parse("erased_8").is_ok());
    }

    #[test]
    fn full_names_keep_any_script() {
        for name in ["أمينة خان", "ሰላም ተስፋይ", "Олена Коваленко", "Zoë Ñúñez"]
        {
            assert_eq!(FullName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(
            FullName::parse("  Ali   Reza ").unwrap().as_str(),
            "Ali Reza"
        );
        assert!(FullName::parse("   ").is_err());
        assert!(FullName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert_eq!(
            NewPassword::parse("short").unwrap_err(),
            NameError::PasswordTooShort
        );
        assert!(NewPassword::parse("كلمة سر طويلة").is_ok());
    }

    #[test]
    fn email_is_optional_but_checked() {
        assert_eq!(parse_email("  "), Ok(None));
        assert_eq!(parse_email("a@b.org"), Ok(Some("a@b.org".into())));
        assert!(parse_email("not an email").is_err());
    }
}
