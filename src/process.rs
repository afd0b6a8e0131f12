//! Keeping secrets out of places this process does not control: core dumps, a debugger of the
//! same user, and swap. The CLI and the desktop shell call [`harden`] before they read a
//! password; the data key asks for [`lock_in_memory`]. Windows and macOS: docs/SECURITY.md.

/// What the operating system says about this process, for tests and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Hardening {
    /// Whether the process may be core-dumped or attached to by another process of the same
    /// user (Linux `PR_GET_DUMPABLE`); `None` where the system has no such switch.
    pub dumpable: Option<bool>,
    /// The core-file size limit (soft, hard) in bytes; `None` without rlimits or when unlimited.
    pub core_limit: Option<(Option<u64>, Option<u64>)>,
}

/// Disables core dumps and, on Linux, ptrace by other processes of the same user and
/// `/proc/<pid>/mem` reads. Failures are ignored: a system that refuses leaves the process as
/// it was, which is no reason to refuse the user their data.
pub fn harden() -> Hardening {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
    }
    #[cfg(unix)]
    {
        let none = rustix::process::Rlimit { current: Some(0), maximum: Some(0) };
        let _ = rustix::process::setrlimit(rustix::process::Resource::Core, none);
    }
    status()
}

pub fn status() -> Hardening {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let dumpable =
        rustix::process::dumpable_behavior().ok().map(|d| d != rustix::process::DumpableBehavior::NotDumpable);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let dumpable = None;
    #[cfg(unix)]
    let core_limit = {
        let l = rustix::process::getrlimit(rustix::process::Resource::Core);
        Some((l.current, l.maximum))
    };
    #[cfg(not(unix))]
    let core_limit = None;
    Hardening { dumpable, core_limit }
}

/// Asks the system to keep `secret`'s pages in RAM, out of swap and hibernation files. Best
/// effort: the locked-memory limit (often 64 KiB–8 MiB) may refuse, and a refused lock leaves
/// the secret as safe as any other memory. Pages are not unlocked again: `munlock` does not
/// count, so unlocking one key's page could unlock another's; a few pages stay resident.
pub fn lock_in_memory(secret: &[u8]) {
    #[cfg(unix)]
    if !secret.is_empty() {
        // SAFETY: mlock only changes the residency of the pages that hold `secret`, which is a
        // live allocation for the duration of the call; it reads and writes no memory.
        let _ = unsafe { rustix::mm::mlock(secret.as_ptr() as *mut core::ffi::c_void, secret.len()) };
    }
    #[cfg(not(unix))]
    let _ = secret;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locking_memory_never_fails_the_caller() {
        lock_in_memory(&[1u8; 32]);
        lock_in_memory(&[]);
        lock_in_memory(&vec![0u8; 64 << 20]);
    }
}
