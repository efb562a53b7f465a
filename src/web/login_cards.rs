//! Login cards: the slips a tutor prints and hands out, one per learner,
//! with where to sign in, the username and, once, the password.
//!
//! A password is shown only when it is made (a new account, an import, a
//! new password), never stored in clear. Cards can be printed again later
//! for a whole class or one learner without touching any password: such a
//! card says to ask the tutor for a new password, and the tutor has a link
//! (not printed) to make one. Each card is in its learner's interface
//! language, right to left for Arabic and Persian, whatever the tutor's.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::errors::PageError;
use super::session::{SignedIn, page_context};
use super::{AppState, State, render_page};
use crate::i18n::{self, DEFAULT_LANGUAGE};
use crate::service::classes::members::{self, LoginCard};
use crate::service::classes::{ClassSummary, MemberInfo};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes/{id}/cards", web::get().to(class_cards))
        .route(
            "/classes/{id}/members/{user}/card",
            web::get().to(learner_card),
        );
}

/// One card, in its learner's language.
#[derive(Serialize)]
pub(crate) struct CardView {
    id: i32,
    full_name: String,
    username: String,
    /// Only when it was just made.
    password: Option<String>,
    /// The learner's language code (for the card's words), its `lang`
    /// and its direction.
    lang: &'static str,
    html_lang: &'static str,
    dir: &'static str,
}

impl CardView {
    fn new(id: i32, full_name: String, username: String, language: &str) -> CardView {
        let language = i18n::language(language).unwrap_or(DEFAULT_LANGUAGE);
        CardView {
            id,
            full_name,
            username,
            password: None,
            lang: language.code,
            html_lang: language.html_lang,
            dir: language.dir,
        }
    }

    /// A card with the password just made.
    pub(crate) fn with_password(card: LoginCard) -> CardView {
        let mut view = CardView::new(card.id, card.full_name, card.username, &card.language);
        view.password = Some(card.password);
        view
    }

    /// A card printed again: no password.
    fn again(member: MemberInfo) -> CardView {
        CardView::new(
            member.id,
            member.full_name,
            member.username,
            &member.language,
        )
    }
}

/// A roster line that made nobody: its number, its text and why.
#[derive(Serialize)]
pub(crate) struct FailedLine {
    pub line: u64,
    pub text: String,
    pub message: String,
}

/// What the cards page shows.
pub(crate) struct CardsPage<'a> {
    pub class: &'a ClassSummary,
    pub cards: Vec<CardView>,
    /// Printed again (no passwords) rather than just made.
    pub again_cards: bool,
    /// After an import: the lines that made nobody, and the text to fix
    /// and send again.
    pub failed: Vec<FailedLine>,
    pub again: String,
}

impl<'a> CardsPage<'a> {
    pub(crate) fn new(class: &'a ClassSummary, cards: Vec<CardView>) -> CardsPage<'a> {
        CardsPage {
            class,
            cards,
            again_cards: false,
            failed: Vec::new(),
            again: String::new(),
        }
    }
}

pub(crate) fn render(
    state: &AppState,
    user: &SignedIn,
    page: &CardsPage<'_>,
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", page.class);
    context.insert("cards", &page.cards);
    context.insert("reprint", &page.again_cards);
    context.insert("failed", &page.failed);
    context.insert("roster", &page.again);
    context.insert(
        "file_mb",
        &(crate::domain::roster_file::MAX_FILE_BYTES / (1024 * 1024)),
    );
    context.insert("site", &state.settings.public_url());
    render_page(state, "login_cards.html", &context)
}

/// Every learner's card of a class, printed again without passwords.
async fn class_cards(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let (class, learners) =
        members::cards_again(state.service(), &user.account, path.into_inner(), None).await?;
    let mut page = CardsPage::new(&class, learners.into_iter().map(CardView::again).collect());
    page.again_cards = true;
    render(&state, &user, &page)
}

#[derive(Deserialize)]
struct LearnerPath {
    id: i32,
    user: i32,
}

/// One learner's card, printed again without the password.
async fn learner_card(
    state: State,
    user: SignedIn,
    path: web::Path<LearnerPath>,
) -> Result<HttpResponse, PageError> {
    let (class, learners) =
        members::cards_again(state.service(), &user.account, path.id, Some(path.user)).await?;
    let mut page = CardsPage::new(&class, learners.into_iter().map(CardView::again).collect());
    page.again_cards = true;
    render(&state, &user, &page)
}
