//! Windows' announcements that Tresor locks on: the computer is about to suspend
//! (`WM_POWERBROADCAST`/`PBT_APMSUSPEND`) and the session was locked or disconnected
//! (`WM_WTSSESSION_CHANGE`). On Windows the monotonic clock counts through sleep, so the guard's
//! clock-jump check never sees one; these messages are the only sign (issue 17).
//!
//! What a message means is a plain function, tested on every platform. The window that receives
//! the messages is Windows-only; `RUSTFLAGS="--cfg tresor_check_windows" cargo check -p
//! tresor-winhooks` type-checks it against `windows-sys` on Linux (scripts/test.sh does), since
//! no Windows toolchain is at hand there. Running it needs a real Windows (docs/DESKTOP.md's
//! checklist).

/// An announcement the guard locks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The computer suspends in about two seconds.
    Suspending,
    /// The screen was locked, or the session left this console (user switch, RDP disconnect).
    ScreenLocked,
}

// The values from the Windows SDK (WinUser.h, WtsApi32.h); asserted equal to windows-sys's in
// `window` below, so a typo fails the Windows type-check.
const WM_POWERBROADCAST: u32 = 0x0218;
const PBT_APMSUSPEND: usize = 0x0004;
const WM_WTSSESSION_CHANGE: u32 = 0x02B1;
const WTS_CONSOLE_DISCONNECT: usize = 0x2;
const WTS_REMOTE_DISCONNECT: usize = 0x4;
const WTS_SESSION_LOCK: usize = 0x7;

/// What a window message means for the guard; `None` for every other message, including the
/// resume and unlock ones (unlocking Tresor is the practitioner's to do).
pub fn meaning(message: u32, wparam: usize) -> Option<Signal> {
    match (message, wparam) {
        (WM_POWERBROADCAST, PBT_APMSUSPEND) => Some(Signal::Suspending),
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK | WTS_CONSOLE_DISCONNECT | WTS_REMOTE_DISCONNECT) => {
            Some(Signal::ScreenLocked)
        }
        _ => None,
    }
}

#[cfg(any(windows, tresor_check_windows))]
mod window;
#[cfg(any(windows, tresor_check_windows))]
pub use window::watch;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspend_and_lock_messages_are_signals_and_their_undoing_is_not() {
        assert_eq!(meaning(0x0218, 4), Some(Signal::Suspending));
        assert_eq!(meaning(0x02B1, 7), Some(Signal::ScreenLocked));
        assert_eq!(meaning(0x02B1, 2), Some(Signal::ScreenLocked));
        assert_eq!(meaning(0x02B1, 4), Some(Signal::ScreenLocked));
        // PBT_APMRESUMEAUTOMATIC, PBT_APMRESUMESUSPEND, PBT_POWERSETTINGCHANGE
        for wparam in [0x12, 0x7, 0x8013] {
            assert_eq!(meaning(0x0218, wparam), None);
        }
        // WTS_SESSION_UNLOCK, WTS_CONSOLE_CONNECT, WTS_SESSION_LOGON
        for wparam in [0x8, 0x1, 0x5] {
            assert_eq!(meaning(0x02B1, wparam), None);
        }
        // The same numbers in another message (WM_PAINT, WM_SIZE) mean nothing.
        assert_eq!(meaning(0x000F, 4), None);
        assert_eq!(meaning(0x0005, 7), None);
    }
}
