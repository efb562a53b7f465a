//! Whose address a request comes from, when the server sits behind a
//! reverse proxy.
//!
//! Throttles count per client address. Behind a proxy every request comes
//! from the proxy's address, so the proxy says who its client was in
//! `X-Forwarded-For` (or `Forwarded`). Anyone can send those headers, so
//! they are read only when the request comes from a proxy named in the
//! `trusted_proxies` setting, and then only the part the trusted proxies
//! added: the right-most address that is not itself a trusted proxy.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The `trusted_proxies` setting: addresses and CIDR ranges
/// (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`). Empty by default: the
/// forwarding headers are ignored and the peer's address is the client's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a list of addresses and ranges; the error names the entry.
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        entries
            .into_iter()
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(parse_range)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|range| range.contains(&address))
    }

    /// The client's address for a request from `peer` with these
    /// `X-Forwarded-For` and `Forwarded` header values (each header may
    /// come more than once; the values are in the order received).
    ///
    /// When the peer is not a trusted proxy the headers are ignored. When it
    /// is, the addresses the proxies appended are read from the right, and
    /// the first one that is not a trusted proxy is the client. Something
    /// that is not an address there (`unknown`, an obfuscated name) ends the
    /// walk at the last trusted hop, which is then taken as the client: a
    /// broken chain is never read further left, where the client writes.
    /// `X-Forwarded-For` wins when both headers came: it is the one common
    /// proxies append to.
    pub fn client_address(
        &self,
        peer: IpAddr,
        forwarded_for: &[&str],
        forwarded: &[&str],
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<&str> = if forwarded_for.iter().any(|v| !v.trim().is_empty()) {
            forwarded_for
                .iter()
                .flat_map(|value| value.split(','))
                .map(str::trim)
                .collect()
        } else {
            forwarded
                .iter()
                .flat_map(|value| value.split(','))
                .filter_map(forwarded_for_parameter)
                .collect()
        };
        let mut client = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(address) => {
                    client = address;
                    if !self.contains(address) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

fn parse_range(entry: &str) -> Result<IpNet, String> {
    entry
        .parse::<IpNet>()
        .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
        .map(|range| range.trunc())
        .map_err(|_| {
            format!(
                "trusted_proxies: {entry:?} is not an address or a range like \
                 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32"
            )
        })
}

/// The `for=` value of one element of a `Forwarded` header (RFC 7239).
fn forwarded_for_parameter(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`,
/// `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse::<IpAddr>().ok())
        })
        .map(|address| address.to_canonical())
}

impl Serialize for TrustedProxies {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(ToString::to_string))
    }
}

/// A list (`["10.0.0.0/8", "192.0.2.7"]` in presto.toml) or one string with
/// the entries separated by commas or spaces (`PRESTO_TRUSTED_PROXIES`).
impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = TrustedProxies;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of addresses and CIDR ranges")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                TrustedProxies::parse(value.split([',', ' ', '\t', '\n'])).map_err(E::custom)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<String> = Vec::new();
                while let Some(entry) = seq.next_element::<String>()? {
                    entries.push(entry);
                }
                TrustedProxies::parse(entries.iter().map(String::as_str)).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(Entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_client_address_cannot_be_spoofed() {
        let proxies = TrustedProxies::parse(["10.0.0.0/8", "2001:db8:ffff::/48"]).unwrap();
        let none = TrustedProxies::default();
        /// (proxies, peer, X-Forwarded-For values, Forwarded values, client)
        type Case<'a> = (
            &'a TrustedProxies,
            &'a str,
            &'a [&'a str],
            &'a [&'a str],
            &'a str,
        );
        let cases: &[Case] = &[
            // No proxies trusted: the headers are never read.
            (&none, "203.0.113.9", &["1.2.3.4"], &[], "203.0.113.9"),
            (
                &none,
                "10.0.0.1",
                &["1.2.3.4"],
                &["for=1.2.3.4"],
                "10.0.0.1",
            ),
            // A peer outside the trusted ranges cannot choose its address.
            (&proxies, "203.0.113.9", &["1.2.3.4"], &[], "203.0.113.9"),
            (
                &proxies,
                "203.0.113.9",
                &[],
                &["for=1.2.3.4"],
                "203.0.113.9",
            ),
            // Through a trusted proxy: the address it appended.
            (&proxies, "10.0.0.1", &["198.51.100.7"], &[], "198.51.100.7"),
            // The client's own X-Forwarded-For is to the left: ignored.
            (
                &proxies,
                "10.0.0.1",
                &["1.2.3.4, 198.51.100.7"],
                &[],
                "198.51.100.7",
            ),
            (
                &proxies,
                "10.0.0.1",
                &["1.2.3.4", "198.51.100.7"],
                &[],
                "198.51.100.7",
            ),
            // Two trusted proxies in a row: skipped from the right.
            (
                &proxies,
                "10.0.0.1",
                &["1.2.3.4, 198.51.100.7, 10.0.0.2"],
                &[],
                "198.51.100.7",
            ),
            // A client claiming a trusted address further left gains nothing.
            (
                &proxies,
                "10.0.0.1",
                &["10.9.9.9, 198.51.100.7"],
                &[],
                "198.51.100.7",
            ),
            // Only trusted hops: the left-most (a client inside the network).
            (
                &proxies,
                "10.0.0.1",
                &["10.0.0.5, 10.0.0.2"],
                &[],
                "10.0.0.5",
            ),
            // No header: the proxy itself.
            (&proxies, "10.0.0.1", &[], &[], "10.0.0.1"),
            (&proxies, "10.0.0.1", &[""], &[], "10.0.0.1"),
            // Garbage where the proxy writes: the walk stops at the proxy.
            (&proxies, "10.0.0.1", &["1.2.3.4, unknown"], &[], "10.0.0.1"),
            (
                &proxies,
                "10.0.0.1",
                &["1.2.3.4, 10.0.0.2, nonsense"],
                &[],
                "10.0.0.1",
            ),
            (
                &proxies,
                "10.0.0.1",
                &["1.2.3.4, garbage, 10.0.0.2"],
                &[],
                "10.0.0.2",
            ),
            // Ports and IPv6.
            (
                &proxies,
                "10.0.0.1",
                &["198.51.100.7:4711"],
                &[],
                "198.51.100.7",
            ),
            (
                &proxies,
                "10.0.0.1",
                &["[2001:db8::7]:443"],
                &[],
                "2001:db8::7",
            ),
            (
                &proxies,
                "2001:db8:ffff::1",
                &["2001:db8::7"],
                &[],
                "2001:db8::7",
            ),
            (
                &proxies,
                "::ffff:10.0.0.1",
                &["198.51.100.7"],
                &[],
                "198.51.100.7",
            ),
            (
                &proxies,
                "10.0.0.1",
                &["::ffff:198.51.100.7"],
                &[],
                "198.51.100.7",
            ),
            // Forwarded (RFC 7239), used when X-Forwarded-For is absent.
            (
                &proxies,
                "10.0.0.1",
                &[],
                &["for=198.51.100.7;proto=https"],
                "198.51.100.7",
            ),
            (
                &proxies,
                "10.0.0.1",
                &[],
                &["for=1.2.3.4, For=\"[2001:db8::7]:4711\";by=10.0.0.1"],
                "2001:db8::7",
            ),
            (
                &proxies,
                "10.0.0.1",
                &[],
                &["for=1.2.3.4", "for=198.51.100.7"],
                "198.51.100.7",
            ),
            (&proxies, "10.0.0.1", &[], &["for=_hidden"], "10.0.0.1"),
            // Both: X-Forwarded-For, the header proxies append to, wins.
            (
                &proxies,
                "10.0.0.1",
                &["198.51.100.7"],
                &["for=1.2.3.4"],
                "198.51.100.7",
            ),
        ];
        for (proxies, peer, xff, forwarded, expected) in cases {
            assert_eq!(
                proxies.client_address(ip(peer), xff, forwarded),
                ip(expected),
                "peer {peer}, X-Forwarded-For {xff:?}, Forwarded {forwarded:?}"
            );
        }
    }

    #[test]
    fn ranges_parse_from_a_list_or_a_string_and_a_bad_one_is_named() {
        let proxies = TrustedProxies::parse(["10.0.0.0/8", " 192.0.2.7 ", "", "::1"]).unwrap();
        assert!(proxies.contains(ip("10.200.0.1")));
        assert!(proxies.contains(ip("192.0.2.7")));
        assert!(!proxies.contains(ip("192.0.2.8")));
        assert!(proxies.contains(ip("::1")));
        // Host bits are dropped, as the range means.
        assert!(
            TrustedProxies::parse(["10.1.2.3/8"])
                .unwrap()
                .contains(ip("10.9.9.9"))
        );
        let error = TrustedProxies::parse(["10.0.0.0/8", "10.0.0/33"]).unwrap_err();
        assert!(error.contains("\"10.0.0/33\""), "{error}");

        let from_toml: TrustedProxies =
            toml::from_str::<toml::Table>("p = [\"10.0.0.0/8\", \"192.0.2.7\"]").unwrap()["p"]
                .clone()
                .try_into()
                .unwrap();
        assert_eq!(
            from_toml,
            TrustedProxies::parse(["10.0.0.0/8", "192.0.2.7"]).unwrap()
        );
        let from_string: TrustedProxies =
            serde_json::from_str("\"10.0.0.0/8, 192.0.2.7\"").unwrap();
        assert_eq!(from_string, from_toml);
        assert!(serde_json::from_str::<TrustedProxies>("[\"nonsense\"]").is_err());
        assert_eq!(
            serde_json::to_string(&from_toml).unwrap(),
            "[\"10.0.0.0/8\",\"192.0.2.7/32\"]"
        );
    }
}
