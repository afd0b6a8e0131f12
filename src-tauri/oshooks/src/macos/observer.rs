//! The thread that hears a Mac's sleep and screen lock. IOKit's power port is a source on this
//! thread's run loop, so its callback runs here and may wait; the distributed notification is
//! delivered on the main thread (Core Foundation's rule), so the sink is a global, not this
//! thread's.

use std::ffi::{c_char, c_void, CStr};
use std::io;
use std::ptr::null;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use core_foundation_sys::base::{kCFAllocatorDefault, CFRelease};
use core_foundation_sys::dictionary::CFDictionaryRef;
use core_foundation_sys::notification_center::{
    CFNotificationCenterAddObserver, CFNotificationCenterRef, CFNotificationName,
    CFNotificationSuspensionBehaviorDeliverImmediately,
};
use core_foundation_sys::runloop::{
    kCFRunLoopDefaultMode, CFRunLoopAddSource, CFRunLoopGetCurrent, CFRunLoopRun, CFRunLoopSourceRef,
};
use core_foundation_sys::string::{kCFStringEncodingUTF8, CFStringCreateWithCString, CFStringGetCString};

use super::{notification, power_step, SCREEN_LOCKED, SLEEP_GRACE};
use crate::Signal;

// IOKit (IOPMLib.h, IOKitLib.h). Declared here: io-kit-sys does not build off Apple, and these
// three are all Tresor needs. `io_connect_t`/`io_object_t` are `mach_port_t` (u32); `IOReturn`
// is `kern_return_t` (i32).
#[repr(C)]
struct IoNotificationPort {
    _opaque: [u8; 0],
}
type InterestCallback = unsafe extern "C" fn(refcon: *mut c_void, service: u32, message: u32, argument: *mut c_void);

#[cfg_attr(target_os = "macos", link(name = "IOKit", kind = "framework"))]
extern "C" {
    fn IORegisterForSystemPower(
        refcon: *mut c_void,
        port: *mut *mut IoNotificationPort,
        callback: InterestCallback,
        notifier: *mut u32,
    ) -> u32;
    fn IOAllowPowerChange(kernel_port: u32, notification_id: isize) -> i32;
    fn IONotificationPortGetRunLoopSource(port: *mut IoNotificationPort) -> CFRunLoopSourceRef;
}

// core-foundation-sys declares this one only when it builds for macOS or Windows.
#[cfg_attr(target_os = "macos", link(name = "CoreFoundation", kind = "framework"))]
extern "C" {
    fn CFNotificationCenterGetDistributedCenter() -> CFNotificationCenterRef;
}

type Sink = Box<dyn Fn(Signal) + Send>;
static SINK: Mutex<Option<Sink>> = Mutex::new(None);
/// The root power port the sleep is answered on (0 until registered).
static ROOT_PORT: AtomicU32 = AtomicU32::new(0);

fn tell(signal: Signal) {
    // A poisoned lock only means an earlier sink panicked; the next one still runs.
    let sink = SINK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(on) = sink.as_ref() {
        on(signal);
    }
}

/// Starts the listener: `on` is called for each announcement (on the listener's thread for the
/// sleep, on the main thread for the screen lock). An error means no listener runs; the guard's
/// idle lock and clock check remain.
pub fn watch(on: impl Fn(Signal) + Send + 'static) -> io::Result<()> {
    *SINK.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Box::new(on));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("tresor-mac-events".into()).spawn(move || {
        // SAFETY: IOKit fills the port and notifier it is given; the run loop is this thread's.
        let made = unsafe { register() };
        let ok = made.is_ok();
        let _ = ready_tx.send(made);
        if ok {
            // SAFETY: runs this thread's run loop for the life of the app.
            unsafe { CFRunLoopRun() };
        }
    })?;
    ready_rx.recv().map_err(|_| io::Error::other("the macOS event thread ended early"))?
}

unsafe fn register() -> io::Result<()> {
    let mut port: *mut IoNotificationPort = std::ptr::null_mut();
    let mut notifier: u32 = 0;
    let root = IORegisterForSystemPower(std::ptr::null_mut(), &mut port, on_power, &mut notifier);
    if root == 0 || port.is_null() {
        return Err(io::Error::other("IORegisterForSystemPower refused"));
    }
    ROOT_PORT.store(root, Ordering::SeqCst);
    CFRunLoopAddSource(CFRunLoopGetCurrent(), IONotificationPortGetRunLoopSource(port), kCFRunLoopDefaultMode);

    let name = c"com.apple.screenIsLocked";
    debug_assert_eq!(name.to_str().ok(), Some(SCREEN_LOCKED));
    let cf_name = CFStringCreateWithCString(kCFAllocatorDefault, name.as_ptr(), kCFStringEncodingUTF8);
    if cf_name.is_null() {
        return Err(io::Error::other("cannot name the screen-lock notification"));
    }
    CFNotificationCenterAddObserver(
        CFNotificationCenterGetDistributedCenter(),
        null(),
        on_notification,
        cf_name,
        null(),
        CFNotificationSuspensionBehaviorDeliverImmediately,
    );
    // The center keeps its own reference to the name.
    CFRelease(cf_name.cast());
    Ok(())
}

unsafe extern "C" fn on_power(_refcon: *mut c_void, _service: u32, message: u32, argument: *mut c_void) {
    let step = power_step(message);
    if let Some(signal) = step.signal {
        tell(signal);
    }
    if step.wait {
        std::thread::sleep(SLEEP_GRACE);
    }
    if step.answer {
        // The argument is the notification's id, handed back as a number.
        IOAllowPowerChange(ROOT_PORT.load(Ordering::SeqCst), argument as isize);
    }
}

extern "C" fn on_notification(
    _center: CFNotificationCenterRef,
    _observer: *mut c_void,
    name: CFNotificationName,
    _object: *const c_void,
    _info: CFDictionaryRef,
) {
    let mut buffer = [0 as c_char; 64];
    // SAFETY: the buffer's length is passed; Core Foundation writes a NUL-terminated string or
    // returns false.
    let read = unsafe { CFStringGetCString(name, buffer.as_mut_ptr(), buffer.len() as isize, kCFStringEncodingUTF8) };
    if read == 0 {
        return;
    }
    // SAFETY: NUL-terminated within the buffer, as just written.
    let name = unsafe { CStr::from_ptr(buffer.as_ptr()) };
    if let Some(signal) = name.to_str().ok().and_then(notification) {
        tell(signal);
    }
}
