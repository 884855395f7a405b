//! `rnet._rnet.socket`: the mechanism half of the socket class, one method per
//! system call, as CPython's `_socket.socket`. The Python package subclasses
//! it for the composed parts (context manager, makefile, accept, dup, repr).
//! This file holds the socket's life, addresses, options and timeouts; the
//! send and recv families are in io.rs.

use std::os::fd::{BorrowedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, Ordering::Relaxed};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use socket2::SockRef;

use crate::args::{AsInt, CInt};
use crate::fd::{FdCell, FdGuard};
use crate::sys::syscall;
use crate::wait::{self, Deadline, Failure, Interest};
use crate::{addr, args, audit, error, notes, sockopt, timeout};

/// A socket object (see `socket.socket`); this is the core of `rnet.socket`.
#[pyclass(frozen, subclass, weakref, module = "rnet._rnet", name = "socket")]
pub struct Socket {
    fd: FdCell,
    family: AtomicI32,
    kind: AtomicI32,
    proto: AtomicI32,
    /// Nanoseconds; negative means `None` (blocking without limit).
    timeout_ns: AtomicI64,
    /// `_io_refs`: streams from makefile() that keep the fd open (life.rs).
    pub(crate) io_refs: AtomicI64,
    /// `_closed`: close() was called, whether or not the fd is closed yet.
    pub(crate) closed: AtomicBool,
}

impl Socket {
    /// The open fd, held for one call (see fd.rs), or `OSError(EBADF)` as
    /// CPython gives for a closed socket.
    pub fn fd(&self) -> PyResult<FdGuard<'_>> {
        self.fd.guard()
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        timeout::from_nanos(self.timeout_ns.load(Relaxed))
    }

    /// A positive timeout: calls wait for readiness, within a deadline.
    pub(crate) fn has_timeout(&self) -> bool {
        self.timeout_ns.load(Relaxed) > 0
    }

    pub(crate) fn deadline(&self) -> Deadline {
        Deadline::new(self.timeout())
    }

    pub(crate) fn family(&self) -> i32 {
        self.family.load(Relaxed)
    }

    /// Takes ownership of `fd` with its family, type and protocol, and the
    /// timeout a new socket gets: CPython's `init_sockobject`. SOCK_NONBLOCK
    /// means non-blocking mode and the fd is left as it is; otherwise the
    /// default timeout decides.
    pub(crate) fn adopt(&self, fd: RawFd, family: i32, kind: i32, proto: i32) -> PyResult<()> {
        self.fd.replace(fd)?;
        self.io_refs.store(0, Relaxed);
        self.closed.store(false, Relaxed);
        self.family.store(family, Relaxed);
        self.kind
            .store(kind & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC), Relaxed);
        self.proto.store(proto, Relaxed);
        if kind & libc::SOCK_NONBLOCK != 0 {
            self.timeout_ns.store(0, Relaxed);
            return Ok(());
        }
        let ns = timeout::default_ns();
        self.timeout_ns.store(ns, Relaxed);
        if ns >= 0 {
            self.set_timeout_ns(ns)?;
        }
        Ok(())
    }

    /// The socket type without the SOCK_NONBLOCK/SOCK_CLOEXEC flags.
    pub(crate) fn kind(&self) -> i32 {
        self.kind.load(Relaxed)
    }

    pub(crate) fn protocol(&self) -> i32 {
        self.proto.load(Relaxed)
    }

    /// Sets the timeout and O_NONBLOCK together, as CPython does: any timeout
    /// other than `None` puts the fd in non-blocking mode.
    fn set_timeout_ns(&self, ns: i64) -> PyResult<()> {
        self.timeout_ns.store(ns, Relaxed);
        let fd = self.fd()?;
        with_sock(&fd, |s| s.set_nonblocking(ns >= 0)).map_err(error::from_io)
    }

    /// One `accept4(2)` through the door: the new connection's fd and the
    /// peer's address.
    pub(crate) fn accept_owned<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(socket2::Socket, Bound<'py, PyAny>)> {
        let fd = self.fd()?;
        let mut deadline = self.deadline();
        let (sock, peer) = wait::call(py, &fd, Interest::Read, &mut deadline, || {
            with_sock(&fd, |s| s.accept())
        })?;
        Ok((sock, addr::to_python(py, &peer)?))
    }

    /// The fd's close(2); closing twice is harmless. A call blocked in
    /// another thread keeps the number until it returns (with EBADF, or the
    /// data a blocking recv(2) was already waiting for).
    pub(crate) fn close_fd(&self) -> PyResult<()> {
        match self.fd.close() {
            // The peer may reset the connection before close; CPython ignores that.
            Err(err) if err.raw_os_error() != Some(libc::ECONNRESET) => Err(error::from_io(err)),
            _ => Ok(()),
        }
    }

    /// Converts and audits the address, then connects; returns the errno.
    fn connect_impl(
        slf: &Bound<'_, Self>,
        address: &Bound<'_, PyAny>,
        caller: &str,
    ) -> PyResult<i32> {
        let py = slf.py();
        let this = slf.get();
        let target = addr::to_sockaddr(py, this.family(), address, caller)?;
        audit::audit(py, c"socket.connect", &[slf.as_any(), address])?;
        // CPython makes the call on a closed socket too, and reports EBADF.
        let Ok(fd) = this.fd() else {
            return Ok(libc::EBADF);
        };
        if this.kind() == libc::SOCK_DGRAM
            && matches!(this.family(), libc::AF_INET | libc::AF_INET6)
        {
            // A UDP connect(2) only records the peer and never waits, so it
            // needs no GIL release (CPython releases it all the same).
            return Ok(match with_sock(&fd, |s| s.connect(&target)) {
                Ok(()) => 0,
                Err(err) => err.raw_os_error().unwrap_or(libc::EIO),
            });
        }
        match wait::connect(py, &fd, this.timeout(), &target) {
            Ok(()) => Ok(0),
            Err(Failure::Os(err)) => Ok(err.raw_os_error().unwrap_or(libc::EIO)),
            Err(other) => Err(other.noted(py, &fd, Interest::Write, this.timeout())),
        }
    }
}

/// Runs `f` on a socket2 view of the guarded fd. The view never closes the
/// fd, and the guard keeps the number from being reused while `f` runs.
pub fn with_sock<R>(fd: &FdGuard<'_>, f: impl FnOnce(&SockRef<'_>) -> R) -> R {
    // SAFETY: the guard holds the fd open for at least as long as the borrow.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd.raw()) };
    f(&SockRef::from(&borrowed))
}

/// The local address of a caller's fd that the object does not own yet.
fn adopted_local_addr(fd: RawFd) -> std::io::Result<socket2::SockAddr> {
    // SAFETY: the caller's fd is only borrowed for this one getsockname(2),
    // made with the GIL held; an fd that is not open fails with EBADF.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    SockRef::from(&borrowed).local_addr()
}

#[pymethods]
impl Socket {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn py_new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyAny>>) -> Self {
        Socket {
            fd: FdCell::unopened(),
            family: AtomicI32::new(libc::AF_INET),
            kind: AtomicI32::new(libc::SOCK_STREAM),
            proto: AtomicI32::new(0),
            timeout_ns: AtomicI64::new(timeout::NONE),
            io_refs: AtomicI64::new(0),
            closed: AtomicBool::new(false),
        }
    }

    /// Opens the socket, or adopts `fileno` and reads its family, type and
    /// protocol from the kernel where they are not given.
    #[pyo3(signature = (family=AsInt(-1), r#type=AsInt(-1), proto=AsInt(-1), fileno=None))]
    fn __init__(
        slf: &Bound<'_, Self>,
        family: AsInt,
        r#type: AsInt,
        proto: AsInt,
        fileno: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let (mut family, mut kind, mut proto) = (family.0, r#type.0, proto.0);
        let fileno = fileno.filter(|f| !f.is_none());
        if fileno.is_none() {
            // Lib/socket.py's __init__ fills these in before the event.
            family = if family == -1 { libc::AF_INET } else { family };
            kind = if kind == -1 { libc::SOCK_STREAM } else { kind };
            proto = if proto == -1 { 0 } else { proto };
        }
        audit::new_socket(slf.as_any(), family, kind, proto)?;
        let fd = match fileno {
            Some(obj) => {
                // CPython reads a C long and keeps its low int, so this does too.
                let fd = obj.extract::<i64>()? as RawFd;
                if fd < 0 {
                    return Err(PyValueError::new_err("negative file descriptor"));
                }
                let local = adopted_local_addr(fd).map_err(error::from_io)?;
                if family == -1 {
                    family = i32::from(local.family());
                }
                if kind == -1 {
                    kind = sockopt::int(fd, libc::SOL_SOCKET, libc::SO_TYPE)?;
                }
                if proto == -1 {
                    proto = sockopt::int(fd, libc::SOL_SOCKET, libc::SO_PROTOCOL)?;
                }
                fd
            }
            None => {
                // SAFETY: plain system call; the fd is owned by `self` below.
                syscall!(socket(family, kind | libc::SOCK_CLOEXEC, proto))
                    .map_err(error::from_io)?
            }
        };
        slf.get().adopt(fd, family, kind, proto)
    }

    /// The address family, as an int (`rnet.socket` turns it into `AddressFamily`).
    #[getter(family)]
    fn family_attr(&self) -> i32 {
        self.family()
    }

    /// The socket type, as an int (`rnet.socket` turns it into `SocketKind`).
    #[getter]
    fn r#type(&self) -> i32 {
        self.kind.load(Relaxed)
    }

    /// The socket protocol.
    #[getter]
    fn proto(&self) -> i32 {
        self.proto.load(Relaxed)
    }

    /// The timeout in seconds (float), or None for blocking mode.
    #[getter(timeout)]
    fn timeout_attr(&self, py: Python<'_>) -> Py<PyAny> {
        timeout::to_python(py, self.timeout_ns.load(Relaxed))
    }

    /// _accept() -> (integer, address info)
    ///
    /// Wait for an incoming connection; return a new socket file descriptor
    /// and the peer's address. Corresponds to `accept4(2)` with SOCK_CLOEXEC.
    fn _accept<'py>(&self, py: Python<'py>) -> PyResult<(RawFd, Bound<'py, PyAny>)> {
        let (sock, peer) = self.accept_owned(py)?;
        Ok((std::os::fd::IntoRawFd::into_raw_fd(sock), peer))
    }

    /// bind(address)
    ///
    /// Bind the socket to a local address.  For IP sockets, the address is a
    /// pair (host, port); the host must refer to the local host. For raw packet
    /// sockets the address is a tuple (ifname, proto [,pkttype [,hatype [,addr]]])
    // The docstring is CPython's, brackets for optional arguments and all.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self, address, /)")]
    fn bind(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let py = slf.py();
        let bound = || -> PyResult<()> {
            let address = args::method_single("bind", args, kwargs)?;
            let this = slf.get();
            let local = addr::to_sockaddr(py, this.family(), &address, "bind")?;
            audit::audit(py, c"socket.bind", &[slf.as_any(), &address])?;
            let fd = this.fd()?;
            with_sock(&fd, |s| s.bind(&local)).map_err(error::from_io)
        };
        bound().map_err(|err| notes::method(py, err, "bind", slf.as_any(), args, None))
    }

    /// connect(address)
    ///
    /// Connect the socket to a remote address.  For IP sockets, the address
    /// is a pair (host, port).
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self, address, /)")]
    fn connect(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let py = slf.py();
        let connected = || -> PyResult<()> {
            let address = args::method_single("connect", args, kwargs)?;
            match Socket::connect_impl(slf, &address, "connect")? {
                0 => Ok(()),
                // connect(2) on the -1 of a socket this program closed.
                libc::EBADF if slf.get().fd.fileno() == -1 => {
                    Err(notes::closed(error::os_error(libc::EBADF)))
                }
                errno => Err(error::os_error(errno)),
            }
        };
        // _notes.connect has no note for EBADF, so a closed socket gets one.
        connected().map_err(|err| notes::method(py, err, "connect", slf.as_any(), args, None))
    }

    /// connect_ex(address) -> errno
    ///
    /// This is like connect(address), but returns an error code (the errno value)
    /// instead of raising an exception when an error occurs.
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self, address, /)")]
    fn connect_ex(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<i32> {
        let py = slf.py();
        let connected = || -> PyResult<i32> {
            let address = args::method_single("connect_ex", args, kwargs)?;
            match Socket::connect_impl(slf, &address, "connect_ex") {
                Err(err) if err.is_instance_of::<pyo3::exceptions::PyTimeoutError>(py) => {
                    Ok(libc::EWOULDBLOCK)
                }
                other => other,
            }
        };
        connected().map_err(|err| {
            notes::method(py, err, "connect", slf.as_any(), args, Some("connect_ex"))
        })
    }

    /// detach()
    ///
    /// Close the socket object without closing the underlying file
    /// descriptor; return the file descriptor.
    fn detach(&self) -> RawFd {
        self.fd.detach()
    }

    /// fileno() -> integer
    ///
    /// Return the integer file descriptor of the socket, or -1 once closed.
    fn fileno(&self) -> RawFd {
        self.fd.fileno()
    }

    /// getpeername() -> address info
    ///
    /// Return the address of the remote endpoint; corresponds to `getpeername(2)`.
    fn getpeername<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let fd = self.fd()?;
        let peer = with_sock(&fd, |s| s.peer_addr()).map_err(error::from_io)?;
        addr::to_python(py, &peer)
    }

    /// getsockname() -> address info
    ///
    /// Return the address of the local endpoint; corresponds to `getsockname(2)`.
    fn getsockname<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let fd = self.fd()?;
        let local = with_sock(&fd, |s| s.local_addr()).map_err(error::from_io)?;
        addr::to_python(py, &local)
    }

    /// getsockopt(level, option[, buffersize]) -> value
    ///
    /// Get a socket option: an integer, or with a buffersize (1-1024) the raw
    /// bytes of the option. Corresponds to `getsockopt(2)`.
    // typeshed's parameter names (optname), as type checkers know them.
    #[pyo3(signature = (level, optname, buflen=CInt(0), /), text_signature = "($self, level, optname, buflen=0, /)")]
    fn getsockopt(
        &self,
        py: Python<'_>,
        level: CInt,
        optname: CInt,
        buflen: CInt,
    ) -> PyResult<Py<PyAny>> {
        let level = level.0;
        let option = optname.0;
        let buflen = buflen.0;
        sockopt::get(py, || self.fd(), level, option, buflen)
    }

    /// setsockopt(level, option, value: int)
    /// setsockopt(level, option, value: buffer)
    /// setsockopt(level, option, None, optlen: int)
    ///
    /// Set a socket option; corresponds to `setsockopt(2)`.
    #[pyo3(signature = (*args, **kwargs))]
    fn setsockopt(
        &self,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        sockopt::set(|| self.fd(), args, kwargs)
    }

    /// gettimeout() -> timeout
    ///
    /// Return the timeout in seconds (float) of socket operations, or None
    /// when the socket blocks without limit.
    fn gettimeout(&self, py: Python<'_>) -> Py<PyAny> {
        timeout::to_python(py, self.timeout_ns.load(Relaxed))
    }

    /// settimeout(timeout)
    ///
    /// Set a timeout on socket operations: a float of seconds, 0.0 for
    /// non-blocking mode, or None to block without limit.
    #[pyo3(signature = (value, /))]
    fn settimeout(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.set_timeout_ns(timeout::parse(value)?)
    }

    /// getblocking()
    ///
    /// Return True if the socket is in blocking mode (any timeout but 0.0).
    fn getblocking(&self) -> bool {
        self.timeout_ns.load(Relaxed) != 0
    }

    /// setblocking(flag)
    ///
    /// Set blocking (True, like settimeout(None)) or non-blocking (False,
    /// like settimeout(0.0)) mode.
    #[pyo3(signature = (flag, /))]
    fn setblocking(&self, flag: &Bound<'_, PyAny>) -> PyResult<()> {
        // CPython 3.11 reads a C long (any int that fits; None or a str is a
        // TypeError); 3.12 and later take any object's truth value.
        let block = if flag.py().version_info() >= (3, 12) {
            flag.is_truthy()?
        } else {
            args::c_long(flag)? != 0
        };
        self.set_timeout_ns(if block { timeout::NONE } else { 0 })
    }

    // The docstring is CPython's, brackets for optional arguments and all.
    #[allow(rustdoc::broken_intra_doc_links)]
    /// listen([backlog])
    ///
    /// Enable a server to accept connections; corresponds to `listen(2)`.
    /// The default backlog is min(SOMAXCONN, 128); a negative one means 0.
    #[pyo3(signature = (*args, **kwargs))]
    fn listen(
        &self,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        args::method_arity("listen", args, kwargs, 0, 1)?;
        let given = args::Given::of(args)?;
        let backlog = match given.first() {
            Some(b) => args::c_int(b)?,
            None => libc::SOMAXCONN.min(128),
        };
        let fd = self.fd()?;
        with_sock(&fd, |s| s.listen(backlog.max(0))).map_err(error::from_io)
    }

    /// shutdown(flag)
    ///
    /// Shut down the reading side (SHUT_RD), the writing side (SHUT_WR) or
    /// both (SHUT_RDWR) of the connection; corresponds to `shutdown(2)`.
    #[pyo3(signature = (how, /))]
    fn shutdown(&self, how: AsInt) -> PyResult<()> {
        let how = how.0;
        let fd = self.fd()?;
        // SAFETY: plain system call on a guarded fd; the kernel checks `how`.
        syscall!(shutdown(fd.raw(), how)).map_err(error::from_io)?;
        Ok(())
    }

    /// _finalize()
    ///
    /// The garbage collector's hook, `rnet.socket.__del__`: a socket still
    /// open warns `ResourceWarning('unclosed <socket …>')` and is closed
    /// without going through close(), as CPython's `sock_finalize`.
    fn _finalize(slf: &Bound<'_, Self>) {
        let this = slf.get();
        if this.fd.fileno() == -1 {
            return;
        }
        let py = slf.py();
        // SAFETY: "%R" takes one object pointer, alive for the call.
        let rc = unsafe {
            pyo3::ffi::PyErr_ResourceWarning(slf.as_ptr(), 1, c"unclosed %R".as_ptr(), slf.as_ptr())
        };
        if rc < 0 {
            let err = PyErr::fetch(py);
            // As CPython: a warning turned into an error is reported; any
            // other error (an import at interpreter shutdown) is spurious.
            if err.is_instance_of::<pyo3::exceptions::PyWarning>(py) {
                err.write_unraisable(py, Some(slf.as_any()));
            }
        }
        let _ = this.fd.close();
    }

    fn __repr__(&self) -> String {
        format!(
            "<socket object, fd={}, family={}, type={}, proto={}>",
            self.fileno(),
            self.family(),
            self.kind.load(Relaxed),
            self.proto.load(Relaxed)
        )
    }
}

/// _socketpair(family, type, proto) -> (fd, fd)
///
/// A pair of connected, non-inheritable sockets; corresponds to
/// `socketpair(2)`. rnet.socketpair() wraps the two fds.
#[pyfunction]
pub fn _socketpair(family: CInt, r#type: CInt, proto: CInt) -> PyResult<(RawFd, RawFd)> {
    let (family, r#type, proto) = (family.0, r#type.0, proto.0);
    let mut fds = [-1; 2];
    // SAFETY: `fds` has room for the two descriptors.
    syscall!(socketpair(
        family,
        r#type | libc::SOCK_CLOEXEC,
        proto,
        fds.as_mut_ptr()
    ))
    .map_err(error::from_io)?;
    Ok((fds[0], fds[1]))
}
