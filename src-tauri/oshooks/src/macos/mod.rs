//! macOS: IOKit's "the system will sleep" (`IORegisterForSystemPower`) and the distributed
//! notification `com.apple.screenIsLocked`, heard on a thread with its own run loop
//! (`observer.rs`).

use std::time::Duration;

use crate::Signal;

// IOKit's messages (IOMessage.h: `iokit_common_msg(0x270)`, `(0x280)`).
const CAN_SYSTEM_SLEEP: u32 = 0xE000_0270;
const SYSTEM_WILL_SLEEP: u32 = 0xE000_0280;

/// The distributed notification loginwindow posts when the screen is locked.
pub const SCREEN_LOCKED: &str = "com.apple.screenIsLocked";

/// How long a sleep waits for the lock before it is allowed: the guard gives the window 1 s to
/// save, then locks. macOS waits up to 30 s for the answer.
pub const SLEEP_GRACE: Duration = Duration::from_millis(1500);

/// What to do with an IOKit power message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowerStep {
    pub signal: Option<Signal>,
    /// The message must be answered with `IOAllowPowerChange`, or the sleep waits 30 s.
    pub answer: bool,
    /// Wait [`SLEEP_GRACE`] before answering.
    pub wait: bool,
}

/// What an IOKit power message means. An idle sleep's question (can the system sleep?) is
/// allowed at once — Tresor never holds a computer awake; the sleep itself waits for the lock.
pub fn power_step(message: u32) -> PowerStep {
    match message {
        CAN_SYSTEM_SLEEP => PowerStep { signal: None, answer: true, wait: false },
        SYSTEM_WILL_SLEEP => PowerStep { signal: Some(Signal::Suspending), answer: true, wait: true },
        _ => PowerStep { signal: None, answer: false, wait: false },
    }
}

/// What a distributed notification means.
pub fn notification(name: &str) -> Option<Signal> {
    (name == SCREEN_LOCKED).then_some(Signal::ScreenLocked)
}

#[cfg(any(target_os = "macos", tresor_check_macos))]
mod observer;
#[cfg(any(target_os = "macos", tresor_check_macos))]
pub use observer::watch;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sleep_is_a_signal_answered_after_the_grace_and_its_question_is_answered_at_once() {
        let sleep = power_step(0xE000_0280);
        assert_eq!(sleep, PowerStep { signal: Some(Signal::Suspending), answer: true, wait: true });
        let question = power_step(0xE000_0270);
        assert_eq!(question, PowerStep { signal: None, answer: true, wait: false });
        // kIOMessageSystemWillPowerOn, kIOMessageSystemHasPoweredOn, kIOMessageSystemWillNotSleep
        for message in [0xE000_0320, 0xE000_0300, 0xE000_0290] {
            assert_eq!(power_step(message), PowerStep { signal: None, answer: false, wait: false });
        }
    }

    #[test]
    fn only_the_lock_notification_locks() {
        assert_eq!(notification("com.apple.screenIsLocked"), Some(Signal::ScreenLocked));
        assert_eq!(notification("com.apple.screenIsUnlocked"), None);
        assert_eq!(notification("com.apple.screensaver.didstart"), None);
    }
}
