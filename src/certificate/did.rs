//! The issuer's identity: a `did:web` identifier derived from the site's
//! public address, and the DID document that lists its keys.
//!
//! did:web turns `https://learn.example.org` into `did:web:learn.example.org`:
//! the port's colon is percent-encoded (`did:web:localhost%3A8080`) and the
//! slashes of a path become colons (`did:web:example.org:presto`). Anyone
//! can then fetch the keys from the site itself, at `/.well-known/did.json`,
//! or `{path}/did.json` when the site lives under a path.
//!
//! The document lists every key the site has ever signed with, each under
//! its own fragment (`#key-1`, `#key-2`, ...), so certificates signed before
//! a key change still verify.

use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};
use url::{Host, Url};

use super::keys::multikey_public;

#[derive(Debug, thiserror::Error)]
pub enum DidError {
    #[error("the public address is not a URL")]
    NotAUrl(#[from] url::ParseError),
    #[error(
        "the public address must start with https:// (or http:// for local testing), not {0}://"
    )]
    NotHttp(String),
    #[error("did:web needs a host name in the public address")]
    NoHost,
    #[error("did:web cannot name an IPv6 address; give the site a host name")]
    Ipv6,
    #[error("the public address must not contain a user name or password")]
    HasCredentials,
    #[error("the public address must not have a query (?...) or fragment (#...)")]
    HasQueryOrFragment,
}

/// The `did:web` identifier of the site at `public_url`.
pub fn did_web(public_url: &str) -> Result<String, DidError> {
    let url = site_url(public_url)?;
    // `site_url` has made sure the host is a domain or IPv4 address.
    let mut did = format!("did:web:{}", url.host_str().ok_or(DidError::NoHost)?);
    // `Url` drops the port when it is the scheme's default, which is what
    // did:web wants: `https://host:443` is `did:web:host`.
    if let Some(port) = url.port() {
        did.push_str(&format!("%3A{port}"));
    }
    for segment in path_segments(&url) {
        // Colons separate segments in the DID, so one inside a segment
        // must be escaped. `Url` has already percent-encoded the rest.
        did.push(':');
        did.push_str(&segment.replace(':', "%3A"));
    }
    Ok(did)
}

/// Where on the site the DID document must be served, per did:web:
/// `/.well-known/did.json` for a site at the root of its host, otherwise
/// `{path}/did.json`.
pub fn did_document_path(public_url: &str) -> Result<String, DidError> {
    let url = site_url(public_url)?;
    let segments: Vec<&str> = path_segments(&url).collect();
    Ok(if segments.is_empty() {
        "/.well-known/did.json".to_string()
    } else {
        format!("/{}/did.json", segments.join("/"))
    })
}

fn site_url(public_url: &str) -> Result<Url, DidError> {
    let url = Url::parse(public_url.trim())?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(DidError::NotHttp(url.scheme().to_string()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(DidError::HasCredentials);
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(DidError::HasQueryOrFragment);
    }
    match url.host() {
        Some(Host::Domain(_) | Host::Ipv4(_)) => Ok(url),
        Some(Host::Ipv6(_)) => Err(DidError::Ipv6),
        None => Err(DidError::NoHost),
    }
}

/// The non-empty path segments, so `https://host/` and `https://host` agree.
fn path_segments(url: &Url) -> impl Iterator<Item = &str> {
    url.path_segments()
        .into_iter()
        .flatten()
        .filter(|segment| !segment.is_empty())
}

/// The id of a key in the DID document: `did:web:host#key-1`.
pub fn verification_method_id(did: &str, key_id: &str) -> String {
    format!("{did}#{key_id}")
}

/// The DID document listing `keys` (key id, public key), oldest first by
/// convention. Every key may assert credentials: an old key is retired from
/// signing, not from verifying.
pub fn did_document(did: &str, keys: &[(String, VerifyingKey)]) -> Value {
    let ids: Vec<String> = keys
        .iter()
        .map(|(key_id, _)| verification_method_id(did, key_id))
        .collect();
    let methods: Vec<Value> = keys
        .iter()
        .zip(&ids)
        .map(|((_, key), id)| {
            json!({
                "id": id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey_public(key),
            })
        })
        .collect();
    json!({
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    })
}

/// A key lookup for [`super::verify`]: finds the key a proof names among
/// `keys` of the DID `did`. A method of any other DID is unknown.
pub fn key_resolver<'a>(
    did: &'a str,
    keys: &'a [(String, VerifyingKey)],
) -> impl Fn(&str) -> Option<VerifyingKey> + 'a {
    move |method: &str| {
        let key_id = method.strip_prefix(did)?.strip_prefix('#')?;
        keys.iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, key)| *key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::keys::parse_multikey_public;

    #[test]
    fn a_bare_domain() {
        assert_eq!(
            did_web("https://learn.example.org").unwrap(),
            "did:web:learn.example.org"
        );
        assert_eq!(
            did_web("https://Learn.Example.org/").unwrap(),
            "did:web:learn.example.org"
        );
        assert_eq!(
            did_document_path("https://learn.example.org/").unwrap(),
            "/.well-known/did.json"
        );
    }

    #[test]
    fn a_port_is_percent_encoded() {
        assert_eq!(
            did_web("http://localhost:8080").unwrap(),
            "did:web:localhost%3A8080"
        );
        assert_eq!(
            did_web("http://127.0.0.1:8080/").unwrap(),
            "did:web:127.0.0.1%3A8080"
        );
        // The scheme's own port is no port at all.
        assert_eq!(
            did_web("https://learn.example.org:443").unwrap(),
            "did:web:learn.example.org"
        );
    }

    #[test]
    fn a_path_becomes_colons() {
        assert_eq!(
            did_web("https://example.org/colleges/presto/").unwrap(),
            "did:web:example.org:colleges:presto"
        );
        assert_eq!(
            did_web("https://example.org:8443/presto").unwrap(),
            "did:web:example.org%3A8443:presto"
        );
        assert_eq!(
            did_document_path("https://example.org/colleges/presto/").unwrap(),
            "/colleges/presto/did.json"
        );
    }

    #[test]
    fn an_international_domain_is_written_in_punycode() {
        assert_eq!(
            did_web("https://bücher.example").unwrap(),
            "did:web:xn--bcher-kva.example"
        );
    }

    #[test]
    fn addresses_did_web_cannot_express_are_refused() {
        for bad in [
            "learn.example.org",
            "ftp://learn.example.org",
            "https://user:pw@learn.example.org",
            "https://learn.example.org/?x=1",
            "https://learn.example.org/#top",
            "http://[::1]:8080",
            "",
        ] {
            assert!(did_web(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_document_lists_every_key() {
        let one =
            parse_multikey_public("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").unwrap();
        let two =
            parse_multikey_public("z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP").unwrap();
        let did = "did:web:learn.example.org";
        let keys = [("key-1".to_string(), one), ("key-2".to_string(), two)];
        let document = did_document(did, &keys);
        assert_eq!(
            document,
            json!({
                "@context": [
                    "https://www.w3.org/ns/did/v1",
                    "https://w3id.org/security/multikey/v1"
                ],
                "id": "did:web:learn.example.org",
                "verificationMethod": [
                    {
                        "id": "did:web:learn.example.org#key-1",
                        "type": "Multikey",
                        "controller": "did:web:learn.example.org",
                        "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
                    },
                    {
                        "id": "did:web:learn.example.org#key-2",
                        "type": "Multikey",
                        "controller": "did:web:learn.example.org",
                        "publicKeyMultibase": "z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP"
                    }
                ],
                "assertionMethod": [
                    "did:web:learn.example.org#key-1",
                    "did:web:learn.example.org#key-2"
                ],
                "authentication": [
                    "did:web:learn.example.org#key-1",
                    "did:web:learn.example.org#key-2"
                ]
            })
        );
        let resolve = key_resolver(did, &keys);
        assert_eq!(resolve("did:web:learn.example.org#key-2"), Some(two));
        assert_eq!(resolve("did:web:learn.example.org#key-3"), None);
        assert_eq!(resolve("did:web:evil.example#key-1"), None);
        assert_eq!(resolve("did:web:learn.example.org.evil#key-1"), None);
    }
}
