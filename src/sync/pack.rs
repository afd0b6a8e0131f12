//! Deflate for a segment's JSON before it is sealed. A segment is mostly repeated field names,
//! and every invoice issued repeats the practice's address and bank details: packed, a working
//! day's segments are several times smaller, and every byte of them is uploaded by the cloud
//! drive and, in the long run, written again in the next snapshot (docs/PERFORMANCE.md).
//! A packed payload starts with `Z1`; JSON starts with `{`, so segments written before still read.

use std::io::{Read, Write};

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use zeroize::Zeroizing;

const MARK: &[u8] = b"Z1";
/// The most a segment unpacks to (2,000 journal entries with their rows stay far below); more
/// is refused, so a crafted file cannot fill the memory.
pub const MAX_UNPACKED: u64 = 64 << 20;

pub fn pack(json: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(json.len() / 3 + 16));
    out.extend_from_slice(MARK);
    let mut enc = DeflateEncoder::new(std::mem::take(&mut *out), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(json);
    Zeroizing::new(enc.finish().unwrap_or_default())
}

/// The JSON in a segment's opened payload, packed or not; `None` when it does not unpack.
pub fn unpack(plain: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let Some(packed) = plain.strip_prefix(MARK) else {
        return Some(Zeroizing::new(plain.to_vec()));
    };
    let mut out = Zeroizing::new(Vec::new());
    DeflateDecoder::new(packed).take(MAX_UNPACKED + 1).read_to_end(&mut out).ok()?;
    (out.len() as u64 <= MAX_UNPACKED).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_json_unpacks_and_plain_json_passes_through() {
        let json = br#"{"rows":[{"city":"Wien"},{"city":"Wien"},{"city":"Wien"}]}"#.repeat(50);
        let packed = pack(&json);
        assert!(packed.len() * 5 < json.len(), "{} of {}", packed.len(), json.len());
        assert_eq!(unpack(&packed).unwrap().as_slice(), json.as_slice());
        assert_eq!(unpack(b"{\"v\":1}").unwrap().as_slice(), b"{\"v\":1}");
        assert!(unpack(b"Z1 not deflate at all").is_none());
    }

    #[test]
    fn a_packed_bomb_is_refused() {
        let zeros = vec![b' '; (MAX_UNPACKED + 1024) as usize];
        let bomb = pack(&zeros);
        assert!(bomb.len() < 1 << 20);
        assert!(unpack(&bomb).is_none());
    }
}
