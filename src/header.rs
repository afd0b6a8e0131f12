//! `vault.key`: the versioned header that holds the data key wrapped twice (under the password
//! and under the recovery key). JSON, so that a person or a future version can read it; a SHA-256
//! checksum over its fields tells accidental damage apart from a wrong password, and every field
//! that matters is bound into the AES-GCM associated data, so altering one makes unwrapping fail.
//! The password slot is wrapped under the password's Unicode NFC form; a slot written before
//! passwords were normalised is still opened (by the form as typed) and then re-wrapped once.

use data_encoding::BASE64;
use secrecy::SecretString;
use sha2::{Digest, Sha256};

use crate::crypto::{self, DataKey, KdfParams, RecoveryKey, KEY_LEN, NONCE_LEN, SALT_LEN};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::{DataFolder, FileKind, HEADER_FILE};

pub const FORMAT: &str = "tresor-vault";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Slot {
    pub nonce: String,
    pub wrapped: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kdf {
    pub alg: String,
    #[serde(flatten)]
    pub params: KdfParams,
    pub salt: String,
}

/// The header's fields in a fixed order; the checksum is computed over their JSON.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Body {
    pub format: String,
    pub version: u32,
    pub vault_id: String,
    pub created_at: String,
    pub kdf: Kdf,
    pub password: Slot,
    pub recovery_salt: String,
    pub recovery: Slot,
    /// How many times a slot was re-wrapped (password changed, new recovery key): which of two
    /// copies of one vault's header is newer (`vault/key_copy.rs`). Kept outside the checksummed
    /// fields (see `OnDisk`), so `None` is a header no Tresor with epochs has changed yet.
    #[serde(skip)]
    pub epoch: Option<u64>,
}

/// The file: the body's fields, the epoch beside them, the checksum over the body alone. The
/// epoch is outside the checksum so that a Tresor from before epochs still opens a header a
/// newer one changed (it ignores the field, and drops it when it rewrites the header: that
/// header then reads as epoch 0). It orders copies, it protects nothing: whoever could forge it
/// could swap in an older header whole, and the data key never changes anyway.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct OnDisk {
    #[serde(flatten)]
    body: Body,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    epoch: Option<u64>,
    checksum: String,
}

/// Just enough of the file to tell "ours, but newer" from "not ours".
#[derive(serde::Deserialize)]
struct Probe {
    format: Option<String>,
    version: Option<u32>,
}

impl Body {
    /// Creates a header with fresh salts and nonces, wrapping `dek` under both secrets.
    pub fn create(
        vault_id: &str,
        dek: &DataKey,
        password: &SecretString,
        recovery: &RecoveryKey,
        params: KdfParams,
    ) -> Result<Body> {
        let salt: [u8; SALT_LEN] = crypto::random_array()?;
        let rsalt: [u8; SALT_LEN] = crypto::random_array()?;
        let mut body = Body {
            format: FORMAT.into(),
            version: VERSION,
            vault_id: vault_id.into(),
            created_at: jiff::Timestamp::now().to_string(),
            kdf: Kdf { alg: "argon2id".into(), params, salt: BASE64.encode(&salt) },
            password: Slot { nonce: String::new(), wrapped: String::new() },
            recovery_salt: BASE64.encode(&rsalt),
            recovery: Slot { nonce: String::new(), wrapped: String::new() },
            epoch: None,
        };
        body.set_password(dek, password)?;
        // A new header starts at epoch 0 (written without the field).
        body.epoch = None;
        let kek = crypto::recovery_kek(recovery, &rsalt);
        body.recovery = seal_slot(&kek, dek, &body.aad("recovery"))?;
        Ok(body)
    }

    /// Re-wraps the data key under a new password (new salt, new nonce). Cheap: nothing else
    /// is re-encrypted, and the recovery slot stays valid.
    pub fn set_password(&mut self, dek: &DataKey, password: &SecretString) -> Result<()> {
        let salt: [u8; SALT_LEN] = crypto::random_array()?;
        self.kdf.salt = BASE64.encode(&salt);
        let kek = crypto::password_kek(password, &salt, self.kdf.params)?;
        self.password = seal_slot(&kek, dek, &self.aad("password"))?;
        self.bump_epoch();
        Ok(())
    }

    /// The epoch as a number: a header without one counts as 0.
    pub fn epoch_or_zero(&self) -> u64 {
        self.epoch.unwrap_or(0)
    }

    fn bump_epoch(&mut self) {
        self.epoch = Some(self.epoch_or_zero().saturating_add(1));
    }

    /// Re-wraps the data key under a new recovery key (new salt, new nonce): the old key no
    /// longer opens this header. The password slot stays valid.
    pub fn set_recovery(&mut self, dek: &DataKey, recovery: &RecoveryKey) -> Result<()> {
        let rsalt: [u8; SALT_LEN] = crypto::random_array()?;
        self.recovery_salt = BASE64.encode(&rsalt);
        let kek = crypto::recovery_kek(recovery, &rsalt);
        self.recovery = seal_slot(&kek, dek, &self.aad("recovery"))?;
        self.bump_epoch();
        Ok(())
    }

    pub fn unwrap_with_password(&self, password: &SecretString) -> Result<DataKey> {
        self.unwrap_with_password_form(password).map(|(key, _)| key)
    }

    /// Opens the password slot; the flag is true when it was wrapped under a form other than
    /// NFC (by a Tresor from before passwords were normalised) and should be re-wrapped.
    /// The format did not change for this: an older Tresor on another computer still opens
    /// the re-wrapped slot with the password typed in NFC, as Windows and Linux type it.
    pub fn unwrap_with_password_form(&self, password: &SecretString) -> Result<(DataKey, bool)> {
        let salt = decode(&self.kdf.salt)?;
        for (i, form) in crypto::password_forms(password).iter().enumerate() {
            let kek = crypto::kek_of_form(form, &salt, self.kdf.params)?;
            match open_slot(&kek, &self.password, &self.aad("password")) {
                Ok(key) => return Ok((key, i > 0)),
                Err(Error::WrongSecret) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::WrongSecret)
    }

    pub fn unwrap_with_recovery(&self, key: &RecoveryKey) -> Result<DataKey> {
        let salt = decode(&self.recovery_salt)?;
        let kek = crypto::recovery_kek(key, &salt);
        open_slot(&kek, &self.recovery, &self.aad("recovery"))
    }

    /// Associated data: the fields an attacker could otherwise swap or weaken. Each slot binds
    /// only its own inputs, so re-wrapping one slot never invalidates the other.
    fn aad(&self, slot: &str) -> Vec<u8> {
        let p = self.kdf.params;
        let inputs = match slot {
            "password" => format!("{}|{}|{}|{}|{}", self.kdf.alg, p.m_kib, p.t, p.p, self.kdf.salt),
            _ => self.recovery_salt.clone(),
        };
        format!("{}|{}|{}|{slot}|{inputs}", self.format, self.version, self.vault_id).into_bytes()
    }

    fn checksum(&self) -> String {
        let json = serde_json::to_vec(self).expect("a header is strings and integers: serde_json cannot fail on it");
        crypto::hex(&Sha256::digest(&json))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let disk = OnDisk { body: self.clone(), epoch: self.epoch, checksum: self.checksum() };
        let mut v =
            serde_json::to_vec_pretty(&disk).expect("a header is strings and integers: serde_json cannot fail on it");
        v.push(b'\n');
        v
    }

    /// Parses `vault.key`, telling apart the ways it can be wrong.
    pub fn parse(bytes: &[u8]) -> Result<Body> {
        let trimmed = bytes.trim_ascii_start();
        if trimmed.is_empty() {
            return Err(Error::HeaderTruncated);
        }
        if trimmed[0] != b'{' {
            return Err(Error::HeaderForeign);
        }
        let probe: Probe = match serde_json::from_slice(bytes) {
            Ok(p) => p,
            Err(e) if e.is_eof() => return Err(Error::HeaderTruncated),
            Err(_) => return Err(Error::HeaderCorrupt),
        };
        if probe.format.as_deref() != Some(FORMAT) {
            return Err(Error::HeaderForeign);
        }
        match probe.version {
            Some(VERSION) => {}
            Some(v) if v > VERSION => return Err(Error::HeaderUnsupportedVersion { found: v }),
            _ => return Err(Error::HeaderCorrupt),
        }
        let mut disk: OnDisk = serde_json::from_slice(bytes).map_err(|_| Error::HeaderCorrupt)?;
        disk.body.epoch = disk.epoch;
        if disk.body.checksum() != disk.checksum {
            return Err(Error::HeaderCorrupt);
        }
        if disk.body.kdf.alg != "argon2id" || !disk.body.kdf.params.is_at_least_floor() {
            return Err(Error::HeaderCorrupt);
        }
        Ok(disk.body)
    }
}

/// Reads and parses the data folder's `vault.key`: at most `FileKind::Header.max_bytes()`, only
/// a plain file. Missing is `VaultMissing`, unless a cloud drive left its placeholder for it
/// (iCloud's `.vault.key.icloud`): then it is on its way (`InTransit`).
pub fn read(folder: &DataFolder) -> Result<Body> {
    let path = folder.header();
    match fsutil::read_bounded(&path, FileKind::Header) {
        Ok(bytes) => Body::parse(&bytes),
        Err(Error::Io { source, .. })
            if matches!(source.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) =>
        {
            if folder.root().join(format!(".{HEADER_FILE}.icloud")).exists() {
                return Err(Error::InTransit { kind: FileKind::Header, path });
            }
            Err(Error::VaultMissing { path: folder.root().to_path_buf() })
        }
        Err(e) => Err(e),
    }
}

fn decode(s: &str) -> Result<Vec<u8>> {
    BASE64.decode(s.as_bytes()).map_err(|_| Error::HeaderCorrupt)
}

fn seal_slot(kek: &[u8; KEY_LEN], dek: &DataKey, aad: &[u8]) -> Result<Slot> {
    let nonce: [u8; NONCE_LEN] = crypto::random_array()?;
    let wrapped = crypto::wrap(kek, &nonce, dek, aad)?;
    Ok(Slot { nonce: BASE64.encode(&nonce), wrapped: BASE64.encode(&wrapped) })
}

fn open_slot(kek: &[u8; KEY_LEN], slot: &Slot, aad: &[u8]) -> Result<DataKey> {
    let nonce: [u8; NONCE_LEN] = decode(&slot.nonce)?.try_into().map_err(|_| Error::HeaderCorrupt)?;
    let wrapped = decode(&slot.wrapped)?;
    crypto::unwrap(kek, &nonce, &wrapped, aad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn sample() -> (Body, DataKey, RecoveryKey) {
        let dek = DataKey::generate().unwrap();
        let rk = RecoveryKey::generate().unwrap();
        let b = Body::create("v1", &dek, &SecretString::from("pw"), &rk, KdfParams::FLOOR).unwrap();
        (b, dek, rk)
    }

    #[test]
    fn both_slots_open_and_a_wrong_password_does_not() {
        let (b, dek, rk) = sample();
        let parsed = Body::parse(&b.to_bytes()).unwrap();
        assert_eq!(parsed.unwrap_with_password(&SecretString::from("pw")).unwrap().expose(), dek.expose());
        assert_eq!(parsed.unwrap_with_recovery(&rk).unwrap().expose(), dek.expose());
        assert!(matches!(parsed.unwrap_with_password(&SecretString::from("nope")), Err(Error::WrongSecret)));
    }

    #[test]
    fn damage_is_classified() {
        let (b, _, _) = sample();
        let bytes = b.to_bytes();
        assert!(matches!(Body::parse(&bytes[..bytes.len() / 2]), Err(Error::HeaderTruncated)));
        assert!(matches!(Body::parse(b""), Err(Error::HeaderTruncated)));
        assert!(matches!(Body::parse(b"SQLite format 3\0"), Err(Error::HeaderForeign)));
        assert!(matches!(Body::parse(br#"{"hello": 1}"#), Err(Error::HeaderForeign)));
        let newer = String::from_utf8(bytes.clone()).unwrap().replace("\"version\": 1", "\"version\": 7");
        assert!(matches!(Body::parse(newer.as_bytes()), Err(Error::HeaderUnsupportedVersion { found: 7 })));
        let garbled = String::from_utf8(bytes).unwrap().replace("\"vault_id\": \"v1\"", "\"vault_id\": \"v2\"");
        assert!(matches!(Body::parse(garbled.as_bytes()), Err(Error::HeaderCorrupt)));
    }

    #[test]
    fn changing_the_password_keeps_the_recovery_slot_valid() {
        let (mut b, dek, rk) = sample();
        b.set_password(&dek, &SecretString::from("new one")).unwrap();
        let parsed = Body::parse(&b.to_bytes()).unwrap();
        assert_eq!(parsed.unwrap_with_recovery(&rk).unwrap().expose(), dek.expose());
        assert!(parsed.unwrap_with_password(&SecretString::from("pw")).is_err());
    }

    /// A header from before normalisation, written on a Mac (NFD bytes), opens when the same
    /// password is typed on Windows (NFC) and asks to be re-wrapped; once re-wrapped, both
    /// forms open it at the first try. The other direction (NFC stored, NFD typed) needs no
    /// re-wrap at all.
    #[test]
    fn passwords_open_in_either_unicode_form_and_old_slots_are_rewrapped_once() {
        let nfd = SecretString::from("Ka\u{308}sebro\u{308}tchen-2026");
        let nfc = SecretString::from("Käsebrötchen-2026");
        let dek = DataKey::generate().unwrap();
        let rk = RecoveryKey::generate().unwrap();
        let mut old = Body::create("v1", &dek, &nfc, &rk, KdfParams::FLOOR).unwrap();
        // What a Tresor before normalisation wrote for a password typed in NFD.
        let salt = decode(&old.kdf.salt).unwrap();
        let kek = crypto::kek_of_form(nfd.expose_secret(), &salt, old.kdf.params).unwrap();
        old.password = seal_slot(&kek, &dek, &old.aad("password")).unwrap();
        let old = Body::parse(&old.to_bytes()).unwrap();

        let (key, rewrap) = old.unwrap_with_password_form(&nfc).unwrap();
        assert_eq!((key.expose(), rewrap), (dek.expose(), true), "Windows opens the Mac's old slot");
        let (_, rewrap) = old.unwrap_with_password_form(&nfd).unwrap();
        assert!(rewrap, "the Mac itself opens its old slot, and it too is re-wrapped");

        let mut new = old.clone();
        new.set_password(&key, &nfc).unwrap();
        let new = Body::parse(&new.to_bytes()).unwrap();
        for typed in [&nfc, &nfd] {
            let (k, rewrap) = new.unwrap_with_password_form(typed).unwrap();
            assert_eq!((k.expose(), rewrap), (dek.expose(), false));
        }
        let wrong = SecretString::from("Käsebrötchen-2025");
        assert!(matches!(new.unwrap_with_password_form(&wrong), Err(Error::WrongSecret)));
    }

    /// On real files: a vault whose `vault.key` a Tresor before normalisation wrote on a Mac
    /// (the password in NFD) opens on Windows (NFC typed), which re-wraps it once; the Mac's
    /// typing keeps working. A slot already in NFC is left alone whatever form is typed.
    #[test]
    fn unlocking_migrates_an_old_nfd_slot_once_on_real_files() {
        use crate::{CreateOptions, Unlock, Vault};
        let dir = tempfile::tempdir().unwrap();
        let (data, home) = (dir.path().join("data"), dir.path().join("home"));
        let nfc = SecretString::from("Käsebrötchen-2026");
        let nfd = SecretString::from("Ka\u{308}sebro\u{308}tchen-2026");
        let opts = CreateOptions {
            kdf_target: std::time::Duration::ZERO,
            local_root: Some(home.clone()),
            ..Default::default()
        };
        drop(Vault::create(&data, &nfc, &opts).unwrap());
        let open = |p: &SecretString| Vault::open_in(&data, &home, Unlock::Password(p)).map(drop);
        let key_file = data.join(crate::paths::HEADER_FILE);

        // NFC stored (every header written now), NFD typed: opens, nothing rewritten.
        let before = std::fs::read(&key_file).unwrap();
        open(&nfd).unwrap();
        assert_eq!(std::fs::read(&key_file).unwrap(), before);

        // As a Tresor before normalisation wrote it on a Mac.
        let mut old = Body::parse(&before).unwrap();
        let dek = old.unwrap_with_password(&nfc).unwrap();
        let salt = decode(&old.kdf.salt).unwrap();
        let kek = crypto::kek_of_form(nfd.expose_secret(), &salt, old.kdf.params).unwrap();
        old.password = seal_slot(&kek, &dek, &old.aad("password")).unwrap();
        crate::fsutil::write_atomic(&key_file, &old.to_bytes()).unwrap();
        assert!(old.unwrap_with_password_form(&nfc).unwrap().1);

        open(&nfc).unwrap();
        let migrated = Body::parse(&std::fs::read(&key_file).unwrap()).unwrap();
        assert_ne!(migrated.password, old.password, "re-wrapped under the NFC form");
        assert!(!migrated.unwrap_with_password_form(&nfd).unwrap().1);
        let once = std::fs::read(&key_file).unwrap();
        open(&nfd).unwrap();
        open(&nfc).unwrap();
        assert_eq!(std::fs::read(&key_file).unwrap(), once, "migrated once, not at every unlock");
    }

    /// The epoch is beside the checksummed fields: a header without the line (as a Tresor from
    /// before epochs reads and writes it) is still whole, and reads as epoch 0.
    #[test]
    fn the_epoch_counts_changes_and_a_reader_without_it_still_opens_the_header() {
        let (mut b, dek, rk) = sample();
        assert_eq!(b.epoch, None);
        assert!(!String::from_utf8(b.to_bytes()).unwrap().contains("epoch"), "a new header is as before");
        b.set_password(&dek, &SecretString::from("new one")).unwrap();
        b.set_recovery(&dek, &rk).unwrap();
        let text = String::from_utf8(b.to_bytes()).unwrap();
        assert_eq!(Body::parse(text.as_bytes()).unwrap().epoch, Some(2));
        let without = text.replace("  \"epoch\": 2,\n", "");
        assert_ne!(without, text);
        let old = Body::parse(without.as_bytes()).unwrap();
        assert_eq!((old.epoch_or_zero(), old.unwrap_with_recovery(&rk).unwrap().expose()), (0, dek.expose()));
    }

    #[test]
    fn weakened_params_with_a_fixed_checksum_still_fail_to_unwrap() {
        let (mut b, _, _) = sample();
        b.kdf.params.t += 1;
        let forged = Body::parse(&b.to_bytes()).unwrap();
        assert!(matches!(forged.unwrap_with_password(&SecretString::from("pw")), Err(Error::WrongSecret)));
    }
}
