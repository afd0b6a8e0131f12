//! The operating system's announcements that Tresor locks on, where `logind` is not there to
//! tell: Windows (`windows`) and macOS (`macos`). On Windows the monotonic clock counts through
//! sleep, so the guard's clock-jump check never sees one; on a Mac it sees it only after the
//! wake, with the keys in memory all through the sleep (issue 17).
//!
//! What a platform's message means is a plain function in each module, tested on every
//! platform. The code that receives the messages runs only on its platform; scripts/test.sh
//! type-checks and lints it on Linux (`--cfg tresor_check_windows`, `--cfg tresor_check_macos`),
//! since neither toolchain is at hand there. Running it needs a real computer of each kind
//! (docs/DESKTOP.md's checklist).

/// An announcement the guard locks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The computer is about to sleep.
    Suspending,
    /// The screen was locked, or the session left this console (user switch, RDP disconnect).
    ScreenLocked,
}

pub mod macos;
pub mod windows;
