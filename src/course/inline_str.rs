//! Short text kept inside its owner instead of in a heap buffer of its own.
//!
//! A compiled course holds thousands of short, bounded strings, such as a
//! language code for every translation of every word. As `String`s each was
//! an allocation of its own. (Answer ids were tried too: no faster, so they
//! stayed `String`s.)
//! `InlineStr` reads, compares, orders, hashes and serialises exactly as the
//! text does, so maps and JSON are the same as with `String`.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Text of at most `N` bytes (`N` below 256).
#[derive(Clone, Copy)]
pub struct InlineStr<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> InlineStr<N> {
    /// The most bytes it holds.
    pub const CAPACITY: usize = N;

    /// None when `text` is longer than `N` bytes.
    pub fn new(text: &str) -> Option<Self> {
        let len = u8::try_from(text.len()).ok()?;
        let mut bytes = [0; N];
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        Some(InlineStr { len, bytes })
    }

    pub fn as_str(&self) -> &str {
        // Made only from a whole `&str` in `new`, so always valid UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

/// The empty text.
impl<const N: usize> Default for InlineStr<N> {
    fn default() -> Self {
        InlineStr {
            len: 0,
            bytes: [0; N],
        }
    }
}

impl<const N: usize> Deref for InlineStr<N> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> AsRef<str> for InlineStr<N> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

// `Borrow<str>` lets a map keyed by `InlineStr` be read with a `&str`; it
// holds because equality, order and hash below are all the text's.
impl<const N: usize> Borrow<str> for InlineStr<N> {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> PartialEq for InlineStr<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<const N: usize> Eq for InlineStr<N> {}

impl<const N: usize> PartialEq<str> for InlineStr<N> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl<const N: usize> PartialEq<&str> for InlineStr<N> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<const N: usize> Ord for InlineStr<N> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl<const N: usize> PartialOrd for InlineStr<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const N: usize> Hash for InlineStr<N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl<const N: usize> fmt::Debug for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> fmt::Display for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> Serialize for InlineStr<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, const N: usize> Deserialize<'de> for InlineStr<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        InlineStr::new(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is longer than {N} bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_is_the_text_it_was_made_from() {
        let id = InlineStr::<15>::new("o1a2b3c4d").unwrap();
        assert_eq!(id.as_str(), "o1a2b3c4d");
        assert_eq!(id, "o1a2b3c4d");
        assert_eq!(id.to_string(), "o1a2b3c4d");
        assert_eq!(format!("{id:?}"), "\"o1a2b3c4d\"");
        assert_eq!(InlineStr::<4>::new("").unwrap().as_str(), "");
        assert_eq!(InlineStr::<4>::new("ab£").unwrap().as_str(), "ab£");
        assert!(InlineStr::<4>::new("abcde").is_none());
        assert!(InlineStr::<4>::new("abc£").is_none(), "five bytes");
    }

    #[test]
    fn equal_text_is_equal_and_hashes_alike_whatever_was_there_before() {
        use std::collections::HashSet;
        let a = InlineStr::<8>::new("ar").unwrap();
        let b: InlineStr<8> = serde_json::from_str("\"ar\"").unwrap();
        assert_eq!(a, b);
        let set: HashSet<InlineStr<8>> = [a].into_iter().collect();
        assert!(set.contains("ar"), "looked up by &str");
        assert!(set.contains(&b));
    }
}
