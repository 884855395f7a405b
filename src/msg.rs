//! `sendmsg(2)`/`recvmsg(2)` with ancillary data, as CPython's `sock_sendmsg`,
//! `sock_recvmsg` and `sock_recvmsg_into`: scatter/gather buffers and control
//! messages built and parsed here, the call itself made through `wait::call`.

use std::mem;
use std::os::fd::RawFd;

use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PySequence};
use socket2::SockAddr;

use crate::args;
use crate::buffer::{self, Unshared};
use crate::fd::FdGuard;
use crate::sys::syscall;
use crate::wait::{self, Deadline, Interest};

/// The bytes of each buffer of an iterable, in order.
fn gather(buffers: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<u8>>> {
    let iter = buffers
        .try_iter()
        .map_err(|_| PyTypeError::new_err("sendmsg() argument 1 must be an iterable"))?;
    iter.map(|item| buffer::with_readable(&item?, |b| Ok(b.to_vec())))
        .collect()
}

/// Control messages `(level, type, data)` packed as `struct cmsghdr`s.
fn pack_ancillary(ancdata: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let iter = ancdata
        .try_iter()
        .map_err(|_| PyTypeError::new_err("sendmsg() argument 2 must be an iterable"))?;
    let what = "[sendmsg() ancillary data items]()";
    let mut items = Vec::new();
    for item in iter {
        let item = item?;
        // Any sequence of three will do, as for CPython's "(iiy*)".
        let fields = item.cast::<PySequence>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what} argument must be 3-item sequence, not {}",
                args::arg_type(&item)
            ))
        })?;
        let len = fields.len()?;
        if len != 3 {
            return Err(PyTypeError::new_err(format!(
                "{what} argument must be sequence of length 3, not {len}"
            )));
        }
        let level = args::c_int(&fields.get_item(0)?)?;
        let kind = args::c_int(&fields.get_item(1)?)?;
        let data = buffer::with_readable(&fields.get_item(2)?, |b| Ok(b.to_vec()))?;
        items.push((level, kind, data));
    }
    pack(&items)
}

/// `(level, type, data)` items as the `struct cmsghdr`s of a control buffer.
fn pack(items: &[(i32, i32, Vec<u8>)]) -> PyResult<Vec<u8>> {
    let mut space = 0usize;
    for (_, _, data) in items {
        let len = u32::try_from(data.len())
            .map_err(|_| PyOverflowError::new_err("ancillary data item too large"))?;
        // SAFETY: CMSG_SPACE is pure arithmetic.
        space += unsafe { libc::CMSG_SPACE(len) } as usize;
    }
    let mut control = vec![0u8; space];
    if items.is_empty() {
        return Ok(control);
    }
    // SAFETY: a msghdr describing `control`, walked with the CMSG macros,
    // which stay inside the `space` bytes computed above.
    unsafe {
        let mut hdr: libc::msghdr = mem::zeroed();
        hdr.msg_control = control.as_mut_ptr().cast();
        hdr.msg_controllen = space as _;
        let mut cmsg = libc::CMSG_FIRSTHDR(&hdr);
        for (level, kind, data) in items {
            (*cmsg).cmsg_level = *level;
            (*cmsg).cmsg_type = *kind;
            (*cmsg).cmsg_len = libc::CMSG_LEN(data.len() as u32) as _;
            std::ptr::copy_nonoverlapping(data.as_ptr(), libc::CMSG_DATA(cmsg), data.len());
            cmsg = libc::CMSG_NXTHDR(&hdr, cmsg);
        }
    }
    Ok(control)
}

/// A message ready for `sendmsg(2)`: its data buffers and packed control
/// messages, converted (and checked) before the socket is touched.
pub struct Outgoing {
    data: Vec<Vec<u8>>,
    control: Vec<u8>,
}

/// Converts `sendmsg`'s buffers and ancillary data, with CPython's errors.
pub fn outgoing(
    buffers: &Bound<'_, PyAny>,
    ancdata: Option<&Bound<'_, PyAny>>,
) -> PyResult<Outgoing> {
    Ok(Outgoing {
        data: gather(buffers)?,
        control: match ancdata {
            Some(a) => pack_ancillary(a)?,
            None => Vec::new(),
        },
    })
}

/// `sendmsg(2)` of `out` on `fd`, to `address` if given.
pub fn sendmsg(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    deadline: &mut Deadline,
    out: &mut Outgoing,
    flags: i32,
    address: Option<&SockAddr>,
) -> PyResult<usize> {
    let Outgoing { data, control } = out;
    let mut iov: Vec<libc::iovec> = data
        .iter()
        .map(|b| libc::iovec {
            iov_base: b.as_ptr() as *mut _,
            iov_len: b.len(),
        })
        .collect();
    // SAFETY: zero is a valid msghdr; the pointers below outlive the call.
    let mut hdr: libc::msghdr = unsafe { mem::zeroed() };
    if let Some(addr) = address {
        hdr.msg_name = addr.as_ptr() as *mut _;
        hdr.msg_namelen = addr.len();
    }
    hdr.msg_iov = iov.as_mut_ptr();
    hdr.msg_iovlen = iov.len() as _;
    if !control.is_empty() {
        hdr.msg_control = control.as_mut_ptr().cast();
        hdr.msg_controllen = control.len() as _;
    }
    let mut hdr = Unshared(hdr);
    wait::call(py, fd, Interest::Write, deadline, || {
        // SAFETY: `hdr` points into `iov`, `data`, `control` and `address`,
        // all alive for the call.
        syscall!(sendmsg(fd.raw(), hdr.get(), flags)).map(|n| n as usize)
    })
}

/// What one `recvmsg(2)` returned besides the data.
pub struct Received {
    pub len: usize,
    pub ancillary: Vec<(i32, i32, Vec<u8>)>,
    pub flags: i32,
    pub address: SockAddr,
}

/// One `recvmsg(2)` into the given buffers, with `ancbufsize` bytes of room
/// for control messages.
pub fn recvmsg(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    deadline: &mut Deadline,
    iov: &mut [libc::iovec],
    ancbufsize: usize,
    flags: i32,
) -> PyResult<Received> {
    let mut control = buffer::zeroed(ancbufsize)?;
    let mut name = socket2::SockAddrStorage::zeroed();
    // SAFETY: zero is a valid msghdr; every pointer set below refers to
    // memory of this frame or the caller's that outlives the call.
    let mut hdr = Unshared(unsafe { mem::zeroed::<libc::msghdr>() });
    hdr.0.msg_name = (&mut name as *mut socket2::SockAddrStorage).cast();
    hdr.0.msg_iov = iov.as_mut_ptr();
    hdr.0.msg_iovlen = iov.len() as _;
    if ancbufsize > 0 {
        hdr.0.msg_control = control.as_mut_ptr().cast();
    }
    let name_size = name.size_of();
    let len = wait::call(py, fd, Interest::Read, deadline, || {
        // The kernel shrinks these in and out values: reset them each try.
        let msg = hdr.get();
        msg.msg_namelen = name_size;
        msg.msg_controllen = ancbufsize as _;
        // SAFETY: see above.
        syscall!(recvmsg(fd.raw(), msg, flags)).map(|n| n as usize)
    })?;
    let msg = hdr.0;
    let ancillary = if ancbufsize > 0 {
        parse_ancillary(&msg, control.as_ptr() as usize + ancbufsize)
    } else {
        Vec::new()
    };
    // SAFETY: the kernel wrote `msg_namelen` bytes of address into `name`.
    let address = unsafe { SockAddr::new(name, msg.msg_namelen) };
    Ok(Received {
        len,
        ancillary,
        flags: msg.msg_flags,
        address,
    })
}

/// The control messages the kernel wrote, each cut to what fits in the buffer
/// (MSG_CTRUNC), as CPython reports them.
fn parse_ancillary(msg: &libc::msghdr, end: usize) -> Vec<(i32, i32, Vec<u8>)> {
    let mut out = Vec::new();
    // SAFETY: the CMSG macros walk the buffer the kernel filled; each item is
    // bounded by `end`, the end of that buffer.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(msg);
        while !cmsg.is_null() {
            let data = libc::CMSG_DATA(cmsg) as usize;
            let header = libc::CMSG_LEN(0) as usize;
            let claimed = ((*cmsg).cmsg_len as usize).saturating_sub(header);
            let len = claimed.min(end.saturating_sub(data));
            let bytes = std::slice::from_raw_parts(data as *const u8, len).to_vec();
            out.push(((*cmsg).cmsg_level, (*cmsg).cmsg_type, bytes));
            if (*cmsg).cmsg_len as usize == 0 {
                break;
            }
            cmsg = libc::CMSG_NXTHDR(msg, cmsg);
        }
    }
    out
}

/// `[(level, type, data), ...]` for Python.
pub fn ancillary_list<'py>(
    py: Python<'py>,
    items: &[(i32, i32, Vec<u8>)],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (level, kind, data) in items {
        list.append((*level, *kind, PyBytes::new(py, data)))?;
    }
    Ok(list)
}

/// The error of `recvmsg`/`sendmsg` on a closed socket. CPython makes the
/// call on fd -1, and the kernel checks the flags (MSG_CMSG_COMPAT, the top
/// bit, is EINVAL) before it looks the fd up, so the error is not always
/// EBADF. The number -1 never names another socket.
pub fn closed_error(send: bool, flags: i32) -> PyErr {
    // SAFETY: zero is a valid, empty msghdr; the call fails before it could
    // use it (there is no fd -1).
    let rc = unsafe {
        let mut hdr: libc::msghdr = mem::zeroed();
        if send {
            libc::sendmsg(-1, &hdr, flags)
        } else {
            libc::recvmsg(-1, &mut hdr, flags)
        }
    };
    if rc < 0 {
        crate::error::last_os_error()
    } else {
        crate::error::os_error(libc::EBADF)
    }
}

/// CPython's check on recvmsg's bufsize.
pub fn check_bufsize(bufsize: isize) -> PyResult<usize> {
    usize::try_from(bufsize).map_err(|_| PyValueError::new_err("negative buffer size in recvmsg()"))
}

/// CPython's check on recvmsg's ancbufsize: the control length must fit a
/// socklen_t-sized int.
pub fn check_ancbufsize(ancbufsize: isize) -> PyResult<usize> {
    usize::try_from(ancbufsize)
        .ok()
        .filter(|&n| n <= i32::MAX as usize)
        .ok_or_else(|| PyValueError::new_err("invalid ancillary data buffer length"))
}

/// `sendfile(2)` from `in_fd` at `offset` (`None`: the file's position),
/// at most `count` bytes, once.
pub fn sendfile(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    deadline: &mut Deadline,
    in_fd: RawFd,
    offset: Option<i64>,
    count: usize,
) -> PyResult<usize> {
    wait::call(py, fd, Interest::Write, deadline, || {
        let mut off = offset.unwrap_or(0) as libc::off_t;
        let off_ptr = match offset {
            Some(_) => &mut off as *mut libc::off_t,
            None => std::ptr::null_mut(),
        };
        // SAFETY: plain system call; `off_ptr` is null or points to `off`.
        syscall!(sendfile(fd.raw(), in_fd, off_ptr, count)).map(|n| n as usize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(control: &mut [u8]) -> Vec<(i32, i32, Vec<u8>)> {
        // SAFETY: zero is a valid msghdr.
        let mut hdr: libc::msghdr = unsafe { mem::zeroed() };
        hdr.msg_control = control.as_mut_ptr().cast();
        hdr.msg_controllen = control.len() as _;
        parse_ancillary(&hdr, control.as_ptr() as usize + control.len())
    }

    #[test]
    fn packed_items_parse_back_in_order() {
        let items = vec![
            (
                libc::SOL_SOCKET,
                libc::SCM_RIGHTS,
                vec![1, 0, 0, 0, 2, 0, 0, 0],
            ),
            (libc::IPPROTO_IP, libc::IP_TOS, vec![7]),
        ];
        let mut control = pack(&items).unwrap_or_else(|_| panic!("pack failed"));
        assert_eq!(parse(&mut control), items);
    }

    #[test]
    fn nothing_packs_to_an_empty_buffer() {
        assert!(pack(&[]).is_ok_and(|c| c.is_empty()));
    }

    #[test]
    fn a_truncated_buffer_keeps_what_fits() {
        let items = vec![(libc::SOL_SOCKET, libc::SCM_RIGHTS, vec![9; 8])];
        let mut control = pack(&items).unwrap_or_else(|_| panic!("pack failed"));
        // SAFETY: CMSG_LEN is pure arithmetic.
        let header = unsafe { libc::CMSG_LEN(0) } as usize;
        let cut = header + 4;
        let got = parse(&mut control[..cut]);
        assert_eq!(got, vec![(libc::SOL_SOCKET, libc::SCM_RIGHTS, vec![9; 4])]);
    }
}
