//! Batched datagrams (Linux): `sendmmsg(2)` and `recvmmsg(2)` as rnet
//! extensions of the socket class, plus the UDP segmentation offload
//! constants (`UDP_SEGMENT`, `UDP_GRO`, from <linux/udp.h>; lib.rs exports
//! them) that make one `send`/`recvmsg` carry many datagrams.
//!
//! Each message keeps the stdlib's shapes: data and addresses as `sendto`
//! takes them, results as `recvfrom` returns them. The layout follows
//! quinn-udp's `recv`/`send` (quinn-udp/src/unix.rs): one `mmsghdr` per
//! message, each with one iovec and its own address storage, and
//! `MSG_WAITFORONE` so a receive waits for the first datagram only. The
//! kernel's `timeout` argument of recvmmsg is not used: it is only checked
//! after a datagram arrives (see BUGS in recvmmsg(2)); the socket's timeout
//! works through `wait::call` as for every other call.

use std::cell::RefCell;
use std::io;
use std::mem::{self, MaybeUninit};
use std::os::fd::RawFd;

use pyo3::exceptions::{PyMemoryError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use socket2::{SockAddr, SockAddrStorage};

use crate::args::{CInt, CSsize};
use crate::buffer::{ReadableView, Unshared, WritableViews};
use crate::socket::Socket;
use crate::sys::syscall;
use crate::wait::{self, Deadline, Interest};
use crate::{addr, audit, notes};

/// The kernel handles at most this many messages per call (UIO_MAXIOV; it
/// silently caps a larger `vlen`).
const BATCH: usize = libc::UIO_MAXIOV as usize;

impl Socket {
    /// The one place this file takes the socket's fd and enters the blocking
    /// door: the guard holds the fd for the whole call (fd.rs), and `op`
    /// gets its number and is run as `wait::call` runs every call.
    fn batch_call<T: Send>(
        &self,
        py: Python<'_>,
        interest: Interest,
        deadline: &mut Deadline,
        mut op: impl FnMut(RawFd) -> io::Result<T> + Send,
    ) -> PyResult<T> {
        let fd = self.fd()?;
        let out = wait::call(py, &fd, interest, deadline, || op(fd.raw()));
        match interest {
            // A send to a broadcast address gets sendto's note.
            Interest::Write => out.map_err(|err| notes::broadcast(py, fd.raw(), err)),
            Interest::Read => out,
        }
    }

    /// An empty batch: no system call, but a closed socket is still
    /// `OSError(EBADF)` (and a pending signal still runs), as for any call.
    fn nothing_to_do(&self, py: Python<'_>) -> PyResult<usize> {
        // No wait for readiness either: there is nothing to wait for.
        let mut deadline = Deadline::new(Some(std::time::Duration::ZERO));
        self.batch_call(py, Interest::Read, &mut deadline, |_| Ok(0))
    }
}

/// One datagram to send: its data and, for a `(data, address)` pair, where to.
struct Outgoing<'py> {
    data: ReadableView<'py>,
    target: Option<SockAddr>,
}

/// Converts every message (and checks it, with sendto's errors) before any
/// is sent; also returns the destination of each, for the audit event.
fn outgoing<'py>(
    py: Python<'py>,
    family: i32,
    messages: &Bound<'py, PyAny>,
) -> PyResult<(Vec<Outgoing<'py>>, Vec<Bound<'py, PyAny>>)> {
    let iter = messages
        .try_iter()
        .map_err(|_| PyTypeError::new_err("sendmmsg() argument 1 must be an iterable"))?;
    let mut out = Vec::new();
    let mut targets = Vec::new();
    for item in iter {
        let item = item?;
        let Ok(pair) = item.cast::<PyTuple>() else {
            out.push(Outgoing {
                data: ReadableView::new(&item)?,
                target: None,
            });
            targets.push(py.None().into_bound(py));
            continue;
        };
        if pair.len() != 2 {
            return Err(PyTypeError::new_err(format!(
                "sendmmsg() messages must be bytes-like objects or (data, address) pairs, \
                 not a tuple of {} items",
                pair.len()
            )));
        }
        // Data first, then the address, in the order sendto parses them.
        let data = ReadableView::new(&pair.get_item(0)?)?;
        let address = pair.get_item(1)?;
        let target = addr::to_sockaddr(py, family, &address, "sendmmsg")?;
        out.push(Outgoing {
            data,
            target: Some(target),
        });
        targets.push(address);
    }
    Ok((out, targets))
}

/// A zeroed `mmsghdr` (a valid value: no name, no data, no control).
fn empty_header() -> libc::mmsghdr {
    // SAFETY: mmsghdr is plain old data for which all zeros is valid.
    unsafe { mem::zeroed() }
}

/// One header per buffer of `iov`, one datagram each, with room for the
/// sender's address (`recv_batch` points each header at its name).
fn receive_headers(iov: &mut [libc::iovec]) -> (Vec<libc::mmsghdr>, Vec<SockAddrStorage>) {
    let names = iov.iter().map(|_| SockAddrStorage::zeroed()).collect();
    let hdrs = iov
        .iter_mut()
        .map(|v| {
            let mut hdr = empty_header();
            hdr.msg_hdr.msg_iov = v;
            hdr.msg_hdr.msg_iovlen = 1;
            hdr
        })
        .collect();
    (hdrs, names)
}

/// One `recvmmsg(2)` into `hdrs`, whose names are `names`; returns how many
/// messages arrived. `MSG_WAITFORONE`: wait (within the deadline) for the
/// first datagram, then take only what is already queued.
fn recv_batch(
    py: Python<'_>,
    sock: &Socket,
    hdrs: &mut [libc::mmsghdr],
    names: &mut [SockAddrStorage],
    flags: i32,
) -> PyResult<usize> {
    let flags = sock.io_flags(flags) | libc::MSG_WAITFORONE;
    for (hdr, name) in hdrs.iter_mut().zip(names.iter_mut()) {
        hdr.msg_hdr.msg_name = (name as *mut SockAddrStorage).cast();
    }
    let name_size = names.first().map_or(0, SockAddrStorage::size_of);
    let count = hdrs.len() as libc::c_uint;
    let mut msgs = Unshared(hdrs.as_mut_ptr());
    let mut deadline = sock.deadline();
    sock.batch_call(py, Interest::Read, &mut deadline, |fd| {
        let base = *msgs.get();
        // SAFETY: `base` points at `count` headers of the caller, alive and
        // not otherwise used for the call; each points at its own name
        // storage and iovec, which outlive it too.
        unsafe {
            // The kernel shrinks msg_namelen: reset it for each try.
            for i in 0..count as usize {
                (*base.add(i)).msg_hdr.msg_namelen = name_size;
            }
        }
        // SAFETY: as above; a null timeout means none (see the header).
        syscall!(recvmmsg(fd, base, count, flags, std::ptr::null_mut())).map(|n| n as usize)
    })
}

/// The Python form of each message's sender. Consecutive datagrams usually
/// come from one peer, so an address equal to the previous one reuses its
/// (immutable) tuple instead of formatting it again.
struct Senders<'py> {
    last: Option<(SockAddr, Bound<'py, PyAny>)>,
}

impl<'py> Senders<'py> {
    fn new() -> Self {
        Senders { last: None }
    }

    /// The sender of message `hdr`, whose name the kernel wrote into `name`.
    fn of(
        &mut self,
        py: Python<'py>,
        hdr: &libc::mmsghdr,
        name: SockAddrStorage,
    ) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: the kernel wrote `msg_namelen` bytes of address into `name`.
        let from = unsafe { SockAddr::new(name, hdr.msg_hdr.msg_namelen) };
        if let Some((addr, obj)) = &self.last {
            if *addr == from {
                return Ok(obj.clone());
            }
        }
        let obj = addr::to_python(py, &from)?;
        self.last = Some((from, obj.clone()));
        Ok(obj)
    }
}

/// Receive buffers up to this size are kept per thread between calls: a
/// batch of 64 x 2 KiB is 128 KiB, where malloc switches to mmap, and a
/// fresh mapping per call costs a page fault per slot touched.
const KEEP_SCRATCH: usize = 1 << 20;

thread_local! {
    static SCRATCH: RefCell<Vec<MaybeUninit<u8>>> = const { RefCell::new(Vec::new()) };
}

fn fresh_space(total: usize) -> PyResult<Vec<MaybeUninit<u8>>> {
    let mut space = Vec::new();
    space
        .try_reserve_exact(total)
        .map_err(|_| PyMemoryError::new_err(()))?;
    space.resize(total, MaybeUninit::uninit());
    Ok(space)
}

/// Calls `f` with `total` bytes of uninitialised scratch space.
fn with_scratch<R>(
    total: usize,
    f: impl FnOnce(&mut [MaybeUninit<u8>]) -> PyResult<R>,
) -> PyResult<R> {
    if total > KEEP_SCRATCH {
        return f(&mut fresh_space(total)?);
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut space) => {
            if space.len() < total {
                space.resize(total, MaybeUninit::uninit());
            }
            f(&mut space[..total])
        }
        // A signal handler on this thread that calls recvmmsg while we wait.
        Err(_) => f(&mut fresh_space(total)?),
    })
}

fn check_count(n: isize, what: &str) -> PyResult<usize> {
    usize::try_from(n).map_err(|_| PyValueError::new_err(format!("negative {what} in recvmmsg")))
}

/// The bytes of one received datagram as recvfrom returns them: what fitted
/// in the slot, and with MSG_TRUNC (where the kernel reports the datagram's
/// full length) padded with zeros to that length.
fn datagram<'py>(py: Python<'py>, slot: &[MaybeUninit<u8>], got: usize) -> Bound<'py, PyBytes> {
    let filled = got.min(slot.len());
    // SAFETY: the kernel wrote the first `filled` bytes of the slot.
    let data = unsafe { std::slice::from_raw_parts(slot.as_ptr().cast::<u8>(), filled) };
    if got == filled {
        return PyBytes::new(py, data);
    }
    PyBytes::new_with(py, got, |out| {
        out[..filled].copy_from_slice(data);
        Ok(())
    })
    .unwrap_or_else(|_| PyBytes::new(py, data))
}

#[pymethods]
impl Socket {
    /// sendmmsg(messages[, flags]) -> count
    ///
    /// Send many datagrams with one sendmmsg(2) per 1024 (Linux only; an rnet
    /// extension). messages is an iterable of bytes-like objects (for a
    /// connected socket) or of (data, address) pairs, addresses as sendto()
    /// takes them. Every message is checked before any is sent. Return how
    /// many were sent: fewer than given when the kernel stops early, as
    /// sendmmsg(2) does; an error is raised only if none was sent.
    /// Raises the audit event socket.sendmmsg with the socket and a list
    /// of the destinations (None for messages without an address).
    #[pyo3(signature = (messages, flags=CInt(0), /), text_signature = "($self, messages, flags=0, /)")]
    fn sendmmsg(
        slf: &Bound<'_, Self>,
        messages: &Bound<'_, PyAny>,
        flags: CInt,
    ) -> PyResult<usize> {
        let py = slf.py();
        let this = slf.get();
        let (out, targets) = outgoing(py, this.family(), messages)?;
        let targets = PyList::new(py, targets)?;
        audit::audit(py, c"socket.sendmmsg", &[slf.as_any(), targets.as_any()])?;
        let mut iov: Vec<libc::iovec> = out
            .iter()
            .map(|m| {
                let data = m.data.as_slice();
                libc::iovec {
                    iov_base: data.as_ptr() as *mut _,
                    iov_len: data.len(),
                }
            })
            .collect();
        let mut hdrs: Vec<libc::mmsghdr> = out.iter().map(|_| empty_header()).collect();
        for ((hdr, m), v) in hdrs.iter_mut().zip(&out).zip(iov.iter_mut()) {
            if let Some(target) = &m.target {
                hdr.msg_hdr.msg_name = target.as_ptr() as *mut _;
                hdr.msg_hdr.msg_namelen = target.len();
            }
            hdr.msg_hdr.msg_iov = v;
            hdr.msg_hdr.msg_iovlen = 1;
        }
        let flags = this.io_flags(flags.0);
        let mut deadline = this.deadline();
        if hdrs.is_empty() {
            return this.nothing_to_do(py);
        }
        let mut sent = 0;
        for chunk in hdrs.chunks_mut(BATCH) {
            let count = chunk.len() as libc::c_uint;
            let mut msgs = Unshared(chunk.as_mut_ptr());
            let result = this.batch_call(py, Interest::Write, &mut deadline, |fd| {
                // SAFETY: the headers point into `iov`, `out` (whose views
                // hold the data) and the targets, all alive for the call.
                syscall!(sendmmsg(fd, *msgs.get(), count, flags)).map(|n| n as usize)
            });
            match result {
                Ok(n) => {
                    sent += n;
                    if n < chunk.len() {
                        break;
                    }
                }
                // As sendmmsg(2) itself: once something was sent, an
                // error only ends the count (a later call will report it).
                Err(err) if sent > 0 && err.is_instance_of::<pyo3::exceptions::PyOSError>(py) => {
                    break
                }
                Err(err) => return Err(err),
            }
        }
        Ok(sent)
    }

    /// recvmmsg(vlen, bufsize[, flags]) -> [(data, address), ...]
    ///
    /// Receive up to vlen datagrams (at most 1024) of up to bufsize bytes
    /// each with one recvmmsg(2) (Linux only; an rnet extension): wait,
    /// within the socket's timeout, for the first, then take those already
    /// queued without waiting for more. Each item is what recvfrom(bufsize,
    /// flags) would have returned for that datagram.
    #[pyo3(signature = (vlen, bufsize, flags=CInt(0), /), text_signature = "($self, vlen, bufsize, flags=0, /)")]
    fn recvmmsg<'py>(
        &self,
        py: Python<'py>,
        vlen: CSsize,
        bufsize: CSsize,
        flags: CInt,
    ) -> PyResult<Bound<'py, PyList>> {
        let vlen = check_count(vlen.0, "vlen")?.min(BATCH);
        let bufsize = check_count(bufsize.0, "buffersize")?;
        if vlen == 0 {
            self.nothing_to_do(py)?;
            return Ok(PyList::empty(py));
        }
        let total = vlen
            .checked_mul(bufsize)
            .ok_or_else(|| PyMemoryError::new_err(()))?;
        with_scratch(total, |space| {
            let base = space.as_mut_ptr();
            let mut iov: Vec<libc::iovec> = (0..vlen)
                .map(|i| libc::iovec {
                    // SAFETY: slot i lies inside `space` (vlen * bufsize bytes).
                    iov_base: unsafe { base.add(i * bufsize) }.cast(),
                    iov_len: bufsize,
                })
                .collect();
            let (mut hdrs, mut names) = receive_headers(&mut iov);
            let n = recv_batch(py, self, &mut hdrs, &mut names, flags.0)?;
            let list = PyList::empty(py);
            let mut senders = Senders::new();
            for (i, (hdr, name)) in hdrs.iter().zip(names).take(n).enumerate() {
                let slot = &space[i * bufsize..(i + 1) * bufsize];
                let data = datagram(py, slot, hdr.msg_len as usize);
                list.append((data, senders.of(py, hdr, name)?))?;
            }
            Ok(list)
        })
    }

    /// recvmmsg_into(buffers[, flags]) -> [(nbytes, address), ...]
    ///
    /// Like recvmmsg(), but receive one datagram straight into each of the
    /// given writable buffers (at most 1024), in order; each item is what
    /// recvfrom_into(buffer, 0, flags) would have returned.
    #[pyo3(signature = (buffers, flags=CInt(0), /), text_signature = "($self, buffers, flags=0, /)")]
    fn recvmmsg_into<'py>(
        &self,
        py: Python<'py>,
        buffers: &Bound<'py, PyAny>,
        flags: CInt,
    ) -> PyResult<Bound<'py, PyList>> {
        let mut views = WritableViews::collect(buffers, "recvmmsg_into")?;
        let mut iov = views.iovecs();
        iov.truncate(BATCH);
        if iov.is_empty() {
            self.nothing_to_do(py)?;
            return Ok(PyList::empty(py));
        }
        let (mut hdrs, mut names) = receive_headers(&mut iov);
        let n = recv_batch(py, self, &mut hdrs, &mut names, flags.0)?;
        let list = PyList::empty(py);
        let mut senders = Senders::new();
        for (hdr, name) in hdrs.iter().zip(names).take(n) {
            list.append((hdr.msg_len as usize, senders.of(py, hdr, name)?))?;
        }
        Ok(list)
    }
}
