//! Name resolution through the system's own `getaddrinfo(3)`, so rnet sees
//! exactly what CPython sees on the same machine (/etc/hosts, nsswitch, DNS).

use std::ffi::CStr;
use std::ptr;

use pyo3::prelude::*;
use socket2::SockAddr;

use crate::error;

/// One entry of a `getaddrinfo` answer.
pub struct AddrInfo {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub canonname: Option<String>,
    pub addr: SockAddr,
}

/// Hints for [`getaddrinfo`], as in `struct addrinfo`.
#[derive(Clone, Copy, Default)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub flags: i32,
}

/// `getaddrinfo(3)` with the GIL released; failures are `socket.gaierror`.
pub fn getaddrinfo(
    py: Python<'_>,
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> PyResult<Vec<AddrInfo>> {
    py.detach(|| raw_getaddrinfo(host, service, hints))
        .map_err(|code| error::gai_error(py, code))
}

fn raw_getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<Vec<AddrInfo>, i32> {
    // SAFETY: an all-zero addrinfo is the documented "no hints" value.
    let mut c_hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    c_hints.ai_family = hints.family;
    c_hints.ai_socktype = hints.socktype;
    c_hints.ai_protocol = hints.protocol;
    c_hints.ai_flags = hints.flags;
    let mut res: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: the strings are NUL-terminated and outlive the call.
    let rc = unsafe {
        libc::getaddrinfo(
            host.map_or(ptr::null(), CStr::as_ptr),
            service.map_or(ptr::null(), CStr::as_ptr),
            &c_hints,
            &mut res,
        )
    };
    if rc != 0 {
        return Err(rc);
    }
    let mut out = Vec::new();
    let mut cur = res;
    while !cur.is_null() {
        // SAFETY: `cur` walks the list getaddrinfo returned, freed only below.
        let ai = unsafe { &*cur };
        let addr = unsafe { copy_sockaddr(ai.ai_addr, ai.ai_addrlen) };
        let canonname = (!ai.ai_canonname.is_null()).then(|| {
            unsafe { CStr::from_ptr(ai.ai_canonname) }
                .to_string_lossy()
                .into_owned()
        });
        out.push(AddrInfo {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            canonname,
            addr,
        });
        cur = ai.ai_next;
    }
    // SAFETY: `res` came from a successful getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// Copies a C socket address of `len` bytes into an owned `SockAddr`.
///
/// # Safety
/// `addr` must point to at least `len` readable bytes.
pub unsafe fn copy_sockaddr(addr: *const libc::sockaddr, len: libc::socklen_t) -> SockAddr {
    let mut storage = socket2::SockAddrStorage::zeroed();
    let len = len.min(storage.size_of());
    if !addr.is_null() {
        ptr::copy_nonoverlapping(
            addr as *const u8,
            &mut storage as *mut _ as *mut u8,
            len as usize,
        );
    }
    SockAddr::new(storage, len)
}
