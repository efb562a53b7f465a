//! Ids that stay put: lesson and question ids key a learner's progress and
//! answers, so they come from what a tutor wrote, not from positions.

use super::markdown::is_single_spaced;
use super::render::any_byte;

/// `"Washing your hands!"` -> `"washing-your-hands"`. Letters and digits of
/// any script are kept (lowercased); everything else becomes one hyphen.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    if text.is_ascii() {
        // The usual case, byte by byte.
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() {
                if pending_hyphen && !slug.is_empty() {
                    slug.push('-');
                }
                pending_hyphen = false;
                slug.push(char::from(b.to_ascii_lowercase()));
            } else {
                pending_hyphen = true;
            }
        }
        return slug;
    }
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(c.to_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// A slug cut to at most `max` characters, at a hyphen where possible, so a
/// long question still gets a readable id.
pub fn short_slug(text: &str, max: usize) -> String {
    let mut slug = slugify(text);
    // No more bytes than `max` means no more characters either.
    if slug.len() <= max {
        return slug;
    }
    let Some((cut, _)) = slug.char_indices().nth(max) else {
        return slug;
    };
    slug.truncate(cut);
    let keep = match slug.rfind('-') {
        Some(at) if at > max / 2 => at,
        _ => slug.trim_end_matches('-').len(),
    };
    slug.truncate(keep);
    slug
}

/// Ids written by a tutor (`{#washing-hands}`) end up in URLs and the API:
/// lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.len() <= 80
}

/// Course slugs are folder names and URL segments.
pub fn is_valid_course_slug(slug: &str) -> bool {
    is_valid_id(slug) && !slug.contains('_')
}

/// An id made from an answer's own text, with a letter for its role. It says
/// nothing about which answer is right or where an item belongs.
///
/// The hash is 64-bit FNV-1a over the lowercased words joined by single
/// spaces: fixed here, so ids stay the same across versions and machines,
/// and cheap, as it runs for every answer in a course. Ids only need to
/// differ within one question.
pub fn content_id(prefix: char, text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hash = single_spaced_ascii_hash(text).unwrap_or_else(|| words_hash(text));
    let mut id = String::with_capacity(9);
    id.push(prefix);
    for shift in (0..8).rev() {
        id.push(HEX[((hash >> (shift * 4 + 32)) & 0xf) as usize] as char);
    }
    id
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The hash of the usual answer in one pass: ASCII words joined by single
/// spaces, as `plain_text` writes them, are already what `words_hash` would
/// feed. None for anything else (Unicode, runs of spaces, tabs), which takes
/// the general path.
fn single_spaced_ascii_hash(text: &str) -> Option<u64> {
    // Decided first, in passes with no branch per byte (one at each space
    // was mispredicted about once a word), then hashed in a tight loop.
    // `char::is_whitespace` in ASCII is `is_single_spaced`'s set plus \x0b.
    if !text.is_ascii() || !is_single_spaced(text) || any_byte(text, |b| b == 0x0b) {
        return None;
    }
    let mut hash = FNV_OFFSET;
    for &b in text.as_bytes() {
        hash = (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
    }
    Some(hash)
}

/// The general form: lowercased words, split on any Unicode whitespace and
/// joined by single spaces.
fn words_hash(text: &str) -> u64 {
    let mut hash = FNV_OFFSET;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(FNV_PRIME);
        }
    };
    let mut buffer = [0u8; 4];
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            feed(b" ");
        }
        if word.is_ascii() {
            for b in word.bytes() {
                feed(std::slice::from_ref(&b.to_ascii_lowercase()));
            }
        } else {
            for c in word.chars().flat_map(char::to_lowercase) {
                feed(c.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    hash
}

/// Makes ids unique in one scope by adding `-2`, `-3`, ...
///
/// It remembers hashes, not strings: equal ids always share a hash, so a
/// repeat is never missed; two different ids sharing one (vanishingly rare)
/// would only cost an unneeded suffix.
///
/// A scope is one quiz (tens of ids), so a list beats a hash set.
#[derive(Default)]
pub struct UniqueIds {
    seen: Vec<u64>,
}

impl UniqueIds {
    pub fn claim(&mut self, base: String) -> String {
        if self.insert(fnv1a(base.as_bytes())) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.insert(fnv1a(candidate.as_bytes())))
            .unwrap_or(base)
    }

    fn insert(&mut self, hash: u64) -> bool {
        let new = !self.seen.contains(&hash);
        if new {
            self.seen.push(hash);
        }
        new
    }
}

/// 64-bit FNV-1a: fixed, so hashes are the same on every machine.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(FNV_PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slugify("Washing your hands!"), "washing-your-hands");
        assert_eq!(
            slugify("  Quiz: Food  safety (Level 2) "),
            "quiz-food-safety-level-2"
        );
        assert_eq!(slugify("Café 5°C"), "café-5-c");
        assert_eq!(slugify("?!"), "");
    }

    #[test]
    fn short_slugs_cut_at_a_word() {
        assert_eq!(
            short_slug("What temperature should a fridge be kept at", 20),
            "what-temperature"
        );
    }

    #[test]
    fn ids_are_checked() {
        assert!(is_valid_id("washing-hands_2"));
        assert!(!is_valid_id("Washing"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a b"));
    }

    #[test]
    fn content_ids_ignore_case_and_spacing_but_not_words() {
        assert_eq!(content_id('o', "Hot  water"), content_id('o', "hot water"));
        assert_ne!(content_id('o', "hot water"), content_id('o', "cold water"));
        assert_eq!(content_id('r', "x").len(), 9);
    }

    #[test]
    fn the_one_pass_hash_agrees_with_the_general_one() {
        for text in [
            "",
            "hot water",
            "Hot Water 5 C",
            " hot",
            "hot ",
            "hot  water",
            "hot\twater",
            "hot\u{b}water",
            "8\u{a0}°C",
            "Café",
        ] {
            if let Some(fast) = single_spaced_ascii_hash(text) {
                assert_eq!(fast, words_hash(text), "{text:?}");
            }
        }
        assert!(single_spaced_ascii_hash("hot water").is_some());
        assert!(single_spaced_ascii_hash("hot  water").is_none());
    }

    #[test]
    fn unique_ids_get_suffixes() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("a".into()), "a");
        assert_eq!(ids.claim("a".into()), "a-2");
        assert_eq!(ids.claim("a".into()), "a-3");
    }
}
