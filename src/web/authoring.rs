//! Authoring pages for tutors and admins: the list of courses and their
//! modules, uploading a course zip, and the module editor with its live
//! check and preview. The work, and the rule of who may change a course,
//! is in `crate::authoring`; these handlers read the form, call it, and
//! show what came of it. Co-authors and owners are in `authoring_people`,
//! previous versions in `authoring_versions`. There is no authoring route
//! in the JSON API.

use std::borrow::Cow;
use std::collections::HashMap;

use actix_multipart::{Multipart, MultipartError};
use actix_web::http::{StatusCode, header};
use actix_web::web::{self, FormConfig};
use actix_web::{HttpRequest, HttpResponse};
use fluent_templates::fluent_bundle::FluentValue;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::errors::{self, PageError};
use super::quiz_view::question_views;
use super::session::{SignedIn, check_csrf, page_context};
use super::{State, render_page};
use crate::authoring::unzip::ZipRefusal;
use crate::authoring::{Author, AuthoringError, Checked, Outcome};
use crate::course::{LessonKind, ids};
use crate::domain::names::Role;
use crate::i18n;

/// Who writes courses (each course then has its own owner and co-authors).
pub(crate) const AUTHORS: &[Role] = &[Role::Tutor, Role::Admin];
/// A module is at most 2 MB; a form sends each non-ASCII byte as `%XX`.
const EDITOR_FORM_LIMIT: usize = 8 * 1024 * 1024;
/// The upload form's small fields (the CSRF token, a course name).
const UPLOAD_FIELD_LIMIT: usize = 4 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/authoring", web::get().to(list))
        .route("/authoring/upload", web::get().to(upload_page))
        .route("/authoring/upload", web::post().to(upload))
        .service(
            web::scope("/authoring/courses/{slug}/modules/{file}")
                .app_data(
                    FormConfig::default()
                        .limit(EDITOR_FORM_LIMIT)
                        .error_handler(errors::form_error),
                )
                .route("", web::get().to(editor))
                .route("/check", web::post().to(check))
                .route("/preview", web::post().to(preview))
                .route("/publish", web::post().to(publish)),
        );
}

/// A sentence in the viewer's language with its arguments filled in.
pub(crate) fn say(
    lang: &str,
    key: &str,
    args: Vec<(&'static str, FluentValue<'static>)>,
) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .into_iter()
        .map(|(name, value)| (Cow::Borrowed(name), value))
        .collect();
    i18n::text_with(lang, key, &args)
}

/// The status and the words for an authoring problem; unexpected errors
/// go on to the error page.
pub(crate) fn refusal(
    lang: &str,
    error: AuthoringError,
) -> Result<(StatusCode, String), PageError> {
    use StatusCode as S;
    let text = |key: &str| i18n::text(lang, key);
    let with = |key: &str, args| say(lang, key, args);
    Ok(match error {
        AuthoringError::NoSuchCourse
        | AuthoringError::NoSuchModule
        | AuthoringError::NoSuchVersion => {
            return Err(PageError::NotFound);
        }
        AuthoringError::NotYours { slug } => (
            S::FORBIDDEN,
            with("authoring-not-yours", vec![("slug", slug.into())]),
        ),
        AuthoringError::NotYoursToShare { slug } => (
            S::FORBIDDEN,
            with("authors-not-yours", vec![("slug", slug.into())]),
        ),
        AuthoringError::AdminsOnly => (S::FORBIDDEN, text("authoring-admins-only")),
        AuthoringError::NoSuchPerson { username } => (
            S::BAD_REQUEST,
            with(
                "authors-no-such-person",
                vec![("username", username.into())],
            ),
        ),
        AuthoringError::CannotAuthor { username } => (
            S::BAD_REQUEST,
            with("authors-cannot-author", vec![("username", username.into())]),
        ),
        AuthoringError::IsOwner { username, slug } => (
            S::CONFLICT,
            with(
                "authors-is-owner",
                vec![("username", username.into()), ("slug", slug.into())],
            ),
        ),
        AuthoringError::AlreadyCoAuthor { username, slug } => (
            S::CONFLICT,
            with(
                "authors-already",
                vec![("username", username.into()), ("slug", slug.into())],
            ),
        ),
        AuthoringError::NotCoAuthor { .. } => return Err(PageError::NotFound),
        AuthoringError::ModuleTooLarge => (S::PAYLOAD_TOO_LARGE, text("editor-too-large")),
        AuthoringError::Changed => (S::CONFLICT, text("editor-changed")),
        AuthoringError::NoFile => (S::BAD_REQUEST, text("upload-no-file")),
        AuthoringError::SlugTaken { slug } => (
            S::CONFLICT,
            with("upload-slug-taken", vec![("slug", slug.into())]),
        ),
        AuthoringError::WrongCourse { expected, found } => (
            S::CONFLICT,
            with(
                "upload-wrong-course",
                vec![("expected", expected.into()), ("found", found.into())],
            ),
        ),
        AuthoringError::Zip(refusal) => match refusal {
            ZipRefusal::NotAZip => (S::UNSUPPORTED_MEDIA_TYPE, text("zip-not-a-zip")),
            ZipRefusal::TooBig { limit_mb } => (
                S::PAYLOAD_TOO_LARGE,
                with("zip-too-big", vec![("limit", limit_mb.into())]),
            ),
            ZipRefusal::TooBigUnpacked { limit_mb } => (
                S::PAYLOAD_TOO_LARGE,
                with("zip-too-big-unpacked", vec![("limit", limit_mb.into())]),
            ),
            ZipRefusal::TooManyFiles { limit } => (
                S::PAYLOAD_TOO_LARGE,
                with("zip-too-many-files", vec![("limit", limit.into())]),
            ),
            ZipRefusal::UnsafePath { path } => (
                S::BAD_REQUEST,
                with("zip-unsafe-path", vec![("path", path.into())]),
            ),
            ZipRefusal::Symlink { path } => (
                S::BAD_REQUEST,
                with("zip-symlink", vec![("path", path.into())]),
            ),
            ZipRefusal::OutsideCourse { path } => (
                S::BAD_REQUEST,
                with("zip-outside-course", vec![("path", path.into())]),
            ),
            ZipRefusal::NoCourse => (S::BAD_REQUEST, text("zip-no-course")),
            ZipRefusal::Unreadable { path, reason } => (
                S::BAD_REQUEST,
                with(
                    "zip-unreadable",
                    vec![("path", path.into()), ("reason", reason.into())],
                ),
            ),
        },
        AuthoringError::Store(e) => return Err(e.into()),
        AuthoringError::Internal(e) => return Err(PageError::Internal(e)),
    })
}

pub(crate) fn with_status(mut response: HttpResponse, status: StatusCode) -> HttpResponse {
    *response.status_mut() = status;
    response
}

/// A plain page saying why not, with the status (a 403 for a course that
/// is not the viewer's).
pub(crate) fn refused_page(
    state: &State,
    signed_in: &SignedIn,
    status: StatusCode,
    problem: &str,
) -> Result<HttpResponse, PageError> {
    let lang = signed_in.language.code;
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    let title = if status == StatusCode::FORBIDDEN {
        "error-forbidden"
    } else {
        "error-bad-request"
    };
    context.insert("title", &i18n::text(lang, title));
    context.insert("detail", problem);
    Ok(with_status(
        render_page(state, "error.html", &context)?,
        status,
    ))
}

/// The refusal as a plain page; unexpected errors go on to the error page.
pub(crate) fn refused(
    state: &State,
    signed_in: &SignedIn,
    error: AuthoringError,
) -> Result<HttpResponse, PageError> {
    let (status, problem) = refusal(signed_in.language.code, error)?;
    refused_page(state, signed_in, status, &problem)
}

async fn list(state: State, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let viewer = Author::from(&signed_in.account);
    let courses = state
        .authoring
        .courses(&state.store, &state.catalog, &viewer)
        .await
        .map_err(|e| PageError::Internal(anyhow::Error::new(e)))?;
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert("courses", &courses);
    context.insert("is_admin", &(signed_in.account.role == Role::Admin));
    render_page(&state, "authoring.html", &context)
}

#[derive(Deserialize)]
pub struct UploadQuery {
    course: Option<String>,
}

/// The upload page's context: the rules and limits, and the course to
/// replace if one was chosen.
fn upload_context(state: &State, signed_in: &SignedIn, replace: Option<&str>) -> tera::Context {
    let limits = state.authoring.limits();
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert("replace", &replace.filter(|s| ids::is_valid_course_slug(s)));
    context.insert("zip_mb", &limits.zip_megabytes());
    context.insert("unpacked_mb", &limits.unpacked_megabytes());
    context.insert("max_files", &limits.entries);
    context
}

async fn upload_page(
    state: State,
    signed_in: SignedIn,
    query: web::Query<UploadQuery>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let context = upload_context(&state, &signed_in, query.course.as_deref());
    render_page(&state, "authoring_upload.html", &context)
}

#[derive(Default)]
struct UploadForm {
    csrf: String,
    replace: String,
    file_name: String,
    zip: Vec<u8>,
}

/// Why the upload form could not be read.
enum UnreadableUpload {
    TooBig,
    NotAForm,
    Broken,
}

/// Reads the multipart form, never holding more than the zip limit.
async fn read_upload(
    request: &HttpRequest,
    payload: web::Payload,
    zip_limit: u64,
) -> Result<UploadForm, UnreadableUpload> {
    let classify = |e: MultipartError| match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => UnreadableUpload::NotAForm,
        _ => UnreadableUpload::Broken,
    };
    let zip_limit = usize::try_from(zip_limit).unwrap_or(usize::MAX);
    let mut multipart = Multipart::new(request.headers(), payload);
    let mut form = UploadForm::default();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(classify)?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "file" {
            form.file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or_default()
                .to_string();
            zip_limit
        } else {
            UPLOAD_FIELD_LIMIT
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(classify)?;
            if bytes.len().saturating_add(chunk.len()) > limit {
                return Err(UnreadableUpload::TooBig);
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "csrf" => form.csrf = text(),
            "replace" => form.replace = text(),
            "file" => form.zip = bytes,
            _ => {}
        }
    }
    Ok(form)
}

/// The upload page again, with what went wrong.
fn upload_refused(
    state: &State,
    signed_in: &SignedIn,
    replace: Option<&str>,
    status: StatusCode,
    problem: &str,
) -> Result<HttpResponse, PageError> {
    let mut context = upload_context(state, signed_in, replace);
    context.insert("problem", problem);
    Ok(with_status(
        render_page(state, "authoring_upload.html", &context)?,
        status,
    ))
}

#[derive(Serialize)]
struct PublishedView {
    slug: String,
    title: String,
    version: i32,
    changed: bool,
}

async fn upload(
    state: State,
    signed_in: SignedIn,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let lang = signed_in.language.code;
    let limits = state.authoring.limits();
    let form = match read_upload(&request, payload, limits.zip_bytes).await {
        Ok(form) => form,
        Err(unreadable) => {
            let (status, problem) = match unreadable {
                UnreadableUpload::TooBig => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    say(
                        lang,
                        "zip-too-big",
                        vec![("limit", limits.zip_megabytes().into())],
                    ),
                ),
                UnreadableUpload::NotAForm => (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    i18n::text(lang, "upload-bad-form"),
                ),
                UnreadableUpload::Broken => {
                    (StatusCode::BAD_REQUEST, i18n::text(lang, "upload-bad-form"))
                }
            };
            return upload_refused(&state, &signed_in, None, status, &problem);
        }
    };
    check_csrf(&signed_in.session, &form.csrf)?;
    let replace = Some(form.replace.as_str()).filter(|r| !r.is_empty());
    if form.zip.is_empty() {
        let (status, problem) = refusal(lang, AuthoringError::NoFile)?;
        return upload_refused(&state, &signed_in, replace, status, &problem);
    }
    let upload = match state
        .authoring
        .upload(
            &state.store,
            &state.catalog,
            &Author::from(&signed_in.account),
            form.zip,
            &form.file_name,
            replace,
        )
        .await
    {
        Ok(upload) => upload,
        Err(e) => {
            let (status, problem) = refusal(lang, e)?;
            return upload_refused(&state, &signed_in, replace, status, &problem);
        }
    };
    let mut context = upload_context(&state, &signed_in, replace);
    context.insert("left_out", &upload.left_out);
    let status = match &upload.outcome {
        Outcome::HasErrors(checked) => {
            context.insert("problem", &i18n::text(lang, "upload-has-errors"));
            context.insert("summary", &summary(lang, checked));
            context.insert("diagnostics", &checked.diagnostics());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Outcome::Published(publication) => {
            let course = publication.checked.compilation.course.as_ref();
            context.insert(
                "published",
                &PublishedView {
                    slug: publication.slug.clone(),
                    title: course
                        .map_or_else(|| publication.slug.clone(), |c| c.settings.title.clone()),
                    version: publication.version,
                    changed: publication.change != crate::store::courses::Published::Unchanged,
                },
            );
            context.insert("diagnostics", &publication.checked.diagnostics());
            StatusCode::OK
        }
    };
    Ok(with_status(
        render_page(&state, "authoring_upload.html", &context)?,
        status,
    ))
}

/// What the editor form sends. Every field has a default so that a form
/// without them reaches the role check (and then says what is missing).
#[derive(Deserialize)]
pub struct EditorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    base: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
pub struct EditorQuery {
    published: Option<i32>,
}

fn editor_url(slug: &str, file: &str) -> String {
    format!("/authoring/courses/{slug}/modules/{file}")
}

/// "2 errors, 1 warning. Not ready to publish: fix the errors first."
pub(crate) fn summary(lang: &str, checked: &Checked) -> String {
    let (errors, warnings) = (checked.compilation.errors(), checked.compilation.warnings());
    let counts = say(
        lang,
        "check-counts",
        vec![("errors", errors.into()), ("warnings", warnings.into())],
    );
    let verdict = i18n::text(
        lang,
        if errors == 0 {
            "check-ready"
        } else {
            "check-not-ready"
        },
    );
    format!("{counts} {verdict}")
}

#[derive(Serialize)]
struct PreviewItem<'a> {
    id: &'a str,
    title: &'a str,
    quiz: bool,
    html: &'a str,
    questions: Vec<super::quiz_view::QuestionView<'a>>,
}

/// The check's summary and diagnostics, and the module's lessons as a
/// lesson or quiz page shows them (the same compiled HTML).
fn insert_results(context: &mut tera::Context, lang: &str, checked: &Checked, file: &str) {
    context.insert("summary", &summary(lang, checked));
    context.insert("ready", &(checked.compilation.errors() == 0));
    context.insert("diagnostics", &checked.diagnostics());
    let preview: Vec<PreviewItem> = checked
        .module(file)
        .map(|module| {
            module
                .lessons
                .iter()
                .map(|lesson| PreviewItem {
                    id: &lesson.id,
                    title: &lesson.title,
                    quiz: lesson.kind == LessonKind::Quiz,
                    html: &lesson.html,
                    questions: lesson
                        .quiz
                        .as_ref()
                        .map(|quiz| question_views(quiz, "preview", None))
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    context.insert("preview", &preview);
}

struct EditorPage<'a> {
    slug: &'a str,
    file: &'a str,
    text: &'a str,
    base: &'a str,
    checked: Option<&'a Checked>,
    notice: Option<String>,
    problem: Option<String>,
    conflict: bool,
}

fn editor_page(
    state: &State,
    signed_in: &SignedIn,
    page: EditorPage,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let lang = signed_in.language.code;
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    let title = state.catalog.get(page.slug).map_or_else(
        || page.slug.to_string(),
        |p| p.course.settings.title.clone(),
    );
    context.insert("slug", page.slug);
    context.insert("file", page.file);
    context.insert("course_title", &title);
    context.insert("editor_url", &editor_url(page.slug, page.file));
    context.insert("text", page.text);
    context.insert("base", page.base);
    context.insert("notice", &page.notice);
    context.insert("problem", &page.problem);
    context.insert("conflict", &page.conflict);
    context.insert("has_results", &page.checked.is_some());
    if let Some(checked) = page.checked {
        insert_results(&mut context, lang, checked, page.file);
    }
    Ok(with_status(
        render_page(state, "authoring_editor.html", &context)?,
        status,
    ))
}

async fn editor(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    query: web::Query<EditorQuery>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let (slug, file) = path.into_inner();
    let lang = signed_in.language.code;
    let author = Author::from(&signed_in.account);
    let draft = match state
        .authoring
        .open_module(&state.store, &author, &slug, &file)
        .await
    {
        Ok(draft) => draft,
        Err(e) => return refused(&state, &signed_in, e),
    };
    let notice = query
        .published
        .map(|version| say(lang, "editor-published", vec![("version", version.into())]));
    editor_page(
        &state,
        &signed_in,
        EditorPage {
            slug: &slug,
            file: &file,
            text: &draft.text,
            base: &draft.base,
            checked: Some(&draft.checked),
            notice,
            problem: None,
            conflict: false,
        },
        StatusCode::OK,
    )
}

/// Without JavaScript: the editor again, with the check and preview of the
/// text sent. Nothing is saved.
async fn check(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<EditorForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let (slug, file) = path.into_inner();
    let form = form.into_inner();
    let author = Author::from(&signed_in.account);
    let checked = match state
        .authoring
        .check_module(&state.store, &author, &slug, &file, form.text.clone())
        .await
    {
        Ok(checked) => checked,
        Err(e) => return editor_refused(&state, &signed_in, &slug, &file, &form, e).await,
    };
    editor_page(
        &state,
        &signed_in,
        EditorPage {
            slug: &slug,
            file: &file,
            text: &form.text,
            base: &form.base,
            checked: Some(&checked),
            notice: None,
            problem: None,
            conflict: false,
        },
        StatusCode::OK,
    )
}

#[derive(Serialize)]
struct PreviewResponse {
    summary: String,
    errors: usize,
    warnings: usize,
    /// The results section, rendered as on the page.
    html: String,
}

/// For editor.js: the same check and preview as [`check`], as JSON.
async fn preview(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<EditorForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let (slug, file) = path.into_inner();
    let lang = signed_in.language.code;
    let author = Author::from(&signed_in.account);
    let checked = match state
        .authoring
        .check_module(&state.store, &author, &slug, &file, form.into_inner().text)
        .await
    {
        Ok(checked) => checked,
        Err(e) => {
            let (status, problem) = refusal(lang, e)?;
            return Ok(HttpResponse::build(status).json(serde_json::json!({ "message": problem })));
        }
    };
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert("slug", &slug);
    insert_results(&mut context, lang, &checked, &file);
    let html = state
        .templates
        .render("authoring_results.html", &context)
        .map_err(|e| {
            PageError::Internal(anyhow::Error::new(e).context("authoring_results.html"))
        })?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(PreviewResponse {
            summary: summary(lang, &checked),
            errors: checked.compilation.errors(),
            warnings: checked.compilation.warnings(),
            html,
        }))
}

async fn publish(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<EditorForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let (slug, file) = path.into_inner();
    let form = form.into_inner();
    let lang = signed_in.language.code;
    let outcome = state
        .authoring
        .publish_module(
            &state.store,
            &state.catalog,
            &Author::from(&signed_in.account),
            &slug,
            &file,
            form.text.clone(),
            &form.base,
        )
        .await;
    match outcome {
        Ok(Outcome::Published(publication)) => Ok(super::redirect::see_other(&format!(
            "{}?published={}",
            editor_url(&slug, &file),
            publication.version
        ))),
        Ok(Outcome::HasErrors(checked)) => editor_page(
            &state,
            &signed_in,
            EditorPage {
                slug: &slug,
                file: &file,
                text: &form.text,
                base: &form.base,
                checked: Some(&checked),
                notice: None,
                problem: Some(i18n::text(lang, "editor-has-errors")),
                conflict: false,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => editor_refused(&state, &signed_in, &slug, &file, &form, e).await,
    }
}

/// The editor again with the tutor's text kept, and why it was refused.
async fn editor_refused(
    state: &State,
    signed_in: &SignedIn,
    slug: &str,
    file: &str,
    form: &EditorForm,
    error: AuthoringError,
) -> Result<HttpResponse, PageError> {
    if matches!(error, AuthoringError::NotYours { .. }) {
        // Not their course: no editor, just why.
        return refused(state, signed_in, error);
    }
    let conflict = matches!(error, AuthoringError::Changed);
    let (status, problem) = refusal(signed_in.language.code, error)?;
    // A conflict still shows what the tutor's text would give.
    let checked = if conflict {
        state
            .authoring
            .check_module(
                &state.store,
                &Author::from(&signed_in.account),
                slug,
                file,
                form.text.clone(),
            )
            .await
            .ok()
    } else {
        None
    };
    editor_page(
        state,
        signed_in,
        EditorPage {
            slug,
            file,
            text: &form.text,
            base: &form.base,
            checked: checked.as_ref(),
            notice: None,
            problem: Some(problem),
            conflict,
        },
        status,
    )
}
