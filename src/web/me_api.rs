//! The signed-in person's own settings in the JSON API: `GET /api/v1/me`
//! and `PATCH /api/v1/me`, through the same rules as the account page
//! ([`crate::service::accounts::change_profile`]). There is no id in the
//! path: one can only ever read or change oneself.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::State;
use super::bearer::ApiUser;
use super::errors::ApiError;
use crate::domain::home_language::HomeLanguage;
use crate::service::accounts::{self, ProfileChange};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me", web::get().to(me))
        .route("/me", web::patch().to(change_me));
}

/// The schema whose `home_language` the served document narrows to the
/// codes the site's courses offer (see [`describe_home_languages`]).
const CHANGE_SCHEMA: &str = "MeChange";

#[derive(Serialize, ToSchema)]
pub struct LanguageItem {
    /// A language code, as course.toml writes it (`ti`, `ar`, `pt-BR`).
    code: String,
    /// The language's name in itself (ትግርኛ), or the code.
    name: String,
    /// `rtl` or `ltr`.
    dir: String,
}

impl From<HomeLanguage> for LanguageItem {
    fn from(language: HomeLanguage) -> LanguageItem {
        LanguageItem {
            code: language.code,
            name: language.name,
            dir: language.dir.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i32,
    username: String,
    /// As on the person's papers.
    full_name: String,
    /// The name in the person's own script, if given; certificates carry
    /// it after the full name.
    name_in_own_script: Option<String>,
    email: Option<String>,
    role: String,
    /// The interface language: en, ar, fa or uk.
    language: String,
    /// The language of the vocabulary translations shown: the one chosen,
    /// else the interface language.
    home_language: String,
    /// True until a home language is chosen: it then follows `language`.
    home_language_follows_interface: bool,
    /// The home languages one may choose: every language the site's
    /// courses translate into, and ar, fa and uk.
    home_languages: Vec<LanguageItem>,
}

fn me_of(profile: accounts::Profile) -> Me {
    let account = profile.account;
    Me {
        id: account.id,
        username: account.username,
        full_name: account.full_name,
        name_in_own_script: account.name_in_own_script,
        email: account.email,
        role: account.role.as_str().to_string(),
        language: account.language,
        home_language: profile.home_language.code,
        home_language_follows_interface: profile.home_language_follows_interface,
        home_languages: profile.home_languages.into_iter().map(Into::into).collect(),
    }
}

/// A field that may be left out (unchanged), null (cleared) or a value.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

#[derive(Deserialize, ToSchema)]
pub struct MeChange {
    /// The interface language. Left out: unchanged.
    #[schema(pattern = "^(en|ar|fa|uk)$")]
    language: Option<String>,
    /// A home language code from `home_languages` (any case); null or
    /// empty: follow the interface language again. Left out: unchanged.
    /// The served document lists the codes this site offers.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    home_language: Option<Option<String>>,
    /// At most 100 characters; null or empty removes it. Left out:
    /// unchanged.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    name_in_own_script: Option<Option<String>>,
}

/// The signed-in account, with its home language and the ones it may
/// choose.
#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, description = "No valid token")))]
pub(crate) async fn me(state: State, ApiUser(account): ApiUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(me_of(accounts::profile(state.service(), &account))))
}

/// Changes the signed-in account's interface language, home language or
/// name in its own script. Nothing changes unless every field is right.
#[utoipa::path(patch, path = "/api/v1/me", request_body = MeChange, security(("bearer" = [])),
    responses((status = 200, body = Me),
              (status = 400, description = "No JSON body, not one for this call, or a language this site does not offer (the message names the ones it does)"),
              (status = 401, description = "No valid token")))]
pub(crate) async fn change_me(
    state: State,
    ApiUser(account): ApiUser,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    // Read as an object only: serde would take a struct from an array too
    // (`[null, null]`), which the description does not allow.
    if !body.is_object() {
        return Err(ApiError::BadRequest(
            "The request body must be a JSON object, such as {\"home_language\": \"ti\"}.".into(),
        ));
    }
    let body: MeChange = serde_json::from_value(body.into_inner()).map_err(|e| {
        ApiError::BadRequest(format!(
            "The request body is not valid JSON for this call: {e}"
        ))
    })?;
    let change = ProfileChange {
        language: body.language.as_deref(),
        home_language: body
            .home_language
            .as_ref()
            .map(|code| code.as_deref().unwrap_or("")),
        name_in_own_script: body
            .name_in_own_script
            .as_ref()
            .map(|name| name.as_deref().unwrap_or("")),
    };
    let changed = accounts::change_profile(state.service(), &account, change).await?;
    Ok(HttpResponse::Ok().json(me_of(accounts::profile(state.service(), &changed))))
}

/// The served document names the home languages this site offers, so a
/// program (and schemathesis) knows which codes are accepted.
pub fn describe_home_languages(document: &mut serde_json::Value, codes: &[String]) {
    let Some(field) = document
        .pointer_mut(&format!(
            "/components/schemas/{CHANGE_SCHEMA}/properties/home_language"
        ))
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    let mut allowed: Vec<serde_json::Value> = codes.iter().map(|c| c.as_str().into()).collect();
    allowed.push("".into());
    allowed.push(serde_json::Value::Null);
    field.insert("enum".into(), allowed.into());
}
