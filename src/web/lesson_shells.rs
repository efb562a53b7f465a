//! Lesson pages rendered once, then filled in per learner.
//!
//! A lesson page is the same for every learner who sees it in the same
//! language, with the same home language (whose translations it shows),
//! the same role and the same "done" state, except for the session's CSRF
//! token. Rendering it with Tera and Fluent was about a sixth
//! of the server's work per lesson page (BENCHMARKS.md, issue 3), so it is
//! rendered once per course version with a marker where the token goes,
//! cut at the marker and compressed (a [`GappedPage`]), and each request
//! puts its own token in the gaps: gzip without compressing again.
//!
//! Only what is in [`ShellKey`] may reach the template: the context is
//! built from the key alone (the viewer is just a role, with no name), so a
//! template that starts to show something personal shows it empty on the
//! lesson page instead of showing one learner's data to another.

use std::num::NonZeroUsize;
use std::sync::{Arc, LazyLock, Mutex};

use lru::LruCache;

use super::gzip::GappedPage;
use crate::domain::names::Role;
use crate::passwords::random_token;

/// Stands in for the CSRF token while a shell is rendered. Random per
/// process, so no course text can contain it; letters, digits, `-` and `_`
/// only, which HTML escaping leaves alone.
static TOKEN_SLOT: LazyLock<String> = LazyLock::new(|| format!("csrf-slot-{}", random_token()));

pub fn token_slot() -> &'static str {
    &TOKEN_SLOT
}

/// Everything a rendered lesson page depends on besides the CSRF token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShellKey {
    pub slug: String,
    /// The published version and the content hash: a republished course
    /// never meets an old page, even if a version number were reused.
    pub version: i32,
    pub content_hash: String,
    pub lesson_id: String,
    pub language: &'static str,
    /// The home language whose vocabulary translations the page shows.
    pub home_language: String,
    pub role: Role,
    pub done: bool,
}

/// How many shells are kept. Five courses of 30 lessons in four languages
/// for learners, done and not done, is 1,200 (more with home languages
/// apart from the interface's); a shell is 5–20 KB, so the cap keeps this
/// under about 4 MB. Least recently used go first.
const CAPACITY: NonZeroUsize = NonZeroUsize::new(256).unwrap();

pub struct LessonShells {
    shells: Mutex<LruCache<ShellKey, Arc<GappedPage>>>,
}

impl Default for LessonShells {
    fn default() -> Self {
        LessonShells {
            shells: Mutex::new(LruCache::new(CAPACITY)),
        }
    }
}

impl LessonShells {
    /// The shell for `key`, rendering it with `render` if it is not kept.
    /// `render` cuts the page at [`token_slot`]. Two requests may render the
    /// same shell at once; both results are the same, and the lock is never
    /// held while rendering.
    pub fn get_or_render<E>(
        &self,
        key: ShellKey,
        render: impl FnOnce(&ShellKey) -> Result<GappedPage, E>,
    ) -> Result<Arc<GappedPage>, E> {
        if let Some(shell) = self.lock().get(&key) {
            return Ok(Arc::clone(shell));
        }
        let shell = Arc::new(render(&key)?);
        self.lock().put(key, Arc::clone(&shell));
        Ok(shell)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<ShellKey, Arc<GappedPage>>> {
        // A panic while holding the lock cannot leave the cache half
        // updated in a way that matters: at worst a shell is missing.
        self.shells
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> GappedPage {
        GappedPage::new(html, token_slot()).unwrap()
    }

    fn key(lesson: &str, done: bool) -> ShellKey {
        ShellKey {
            slug: "first-steps".into(),
            version: 1,
            content_hash: "abc".into(),
            lesson_id: lesson.into(),
            language: "en",
            home_language: "en".into(),
            role: Role::Learner,
            done,
        }
    }

    #[test]
    fn the_slot_survives_html_escaping() {
        assert_eq!(
            super::super::templates::escape_html(token_slot()),
            token_slot()
        );
    }

    #[test]
    fn a_shell_is_rendered_once_per_key() {
        let shells = LessonShells::default();
        let mut renders = 0;
        for _ in 0..3 {
            let shell = shells
                .get_or_render::<()>(key("hello", false), |_| {
                    renders += 1;
                    Ok(page(&format!(
                        "<p>hello</p><input value=\"{}\">",
                        token_slot()
                    )))
                })
                .unwrap();
            assert_eq!(shell.fill("t"), "<p>hello</p><input value=\"t\">");
        }
        assert_eq!(renders, 1);
        let done = shells
            .get_or_render::<()>(key("hello", true), |_| Ok(page("<p>done</p>")))
            .unwrap();
        assert_eq!(done.fill("t"), "<p>done</p>", "done is part of the key");
        assert_eq!(shells.len(), 2);
    }

    #[test]
    fn the_home_language_is_part_of_the_key() {
        let shells = LessonShells::default();
        let tigrinya = ShellKey {
            home_language: "ti".into(),
            ..key("hello", false)
        };
        shells
            .get_or_render::<()>(key("hello", false), |_| Ok(page("<p>en</p>")))
            .unwrap();
        let shell = shells
            .get_or_render::<()>(tigrinya, |_| Ok(page("<p>ti</p>")))
            .unwrap();
        assert_eq!(
            shell.fill("t"),
            "<p>ti</p>",
            "not the English learner's page"
        );
        assert_eq!(shells.len(), 2);
    }

    #[test]
    fn a_failed_render_keeps_nothing() {
        let shells = LessonShells::default();
        let failed = shells.get_or_render(key("hello", false), |_| Err("broken"));
        assert_eq!(failed.unwrap_err(), "broken");
        assert_eq!(shells.len(), 0);
    }

    #[test]
    fn the_least_recently_used_shell_goes_first() {
        let shells = LessonShells::default();
        for i in 0..CAPACITY.get() + 10 {
            shells
                .get_or_render::<()>(key(&format!("lesson-{i}"), false), |_| Ok(page("")))
                .unwrap();
        }
        assert_eq!(shells.len(), CAPACITY.get());
    }
}
