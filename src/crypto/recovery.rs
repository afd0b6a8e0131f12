//! The recovery key: 160 random bits shown once as eight groups of five characters
//! (Crockford base32, so 0/O and 1/I/L are interchangeable and case does not matter). The fifth
//! character of each group checks the other four, so a typo is reported with the group it is in.

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

const BYTES: usize = 20;
const GROUPS: usize = 8;
const DATA_PER_GROUP: usize = 4;
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

pub struct RecoveryKey(Zeroizing<[u8; BYTES]>);

impl RecoveryKey {
    pub fn generate() -> Result<Self> {
        let mut b = Zeroizing::new([0u8; BYTES]);
        super::fill_random(b.as_mut_slice())?;
        Ok(RecoveryKey(b))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// `XXXXC-XXXXC-…`, eight groups; the form printed on the emergency kit.
    pub fn display(&self) -> Zeroizing<String> {
        let symbols = to_symbols(&self.0);
        let mut out = Zeroizing::new(String::with_capacity(GROUPS * 6));
        for (g, chunk) in symbols.chunks(DATA_PER_GROUP).enumerate() {
            if g > 0 {
                out.push('-');
            }
            for &s in chunk {
                out.push(ALPHABET[s as usize] as char);
            }
            out.push(ALPHABET[check_symbol(g, chunk) as usize] as char);
        }
        out
    }

    /// Parses what the user typed. Spaces, dashes and case are ignored.
    pub fn parse(input: &str) -> Result<Self> {
        let mut symbols: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(GROUPS * 5));
        for c in input.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            symbols.push(decode_char(c).unwrap_or(u8::MAX));
        }
        if symbols.len() != GROUPS * (DATA_PER_GROUP + 1) {
            return Err(Error::RecoveryKeyMalformed);
        }
        let mut data = Zeroizing::new(Vec::with_capacity(GROUPS * DATA_PER_GROUP));
        for (g, group) in symbols.chunks(DATA_PER_GROUP + 1).enumerate() {
            let (body, check) = group.split_at(DATA_PER_GROUP);
            if body.contains(&u8::MAX) || check[0] != check_symbol(g, body) {
                return Err(Error::RecoveryKeyTypo { group: g + 1 });
            }
            data.extend_from_slice(body);
        }
        Ok(RecoveryKey(Zeroizing::new(from_symbols(&data))))
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

fn decode_char(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET.iter().position(|&a| a as char == c).map(|p| p as u8)
}

/// Five bits of SHA-256 over the group's position and symbols: any single typo, and almost any
/// other, changes it.
fn check_symbol(group: usize, body: &[u8]) -> u8 {
    let mut h = Sha256::new();
    h.update(b"tresor-recovery-group");
    h.update([group as u8]);
    h.update(body);
    h.finalize()[0] & 0x1f
}

fn to_symbols(bytes: &[u8; BYTES]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(GROUPS * DATA_PER_GROUP));
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(((acc >> bits) & 0x1f) as u8);
        }
    }
    acc.zeroize();
    out
}

fn from_symbols(symbols: &[u8]) -> [u8; BYTES] {
    let mut out = [0u8; BYTES];
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut i = 0;
    for &s in symbols {
        acc = (acc << 5) | s as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out[i] = (acc >> bits) as u8;
            i += 1;
        }
    }
    acc.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips_with_forgiving_input() {
        let k = RecoveryKey::generate().unwrap();
        let shown = k.display();
        assert_eq!(shown.len(), 8 * 5 + 7);
        let back = RecoveryKey::parse(&shown).unwrap();
        assert_eq!(back.bytes(), k.bytes());
        let sloppy = shown.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(RecoveryKey::parse(&sloppy).unwrap().bytes(), k.bytes());
    }

    #[test]
    fn a_typo_names_its_group() {
        let k = RecoveryKey::generate().unwrap();
        let shown = k.display();
        for group in 0..8 {
            let pos = group * 6 + 2;
            let mut chars: Vec<char> = shown.chars().collect();
            let old = chars[pos];
            let mut detected = 0;
            for &a in ALPHABET.iter().filter(|&&a| a as char != old) {
                chars[pos] = a as char;
                let typed: String = chars.iter().collect();
                if let Err(Error::RecoveryKeyTypo { group: g }) = RecoveryKey::parse(&typed) {
                    assert_eq!(g, group + 1);
                    detected += 1;
                }
            }
            // Five check bits catch all but about one in 32 substitutions.
            assert!(detected >= 25, "group {group}: only {detected} of 31 typos caught");
        }
    }

    #[test]
    fn wrong_length_or_junk_is_malformed() {
        assert!(matches!(RecoveryKey::parse("ABCDE"), Err(Error::RecoveryKeyMalformed)));
        assert!(matches!(RecoveryKey::parse(""), Err(Error::RecoveryKeyMalformed)));
        let k = RecoveryKey::generate().unwrap();
        let mut s = k.display().to_string();
        s.replace_range(0..1, "U");
        assert!(matches!(RecoveryKey::parse(&s), Err(Error::RecoveryKeyTypo { group: 1 })));
    }
}
