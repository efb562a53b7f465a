//! Accounts: signing in (a page's session or an API token), signing out on
//! all devices, registering, the first admin's set-up link, a forgotten
//! password, the interface language, and whether anyone may register.
//!
//! Signing in is counted before the password is checked (see
//! [`SignInTries`]) and is as slow for an unknown username as for a wrong
//! password; its outcome says which of the three it was, so the page and
//! the API answer each the same way.

use std::net::IpAddr;
use std::time::Duration;

use super::{Context, Message, ServiceError, ServiceResult};
use crate::domain::names::{FullName, NewPassword, Role, Username, parse_email};
use crate::i18n::{self, Language};
use crate::passwords::{self, random_token, token_hash};
use crate::store::site::{ADMIN_SETUP_TOKEN, SELF_REGISTRATION};
use crate::store::users::{Account, CreateUserError, NewAccount};
use crate::store::{Store, now};

/// Counts sign-in tries before the password is checked, so guessing slows
/// down (the server's is `web::throttle::SignInThrottle`).
pub trait SignInTries {
    /// A try let through (counted as wrong until the returned function is
    /// called), or how long to wait before trying again.
    fn begin<'a>(
        &'a self,
        username: &str,
        address: Option<IpAddr>,
    ) -> Result<Box<dyn FnOnce() + 'a>, Duration>;
}

/// How a sign-in went.
#[derive(Debug)]
pub enum SignIn<T = Account> {
    Accepted(T),
    /// Unknown username or wrong password (which of the two is not told).
    WrongCredentials,
    /// Too many wrong tries from this address: not checked at all.
    Wait(Duration),
}

/// The account for a username and password, for the sign-in page and the
/// API's token alike.
pub async fn check_credentials(
    store: &Store,
    tries: &(impl SignInTries + ?Sized),
    address: Option<IpAddr>,
    username: &str,
    password: &str,
) -> ServiceResult<SignIn> {
    let succeeded = match tries.begin(username, address) {
        Ok(succeeded) => succeeded,
        Err(wait) => return Ok(SignIn::Wait(wait)),
    };
    let found = store.credentials(username).await?;
    // An unknown username costs a hash too, so timing tells nothing.
    let hash = found
        .as_ref()
        .map_or_else(|| passwords::dummy_hash().to_string(), |(_, h)| h.clone());
    let verified = passwords::verify(password.to_string(), hash).await?;
    match found.filter(|_| verified) {
        Some((account, _)) => {
            succeeded();
            Ok(SignIn::Accepted(account))
        }
        None => Ok(SignIn::WrongCredentials),
    }
}

/// Where a person lands after signing in without a page to go back to:
/// staff start on their classes (a coordinator or admin sees every class,
/// and the reports are one link away), learners on the catalogue.
pub fn start_page(role: Role) -> &'static str {
    match role {
        Role::Learner => "/",
        Role::Tutor | Role::Coordinator | Role::Admin => "/classes",
    }
}

/// A new API token and the account it signs in.
#[derive(Debug)]
pub struct NewToken {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub account: Account,
}

/// A bearer token for a username and password. It works until the
/// account's password changes or the account signs out on all devices.
pub async fn new_api_token(
    store: &Store,
    tries: &(impl SignInTries + ?Sized),
    address: Option<IpAddr>,
    username: &str,
    password: &str,
) -> ServiceResult<SignIn<NewToken>> {
    let account = match check_credentials(store, tries, address, username, password).await? {
        SignIn::Accepted(account) => account,
        SignIn::WrongCredentials => return Ok(SignIn::WrongCredentials),
        SignIn::Wait(wait) => return Ok(SignIn::Wait(wait)),
    };
    let token = random_token();
    store.add_api_token(account.id, &token_hash(&token)).await?;
    Ok(SignIn::Accepted(NewToken { token, account }))
}

/// The account an API token signs in, if the token is known.
pub async fn account_for_token(store: &Store, token: &str) -> ServiceResult<Option<Account>> {
    Ok(store.account_for_token(&token_hash(token)).await?)
}

/// Ends every session and every API token of the account: every phone,
/// computer and app signs in again with the password.
pub async fn sign_out_everywhere(store: &Store, account: &Account) -> ServiceResult<()> {
    Ok(store.end_all_sign_ins(account.id).await?)
}

/// A new account as typed into the registration or set-up form.
#[derive(Debug, Clone, Copy)]
pub struct AccountForm<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    /// Empty for none.
    pub email: &'a str,
    pub password: &'a str,
}

struct ValidAccount {
    username: Username,
    full_name: FullName,
    email: Option<String>,
    password: NewPassword,
}

/// Every problem with the form at once.
fn validate(form: AccountForm<'_>) -> ServiceResult<ValidAccount> {
    let username = Username::parse(form.username);
    let full_name = FullName::parse(form.full_name);
    let email = parse_email(form.email);
    let password = NewPassword::parse(form.password);
    match (username, full_name, email, password) {
        (Ok(username), Ok(full_name), Ok(email), Ok(password)) => Ok(ValidAccount {
            username,
            full_name,
            email,
            password,
        }),
        (username, full_name, email, password) => Err(ServiceError::Invalid(
            [username.err(), full_name.err(), email.err(), password.err()]
                .into_iter()
                .flatten()
                .map(|e| Message::key(e.message_key()))
                .collect(),
        )),
    }
}

async fn create_account(
    store: &Store,
    form: AccountForm<'_>,
    role: Role,
    language: &str,
) -> ServiceResult<Account> {
    let valid = validate(form)?;
    let hash = passwords::hash(valid.password.expose().to_string()).await?;
    let created = store
        .create_user(NewAccount {
            username: &valid.username,
            full_name: &valid.full_name,
            email: valid.email.as_deref(),
            role,
            password_hash: &hash,
            language,
        })
        .await;
    match created {
        Ok(account) => Ok(account),
        Err(CreateUserError::UsernameTaken(_)) => {
            Err(ServiceError::invalid(Message::key("register-taken")))
        }
        Err(CreateUserError::Store(e)) => Err(e.into()),
    }
}

/// Whether anyone may make themselves a learner's account (an admin can
/// close it).
pub async fn registration_open(store: &Store) -> ServiceResult<()> {
    if store.self_registration_open().await? {
        Ok(())
    } else {
        Err(ServiceError::forbidden(Message::key(
            "account-registration-closed",
        )))
    }
}

/// A learner's account made by the learner, in the language they use.
pub async fn register(
    store: &Store,
    form: AccountForm<'_>,
    language: &str,
) -> ServiceResult<Account> {
    registration_open(store).await?;
    create_account(store, form, Role::Learner, language).await
}

/// The set-up link works once, and only while there is no admin.
pub async fn check_setup_link(store: &Store, token: &str) -> ServiceResult<()> {
    let stored = store.setting(ADMIN_SETUP_TOKEN).await?;
    let no_admin = store.count_role(Role::Admin).await? == 0;
    if no_admin && stored.is_some_and(|hash| hash == token_hash(token)) {
        Ok(())
    } else {
        Err(ServiceError::not_found(Message::key(
            "account-setup-link-unknown",
        )))
    }
}

/// The first admin, made with the set-up link, which then stops working.
pub async fn set_up_admin(
    store: &Store,
    token: &str,
    form: AccountForm<'_>,
    language: &str,
) -> ServiceResult<Account> {
    check_setup_link(store, token).await?;
    let account = create_account(store, form, Role::Admin, language).await?;
    store.delete_setting(ADMIN_SETUP_TOKEN).await?;
    Ok(account)
}

/// Longer than any username or email address: not looked up.
const MAX_LOGIN_CHARS: usize = 254;

/// The username or email address a password link is asked for, trimmed.
pub fn password_link_login(login: &str) -> ServiceResult<&str> {
    let login = login.trim();
    if login.is_empty() {
        Err(ServiceError::invalid(Message::key("password-forgot-empty")))
    } else {
        Ok(login)
    }
}

/// Mails a password link to the account with this username or email
/// address, if there is one with an email address. The answer is the same
/// either way, so nobody learns who has an account; the store sends one
/// account at most a few links an hour.
pub async fn ask_for_password_link(store: &Store, login: &str) -> ServiceResult<()> {
    let login = password_link_login(login)?;
    if login.chars().count() <= MAX_LOGIN_CHARS {
        let queued = store.request_password_reset(login, now()).await?;
        tracing::info!(mails = queued, "password reset asked for");
    }
    Ok(())
}

fn bad_reset_link() -> ServiceError {
    ServiceError::not_found(Message::key("account-reset-link-unknown"))
}

/// The account a password link is for, while the link works (not used,
/// not expired).
pub async fn password_link_account(store: &Store, token: &str) -> ServiceResult<Account> {
    store
        .password_reset_account(token, now())
        .await?
        .ok_or_else(bad_reset_link)
}

/// A new password with a link: typed twice, the same both times. It ends
/// every session and token of the account. Not found when the link does
/// not work (another tab may have used it meanwhile).
pub async fn reset_password(
    store: &Store,
    token: &str,
    password: &str,
    password_again: &str,
) -> ServiceResult<Account> {
    let password = match NewPassword::parse(password) {
        Ok(_) if password != password_again => {
            return Err(ServiceError::invalid(Message::key("password-mismatch")));
        }
        Ok(password) => password,
        Err(e) => return Err(ServiceError::invalid(Message::key(e.message_key()))),
    };
    let hash = passwords::hash(password.expose().to_string()).await?;
    store
        .reset_password(token, &hash, now())
        .await?
        .ok_or_else(bad_reset_link)
}

/// How changing one's own password went.
#[derive(Debug)]
pub enum PasswordChange {
    /// Changed: every session and API token of the account has ended. The
    /// account as it is now (its new password stamp), so the caller can
    /// sign the browser or app that asked in again.
    Changed(Account),
    /// The current password was wrong (counted like a wrong sign-in).
    WrongCurrent,
    /// Too many wrong tries: not checked at all.
    Wait(Duration),
}

/// A signed-in person changes their own password: the current one, and
/// the new one typed twice, by the same rules as registering. Wrong
/// current passwords are counted and slowed down like wrong sign-ins, so
/// a borrowed, signed-in phone is no way to guess the password. Every
/// session and API token of the account ends, as with a reset.
pub async fn change_own_password(
    store: &Store,
    tries: &(impl SignInTries + ?Sized),
    address: Option<IpAddr>,
    account: &Account,
    current: &str,
    new: &str,
    new_again: &str,
) -> ServiceResult<PasswordChange> {
    let password = match NewPassword::parse(new) {
        Ok(_) if new != new_again => {
            return Err(ServiceError::invalid(Message::key("password-mismatch")));
        }
        Ok(password) => password,
        Err(e) => return Err(ServiceError::invalid(Message::key(e.message_key()))),
    };
    match check_credentials(store, tries, address, &account.username, current).await? {
        SignIn::Accepted(found) if found.id == account.id => {}
        SignIn::Accepted(_) | SignIn::WrongCredentials => return Ok(PasswordChange::WrongCurrent),
        SignIn::Wait(wait) => return Ok(PasswordChange::Wait(wait)),
    }
    let hash = passwords::hash(password.expose().to_string()).await?;
    store.set_password_hash(account.id, &hash).await?;
    let changed = store
        .account(account.id)
        .await?
        .ok_or_else(|| ServiceError::not_found(Message::key("error-not-found")))?;
    Ok(PasswordChange::Changed(changed))
}

/// A new API token for an account that has just proven its password (the
/// app that changed the password keeps working with the token it gets).
pub async fn fresh_api_token(store: &Store, account: &Account) -> ServiceResult<String> {
    let token = random_token();
    store.add_api_token(account.id, &token_hash(&token)).await?;
    Ok(token)
}

/// The interface language by its code, kept on the account when someone
/// is signed in.
pub async fn choose_language(
    store: &Store,
    account: Option<&Account>,
    code: &str,
) -> ServiceResult<Language> {
    let language = i18n::language(code).ok_or_else(|| {
        ServiceError::invalid(Message::key("account-unknown-language").arg("code", code))
    })?;
    if let Some(account) = account {
        store.set_language(account.id, language.code).await?;
    }
    Ok(language)
}

fn require_admin(actor: &Account) -> ServiceResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(ServiceError::forbidden(Message::key("account-admins-only")))
    }
}

/// What the admin page shows.
#[derive(Debug)]
pub struct SiteOverview {
    pub registration_open: bool,
    pub courses: usize,
}

pub async fn site_overview(ctx: Context<'_>, actor: &Account) -> ServiceResult<SiteOverview> {
    require_admin(actor)?;
    Ok(SiteOverview {
        registration_open: ctx.store.self_registration_open().await?,
        courses: ctx.catalog.snapshot().len(),
    })
}

/// Opens or closes registration by learners themselves (admins only).
pub async fn set_self_registration(
    store: &Store,
    actor: &Account,
    open: bool,
) -> ServiceResult<()> {
    require_admin(actor)?;
    let value = if open { "on" } else { "off" };
    Ok(store.set_setting(SELF_REGISTRATION, value).await?)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::service::learning::tests::World;

    /// Lets every try through and counts the ones that succeeded.
    #[derive(Default)]
    struct Counted {
        succeeded: Cell<u32>,
    }

    impl SignInTries for Counted {
        fn begin<'a>(
            &'a self,
            _: &str,
            _: Option<IpAddr>,
        ) -> Result<Box<dyn FnOnce() + 'a>, Duration> {
            Ok(Box::new(|| self.succeeded.set(self.succeeded.get() + 1)))
        }
    }

    /// Lets nothing through.
    struct Closed;

    impl SignInTries for Closed {
        fn begin<'a>(
            &'a self,
            _: &str,
            _: Option<IpAddr>,
        ) -> Result<Box<dyn FnOnce() + 'a>, Duration> {
            Err(Duration::from_secs(4))
        }
    }

    async fn world_with_dawit() -> World {
        let world = World::new().await;
        let hash = passwords::hash_password("password123").unwrap();
        world.account("dawit", Role::Tutor, &hash).await;
        world
    }

    #[tokio::test]
    async fn a_token_is_given_for_the_right_password_only() {
        let world = world_with_dawit().await;
        let tries = Counted::default();
        let wrong = new_api_token(&world.store, &tries, None, "dawit", "nope").await;
        assert!(matches!(wrong, Ok(SignIn::WrongCredentials)));
        let unknown = check_credentials(&world.store, &tries, None, "nobody", "password123").await;
        assert!(matches!(unknown, Ok(SignIn::WrongCredentials)));
        assert_eq!(tries.succeeded.get(), 0);
        let Ok(SignIn::Accepted(new)) =
            new_api_token(&world.store, &tries, None, " Dawit ", "password123").await
        else {
            panic!("the right password gets a token");
        };
        assert_eq!(tries.succeeded.get(), 1, "the try is taken back");
        assert_eq!(new.account.username, "dawit");
        let found = account_for_token(&world.store, &new.token).await.unwrap();
        assert_eq!(found.map(|a| a.id), Some(new.account.id));

        sign_out_everywhere(&world.store, &new.account)
            .await
            .unwrap();
        assert!(
            account_for_token(&world.store, &new.token)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_throttled_try_is_not_checked() {
        let world = world_with_dawit().await;
        let outcome = check_credentials(&world.store, &Closed, None, "dawit", "password123").await;
        assert!(matches!(outcome, Ok(SignIn::Wait(wait)) if wait == Duration::from_secs(4)));
    }

    #[tokio::test]
    async fn registration_names_every_problem_and_can_be_closed() {
        let world = World::new().await;
        let form = AccountForm {
            username: "x",
            full_name: "",
            email: "not an address",
            password: "short",
        };
        let Err(ServiceError::Invalid(problems)) = register(&world.store, form, "en").await else {
            panic!("refused");
        };
        assert_eq!(problems.len(), 4, "{problems:?}");
        let good = AccountForm {
            username: "amina",
            full_name: "Amina Yusuf",
            email: "",
            password: "a long password",
        };
        let amina = register(&world.store, good, "ar").await.unwrap();
        assert_eq!((amina.role, amina.language.as_str()), (Role::Learner, "ar"));
        let Err(ServiceError::Invalid(problems)) = register(&world.store, good, "en").await else {
            panic!("taken");
        };
        assert_eq!(problems, vec![Message::key("register-taken")]);

        let admin = world.account("root", Role::Admin, "not a hash").await;
        let refused = set_self_registration(&world.store, &amina, false).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
        set_self_registration(&world.store, &admin, false)
            .await
            .unwrap();
        let closed = register(
            &world.store,
            AccountForm {
                username: "farid",
                ..good
            },
            "en",
        )
        .await;
        assert!(matches!(closed, Err(ServiceError::Forbidden(_))));
        assert!(
            !site_overview(world.ctx(), &admin)
                .await
                .unwrap()
                .registration_open
        );
    }

    #[tokio::test]
    async fn the_set_up_link_makes_one_admin_once() {
        let world = World::new().await;
        world
            .store
            .set_setting(ADMIN_SETUP_TOKEN, &token_hash("secret"))
            .await
            .unwrap();
        assert!(matches!(
            check_setup_link(&world.store, "guess").await,
            Err(ServiceError::NotFound(_))
        ));
        let form = AccountForm {
            username: "root",
            full_name: "The Admin",
            email: "admin@example.org",
            password: "a long password",
        };
        let admin = set_up_admin(&world.store, "secret", form, "en")
            .await
            .unwrap();
        assert_eq!(admin.role, Role::Admin);
        let again = set_up_admin(
            &world.store,
            "secret",
            AccountForm {
                username: "root2",
                ..form
            },
            "en",
        )
        .await;
        assert!(matches!(again, Err(ServiceError::NotFound(_))));
    }

    #[tokio::test]
    async fn password_links_and_languages() {
        let world = world_with_dawit().await;
        assert!(matches!(
            password_link_login("   "),
            Err(ServiceError::Invalid(problems)) if problems == vec![Message::key("password-forgot-empty")]
        ));
        assert_eq!(password_link_login(" dawit ").unwrap(), "dawit");
        ask_for_password_link(&world.store, "dawit").await.unwrap();
        assert!(matches!(
            password_link_account(&world.store, "unknown").await,
            Err(ServiceError::NotFound(_))
        ));
        let mismatch =
            reset_password(&world.store, "unknown", "a long password", "another one").await;
        assert!(matches!(
            mismatch,
            Err(ServiceError::Invalid(problems)) if problems == vec![Message::key("password-mismatch")]
        ));
        let bad_link = reset_password(
            &world.store,
            "unknown",
            "a long password",
            "a long password",
        )
        .await;
        assert!(matches!(bad_link, Err(ServiceError::NotFound(_))));

        let dawit = world.store.credentials("dawit").await.unwrap().unwrap().0;
        let language = choose_language(&world.store, Some(&dawit), "uk")
            .await
            .unwrap();
        assert_eq!(language.code, "uk");
        assert_eq!(
            world
                .store
                .account(dawit.id)
                .await
                .unwrap()
                .unwrap()
                .language,
            "uk"
        );
        let unknown = choose_language(&world.store, None, "xx")
            .await
            .err()
            .unwrap();
        assert_eq!(unknown.to_string(), "invalid: Unknown language: xx");
    }
}
