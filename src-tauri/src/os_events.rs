//! The operating system's announcements that the guard locks on: "about to sleep" and "the
//! screen was locked". Linux: logind on the system bus (`PrepareForSleep`, the session's `Lock`),
//! where there is one; without it (a container, no systemd) nothing is sent and the guard's
//! clock-jump check remains. Windows (`WM_POWERBROADCAST`, the session's lock) and macOS
//! (IOKit's will-sleep, `com.apple.screenIsLocked`): `tresor-oshooks`, type-checked on Linux,
//! run only on its platform (docs/DESKTOP.md's checklist).

use std::sync::mpsc::Sender;

use crate::guard::OsEvent;

#[cfg(target_os = "linux")]
pub fn watch(tx: Sender<OsEvent>) {
    use zbus::blocking::{Connection, Proxy};

    const LOGIND: &str = "org.freedesktop.login1";
    /// Each listener: the object, its interface, the signal, and what a message of it means.
    type Listener = (&'static str, &'static str, &'static str, fn(&zbus::Message) -> Option<OsEvent>);
    const LISTENERS: [Listener; 2] = [
        ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", |m| {
            // `true` before the suspend, `false` after the resume.
            matches!(m.body().deserialize::<bool>(), Ok(true)).then_some(OsEvent::Suspending)
        }),
        // `auto` is the session of the process asking.
        ("/org/freedesktop/login1/session/auto", "org.freedesktop.login1.Session", "Lock", |_| {
            Some(OsEvent::ScreenLocked)
        }),
    ];
    for (path, interface, signal, meaning) in LISTENERS {
        let tx = tx.clone();
        let spawned = std::thread::Builder::new().name("tresor-os-events".into()).spawn(move || {
            let listen = || -> zbus::Result<()> {
                let bus = Connection::system()?;
                let proxy = Proxy::new(&bus, LOGIND, path, interface)?;
                for message in proxy.receive_signal(signal)? {
                    if let Some(event) = meaning(&message) {
                        if tx.send(event).is_err() {
                            break;
                        }
                    }
                }
                Ok(())
            };
            if listen().is_err() {
                tracing::info!(signal, "no logind signal here; sleep is seen by the clock jump");
            }
        });
        if spawned.is_err() {
            tracing::warn!(signal, "cannot start the listener for the system's sleep and lock signals");
        }
    }
}

#[cfg(any(windows, target_os = "macos"))]
pub fn watch(tx: Sender<OsEvent>) {
    use tresor_oshooks::Signal;
    let on = move |signal| {
        let _ = tx.send(match signal {
            Signal::Suspending => OsEvent::Suspending,
            Signal::ScreenLocked => OsEvent::ScreenLocked,
        });
    };
    #[cfg(windows)]
    let started = tresor_oshooks::windows::watch(on);
    #[cfg(target_os = "macos")]
    let started = tresor_oshooks::macos::watch(on);
    if started.is_err() {
        tracing::warn!("cannot listen for the system's sleep and lock announcements; the idle lock remains");
    }
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
pub fn watch(_tx: Sender<OsEvent>) {}
