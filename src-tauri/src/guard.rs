//! Locks the vault when nobody is there: after the idle time the user chose, and after the
//! computer slept. Tauri tells us nothing about sleep or a screen lock on Linux and Windows, so
//! sleep is seen the portable way: the wall clock jumped further than the monotonic clock, which
//! stands still while the machine is suspended (Linux CLOCK_MONOTONIC, macOS uptime clock).
//!
//! The guard first asks the window to lock (`lock-requested`), so the UI can save what was just
//! typed; if the vault is still open a few seconds later, it locks it itself (`locked`).
//!
//! The guard is a thread of its own that never touches the data folder and never waits for the
//! vault or the sync worker (`live.rs`): it reads the open flag and the idle time, and locking
//! clears that flag at once; the vault's last files are written on another thread. A panic in a
//! tick is caught, so the guard keeps guarding.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::live::Events;
use crate::state::Shell;

pub const TICK: Duration = Duration::from_secs(5);
/// A wall-clock jump this much larger than the monotonic time means the machine slept.
pub const SLEEP_GAP: Duration = Duration::from_secs(30);
/// How long the window gets to save and lock before the shell locks on its own.
pub const GRACE: Duration = Duration::from_secs(5);

pub const EVENT_LOCK_REQUESTED: &str = "lock-requested";
pub const EVENT_LOCKED: &str = "locked";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Idle,
    Sleep,
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
        if let Some((reason, since)) = self.pending {
            if mono.saturating_duration_since(since) >= GRACE {
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
        self.pending = Some((reason, mono));
        Decision::Request(reason)
    }
}

pub fn start(shell: Shell, events: Arc<dyn Events>) -> std::io::Result<()> {
    std::thread::Builder::new().name("tresor-guard".into()).spawn(move || {
        let mut watch = Watch::new(Instant::now(), SystemTime::now());
        loop {
            std::thread::sleep(TICK);
            let ticked = catch_unwind(AssertUnwindSafe(|| {
                tick(&shell, &*events, &mut watch, Instant::now(), SystemTime::now())
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
