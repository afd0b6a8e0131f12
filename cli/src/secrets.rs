//! Where the CLI gets secrets: the environment when set (scripts, tests), else a hidden prompt.
//! Never from arguments, which other users of the machine can read.

use std::io::IsTerminal;

use secrecy::{ExposeSecret, SecretString};
use tresor::crypto::RecoveryKey;

use crate::Failure;

fn from_env(var: &str) -> Option<SecretString> {
    std::env::var(var).ok().filter(|v| !v.is_empty()).map(SecretString::from)
}

fn prompt(label: &str) -> Result<SecretString, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!("{label}: not a terminal; set the environment variable instead")));
    }
    rpassword::prompt_password(format!("{label}: "))
        .map(SecretString::from)
        .map_err(|e| Failure::usage(format!("{label}: {e}")))
}

pub fn password() -> Result<SecretString, Failure> {
    match from_env("TRESOR_PASSWORD") {
        Some(p) => Ok(p),
        None => prompt("Password"),
    }
}

/// A new password, asked twice when typed.
pub fn new_password(var: &str) -> Result<SecretString, Failure> {
    if let Some(p) = from_env(var) {
        return Ok(p);
    }
    let a = prompt("New password")?;
    let b = prompt("Repeat the new password")?;
    if a.expose_secret() != b.expose_secret() {
        return Err(Failure::usage("the two passwords differ".into()));
    }
    Ok(a)
}

pub fn recovery_key() -> Result<Option<RecoveryKey>, Failure> {
    match from_env("TRESOR_RECOVERY_KEY") {
        Some(k) => RecoveryKey::parse(k.expose_secret()).map(Some).map_err(Failure::from),
        None => Ok(None),
    }
}

pub fn recovery_key_required() -> Result<RecoveryKey, Failure> {
    match recovery_key()? {
        Some(k) => Ok(k),
        None => {
            let typed = prompt("Recovery key")?;
            RecoveryKey::parse(typed.expose_secret()).map_err(Failure::from)
        }
    }
}
