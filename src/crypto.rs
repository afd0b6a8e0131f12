//! The key hierarchy's primitives: the data key (DEK), Argon2id and HKDF key-encryption keys,
//! AES-256-GCM wrapping, and Argon2 calibration. Every secret lives in a zeroizing type; the
//! data key also in memory locked against swapping where the system allows.

mod recovery;

use std::time::{Duration, Instant};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, Zeroizing};

pub use recovery::RecoveryKey;

use crate::domain::Field;
use crate::error::{Error, Result};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const SALT_LEN: usize = 16;

/// The 256-bit data key: SQLCipher's raw key and the root of derived keys (e.g. sync segments).
/// It never reaches disk unwrapped, lives in its own heap allocation locked against swapping
/// (`process::lock_in_memory`), and is wiped when dropped.
pub struct DataKey(Box<Zeroizing<[u8; KEY_LEN]>>);

impl DataKey {
    /// A zeroed key in its final, locked place: the bytes are written there and nowhere else.
    fn locked_zero() -> Box<Zeroizing<[u8; KEY_LEN]>> {
        let k = Box::new(Zeroizing::new([0u8; KEY_LEN]));
        crate::process::lock_in_memory(k.as_slice());
        k
    }

    pub fn generate() -> Result<Self> {
        let mut k = Self::locked_zero();
        fill_random(k.as_mut_slice())?;
        Ok(DataKey(k))
    }

    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The SQLCipher key literal `x'…'` (raw key, so SQLCipher's own KDF is skipped).
    pub fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(KEY_LEN * 2 + 3));
        s.push_str("x'");
        s.push_str(&hex(self.0.as_slice()));
        s.push('\'');
        s
    }

    /// A key for a separate purpose, derived so that no second secret needs remembering.
    pub fn derive(&self, purpose: &str) -> Zeroizing<[u8; KEY_LEN]> {
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"tresor/v1"), self.0.as_slice());
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        // 32 bytes is far below HKDF-SHA256's 255*32 limit, so expand cannot fail.
        let _ = hk.expand(purpose.as_bytes(), out.as_mut_slice());
        out
    }

    fn from_slice(b: &[u8]) -> Option<Self> {
        if b.len() != KEY_LEN {
            return None;
        }
        let mut k = Self::locked_zero();
        k.copy_from_slice(b);
        Some(DataKey(k))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// Argon2id cost parameters, stored in the vault header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl KdfParams {
    /// The floor from the security model: 64 MiB and three passes, whatever calibration says.
    pub const FLOOR: KdfParams = KdfParams { m_kib: 64 * 1024, t: 3, p: 1 };

    pub fn is_at_least_floor(&self) -> bool {
        self.m_kib >= Self::FLOOR.m_kib && self.t >= Self::FLOOR.t && self.p >= 1
    }

    /// Picks parameters so that one derivation takes about `target` on this machine. Memory
    /// stays at the floor's 64 MiB and passes grow: unlocking then fits the app's memory budget
    /// (peak RSS ≤ 150 MB with a large practice open) on a modest laptop, while every guess
    /// still costs an attacker 64 MiB and the full time.
    pub fn calibrate(target: Duration) -> Result<KdfParams> {
        let mut p = Self::FLOOR;
        let probe = time_kdf(p)?;
        if probe >= target || target.is_zero() {
            return Ok(p);
        }
        let scale = target.as_secs_f64() / probe.as_secs_f64().max(1e-3);
        p.t = ((Self::FLOOR.t as f64) * scale).floor().clamp(Self::FLOOR.t as f64, 64.0) as u32;
        Ok(p)
    }
}

fn time_kdf(p: KdfParams) -> Result<Duration> {
    let start = Instant::now();
    let _ = password_kek(&SecretString::from("calibration"), &[0u8; SALT_LEN], p)?;
    Ok(start.elapsed())
}

/// The shortest password we accept: a minimum, not a strength meter (the UI has one).
pub const MIN_PASSWORD_CHARS: usize = 8;

pub fn check_new_password(password: &SecretString) -> Result<()> {
    if nfc(password).chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(Field::Password, crate::error::Problem::TooShort));
    }
    Ok(())
}

/// The password in Unicode NFC. The same password arrives as different bytes from different
/// keyboards and systems ("ä" precomposed on Windows, often "a" + combining diaeresis from a
/// Mac's NFD text); the KDF sees the NFC form, so both open the vault.
fn nfc(password: &SecretString) -> Zeroizing<String> {
    normalised(password.expose_secret().nfc())
}

/// Collects into a buffer big enough from the start, so no reallocation leaves a copy behind.
fn normalised(chars: impl Iterator<Item = char>) -> Zeroizing<String> {
    let mut s = Zeroizing::new(String::with_capacity(256));
    chars.for_each(|c| s.push(c));
    s
}

/// The byte forms a password may have been wrapped under, most likely first: NFC (what every
/// header written since is wrapped under), then, for headers written before passwords were
/// normalised, the form as typed and NFD. The same password only ever differs by normalisation,
/// so trying the forms is not trying other passwords. ASCII passwords have one form.
pub fn password_forms(password: &SecretString) -> Vec<Zeroizing<String>> {
    let typed = password.expose_secret();
    let mut forms = vec![nfc(password)];
    for form in [Zeroizing::new(typed.to_string()), normalised(typed.nfd())] {
        if !forms.iter().any(|f| f.as_str() == form.as_str()) {
            forms.push(form);
        }
    }
    forms
}

/// KEK = Argon2id(NFC(password), salt, params).
pub fn password_kek(password: &SecretString, salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    kek_of_form(&nfc(password), salt, p)
}

/// KEK = Argon2id(form, salt, params) for one of `password_forms`.
pub fn kek_of_form(form: &str, salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let params = argon2::Params::new(p.m_kib, p.t, p.p, Some(KEY_LEN)).map_err(|_| Error::HeaderCorrupt)?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon.hash_password_into(form.as_bytes(), salt, out.as_mut_slice()).map_err(|_| Error::HeaderCorrupt)?;
    Ok(out)
}

/// KEK for the recovery slot. The recovery key has 160 random bits, so a fast KDF suffices.
pub fn recovery_kek(key: &RecoveryKey, salt: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), key.bytes());
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    let _ = hk.expand(b"tresor recovery kek v1", out.as_mut_slice());
    out
}

/// Encrypts the DEK under a KEK with AES-256-GCM; `aad` binds the header fields.
pub fn wrap(kek: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], dek: &DataKey, aad: &[u8]) -> Result<Vec<u8>> {
    let cipher = Aes256Gcm::new_from_slice(kek).map_err(|_| Error::HeaderCorrupt)?;
    cipher.encrypt(&(*nonce).into(), Payload { msg: dek.expose(), aad }).map_err(|_| Error::HeaderCorrupt)
}

/// Decrypts a wrapped DEK. Any failure means a wrong secret or altered header fields.
pub fn unwrap(kek: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], wrapped: &[u8], aad: &[u8]) -> Result<DataKey> {
    let cipher = Aes256Gcm::new_from_slice(kek).map_err(|_| Error::HeaderCorrupt)?;
    let mut plain = cipher.decrypt(&(*nonce).into(), Payload { msg: wrapped, aad }).map_err(|_| Error::WrongSecret)?;
    let key = DataKey::from_slice(&plain);
    plain.zeroize();
    key.ok_or(Error::HeaderCorrupt)
}

/// AES-256-GCM for whole files (sync segments, backups): nonce ‖ ciphertext ‖ tag.
pub fn seal(key: &[u8; KEY_LEN], plain: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let nonce: [u8; NONCE_LEN] = random_array()?;
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| Error::HeaderCorrupt)?;
    let ct = cipher.encrypt(&nonce.into(), Payload { msg: plain, aad }).map_err(|_| Error::HeaderCorrupt)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// The inverse of [`seal`]; `None` when the bytes were altered, truncated or sealed elsewhere.
pub fn open_sealed(key: &[u8; KEY_LEN], sealed: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN + 16 {
        return None;
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher.decrypt(&nonce.into(), Payload { msg: ct, aad }).ok().map(Zeroizing::new)
}

pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::io("random", "", std::io::Error::other(e.to_string())))
}

pub fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut a = [0u8; N];
    fill_random(&mut a)?;
    Ok(a)
}

pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_round_trips_and_rejects_wrong_key_or_aad() {
        let dek = DataKey::generate().unwrap();
        let kek = [7u8; KEY_LEN];
        let nonce = [1u8; NONCE_LEN];
        let w = wrap(&kek, &nonce, &dek, b"aad").unwrap();
        assert_eq!(unwrap(&kek, &nonce, &w, b"aad").unwrap().expose(), dek.expose());
        assert!(matches!(unwrap(&[8u8; KEY_LEN], &nonce, &w, b"aad"), Err(Error::WrongSecret)));
        assert!(matches!(unwrap(&kek, &nonce, &w, b"other"), Err(Error::WrongSecret)));
    }

    #[test]
    fn sealed_files_detect_any_change() {
        let key = [3u8; KEY_LEN];
        let mut s = seal(&key, b"hello", b"seg").unwrap();
        assert_eq!(open_sealed(&key, &s, b"seg").unwrap().as_slice(), b"hello");
        assert!(open_sealed(&key, &s, b"other").is_none());
        let last = s.len() - 1;
        s[last] ^= 1;
        assert!(open_sealed(&key, &s, b"seg").is_none());
        assert!(open_sealed(&key, &s[..10], b"seg").is_none());
    }

    #[test]
    fn calibration_never_goes_below_the_floor() {
        let p = KdfParams::calibrate(Duration::ZERO).unwrap();
        assert_eq!(p, KdfParams::FLOOR);
        assert!(KdfParams::calibrate(Duration::from_millis(300)).unwrap().is_at_least_floor());
    }

    #[test]
    fn a_password_has_one_kek_whatever_its_unicode_form() {
        let nfc_typed = SecretString::from("Grüße-Äpfel-ñ");
        let nfd_typed = SecretString::from("Gru\u{308}ße-A\u{308}pfel-n\u{303}");
        assert_ne!(nfc_typed.expose_secret(), nfd_typed.expose_secret(), "different bytes");
        let salt = [5u8; SALT_LEN];
        let p = KdfParams { m_kib: 8, t: 1, p: 1 };
        assert_eq!(*password_kek(&nfc_typed, &salt, p).unwrap(), *password_kek(&nfd_typed, &salt, p).unwrap());
        // The forms of an old header: NFC first, then as typed, then NFD; ASCII has one.
        let forms = password_forms(&nfd_typed);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].as_str(), nfc_typed.expose_secret());
        assert_eq!(forms[1].as_str(), nfd_typed.expose_secret());
        assert_eq!(password_forms(&nfc_typed).len(), 2);
        assert_eq!(password_forms(&SecretString::from("plain ascii")).len(), 1);
        assert!(
            check_new_password(&SecretString::from("a\u{308}a\u{308}a\u{308}a\u{308}")).is_err(),
            "4 letters in NFC"
        );
    }

    #[test]
    fn derived_keys_differ_by_purpose() {
        let dek = DataKey::generate().unwrap();
        assert_ne!(*dek.derive("a"), *dek.derive("b"));
        assert_eq!(*dek.derive("a"), *dek.derive("a"));
        assert_eq!(dek.sqlcipher_literal().len(), 67);
    }
}
