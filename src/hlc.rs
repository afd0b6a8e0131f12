//! Hybrid logical clock stamps: milliseconds since the epoch in the high 48 bits and a counter
//! in the low 16. They order every change across devices even when wall clocks disagree a
//! little, and they never go backwards on one device.

use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Hlc(pub i64);

impl Hlc {
    pub fn from_parts(ms: i64, counter: u16) -> Hlc {
        Hlc((ms << 16) | counter as i64)
    }
    pub fn millis(self) -> i64 {
        self.0 >> 16
    }
    pub fn timestamp(self) -> Timestamp {
        Timestamp::from_millisecond(self.millis()).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// The per-device clock. `last` is restored at open from the newest stamp in the journal.
#[derive(Debug, Clone)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    pub fn new(last: Hlc) -> Clock {
        Clock { last }
    }

    /// A stamp greater than every stamp this device has issued or seen.
    pub fn tick(&mut self) -> Hlc {
        let now = Hlc::from_parts(Timestamp::now().as_millisecond(), 0);
        self.last = if now > self.last { now } else { Hlc(self.last.0 + 1) };
        self.last
    }

    /// Moves the clock past a stamp received from another device.
    pub fn observe(&mut self, seen: Hlc) {
        if seen > self.last {
            self.last = seen;
        }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_strictly_increasing_even_if_the_clock_is_behind() {
        let future = Hlc::from_parts(Timestamp::now().as_millisecond() + 3_600_000, 5);
        let mut c = Clock::new(future);
        let a = c.tick();
        let b = c.tick();
        assert!(a > future && b > a);
        assert_eq!(a.millis(), future.millis());
    }

    #[test]
    fn observe_never_moves_backwards() {
        let mut c = Clock::new(Hlc(100));
        c.observe(Hlc(50));
        assert_eq!(c.last(), Hlc(100));
        c.observe(Hlc(200));
        assert!(c.tick() > Hlc(200));
    }
}
