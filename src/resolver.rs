//! Resolver calls that Ctrl-C can interrupt.
//!
//! `getaddrinfo(3)` and the NSS lookups block in the C library for as long as
//! a DNS server (or an LDAP or NIS one) makes them wait, and they retry EINTR
//! themselves, so a signal never reaches Python while they run: in CPython a
//! Ctrl-C waits for the resolver to give up. rnet runs each call on a helper
//! thread and waits for its answer in short slices, with the GIL released,
//! running Python's signal handlers between slices. When a handler raises, the
//! caller gets the exception at once; the helper finishes on its own and its
//! answer is dropped with the channel.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::error;

/// How long one wait lasts before Python's signal handlers get a turn: short
/// enough that Ctrl-C feels immediate, long enough to cost nothing.
const SLICE: Duration = Duration::from_millis(50);

/// Runs `job` on a helper thread and returns its result, or the exception a
/// signal handler raised while waiting. `job` owns everything it touches, so
/// it can outlive this call.
pub fn run<T, F>(py: Python<'_>, job: F) -> PyResult<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    // The Mutex only lets the receiver cross into the GIL-free closure.
    let rx = Mutex::new(rx);
    thread::Builder::new()
        .name("rnet-resolver".into())
        .spawn(move || {
            block_signals();
            // The caller may have gone (a signal): then the answer is dropped here.
            let _ = tx.send(job());
        })
        .map_err(error::from_io)?;
    loop {
        match py.detach(|| recv(&rx)) {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err("resolver thread died"))
            }
        }
    }
}

fn recv<T>(rx: &Mutex<Receiver<T>>) -> Result<T, RecvTimeoutError> {
    match rx.lock() {
        Ok(rx) => rx.recv_timeout(SLICE),
        Err(_) => Err(RecvTimeoutError::Disconnected),
    }
}

/// Keeps signals on the threads that run Python: a helper that took one would
/// only see its system call fail with EINTR, which the resolver retries.
fn block_signals() {
    // SAFETY: `set` is initialised by sigfillset before use; changing this
    // thread's own mask has no other effect.
    unsafe {
        let mut set = std::mem::zeroed::<libc::sigset_t>();
        libc::sigfillset(&mut set);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}
