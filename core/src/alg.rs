//! JWS algorithms jwtgate verifies (never `none`), and a small set of them.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alg {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
    HS256,
    HS384,
    HS512,
}

/// The kind of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Rsa,
    EcP256,
    EcP384,
    EcP521,
    Ed25519,
    Hmac,
}

impl Alg {
    pub const ALL: [Alg; 13] = [
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::EdDSA,
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
    ];

    /// Exact, case-sensitive registered name (RFC 7518, RFC 8037).
    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::ALL.iter().copied().find(|a| a.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::EdDSA => "EdDSA",
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => Family::Rsa,
            Alg::ES256 => Family::EcP256,
            Alg::ES384 => Family::EcP384,
            Alg::ES512 => Family::EcP521,
            Alg::EdDSA => Family::Ed25519,
            Alg::HS256 | Alg::HS384 | Alg::HS512 => Family::Hmac,
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Family {
    /// The algorithms a key of this family may verify.
    pub fn algs(self) -> AlgSet {
        let mut set = AlgSet::EMPTY;
        for a in Alg::ALL {
            if a.family() == self {
                set.insert(a);
            }
        }
        set
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Rsa => "RSA",
            Family::EcP256 => "EC P-256",
            Family::EcP384 => "EC P-384",
            Family::EcP521 => "EC P-521",
            Family::Ed25519 => "Ed25519",
            Family::Hmac => "HMAC secret",
        }
    }
}

/// A set of algorithms as a bit mask (cheap to copy and test on the hot path).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlgSet(u16);

impl AlgSet {
    pub const EMPTY: AlgSet = AlgSet(0);

    pub fn insert(&mut self, a: Alg) {
        self.0 |= a.bit();
    }

    pub fn contains(self, a: Alg) -> bool {
        self.0 & a.bit() != 0
    }

    pub fn union(self, other: AlgSet) -> AlgSet {
        AlgSet(self.0 | other.0)
    }

    pub fn intersect(self, other: AlgSet) -> AlgSet {
        AlgSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Alg> {
        Alg::ALL.into_iter().filter(move |a| self.contains(*a))
    }

    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Alg::name).collect()
    }
}

impl fmt::Display for AlgSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}
