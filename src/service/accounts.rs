//! Accounts: signing in (a page's session or an API token), signing out on
//! all devices, registering, the first admin's set-up link, a forgotten
//! password, the interface language, the home language and the name in
//! one's own script, and whether anyone may register.
//!
//! Signing in is counted before the password is checked (see
//! [`SignInTries`]) and is as slow for an unknown username as for a wrong
//! password; its outcome says which of the three it was, so the page and
//! the API answer each the same way.

use std::net::IpAddr;
use std::time::Duration;

use super::{Context, Message, ServiceError, ServiceResult};
use crate::domain::home_language::{self, HomeLanguage};
use crate::domain::names::{
    FullName, NewPassword, Role, Username, parse_email, parse_own_script_name,
};
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
    /// Empty: the interface language.
    pub home_language: &'a str,
    /// Empty for none.
    pub name_in_own_script: &'a str,
}

struct ValidAccount {
    username: Username,
    full_name: FullName,
    email: Option<String>,
    password: NewPassword,
    home_language: Option<String>,
    name_in_own_script: Option<String>,
}

/// A home language as typed, against the languages offered.
fn home_language_choice(typed: &str, offered: &[String]) -> Result<Option<String>, Message> {
    home_language::parse_choice(typed, offered).map_err(|code| {
        Message::key("account-unknown-home-language")
            .arg("code", code)
            .arg("codes", offered.join(", "))
    })
}

/// Every problem with the form at once. `offered`: the home languages a
/// learner may choose.
fn validate(form: AccountForm<'_>, offered: &[String]) -> ServiceResult<ValidAccount> {
    let username = Username::parse(form.username);
    let full_name = FullName::parse(form.full_name);
    let email = parse_email(form.email);
    let password = NewPassword::parse(form.password);
    let own_script = parse_own_script_name(form.name_in_own_script);
    let home = home_language_choice(form.home_language, offered);
    match (username, full_name, email, password, own_script, home) {
        (Ok(username), Ok(full_name), Ok(email), Ok(password), Ok(own_script), Ok(home)) => {
            Ok(ValidAccount {
                username,
                full_name,
                email,
                password,
                home_language: home,
                name_in_own_script: own_script,
            })
        }
        (username, full_name, email, password, own_script, home) => Err(ServiceError::Invalid(
            [
                username.err(),
                full_name.err(),
                email.err(),
                password.err(),
                own_script.err(),
            ]
            .into_iter()
            .flatten()
            .map(|e| Message::key(e.message_key()))
            .chain(home.err())
            .collect(),
        )),
    }
}

async fn create_account(
    store: &Store,
    form: AccountForm<'_>,
    offered: &[String],
    role: Role,
    language: &str,
) -> ServiceResult<Account> {
    let valid = validate(form, offered)?;
    let hash = passwords::hash(valid.password.expose().to_string()).await?;
    let created = store
        .create_user(NewAccount {
            username: &valid.username,
            full_name: &valid.full_name,
            email: valid.email.as_deref(),
            role,
            password_hash: &hash,
            language,
            home_language: valid.home_language.as_deref(),
            name_in_own_script: valid.name_in_own_script.as_deref(),
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

/// A learner's account made by the learner, in the language they use,
/// with the home language they chose (any the courses translate into).
pub async fn register(
    ctx: Context<'_>,
    form: AccountForm<'_>,
    language: &str,
) -> ServiceResult<Account> {
    registration_open(ctx.store).await?;
    let offered = ctx.catalog.home_languages();
    create_account(ctx.store, form, &offered, Role::Learner, language).await
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
    // No home language to choose: an admin's follows the interface.
    let account = create_account(store, form, &[], Role::Admin, language).await?;
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

/// A person's own settings as they are: what the account page and
/// `GET /api/v1/me` show.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Profile {
    pub account: Account,
    /// The home language in effect (the interface language until one is
    /// chosen).
    pub home_language: HomeLanguage,
    /// True until a home language is chosen.
    pub home_language_follows_interface: bool,
    /// The home languages one may choose, by code.
    pub home_languages: Vec<HomeLanguage>,
}

pub fn profile(ctx: Context<'_>, account: &Account) -> Profile {
    Profile {
        home_language: HomeLanguage::of(account.home_language()),
        home_language_follows_interface: account.chosen_home_language.is_none(),
        home_languages: ctx
            .catalog
            .home_languages()
            .iter()
            .map(|code| HomeLanguage::of(code))
            .collect(),
        account: account.clone(),
    }
}

/// What a person changes about themselves; None leaves it as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileChange<'a> {
    /// An interface language code (en, ar, fa, uk).
    pub language: Option<&'a str>,
    /// A home language code; empty: follow the interface language again.
    pub home_language: Option<&'a str>,
    /// Empty removes it.
    pub name_in_own_script: Option<&'a str>,
}

/// Changes one's own settings: every problem is named and nothing is
/// changed unless all is well. Only ever the account that asks: there is no
/// way to name another.
pub async fn change_profile(
    ctx: Context<'_>,
    account: &Account,
    change: ProfileChange<'_>,
) -> ServiceResult<Account> {
    let offered = ctx.catalog.home_languages();
    let mut problems = Vec::new();
    let language = change.language.map(|code| {
        i18n::language(code.trim()).ok_or_else(|| {
            problems.push(
                Message::key("account-unknown-interface-language")
                    .arg("code", code)
                    .arg("codes", i18n::LANGUAGES.map(|l| l.code).join(", ")),
            );
        })
    });
    let home = change.home_language.map(|typed| {
        home_language_choice(typed, &offered).map_err(|problem| problems.push(problem))
    });
    let own_script = change.name_in_own_script.map(|typed| {
        parse_own_script_name(typed).map_err(|e| problems.push(Message::key(e.message_key())))
    });
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    if let Some(Ok(language)) = language {
        ctx.store.set_language(account.id, language.code).await?;
    }
    if let Some(Ok(home)) = home {
        ctx.store
            .set_home_language(account.id, home.as_deref())
            .await?;
    }
    if let Some(Ok(name)) = own_script {
        ctx.store
            .set_name_in_own_script(account.id, name.as_deref())
            .await?;
    }
    ctx.store
        .account(account.id)
        .await?
        .ok_or_else(|| ServiceError::not_found(Message::key("error-not-found")))
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
            home_language: "",
            name_in_own_script: "",
        };
        let Err(ServiceError::Invalid(problems)) = register(world.ctx(), form, "en").await else {
            panic!("refused");
        };
        assert_eq!(problems.len(), 4, "{problems:?}");
        let good = AccountForm {
            username: "amina",
            full_name: "Amina Yusuf",
            email: "",
            password: "a long password",
            home_language: "",
            name_in_own_script: "",
        };
        let amina = register(world.ctx(), good, "ar").await.unwrap();
        assert_eq!((amina.role, amina.language.as_str()), (Role::Learner, "ar"));
        let Err(ServiceError::Invalid(problems)) = register(world.ctx(), good, "en").await else {
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
            world.ctx(),
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
    async fn the_home_language_follows_the_interface_until_chosen() {
        let world = World::new().await;
        let amina = world.account("amina", Role::Learner, "not a hash").await;
        assert_eq!(amina.home_language(), "en");
        let arabic = change_profile(
            world.ctx(),
            &amina,
            ProfileChange {
                language: Some("ar"),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(arabic.home_language(), "ar", "the default follows");
        assert!(profile(world.ctx(), &arabic).home_language_follows_interface);

        let dari = change_profile(
            world.ctx(),
            &arabic,
            ProfileChange {
                home_language: Some(" FA "),
                name_in_own_script: Some(" أمينة  يوسف "),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((dari.language.as_str(), dari.home_language()), ("ar", "fa"));
        assert_eq!(dari.name_in_own_script.as_deref(), Some("أمينة يوسف"));

        // Nothing changes when one field is wrong, and every problem is named.
        let refused = change_profile(
            world.ctx(),
            &dari,
            ProfileChange {
                language: Some("xx"),
                home_language: Some("ti"),
                name_in_own_script: Some(""),
            },
        )
        .await
        .err()
        .unwrap();
        assert_eq!(
            refused.to_string(),
            "invalid: Unknown interface language: \"xx\". Choose one of: en, ar, fa, uk. \
             There are no translations into \"ti\" here. Choose one of: ar, fa, uk. \
             Or leave it empty to use the interface language."
        );
        let unchanged = world.store.account(dari.id).await.unwrap().unwrap();
        assert_eq!(unchanged, dari);

        let back = change_profile(
            world.ctx(),
            &dari,
            ProfileChange {
                home_language: Some(""),
                name_in_own_script: Some(""),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (back.chosen_home_language, back.name_in_own_script),
            (None, None)
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
            home_language: "",
            name_in_own_script: "",
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
