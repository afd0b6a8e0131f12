//! The hidden window that hears the announcements, on a thread of its own with its own message
//! loop. A top-level window, never shown, and not a message-only one (`HWND_MESSAGE`): those
//! receive no broadcast messages, and `WM_POWERBROADCAST` is one on computers where the
//! registration below is not honoured.

use std::cell::RefCell;
use std::io;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::Power::RegisterSuspendResumeNotification;
use windows_sys::Win32::System::RemoteDesktop::{WTSRegisterSessionNotification, NOTIFY_FOR_THIS_SESSION};
use windows_sys::Win32::UI::WindowsAndMessaging as wm;

use super::meaning;
use crate::Signal;

const _: () = {
    assert!(super::WM_POWERBROADCAST == wm::WM_POWERBROADCAST);
    assert!(super::PBT_APMSUSPEND as u32 == wm::PBT_APMSUSPEND);
    assert!(super::WM_WTSSESSION_CHANGE == wm::WM_WTSSESSION_CHANGE);
    assert!(super::WTS_SESSION_LOCK as u32 == wm::WTS_SESSION_LOCK);
    assert!(super::WTS_CONSOLE_DISCONNECT as u32 == wm::WTS_CONSOLE_DISCONNECT);
    assert!(super::WTS_REMOTE_DISCONNECT as u32 == wm::WTS_REMOTE_DISCONNECT);
};

type Sink = Box<dyn Fn(Signal) + Send>;

thread_local! {
    // The window procedure runs on the thread that made the window; it finds the sink here.
    static SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// Starts the listener: `on` is called (on the listener's thread) for each announcement. An
/// error means no listener runs; the guard's idle lock and clock check remain.
pub fn watch(on: impl Fn(Signal) + Send + 'static) -> io::Result<()> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("tresor-win-events".into()).spawn(move || {
        SINK.with(|sink| *sink.borrow_mut() = Some(Box::new(on)));
        // SAFETY: every pointer handed over lives until the call returns (the class name for
        // the thread's life, as the window keeps referring to its class); MSG is plain data.
        let made = unsafe { make_window() };
        let ok = made.is_ok();
        let _ = ready_tx.send(made);
        if ok {
            // SAFETY: the loop of the thread that owns the window, as Windows requires.
            unsafe { pump() };
        }
    })?;
    ready_rx.recv().map_err(|_| io::Error::other("the Windows event thread ended early"))?
}

/// The window class's name as Windows wants it: UTF-16, NUL-terminated.
const CLASS: [u16; 15] = wide(b"TresorOsEvents\0");

const fn wide<const N: usize>(ascii: &[u8; N]) -> [u16; N] {
    let mut out = [0u16; N];
    let mut i = 0;
    while i < N {
        out[i] = ascii[i] as u16;
        i += 1;
    }
    out
}

unsafe fn make_window() -> io::Result<()> {
    let instance = GetModuleHandleW(null());
    let class = wm::WNDCLASSW {
        style: 0,
        lpfnWndProc: Some(procedure),
        cbClsExtra: 0,
        cbWndExtra: 0,
        hInstance: instance,
        hIcon: null_mut(),
        hCursor: null_mut(),
        hbrBackground: null_mut(),
        lpszMenuName: null(),
        lpszClassName: CLASS.as_ptr(),
    };
    if wm::RegisterClassW(&class) == 0 {
        return Err(io::Error::last_os_error());
    }
    let hwnd = wm::CreateWindowExW(
        0,
        CLASS.as_ptr(),
        CLASS.as_ptr(),
        wm::WS_OVERLAPPED,
        0,
        0,
        0,
        0,
        null_mut(),
        null_mut(),
        instance,
        null(),
    );
    if hwnd.is_null() {
        return Err(io::Error::last_os_error());
    }
    // Either registration may fail alone (a Server Core session has no WTS); the other still
    // serves, and WM_POWERBROADCAST reaches a top-level window without the first one.
    RegisterSuspendResumeNotification(hwnd, wm::DEVICE_NOTIFY_WINDOW_HANDLE);
    WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION);
    Ok(())
}

unsafe fn pump() {
    let mut message: wm::MSG = std::mem::zeroed();
    while wm::GetMessageW(&mut message, null_mut(), 0, 0) > 0 {
        wm::TranslateMessage(&message);
        wm::DispatchMessageW(&message);
    }
}

unsafe extern "system" fn procedure(hwnd: HWND, message: u32, wparam: WPARAM, lparam: LPARAM) -> LRESULT {
    if let Some(signal) = meaning(message, wparam) {
        SINK.with(|sink| {
            if let Some(on) = sink.borrow().as_ref() {
                on(signal);
            }
        });
    }
    if message == wm::WM_POWERBROADCAST {
        return 1; // TRUE: Tresor never objects to a suspend.
    }
    wm::DefWindowProcW(hwnd, message, wparam, lparam)
}
