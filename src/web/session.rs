//! Who is asking: the session cookie (pages) and the CSRF token that every
//! form carries. The cookie is signed and encrypted, so any instance with
//! the same key can read it; it holds a random session token whose hash is
//! a row in the database (`store::sessions`). Each signed-in request checks
//! that row, so signing out (here, on all devices, or by a new password)
//! ends the session everywhere, copies of the cookie included, and a
//! session idle or old beyond the settings ends on the server.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use subtle::ConstantTimeEq;

use super::State;
use super::errors::PageError;
use crate::domain::names::Role;
use crate::i18n::{self, Language};
use crate::passwords::{random_token, token_hash};
use crate::store::now;
use crate::store::users::{Account, PasswordStamp};

/// The session token: its hash is the session's row in the database.
const SESSION_TOKEN: &str = "sid";
/// The account id, in cookies from before sessions were kept on the
/// server: such a cookie no longer signs anyone in, and the key is removed.
const OLD_USER_ID: &str = "uid";
const CSRF: &str = "csrf";
/// The account's password stamp when this session signed in: once the
/// account's differs (a new password), the session ends. A new password
/// also deletes the account's sessions; the stamp is a second lock.
const PASSWORD_STAMP: &str = "pws";
/// A copy of the account, so most pages need no query for the account.
/// It is read again from the database once it is older than
/// `account_refresh_secs` (a minute by default), so a changed role or
/// name takes effect within that time on every instance. Whether the
/// session itself is still good is checked on every request.
const ACCOUNT: &str = "account";

#[derive(serde::Serialize, serde::Deserialize)]
struct AccountSnapshot {
    account: Account,
    /// Unix seconds when it was read from the database.
    read_at: i64,
}

/// The account behind the session: none unless the session's row is live;
/// then the snapshot while fresh, else the database (and a new snapshot).
async fn session_account(
    session: &Session,
    state: &super::AppState,
) -> Result<Option<Account>, PageError> {
    let Ok(Some(token)) = session.get::<String>(SESSION_TOKEN) else {
        // No session, a cookie we cannot read, or one from before sessions
        // were kept on the server: nobody is signed in.
        if session.get::<i32>(OLD_USER_ID).ok().flatten().is_some() {
            forget_sign_in(session);
        }
        return Ok(None);
    };
    let limits = state.settings.session_limits();
    let Some(id) = state
        .store
        .live_session(&token_hash(&token), now(), &limits)
        .await?
    else {
        // Signed out (perhaps in another browser with a copy of this
        // cookie), ended on all devices, idle too long or too old.
        forget_sign_in(session);
        return Ok(None);
    };
    let now_secs = chrono::Utc::now().timestamp();
    let fresh_for = i64::try_from(state.settings.account_refresh_secs).unwrap_or(i64::MAX);
    if let Ok(Some(snapshot)) = session.get::<AccountSnapshot>(ACCOUNT)
        && snapshot.account.id == id
        && (0..fresh_for).contains(&(now_secs - snapshot.read_at))
    {
        return Ok(Some(snapshot.account));
    }
    let account = state.store.account(id).await?;
    // A session from before the password changed ends here.
    let account = account.filter(|account| {
        session.get::<PasswordStamp>(PASSWORD_STAMP).ok().flatten() == Some(account.password_stamp)
    });
    match &account {
        Some(account) => {
            let _ = session.insert(
                ACCOUNT,
                AccountSnapshot {
                    account: account.clone(),
                    read_at: now_secs,
                },
            );
        }
        // The account is gone, or its password changed: so is the session.
        None => {
            state.store.end_session(&token_hash(&token)).await?;
            forget_sign_in(session);
        }
    }
    Ok(account)
}

/// Leaves the browser signed out but keeps its CSRF token, so a form it
/// still shows (another tab's "Sign out") works as a visitor's would.
fn forget_sign_in(session: &Session) {
    for key in [SESSION_TOKEN, OLD_USER_ID, PASSWORD_STAMP, ACCOUNT] {
        session.remove(key);
    }
}

/// Forgets the account snapshot, so the next request reads the account
/// again (after the account changed, e.g. its language).
pub fn refresh_account(session: &Session) {
    session.remove(ACCOUNT);
}
/// The language chosen before signing in (or by someone who never does).
pub const LANG_COOKIE: &str = "lang";

/// The person viewing a page, if signed in, and the page language.
pub struct Viewer {
    pub account: Option<Account>,
    pub language: Language,
    pub session: Session,
}

/// A page that needs someone signed in. Without a session it redirects to
/// the sign-in page and back.
pub struct SignedIn {
    pub account: Account,
    pub language: Language,
    pub session: Session,
}

/// The language from the `lang` cookie, else the browser's preference.
pub fn language_of_request(request: &HttpRequest) -> Language {
    request
        .cookie(LANG_COOKIE)
        .and_then(|c| i18n::language(c.value()))
        .unwrap_or_else(|| {
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(i18n::DEFAULT_LANGUAGE, i18n::negotiate)
        })
}

async fn viewer_of(request: HttpRequest) -> Result<Viewer, PageError> {
    let session = request.get_session();
    let state = request
        .app_data::<State>()
        .ok_or_else(|| PageError::Internal(anyhow::anyhow!("app state missing")))?;
    let account = match session_account(&session, state).await {
        Ok(account) => account,
        Err(e) => {
            // The database is out of reach: the error page is still in
            // the language the account was last read with.
            let remembered = session
                .get::<AccountSnapshot>(ACCOUNT)
                .ok()
                .flatten()
                .and_then(|snapshot| i18n::language(&snapshot.account.language));
            let language = remembered.unwrap_or_else(|| language_of_request(&request));
            request.extensions_mut().insert(language);
            return Err(e);
        }
    };
    let language = account
        .as_ref()
        .and_then(|a| i18n::language(&a.language))
        .unwrap_or_else(|| language_of_request(&request));
    request.extensions_mut().insert(language);
    Ok(Viewer {
        account,
        language,
        session,
    })
}

impl FromRequest for Viewer {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(viewer_of(request.clone()))
    }
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let next = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            let viewer = viewer_of(request).await?;
            match viewer.account {
                Some(account) => Ok(SignedIn {
                    account,
                    language: viewer.language,
                    session: viewer.session,
                }),
                None => Err(PageError::SignInRequired { next }),
            }
        })
    }
}

impl SignedIn {
    /// Only these roles may go on.
    pub fn require(&self, roles: &[Role]) -> Result<(), PageError> {
        if roles.contains(&self.account.role) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }
}

/// Starts a signed-in session: a new token, recorded in the database, and
/// a new CSRF token, so a cookie planted before signing in is worth
/// nothing after. A session this browser had (signing in as someone else)
/// ends first.
pub async fn sign_in(
    state: &super::AppState,
    session: &Session,
    account: &Account,
) -> Result<(), PageError> {
    if let Ok(Some(old)) = session.get::<String>(SESSION_TOKEN) {
        state.store.end_session(&token_hash(&old)).await?;
    }
    let token = random_token();
    state
        .store
        .start_session(
            account.id,
            &token_hash(&token),
            now(),
            &state.settings.session_limits(),
        )
        .await?;
    session.renew();
    forget_sign_in(session);
    session
        .insert(SESSION_TOKEN, token)
        .and_then(|_| session.insert(PASSWORD_STAMP, account.password_stamp))
        .and_then(|_| session.insert(CSRF, random_token()))
        .map_err(|e| PageError::Internal(anyhow::anyhow!("session: {e}")))
}

/// Ends this browser's session on the server (so copies of its cookie stop
/// working too) and clears the cookie.
pub async fn sign_out(state: &super::AppState, session: &Session) -> Result<(), PageError> {
    if let Ok(Some(token)) = session.get::<String>(SESSION_TOKEN) {
        state.store.end_session(&token_hash(&token)).await?;
    }
    session.purge();
    Ok(())
}

/// The session's CSRF token, made on first use. Every form carries it in a
/// hidden field named `csrf`.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(CSRF) {
        return token;
    }
    let token = random_token();
    // If the session cannot be written the form fails its check later,
    // with a clear message, rather than here.
    let _ = session.insert(CSRF, &token);
    token
}

/// A form that carries nothing but its CSRF token (a button: sign out,
/// enrol, mark done).
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

impl CsrfForm {
    pub fn token(&self) -> &str {
        &self.csrf
    }
}

/// Checks a submitted form's token against the session's.
pub fn check_csrf(session: &Session, submitted: &str) -> Result<(), PageError> {
    let expected = session
        .get::<String>(CSRF)
        .ok()
        .flatten()
        .unwrap_or_default();
    let matches =
        !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()));
    if matches {
        Ok(())
    } else {
        Err(PageError::bad_request(
            "This form is out of date. Go back, reload the page and try again.",
        ))
    }
}

/// The common page context: language, viewer and CSRF token.
pub fn page_context(
    language: Language,
    account: Option<&Account>,
    session: &Session,
) -> tera::Context {
    let mut context = context_without_viewer(language, &csrf_token(session));
    context.insert(
        "viewer",
        &account.map(|a| {
            serde_json::json!({
                "username": a.username,
                "full_name": a.full_name,
                "role": a.role.as_str(),
            })
        }),
    );
    context
}

/// The page context for a page many viewers share (a lesson shell,
/// `lesson_shells`): the viewer is a role with no name, and `csrf` is the
/// slot the token is put into later.
pub fn shared_page_context(language: Language, role: Role, csrf: &str) -> tera::Context {
    let mut context = context_without_viewer(language, csrf);
    context.insert("viewer", &serde_json::json!({ "role": role.as_str() }));
    context
}

fn context_without_viewer(language: Language, csrf: &str) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("lang", language.code);
    context.insert("language", &language);
    context.insert("languages", &i18n::LANGUAGES);
    context.insert("csrf", csrf);
    context.insert("asset_version", super::assets::VERSION.as_str());
    context
}
