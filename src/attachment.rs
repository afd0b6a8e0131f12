//! The attachment file format (version 1): one file per attachment in the data folder's
//! `attachments/`, named by a random id, encrypted in 64 KiB chunks with AES-256-GCM in the
//! STREAM construction (`aead-stream`'s `StreamBE32`), so a flipped byte, chunks swapped or
//! dropped, a cut-off end or bytes appended are each refused — while a file of any size is
//! written and read in a stream, never held whole.
//!
//! Layout: `"TRESORA"` (7 bytes) ‖ version `0x01` ‖ salt (16 random bytes) ‖ nonce prefix
//! (7 random bytes) ‖ chunks. Each chunk is the AES-GCM ciphertext of 64 KiB of plaintext plus
//! its 16-byte tag; the last chunk holds less than 64 KiB (possibly nothing) and is sealed with
//! STREAM's "last" flag, so a file that ends after a full chunk is truncated. The nonce of chunk
//! `i` is prefix ‖ `i` (32-bit big endian) ‖ last flag. Every chunk's associated data is the
//! 31-byte head, so the version byte cannot be changed either.
//!
//! Each file has its own key: HKDF-SHA256 of the vault's attachment key (derived from the data
//! key, [`KEY_PURPOSE`]) with the file's salt, bound to the attachment's id. A file renamed to
//! another attachment's id does not open, and no two files share a key, so STREAM's short
//! nonce prefix never repeats under one key.

use std::io::{self, Read, Write};

use aead_stream::{DecryptorBE32, EncryptorBE32, NewStream, StreamBE32};
use aes_gcm::{Aes256Gcm, KeyInit};
use zeroize::Zeroizing;

use crate::crypto::{self, DataKey, KEY_LEN};
use crate::error::{Error, Result};

pub const MAGIC: &[u8; 7] = b"TRESORA";
pub const VERSION: u8 = 1;
/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
pub const TAG_LEN: usize = 16;
const SALT_LEN: usize = 16;
const PREFIX_LEN: usize = 7;
pub const HEAD_LEN: usize = MAGIC.len() + 1 + SALT_LEN + PREFIX_LEN;
/// The purpose the attachment key is derived from the data key under (`DataKey::derive`).
pub const KEY_PURPOSE: &str = "tresor attachment v1";
/// The extension of attachment files in the data folder.
pub const EXT: &str = "tresor-attachment";

/// The key all attachment files' keys are derived from.
pub fn attachment_key(dek: &DataKey) -> Zeroizing<[u8; KEY_LEN]> {
    dek.derive(KEY_PURPOSE)
}

/// A fresh file name: 32 random hex digits and [`EXT`]. Random rather than the row's UUIDv7, so
/// the folder shows neither the name nor when a file was added.
pub fn new_file_name() -> Result<String> {
    let r: [u8; 16] = crypto::random_array()?;
    Ok(format!("{}.{EXT}", crypto::hex(&r)))
}

/// Whether `name` is an attachment file name as [`new_file_name`] makes them.
pub fn is_file_name(name: &str) -> bool {
    name.strip_suffix(EXT)
        .and_then(|s| s.strip_suffix('.'))
        .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// The size of the file that `plain` bytes become.
pub fn sealed_len(plain: u64) -> u64 {
    let full = plain / CHUNK as u64;
    HEAD_LEN as u64 + plain + (full + 1) * TAG_LEN as u64
}

fn file_cipher(key: &[u8; KEY_LEN], salt: &[u8], id: &str) -> Result<Aes256Gcm> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), key);
    let mut k = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes is far below HKDF's limit: expand cannot fail.
    let _ = hk.expand(format!("tresor attachment file v1|{id}").as_bytes(), k.as_mut_slice());
    Aes256Gcm::new_from_slice(k.as_slice()).map_err(|_| Error::AttachmentDamaged { id: id.into() })
}

/// Reads until `buf` is full or the input ends; returns how many bytes it holds.
fn fill(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Encrypts everything `input` yields into `out` as attachment `id`. Returns the plaintext size.
/// More than `limit` bytes is [`Error::AttachmentTooLarge`] (the caller throws `out` away).
/// Read errors are reported as `source`'s, write errors as `dest`'s.
pub fn seal(
    key: &[u8; KEY_LEN],
    id: &str,
    input: &mut impl Read,
    out: &mut impl Write,
    limit: u64,
    source: &std::path::Path,
    dest: &std::path::Path,
) -> Result<u64> {
    let mut head = [0u8; HEAD_LEN];
    head[..MAGIC.len()].copy_from_slice(MAGIC);
    head[MAGIC.len()] = VERSION;
    crypto::fill_random(&mut head[MAGIC.len() + 1..])?;
    let salt = &head[MAGIC.len() + 1..MAGIC.len() + 1 + SALT_LEN];
    let prefix: [u8; PREFIX_LEN] = head[HEAD_LEN - PREFIX_LEN..].try_into().map_err(|_| damaged(id))?;
    let stream = StreamBE32::from_aead(file_cipher(key, salt, id)?, &prefix.into());
    let mut enc = EncryptorBE32::from_stream_primitive(stream);
    out.write_all(&head).map_err(|e| Error::io("write", dest, e))?;
    let mut buf = Zeroizing::new(Vec::with_capacity(CHUNK + TAG_LEN));
    let mut total = 0u64;
    loop {
        buf.clear();
        buf.resize(CHUNK, 0);
        let n = fill(input, &mut buf).map_err(|e| Error::io("read", source, e))?;
        buf.truncate(n);
        total += n as u64;
        if total > limit {
            return Err(Error::AttachmentTooLarge { size: total, limit });
        }
        if n == CHUNK {
            enc.encrypt_next_in_place(&head, &mut *buf).map_err(|_| too_many_chunks(total, limit))?;
            out.write_all(&buf).map_err(|e| Error::io("write", dest, e))?;
        } else {
            enc.encrypt_last_in_place(&head, &mut *buf).map_err(|_| too_many_chunks(total, limit))?;
            out.write_all(&buf).map_err(|e| Error::io("write", dest, e))?;
            return Ok(total);
        }
    }
}

/// STREAM's 32-bit counter ends at 256 TiB, far beyond any limit; said as "too large" anyway.
fn too_many_chunks(size: u64, limit: u64) -> Error {
    Error::AttachmentTooLarge { size, limit }
}

fn damaged(id: &str) -> Error {
    Error::AttachmentDamaged { id: id.to_string() }
}

/// Decrypts attachment `id` from `input` into `out`, chunk by chunk: only authenticated bytes
/// reach `out`, but a file damaged further on fails after earlier chunks were written, so the
/// caller keeps `out` only when this returns `Ok` (a buffer, or a temp file it then removes).
/// Returns the plaintext size. Anything but a whole, unaltered file of this id under this key is
/// [`Error::AttachmentDamaged`]; a failed write is `dest`'s I/O error.
pub fn open(
    key: &[u8; KEY_LEN],
    id: &str,
    input: &mut impl Read,
    out: &mut impl Write,
    dest: &std::path::Path,
) -> Result<u64> {
    let mut head = [0u8; HEAD_LEN];
    if fill(input, &mut head).map_err(|_| damaged(id))? != HEAD_LEN
        || &head[..MAGIC.len()] != MAGIC
        || head[MAGIC.len()] != VERSION
    {
        return Err(damaged(id));
    }
    let salt = &head[MAGIC.len() + 1..MAGIC.len() + 1 + SALT_LEN];
    let prefix: [u8; PREFIX_LEN] = head[HEAD_LEN - PREFIX_LEN..].try_into().map_err(|_| damaged(id))?;
    let stream = StreamBE32::from_aead(file_cipher(key, salt, id)?, &prefix.into());
    let mut dec = DecryptorBE32::from_stream_primitive(stream);
    let mut buf = Zeroizing::new(Vec::with_capacity(CHUNK + TAG_LEN));
    let mut total = 0u64;
    loop {
        buf.clear();
        buf.resize(CHUNK + TAG_LEN, 0);
        let n = fill(input, &mut buf).map_err(|_| damaged(id))?;
        buf.truncate(n);
        if n == CHUNK + TAG_LEN {
            // A full chunk is never the last one: the last holds less than CHUNK bytes.
            dec.decrypt_next_in_place(&head, &mut *buf).map_err(|_| damaged(id))?;
            out.write_all(&buf).map_err(|e| Error::io("write", dest, e))?;
            total += buf.len() as u64;
        } else {
            if n < TAG_LEN {
                return Err(damaged(id));
            }
            dec.decrypt_last_in_place(&head, &mut *buf).map_err(|_| damaged(id))?;
            out.write_all(&buf).map_err(|e| Error::io("write", dest, e))?;
            return Ok(total + buf.len() as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(key: &[u8; KEY_LEN], id: &str, plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let p = std::path::Path::new("x");
        seal(key, id, &mut &plain[..], &mut out, u64::MAX, p, p).unwrap();
        out
    }

    fn opened(key: &[u8; KEY_LEN], id: &str, file: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        open(key, id, &mut &file[..], &mut out, std::path::Path::new("x"))?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_every_chunk_boundary() {
        let key = [9u8; KEY_LEN];
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let file = sealed(&key, "a", &plain);
            assert_eq!(file.len() as u64, sealed_len(len as u64), "{len}");
            assert_eq!(opened(&key, "a", &file).unwrap(), plain, "{len}");
        }
    }

    #[test]
    fn another_id_key_or_version_does_not_open() {
        let key = [9u8; KEY_LEN];
        let mut file = sealed(&key, "a", b"Befund");
        assert!(matches!(opened(&key, "b", &file), Err(Error::AttachmentDamaged { .. })));
        assert!(opened(&[8u8; KEY_LEN], "a", &file).is_err());
        file[MAGIC.len()] = 2;
        assert!(opened(&key, "a", &file).is_err());
    }

    #[test]
    fn flipped_swapped_cut_or_extended_files_are_refused() {
        let key = [9u8; KEY_LEN];
        let plain: Vec<u8> = (0..3 * CHUNK + 100).map(|i| (i % 253) as u8).collect();
        let file = sealed(&key, "a", &plain);
        let seg = CHUNK + TAG_LEN;
        let chunk = |i: usize| HEAD_LEN + i * seg..HEAD_LEN + (i + 1) * seg;
        let refused = |f: &[u8], what: &str| {
            assert!(matches!(opened(&key, "a", f), Err(Error::AttachmentDamaged { .. })), "{what}");
        };
        for at in [0, MAGIC.len() + 3, HEAD_LEN, HEAD_LEN + seg + 5, file.len() - 1] {
            let mut f = file.clone();
            f[at] ^= 0x01;
            refused(&f, &format!("flip at {at}"));
        }
        let mut swapped = file.clone();
        swapped[chunk(0)].copy_from_slice(&file[chunk(1)]);
        swapped[chunk(1)].copy_from_slice(&file[chunk(0)]);
        refused(&swapped, "chunks 0 and 1 swapped");
        // Cut at a chunk boundary (the last chunk dropped: every remaining chunk is authentic),
        // inside a chunk, inside the head, and to nothing.
        for len in [HEAD_LEN + 3 * seg, HEAD_LEN + 2 * seg, HEAD_LEN + seg + 7, HEAD_LEN + 10, 5, 0] {
            refused(&file[..len], &format!("cut to {len}"));
        }
        let mut longer = file.clone();
        longer.extend_from_slice(&file[chunk(2)]);
        refused(&longer, "a chunk appended");
        let mut last_dropped_and_resealed = file[..HEAD_LEN + 3 * seg].to_vec();
        last_dropped_and_resealed.extend_from_slice(&[0u8; TAG_LEN]);
        refused(&last_dropped_and_resealed, "a forged empty last chunk");
    }

    #[test]
    fn file_names_are_random_hex_with_our_extension() {
        let a = new_file_name().unwrap();
        assert!(is_file_name(&a), "{a}");
        assert_ne!(a, new_file_name().unwrap());
        for bad in ["", "x.tresor-attachment", &a.replace(".tresor", " (1).tresor"), &a.to_uppercase(), &a[1..]] {
            assert!(!is_file_name(bad), "{bad}");
        }
    }
}
