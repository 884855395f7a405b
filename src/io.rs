//! The data-moving methods of `rnet._rnet.socket`: the send and recv
//! families, one system call each, all through `wait::call`.

use std::os::fd::RawFd;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use socket2::SockAddr;

use crate::args::{self, CInt, CSsize, Keywords, Later};
use crate::buffer;
use crate::fd::FdGuard;
use crate::socket::{with_sock, Socket};
use crate::wait::{self, Deadline, Interest};
use crate::{addr, audit, msg, notes};

impl Socket {
    /// The flags for one send/recv call. A socket with a timeout asks for a
    /// non-blocking call with MSG_DONTWAIT too: O_NONBLOCK lives on the open
    /// file, which a dup() elsewhere can switch back to blocking, and the
    /// timeout must hold even then (CPython polls before every call instead).
    pub(crate) fn io_flags(&self, flags: i32) -> i32 {
        if self.has_timeout() {
            flags | libc::MSG_DONTWAIT
        } else {
            flags
        }
    }

    /// One send of `data` (`op` makes the system call with the flags it is
    /// given). On a blocking socket with no timeout a small send is first
    /// tried with the GIL held (`wait::send_now`); if a stream takes only
    /// part, the rest goes through the door as the blocking call would have
    /// sent it, and the count is of both, or of the first part if the rest
    /// fails with an OSError (as a blocking send(2) that fails after a
    /// partial copy reports the copy). Otherwise: the door, as before.
    fn send_data(
        &self,
        py: Python<'_>,
        fd: &FdGuard<'_>,
        data: &[u8],
        flags: i32,
        deadline: &mut Deadline,
        op: impl Fn(&[u8], i32) -> std::io::Result<usize> + Sync,
    ) -> PyResult<usize> {
        if self.timeout().is_none() {
            if let Some(sent) = wait::send_now(py, fd, data.len(), |now| op(data, flags | now))? {
                let rest = &data[sent.min(data.len())..];
                if rest.is_empty() {
                    return Ok(sent);
                }
                return match wait::call(py, fd, Interest::Write, deadline, || op(rest, flags)) {
                    Ok(more) => Ok(sent + more),
                    Err(err) if err.is_instance_of::<PyOSError>(py) => Ok(sent),
                    Err(err) => Err(err),
                };
            }
        }
        wait::call(py, fd, Interest::Write, deadline, || op(data, flags))
    }

    fn recv_impl(&self, py: Python<'_>, n: usize, flags: i32) -> PyResult<Py<PyBytes>> {
        let flags = self.io_flags(flags);
        let mut deadline = self.deadline();
        // The bytes are allocated before the fd is looked at, as in CPython:
        // recv(2**63 - 1) on a closed socket is an OverflowError, not EBADF.
        let (data, ()) = buffer::receive_bytes(py, n, |slot| {
            buffer::zero_for_trunc(slot, flags);
            let fd = self.fd()?;
            let got = wait::call(py, &fd, Interest::Read, &mut deadline, || {
                with_sock(&fd, |s| s.recv_with_flags(slot, flags))
            })?;
            Ok((got, ()))
        })?;
        Ok(data)
    }
}

/// recv_into's and recvfrom_into's keywords, as CPython's kwlist.
const INTO_ARGS: [&str; 3] = ["buffer", "nbytes", "flags"];

fn check_size(n: isize, caller: &str) -> PyResult<usize> {
    usize::try_from(n)
        .map_err(|_| PyValueError::new_err(format!("negative buffersize in {caller}")))
}

/// The bytes the caller asked for in `recv_into`/`recvfrom_into`.
fn into_len(nbytes: isize, buflen: usize, caller: &str, too_small: &str) -> PyResult<usize> {
    match check_size(nbytes, caller)? {
        0 => Ok(buflen),
        n if n > buflen => Err(PyValueError::new_err(too_small.to_owned())),
        n => Ok(n),
    }
}

#[pymethods]
impl Socket {
    /// recv(buffersize[, flags]) -> data
    ///
    /// Receive up to buffersize bytes; b'' means the peer closed the
    /// connection. Corresponds to `recv(2)`.
    #[pyo3(signature = (bufsize, flags=CInt(0), /), text_signature = "($self, bufsize, flags=0, /)")]
    fn recv(&self, py: Python<'_>, bufsize: CSsize, flags: CInt) -> PyResult<Py<PyBytes>> {
        let bufsize = bufsize.0;
        let flags = flags.0;
        // CPython answers a zero-byte read without a system call.
        match check_size(bufsize, "recv")? {
            0 => Ok(PyBytes::new(py, b"").unbind()),
            n => self.recv_impl(py, n, flags),
        }
    }

    /// recv_into(buffer, [nbytes[, flags]]) -> nbytes_read
    ///
    /// Receive up to nbytes bytes (default: the buffer's size) straight into
    /// a writable buffer; return how many were received.
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self, buffer, nbytes=0, flags=0)")]
    fn recv_into(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<usize> {
        let mut given = Keywords::parse("recv_into", args, kwargs, &INTO_ARGS, 1)?;
        let buffer = given.values[0].clone().expect("required");
        let mut deadline = self.deadline();
        // "w*|ni": the buffer is exported first, then the ints are read.
        buffer::with_writable(&buffer, "recv_into() argument 1", |buf| {
            let nbytes = given.c_ssize_or(1, 0)?;
            let flags = given.c_int_or(2, 0)?;
            given.finish()?;
            let n = into_len(
                nbytes,
                buf.len(),
                "recv_into",
                "buffer too small for requested bytes",
            )?;
            if n == 0 {
                return Ok(0);
            }
            let fd = self.fd()?;
            let flags = self.io_flags(flags);
            let slot = &mut buf[..n];
            wait::call(py, &fd, Interest::Read, &mut deadline, || {
                with_sock(&fd, |s| s.recv_with_flags(slot, flags))
            })
        })
    }

    /// recvfrom(buffersize[, flags]) -> (data, address info)
    ///
    /// Like recv(buffersize, flags) but also return the sender's address.
    #[pyo3(signature = (bufsize, flags=CInt(0), /), text_signature = "($self, bufsize, flags=0, /)")]
    fn recvfrom<'py>(
        &self,
        py: Python<'py>,
        bufsize: CSsize,
        flags: CInt,
    ) -> PyResult<(Py<PyBytes>, Bound<'py, PyAny>)> {
        let bufsize = bufsize.0;
        let flags = flags.0;
        let n = check_size(bufsize, "recvfrom")?;
        let flags = self.io_flags(flags);
        let mut deadline = self.deadline();
        let (data, from) = buffer::receive_bytes(py, n, |slot| {
            buffer::zero_for_trunc(slot, flags);
            let fd = self.fd()?; // after the allocation, as in CPython
            wait::call(py, &fd, Interest::Read, &mut deadline, || {
                with_sock(&fd, |s| s.recv_from_with_flags(slot, flags))
            })
        })?;
        Ok((data, addr::to_python(py, &from)?))
    }

    /// recvfrom_into(buffer[, nbytes[, flags]]) -> (nbytes, address info)
    ///
    /// Like recv_into(buffer[, nbytes[, flags]]) but also return the sender's address.
    #[pyo3(signature = (*args, **kwargs), text_signature = "($self, buffer, nbytes=0, flags=0)")]
    fn recvfrom_into<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<(usize, Bound<'py, PyAny>)> {
        let mut given = Keywords::parse("recvfrom_into", args, kwargs, &INTO_ARGS, 1)?;
        let buffer = given.values[0].clone().expect("required");
        let mut deadline = self.deadline();
        // "w*|ni": the buffer is exported first, then the ints are read.
        let (got, from) = buffer::with_writable(&buffer, "recvfrom_into() argument 1", |buf| {
            let nbytes = given.c_ssize_or(1, 0)?;
            let flags = given.c_int_or(2, 0)?;
            given.finish()?;
            let n = into_len(
                nbytes,
                buf.len(),
                "recvfrom_into",
                "nbytes is greater than the length of the buffer",
            )?;
            let fd = self.fd()?;
            let flags = self.io_flags(flags);
            let slot = &mut buf[..n];
            wait::call(py, &fd, Interest::Read, &mut deadline, || {
                with_sock(&fd, |s| s.recv_from_with_flags(slot, flags))
            })
        })?;
        Ok((got, addr::to_python(py, &from)?))
    }

    /// send(data[, flags]) -> count
    ///
    /// Send data; return the number of bytes sent, which may be fewer than
    /// given. Corresponds to `send(2)`.
    #[pyo3(signature = (data, flags=Later::ABSENT, /), text_signature = "($self, data, flags=0, /)")]
    fn send(&self, py: Python<'_>, data: &Bound<'_, PyAny>, flags: Later<'_>) -> PyResult<usize> {
        let mut deadline = self.deadline();
        // "y*|i": the data is exported first, then the flags are read.
        buffer::with_readable(data, |bytes| {
            let flags = self.io_flags(flags.c_int_or(0)?);
            let fd = self.fd()?;
            self.send_data(py, &fd, bytes, flags, &mut deadline, |buf, flags| {
                with_sock(&fd, |s| s.send_with_flags(buf, flags))
            })
        })
    }

    /// sendall(data[, flags])
    ///
    /// Send all of data, calling send as often as needed; the socket's
    /// timeout bounds the whole call, not each send.
    #[pyo3(signature = (data, flags=Later::ABSENT, /), text_signature = "($self, data, flags=0, /)")]
    fn sendall(&self, py: Python<'_>, data: &Bound<'_, PyAny>, flags: Later<'_>) -> PyResult<()> {
        let mut deadline = self.deadline();
        // "y*|i": the data is exported first, then the flags are read.
        buffer::with_readable(data, |bytes| {
            let flags = self.io_flags(flags.c_int_or(0)?);
            let fd = self.fd()?;
            let mut rest = bytes;
            // At least one send(2), as CPython: empty data is still a
            // datagram on UDP, and still an error on a broken connection.
            loop {
                let sent = self.send_data(py, &fd, rest, flags, &mut deadline, |buf, flags| {
                    with_sock(&fd, |s| s.send_with_flags(buf, flags))
                })?;
                rest = &rest[sent..];
                // Partial sends are where Ctrl-C gets a chance, as in CPython.
                py.check_signals()?;
                if rest.is_empty() {
                    return Ok(());
                }
            }
        })
    }

    /// sendto(data[, flags], address) -> count
    ///
    /// Send a datagram to the given address; return the number of bytes sent.
    #[pyo3(signature = (*args, **kwargs))]
    fn sendto(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<usize> {
        let py = slf.py();
        args::method_arity("sendto", args, kwargs, 0, usize::MAX)?;
        let (data, flags, address) = match args.len() {
            2 => (args.get_item(0)?, None, args.get_item(1)?),
            3 => (
                args.get_item(0)?,
                Some(args.get_item(1)?),
                args.get_item(2)?,
            ),
            n => {
                return Err(PyTypeError::new_err(format!(
                    "sendto() takes 2 or 3 arguments ({n} given)"
                )))
            }
        };
        let this = slf.get();
        // "y*iO": the data, then the flags, then the address.
        buffer::with_readable(&data, |bytes| {
            let flags = flags.as_ref().map_or(Ok(0), args::c_int)?;
            let target: SockAddr = addr::to_sockaddr(py, this.family(), &address, "sendto")?;
            audit::audit(py, c"socket.sendto", &[slf.as_any(), &address])?;
            let fd = this.fd()?;
            let flags = this.io_flags(flags);
            let mut deadline = this.deadline();
            this.send_data(py, &fd, bytes, flags, &mut deadline, |buf, flags| {
                with_sock(&fd, |s| s.send_to_with_flags(buf, &target, flags))
            })
            .map_err(|err| notes::broadcast(py, fd.raw(), err))
        })
    }

    /// sendmsg(buffers[, ancdata[, flags[, address]]]) -> count
    ///
    /// Send the data of the buffers as one message, with ancillary data
    /// given as (level, type, data) tuples; corresponds to `sendmsg(2)`.
    #[pyo3(signature = (*args, **kwargs))]
    fn sendmsg(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<usize> {
        let py = slf.py();
        let this = slf.get();
        args::method_arity("sendmsg", args, kwargs, 1, 4)?;
        let given = args::Given::of(args)?;
        // CPython's order: "O|OiO" reads the flags, then the address is
        // converted (and audited), then the data buffers, then ancdata.
        let flags = match given.get(2) {
            Some(f) => args::c_int(f)?,
            None => 0,
        };
        let address = given.get(3).filter(|a| !a.is_none());
        let target = match address {
            Some(a) => Some(addr::to_sockaddr(py, this.family(), a, "sendmsg")?),
            None => None,
        };
        let none = py.None().into_bound(py);
        audit::audit(
            py,
            c"socket.sendmsg",
            &[slf.as_any(), address.unwrap_or(&none)],
        )?;
        // A given ancdata, even None, must be iterable, as in CPython.
        let mut out = msg::outgoing(&given[0], given.get(1))?;
        let fd = this.fd().map_err(|_| msg::closed_error(true, flags))?;
        let flags = this.io_flags(flags);
        msg::sendmsg(
            py,
            &fd,
            &mut this.deadline(),
            &mut out,
            flags,
            target.as_ref(),
        )
    }

    /// recvmsg(bufsize[, ancbufsize[, flags]]) -> (data, ancdata, msg_flags, address)
    ///
    /// Receive up to bufsize bytes and up to ancbufsize bytes of ancillary
    /// data, returned as (level, type, data) tuples; corresponds to `recvmsg(2)`.
    #[pyo3(signature = (bufsize, ancbufsize=CSsize(0), flags=CInt(0), /), text_signature = "($self, bufsize, ancbufsize=0, flags=0, /)")]
    fn recvmsg<'py>(
        &self,
        py: Python<'py>,
        bufsize: CSsize,
        ancbufsize: CSsize,
        flags: CInt,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let bufsize = bufsize.0;
        let ancbufsize = ancbufsize.0;
        let flags = flags.0;
        // CPython's order: bufsize's sign, the bytes, ancbufsize, the fd.
        let bufsize = msg::check_bufsize(bufsize)?;
        let flags = self.io_flags(flags);
        let mut deadline = self.deadline();
        let (data, got) = buffer::receive_bytes(py, bufsize, |slot| {
            let ancbufsize = msg::check_ancbufsize(ancbufsize)?;
            buffer::zero_for_trunc(slot, flags);
            let fd = self.fd().map_err(|_| msg::closed_error(false, flags))?;
            let mut iov = [libc::iovec {
                iov_base: slot.as_mut_ptr().cast(),
                iov_len: slot.len(),
            }];
            let got = msg::recvmsg(py, &fd, &mut deadline, &mut iov, ancbufsize, flags)?;
            // With MSG_TRUNC the kernel reports the datagram's full length;
            // the data is what fitted, as CPython returns it.
            Ok((got.len.min(bufsize), got))
        })?;
        let items = msg::ancillary_list(py, &got.ancillary)?;
        let address = addr::to_python(py, &got.address)?;
        (data, items, got.flags, address).into_pyobject(py)
    }

    /// recvmsg_into(buffers[, ancbufsize[, flags]]) -> (nbytes, ancdata, msg_flags, address)
    ///
    /// Like recvmsg(), but scatter the data into the given writable buffers.
    #[pyo3(signature = (buffers, ancbufsize=CSsize(0), flags=CInt(0), /), text_signature = "($self, buffers, ancbufsize=0, flags=0, /)")]
    fn recvmsg_into<'py>(
        &self,
        py: Python<'py>,
        buffers: &Bound<'py, PyAny>,
        ancbufsize: CSsize,
        flags: CInt,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let ancbufsize = ancbufsize.0;
        let flags = flags.0;
        // The buffers are checked before ancbufsize, as in CPython.
        let mut views = buffer::WritableViews::collect(buffers, "recvmsg_into")?;
        let ancbufsize = msg::check_ancbufsize(ancbufsize)?;
        let fd = self.fd().map_err(|_| msg::closed_error(false, flags))?;
        let flags = self.io_flags(flags);
        let mut iov = views.iovecs();
        let got = msg::recvmsg(py, &fd, &mut self.deadline(), &mut iov, ancbufsize, flags)?;
        let items = msg::ancillary_list(py, &got.ancillary)?;
        let address = addr::to_python(py, &got.address)?;
        (got.len, items, got.flags, address).into_pyobject(py)
    }

    /// _sendfile(in_fd, offset, count) -> sent
    ///
    /// One zero-copy `sendfile(2)` of at most count bytes of in_fd from
    /// offset (None: the file's position), within the socket's timeout; used
    /// by socket.sendfile(). The arguments convert as `os.sendfile`'s do:
    /// count first (Py_ssize_t), then offset (C long).
    fn _sendfile(
        &self,
        py: Python<'_>,
        in_fd: RawFd,
        offset: &Bound<'_, PyAny>,
        count: &Bound<'_, PyAny>,
    ) -> PyResult<usize> {
        let fd = self.fd()?;
        let mut deadline = self.deadline();
        // Lib/socket.py waits for the socket (its selector, with the
        // timeout) before os.sendfile converts its arguments: so do we.
        wait::call(py, &fd, Interest::Write, &mut deadline, || Ok(()))?;
        let count = args::c_ssize(count)? as usize;
        let offset = if offset.is_none() {
            None
        } else {
            Some(args::c_long(offset)?)
        };
        // os.sendfile itself does not wait: the fd is ready now, and the
        // call's own poll (a fresh timeout, as the selector's next round
        // would have) returns at once, however long the conversion took.
        msg::sendfile(py, &fd, &mut self.deadline(), in_fd, offset, count)
    }
}
