//! Windows: `WM_POWERBROADCAST`/`PBT_APMSUSPEND` before a suspend, `WM_WTSSESSION_CHANGE` when
//! the session is locked or leaves the console, heard by a hidden window (`window.rs`).

use crate::Signal;

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
    use crate::Signal;

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
