//! Locks the vault when nobody is there: after the idle time the user chose, before the computer
//! sleeps and when the screen is locked. Tauri reports neither sleep nor a screen lock, so the
//! operating system's own signals are read where we can (`os_events.rs`: logind on Linux), and
//! as a fallback sleep is seen afterwards: the wall clock jumped further than the monotonic clock,
//! which stands still while the machine is suspended (Linux CLOCK_MONOTONIC, macOS uptime clock;
//! not on Windows, whose monotonic clock counts through sleep — there only the signal helps).
//!
//! The guard first asks the window to lock (`lock-requested`), so the UI can save what was just
//! typed; if the vault is still open a few seconds later, it locks it itself (`locked`).
//!
//! The guard is a thread of its own that never touches the data folder and never waits for the
//! vault or the sync worker (`live.rs`): it reads the open flag and the idle time, and locking
//! clears that flag at once; the vault's last files are written on another thread. A panic in a
//! tick is caught, so the guard keeps guarding.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime};

use crate::live::Events;
use crate::state::Shell;

pub const TICK: Duration = Duration::from_secs(5);
/// A wall-clock jump this much larger than the monotonic time means the machine slept.
pub const SLEEP_GAP: Duration = Duration::from_secs(30);
/// How long the window gets to save and lock before the shell locks on its own.
pub const GRACE: Duration = Duration::from_secs(5);
/// The same before a suspend or after a screen lock: the machine will not wait long.
pub const OS_GRACE: Duration = Duration::from_secs(1);

pub const EVENT_LOCK_REQUESTED: &str = "lock-requested";
pub const EVENT_LOCKED: &str = "locked";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Idle,
    Sleep,
    ScreenLock,
}

/// What the operating system announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsEvent {
    /// About to suspend or hibernate.
    Suspending,
    /// The user's session or screen was locked.
    ScreenLocked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Nothing,
    Request(Reason),
    Force(Reason),
}

/// What the guard remembers between ticks.
#[derive(Debug, Clone, Copy)]
pub struct Watch {
    mono: Instant,
    wall: SystemTime,
    /// A lock the window was asked for, and when the shell locks by itself.
    pending: Option<(Reason, Instant)>,
}

impl Watch {
    pub fn new(mono: Instant, wall: SystemTime) -> Self {
        Watch { mono, wall, pending: None }
    }

    /// One tick: `idle` is the time since the user's last activity, `limit` the chosen idle time.
    pub fn decide(
        &mut self,
        mono: Instant,
        wall: SystemTime,
        unlocked: bool,
        idle: Duration,
        limit: Duration,
    ) -> Decision {
        let mono_step = mono.saturating_duration_since(self.mono);
        let wall_step = wall.duration_since(self.wall).unwrap_or(Duration::ZERO);
        self.mono = mono;
        self.wall = wall;
        if !unlocked {
            self.pending = None;
            return Decision::Nothing;
        }
        if let Some((reason, deadline)) = self.pending {
            if mono >= deadline {
                self.pending = None;
                return Decision::Force(reason);
            }
            return Decision::Nothing;
        }
        let reason = if wall_step > mono_step + SLEEP_GAP {
            Reason::Sleep
        } else if idle >= limit {
            Reason::Idle
        } else {
            return Decision::Nothing;
        };
        self.pending = Some((reason, mono + GRACE));
        Decision::Request(reason)
    }

    /// The operating system's announcement: the window is asked to save and lock at once, and
    /// the shell locks by itself after `OS_GRACE` (sooner than a pending idle lock would).
    pub fn os_event(&mut self, event: OsEvent, mono: Instant, unlocked: bool) -> Decision {
        if !unlocked {
            self.pending = None;
            return Decision::Nothing;
        }
        let reason = match event {
            OsEvent::Suspending => Reason::Sleep,
            OsEvent::ScreenLocked => Reason::ScreenLock,
        };
        let deadline = mono + OS_GRACE;
        match self.pending {
            Some((_, earlier)) if earlier <= deadline => Decision::Nothing,
            _ => {
                self.pending = Some((reason, deadline));
                Decision::Request(reason)
            }
        }
    }

    /// How long the guard may wait for the next announcement before it must tick.
    pub fn next_wake(&self, mono: Instant) -> Duration {
        match self.pending {
            Some((_, deadline)) => deadline.saturating_duration_since(mono).min(TICK),
            None => TICK,
        }
    }
}

pub fn start(shell: Shell, events: Arc<dyn Events>) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel();
    crate::os_events::watch(tx.clone());
    std::thread::Builder::new().name("tresor-guard".into()).spawn(move || {
        // Held here so the channel never disconnects when no watcher runs (no system bus).
        let _keep = tx;
        let mut watch = Watch::new(Instant::now(), SystemTime::now());
        loop {
            let received = rx.recv_timeout(watch.next_wake(Instant::now()));
            let ticked = catch_unwind(AssertUnwindSafe(|| match received {
                Ok(event) => {
                    let d = watch.os_event(event, Instant::now(), shell.is_unlocked());
                    act(&shell, &*events, d)
                }
                Err(_) => tick(&shell, &*events, &mut watch, Instant::now(), SystemTime::now()),
            }));
            if ticked.is_err() {
                tracing::error!(
                    code = crate::error::codes::BACKGROUND_PANIC,
                    "the lock guard caught a panic and goes on"
                );
            }
        }
    })?;
    Ok(())
}

/// One tick of the guard at the given clocks: decides, asks the window or locks at once.
pub fn tick(shell: &Shell, events: &dyn Events, watch: &mut Watch, mono: Instant, wall: SystemTime) -> Decision {
    let limit = Duration::from_secs(u64::from(shell.settings().idle_minutes) * 60);
    let decision = watch.decide(mono, wall, shell.is_unlocked(), shell.idle_for(), limit);
    act(shell, events, decision)
}

fn act(shell: &Shell, events: &dyn Events, decision: Decision) -> Decision {
    match decision {
        Decision::Nothing => {}
        Decision::Request(reason) => events.lock_requested(reason),
        Decision::Force(reason) => {
            shell.lock_now();
            events.locked(reason);
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn idle_asks_the_window_first_then_locks_itself() {
        let t0 = Instant::now();
        let w0 = SystemTime::now();
        let mut w = Watch::new(t0, w0);
        assert_eq!(w.decide(t0 + TICK, w0 + TICK, true, 9 * MIN, 10 * MIN), Decision::Nothing);
        assert_eq!(w.decide(t0 + 2 * TICK, w0 + 2 * TICK, true, 10 * MIN, 10 * MIN), Decision::Request(Reason::Idle));
        assert_eq!(
            w.decide(t0 + 2 * TICK + GRACE / 2, w0 + 2 * TICK + GRACE / 2, true, 10 * MIN, 10 * MIN),
            Decision::Nothing
        );
        assert_eq!(w.decide(t0 + 3 * TICK, w0 + 3 * TICK, true, 10 * MIN, 10 * MIN), Decision::Force(Reason::Idle));
    }

    #[test]
    fn a_window_that_locked_in_time_ends_the_request() {
        let t0 = Instant::now();
        let w0 = SystemTime::now();
        let mut w = Watch::new(t0, w0);
        assert_eq!(w.decide(t0 + TICK, w0 + TICK, true, 11 * MIN, 10 * MIN), Decision::Request(Reason::Idle));
        assert_eq!(w.decide(t0 + 2 * TICK, w0 + 2 * TICK, false, 11 * MIN, 10 * MIN), Decision::Nothing);
        assert_eq!(w.decide(t0 + 3 * TICK, w0 + 3 * TICK, false, 12 * MIN, 10 * MIN), Decision::Nothing);
    }

    #[test]
    fn windows_like_clocks_miss_the_sleep_and_the_announcement_locks_before_it() {
        let t0 = Instant::now();
        let w0 = SystemTime::now();
        let mut w = Watch::new(t0, w0);
        // Windows: the monotonic clock counts through sleep, so after an hour asleep both clocks
        // moved alike and the jump check sees nothing.
        let hour = 60 * MIN;
        assert_eq!(w.decide(t0 + hour, w0 + hour, true, Duration::ZERO, 10 * MIN), Decision::Nothing);
        // The announcement before the suspend asks the window at once and locks after OS_GRACE.
        let t = t0 + hour;
        assert_eq!(w.os_event(OsEvent::Suspending, t, true), Decision::Request(Reason::Sleep));
        assert_eq!(w.next_wake(t), OS_GRACE);
        assert_eq!(w.os_event(OsEvent::ScreenLocked, t, true), Decision::Nothing, "asked twice");
        assert_eq!(w.decide(t + OS_GRACE / 2, w0 + hour, true, Duration::ZERO, 10 * MIN), Decision::Nothing);
        assert_eq!(w.decide(t + OS_GRACE, w0 + hour, true, Duration::ZERO, 10 * MIN), Decision::Force(Reason::Sleep));
    }

    #[test]
    fn a_screen_lock_shortens_a_pending_idle_lock_and_a_locked_vault_ignores_it() {
        let t0 = Instant::now();
        let w0 = SystemTime::now();
        let mut w = Watch::new(t0, w0);
        assert_eq!(w.decide(t0 + TICK, w0 + TICK, true, 11 * MIN, 10 * MIN), Decision::Request(Reason::Idle));
        let t = t0 + TICK + Duration::from_secs(1);
        assert_eq!(w.os_event(OsEvent::ScreenLocked, t, true), Decision::Request(Reason::ScreenLock));
        assert_eq!(w.decide(t + OS_GRACE, w0 + TICK, true, 11 * MIN, 10 * MIN), Decision::Force(Reason::ScreenLock));
        let mut locked = Watch::new(t0, w0);
        assert_eq!(locked.os_event(OsEvent::ScreenLocked, t0, false), Decision::Nothing);
        assert_eq!(locked.next_wake(t0), TICK);
    }

    #[test]
    fn a_wall_clock_jump_means_the_computer_slept() {
        let t0 = Instant::now();
        let w0 = SystemTime::now();
        let mut w = Watch::new(t0, w0);
        let d = w.decide(t0 + TICK, w0 + TICK + 2 * MIN, true, Duration::ZERO, 10 * MIN);
        assert_eq!(d, Decision::Request(Reason::Sleep));
        // A small drift (NTP) is no sleep.
        let mut w = Watch::new(t0, w0);
        assert_eq!(
            w.decide(t0 + TICK, w0 + TICK + Duration::from_secs(2), true, Duration::ZERO, 10 * MIN),
            Decision::Nothing
        );
    }
}
