//! The socket object's life in the core: `close()` with the makefile()
//! reference count, and `accept()` wrapping the new connection, which
//! CPython's `Lib/socket.py` writes in Python. Here they cost no Python
//! frame, and accept() also skips what CPython's wrapper repeats for a
//! connection it already knows (the `AddressFamily`/`SocketKind` lookups, a
//! getsockname(2) to check that the fd is a socket, an ioctl(2) to make a
//! blocking fd blocking). The behaviour, including a patched `rnet.socket`,
//! stays `Lib/socket.py`'s.

use std::os::fd::IntoRawFd;
use std::sync::atomic::Ordering::Relaxed;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule, PyTuple, PyType};
use pyo3::{ffi, intern};

use crate::socket::Socket;
use crate::{args, timeout};

/// `rnet.socket` as the Python layer defines it, and the `rnet` module.
static SOCKET_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static RNET: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// _set_socket_class(cls)
///
/// Called once by `rnet._sock`: the class accept() builds connections of
/// while `rnet.socket` is still that class.
#[pyfunction]
pub fn _set_socket_class(py: Python<'_>, cls: Bound<'_, PyType>) -> PyResult<()> {
    if !cls.is_subclass_of::<Socket>()? {
        return Err(PyTypeError::new_err("not a subclass of _rnet.socket"));
    }
    let _ = SOCKET_CLASS.set(py, cls.unbind());
    Ok(())
}

/// A new instance of `cls`, which is the registered class, made by its own
/// `tp_new` without running `__init__` (the caller adopts an fd into it).
fn new_instance<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, Socket>> {
    let py = cls.py();
    let empty = PyTuple::empty(py);
    // SAFETY: `cls` is a live type object; the slot of a class that
    // subclasses Socket is PyO3's tp_new (CPython inherits it), a `newfunc`.
    let obj = unsafe {
        let slot = ffi::PyType_GetSlot(cls.as_ptr().cast(), ffi::Py_tp_new);
        let new: ffi::newfunc = std::mem::transmute(slot);
        Bound::from_owned_ptr_or_err(
            py,
            new(cls.as_ptr().cast(), empty.as_ptr(), std::ptr::null_mut()),
        )?
    };
    Ok(obj.cast_into::<Socket>()?)
}

#[pymethods]
impl Socket {
    /// Streams from makefile() that keep the socket's fd open.
    #[getter(_io_refs)]
    fn io_refs(&self) -> i64 {
        self.io_refs.load(Relaxed)
    }

    #[setter(_io_refs)]
    fn set_io_refs(&self, value: i64) {
        self.io_refs.store(value, Relaxed);
    }

    /// True once close() was called, even if a makefile() stream still
    /// holds the fd open.
    #[getter(_closed)]
    fn closed_attr(&self) -> bool {
        self.closed.load(Relaxed)
    }

    #[setter(_closed)]
    fn set_closed(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.closed.store(value.is_truthy()?, Relaxed);
        Ok(())
    }

    /// close()
    ///
    /// Close the socket. Streams from makefile() keep the fd open until they
    /// are closed too; closing twice is harmless.
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self)")]
    fn close(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        args::python_method_noargs("close", args, kwargs)?;
        let this = slf.get();
        this.closed.store(true, Relaxed);
        if this.io_refs.load(Relaxed) <= 0 {
            // Through the attribute, as Lib/socket.py: a subclass may
            // override _real_close (ssl.SSLSocket does).
            slf.call_method0(intern!(slf.py(), "_real_close"))?;
        }
        Ok(())
    }

    /// _real_close()
    ///
    /// Close the fd now, whatever holds it; corresponds to `close(2)`.
    fn _real_close(&self) -> PyResult<()> {
        self.close_fd()
    }

    /// accept() -> (socket object, address info)
    ///
    /// Wait for an incoming connection. Return a new socket representing the
    /// connection, and the address of the client. For IP sockets, the address
    /// info is a pair (hostaddr, port).
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self)")]
    fn accept<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        args::python_method_noargs("accept", args, kwargs)?;
        let py = slf.py();
        let this = slf.get();
        let (conn, peer) = this.accept_owned(py)?;
        let module = RNET.get_or_try_init(py, || py.import("rnet").map(Bound::unbind))?;
        // The module's current `socket`, as Lib/socket.py's accept() names
        // its global: a patched rnet.socket is used here too.
        let cls = module.bind(py).getattr(intern!(py, "socket"))?;
        let registered = SOCKET_CLASS.get(py).is_some_and(|c| c.is(&cls));
        if registered {
            let sock = new_instance(cls.cast::<PyType>()?)?;
            sock.get().adopt(
                conn.into_raw_fd(),
                this.family(),
                this.kind(),
                this.protocol(),
            )?;
            // accept4(2) never hands out a non-blocking fd on Linux, so the
            // blocking rule below has nothing left to do here.
            return Ok((sock.into_any(), peer));
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item(intern!(py, "fileno"), conn.into_raw_fd())?;
        let args = (
            slf.getattr(intern!(py, "family"))?,
            slf.getattr(intern!(py, "type"))?,
            this.protocol(),
        );
        let sock = cls.call(args, Some(&kwargs))?;
        // As CPython (bpo-7995): with no default timeout, a connection accepted
        // on a listener with a timeout is put in blocking mode.
        if timeout::default_ns() < 0 && this.has_timeout() {
            sock.call_method1(intern!(py, "setblocking"), (true,))?;
        }
        Ok((sock, peer))
    }
}
