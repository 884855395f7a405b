//! The one conversion from system errors to Python exceptions.
//!
//! PyO3's stock `io::Error` conversion picks the right `OSError` subclass but
//! leaves `errno` unset, so errors are built here the way CPython's
//! `PyErr_SetFromErrno` builds them: `OSError(errno, strerror(errno))`, which
//! Python itself maps onto `ConnectionRefusedError`, `BrokenPipeError`, ….

use std::ffi::CStr;
use std::io;

use pyo3::exceptions::{PyOSError, PyTimeoutError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// `OSError(errno, strerror)`: Python picks the subclass from the errno.
pub fn os_error(errno: i32) -> PyErr {
    PyOSError::new_err((errno, strerror(errno)))
}

/// Maps an `io::Error` that carries an errno; any other becomes a plain OSError.
pub fn from_io(err: io::Error) -> PyErr {
    match err.raw_os_error() {
        Some(errno) => os_error(errno),
        None => PyOSError::new_err(err.to_string()),
    }
}

/// The error of the last failed libc call on this thread.
pub fn last_os_error() -> PyErr {
    from_io(io::Error::last_os_error())
}

/// What `socket.timeout` (an alias of `TimeoutError` since 3.10) says in CPython.
pub fn timed_out() -> PyErr {
    PyTimeoutError::new_err("timed out")
}

/// The message libc gives for an errno, exactly what CPython puts in `strerror`.
pub fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: the XSI/GNU variants both write a NUL-terminated string into
    // `buf` or return a pointer to a static one; libc's binding is the XSI form.
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {errno}");
    }
    // SAFETY: strerror_r succeeded, so `buf` holds a NUL-terminated string.
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

static GAIERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static HERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `socket.gaierror(code, gai_strerror(code))`, the stdlib's own class, so that
/// `except socket.gaierror:` catches it; `EAI_SYSTEM` becomes an errno OSError
/// with the `errno` that the thread which made the call read there.
pub fn gai_failure(py: Python<'_>, code: i32, errno: i32) -> PyErr {
    if code == libc::EAI_SYSTEM {
        return os_error(errno);
    }
    // SAFETY: gai_strerror returns a pointer to a static NUL-terminated string.
    let msg = unsafe { CStr::from_ptr(libc::gai_strerror(code)) };
    socket_error(py, &GAIERROR, "gaierror", code, msg)
}

/// `socket.herror(h_errno, hstrerror(h_errno))`, the stdlib's own class, as
/// CPython raises it when `gethostbyname_ex`/`gethostbyaddr` find nothing.
pub fn h_error(py: Python<'_>, h_errno: i32) -> PyErr {
    // SAFETY: hstrerror returns a pointer to a static NUL-terminated string.
    let msg = unsafe { CStr::from_ptr(libc::hstrerror(h_errno)) };
    socket_error(py, &HERROR, "herror", h_errno, msg)
}

/// `socket.<name>(code, msg)`, with the class imported from the stdlib once.
fn socket_error(
    py: Python<'_>,
    class: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    code: i32,
    msg: &CStr,
) -> PyErr {
    match class.import(py, "socket", name) {
        Ok(cls) => PyErr::from_type(cls.clone(), (code, msg.to_string_lossy().into_owned())),
        Err(err) => err,
    }
}
