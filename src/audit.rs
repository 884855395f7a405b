//! `sys.audit` events with the stdlib's names and arguments, so an audit hook
//! that watches or blocks `socket.connect` does the same for rnet.
//!
//! `PySys_Audit` is called directly rather than `sys.audit` through Python: it
//! costs next to nothing when no hook is installed, which matters on the
//! `sendto` hot path. Every CPython since 3.8 exports it with this signature;
//! it joins the limited API in 3.13, so it is declared here by hand.

use std::ffi::{c_char, c_int, CStr};

use pyo3::ffi::PyObject;
use pyo3::prelude::*;

extern "C" {
    fn PySys_Audit(event: *const c_char, format: *const c_char, ...) -> c_int;
}

/// Raises the audit event `event` with `args` (at most four); an exception
/// raised by a hook propagates and stops the operation.
pub fn audit(py: Python<'_>, event: &CStr, args: &[&Bound<'_, PyAny>]) -> PyResult<()> {
    let ev = event.as_ptr();
    let mut p: [*mut PyObject; 4] = [std::ptr::null_mut(); 4];
    for (slot, arg) in p.iter_mut().zip(args) {
        *slot = arg.as_ptr();
    }
    // SAFETY: each "O" matches one borrowed object pointer, alive for the call.
    let rc = unsafe {
        match args.len() {
            0 => PySys_Audit(ev, c"".as_ptr()),
            1 => PySys_Audit(ev, c"O".as_ptr(), p[0]),
            2 => PySys_Audit(ev, c"OO".as_ptr(), p[0], p[1]),
            3 => PySys_Audit(ev, c"OOO".as_ptr(), p[0], p[1], p[2]),
            _ => PySys_Audit(ev, c"OOOO".as_ptr(), p[0], p[1], p[2], p[3]),
        }
    };
    if rc < 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}

/// `socket.__new__` with the socket and its parsed family, type and protocol,
/// as CPython's `sock_initobj` raises it ("Oiii"): no Python ints are built,
/// so the event costs nothing on the socket-creation path when nobody hooks it.
pub fn new_socket(sock: &Bound<'_, PyAny>, family: i32, kind: i32, proto: i32) -> PyResult<()> {
    let (family, kind, proto) = (family as c_int, kind as c_int, proto as c_int);
    // SAFETY: "O" takes one borrowed object pointer, alive for the call, and
    // each "i" one C int.
    let rc = unsafe {
        PySys_Audit(
            c"socket.__new__".as_ptr(),
            c"Oiii".as_ptr(),
            sock.as_ptr(),
            family,
            kind,
            proto,
        )
    };
    if rc < 0 {
        return Err(PyErr::fetch(sock.py()));
    }
    Ok(())
}

/// Raises `event` with two C strings (`"ss"`, NULL being None), as CPython's
/// service lookups do. The strings become Python objects only if a hook is
/// installed: PySys_Audit returns before building anything when none is.
pub fn audit_ss(py: Python<'_>, event: &CStr, a: Option<&CStr>, b: Option<&CStr>) -> PyResult<()> {
    let ptr = |s: Option<&CStr>| s.map_or(std::ptr::null(), CStr::as_ptr);
    // SAFETY: each "s" matches a NUL-terminated string or NULL, alive for the call.
    let rc = unsafe { PySys_Audit(event.as_ptr(), c"ss".as_ptr(), ptr(a), ptr(b)) };
    if rc < 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}

/// Raises `event` with a C int and a C string (`"is"`, NULL being None).
pub fn audit_is(py: Python<'_>, event: &CStr, i: c_int, s: Option<&CStr>) -> PyResult<()> {
    let s = s.map_or(std::ptr::null(), CStr::as_ptr);
    // SAFETY: "i" matches a C int (promoted as C varargs do), "s" a string or NULL.
    let rc = unsafe { PySys_Audit(event.as_ptr(), c"is".as_ptr(), i, s) };
    if rc < 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}
