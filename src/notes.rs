//! Notes (PEP 678) on the course's common mistakes, from the core's error paths.
//!
//! The core only reads the facts (what a timed-out call waited for, whether
//! SO_BROADCAST is off); the texts, and the switch that turns them off, live in
//! `python/rnet/_notes.py`, next to the notes the Python layer adds. Nothing
//! here runs unless an exception is already on its way out.

use std::os::fd::RawFd;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFloat, PyModule, PyString, PyTuple};

use crate::sockopt;
use crate::sys::syscall;

static NOTES: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// `rnet._notes`, imported once, when the first note is due.
fn notes_module(py: Python<'_>) -> PyResult<&Py<PyModule>> {
    NOTES.get_or_try_init(py, || py.import("rnet._notes").map(|m| m.unbind()))
}

/// Calls `rnet._notes.<hook>(exc, *args)`, which adds the note (or not, when
/// notes are off). A failure to add a note never replaces the real error.
pub fn add<'py>(py: Python<'py>, err: PyErr, hook: &str, args: &[Bound<'py, PyAny>]) -> PyErr {
    if let Ok(module) = notes_module(py) {
        let mut all = vec![err.value(py).clone().into_any()];
        all.extend(args.iter().cloned());
        if let Ok(args) = PyTuple::new(py, all) {
            let _ = module.bind(py).call_method1(hook, args);
        }
    }
    err
}

/// Calls `rnet._notes.<hook>(sock, args, exc[, call])`, the notes of a failed
/// `sock.<hook>(*args)` (bind, connect), which read the socket and the
/// arguments as the program gave them.
pub fn method<'py>(
    py: Python<'py>,
    err: PyErr,
    hook: &str,
    sock: &Bound<'py, PyAny>,
    args: &Bound<'py, PyTuple>,
    call: Option<&str>,
) -> PyErr {
    if let Ok(module) = notes_module(py) {
        let exc = err.value(py).clone().into_any();
        let _ = match call {
            Some(call) => module.bind(py).call_method1(hook, (sock, args, exc, call)),
            None => module.bind(py).call_method1(hook, (sock, args, exc)),
        };
    }
    err
}

/// `OSError(EBADF)` for a method called on a socket this program closed.
pub fn closed(err: PyErr) -> PyErr {
    Python::attach(|py| add(py, err, "closed", &[]))
}

/// What a timed-out call waited for, read from the socket itself: a listening
/// socket waits in accept(), a stream socket that waits to write and has no
/// peer yet is connecting.
fn waited_for(fd: RawFd, writing: bool) -> &'static str {
    let flag = |option| sockopt::int(fd, libc::SOL_SOCKET, option).unwrap_or(0);
    if !writing {
        return if flag(libc::SO_ACCEPTCONN) != 0 {
            "accept"
        } else {
            "read"
        };
    }
    // SAFETY: a zeroed sockaddr_storage is a valid out-buffer of `len` bytes.
    let mut peer: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `peer` and `len` are valid for writes and outlive the call.
    let unconnected = syscall!(getpeername(
        fd,
        std::ptr::addr_of_mut!(peer).cast(),
        &mut len
    ));
    if unconnected.is_err() && flag(libc::SO_TYPE) == libc::SOCK_STREAM {
        "connect"
    } else {
        "write"
    }
}

/// `TimeoutError('timed out')` with a note on which call waited, and how long.
pub fn timed_out(
    py: Python<'_>,
    err: PyErr,
    fd: RawFd,
    writing: bool,
    timeout: Option<Duration>,
) -> PyErr {
    match timeout {
        Some(t) => {
            let seconds = PyFloat::new(py, t.as_secs_f64()).into_any();
            let what = PyString::new(py, waited_for(fd, writing)).into_any();
            add(py, err, "timed_out", &[seconds, what])
        }
        None => err,
    }
}

/// EACCES from sendto is nearly always a broadcast without SO_BROADCAST: keep
/// CPython's PermissionError and errno, and add a note naming the fix.
pub fn broadcast(py: Python<'_>, fd: RawFd, err: PyErr) -> PyErr {
    let denied = err
        .value(py)
        .getattr("errno")
        .and_then(|e| e.extract::<i32>())
        .is_ok_and(|e| e == libc::EACCES);
    if denied && sockopt::int(fd, libc::SOL_SOCKET, libc::SO_BROADCAST).is_ok_and(|on| on == 0) {
        return add(py, err, "broadcast", &[]);
    }
    err
}

/// A gaierror for the name `host` (gethostbyname and gethostbyname_ex).
pub fn unresolved<'py>(py: Python<'py>, err: PyErr, host: &Bound<'py, PyAny>) -> PyErr {
    add(py, err, "unresolved", std::slice::from_ref(host))
}
