//! Name resolution through the system's own `getaddrinfo(3)`, so rnet sees
//! exactly what CPython sees on the same machine (/etc/hosts, nsswitch, DNS).

use std::ffi::CStr;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ptr;

use pyo3::prelude::*;
use socket2::SockAddr;

use crate::{error, local_db, resolver};

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

/// `getaddrinfo(3)` through resolver.rs, so Ctrl-C can interrupt one that
/// waits on the network; failures are `socket.gaierror`.
pub fn getaddrinfo(
    py: Python<'_>,
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> PyResult<Vec<AddrInfo>> {
    resolve(py, host, service, hints, usize::MAX)
}

/// The first answer of `getaddrinfo(host, NULL, hints)`, if any, as
/// [`getaddrinfo`] would give it, without copying the others.
pub fn getaddrinfo_first(py: Python<'_>, host: &CStr, hints: Hints) -> PyResult<Option<AddrInfo>> {
    Ok(resolve(py, Some(host), None, hints, 1)?.pop())
}

fn resolve(
    py: Python<'_>,
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
    max: usize,
) -> PyResult<Vec<AddrInfo>> {
    let local = host_is_local(host, hints) && service_is_local(service, hints);
    if resolver::runs_inline(local) {
        // The same call as below, without copying the strings for a helper.
        return py
            .detach(|| raw_getaddrinfo_max(host, service, hints, max))
            .map_err(|failure| failure.into_pyerr(py));
    }
    let host = host.map(CStr::to_owned);
    let service = service.map(CStr::to_owned);
    resolver::run(py, local, move || {
        raw_getaddrinfo_max(host.as_deref(), service.as_deref(), hints, max)
    })?
    .map_err(|failure| failure.into_pyerr(py))
}

/// Does getaddrinfo find `host` without the network? No host, a numeric one
/// (which it converts without asking any database), or a name the local
/// files answer for the family asked. A numeric host with AI_CANONNAME may
/// have its name looked up (glibc's `getcanonname`), so it does not count.
fn host_is_local(host: Option<&CStr>, hints: Hints) -> bool {
    let Some(host) = host else {
        return true;
    };
    if hints.flags & libc::AI_NUMERICHOST != 0 {
        return true;
    }
    if is_numeric_host(host) {
        return hints.flags & libc::AI_CANONNAME == 0;
    }
    local_db::host_name_is_local(host, hints.family)
}

/// Does getaddrinfo find `service` without the network? No service, a port
/// number, or a name when the services database is local.
fn service_is_local(service: Option<&CStr>, hints: Hints) -> bool {
    let Some(service) = service else {
        return true;
    };
    let digits = service.to_bytes();
    let numeric = !digits.is_empty() && digits.iter().all(u8::is_ascii_digit);
    numeric || hints.flags & libc::AI_NUMERICSERV != 0 || local_db::services_are_local()
}

/// An address in the standard text form (inet_pton's, stricter than glibc's
/// inet_aton, so `127.1` counts as a name: the safe side).
pub fn is_numeric_host(host: &CStr) -> bool {
    let bytes = host.to_bytes();
    // Names fail this first, cheap, test: they have letters past `f`.
    let chars = |b: &u8| b.is_ascii_hexdigit() || *b == b'.' || *b == b':';
    bytes.iter().all(chars)
        && host
            .to_str()
            .is_ok_and(|t| t.parse::<Ipv4Addr>().is_ok() || t.parse::<Ipv6Addr>().is_ok())
}

/// A failed `getaddrinfo`/`getnameinfo`: its code, and for `EAI_SYSTEM` the
/// errno, read on the thread that made the call.
#[derive(Clone, Copy, Debug)]
pub struct GaiFailure {
    pub code: i32,
    pub errno: i32,
}

impl GaiFailure {
    /// Captures the failure of a call that returned `code`.
    pub fn new(code: i32) -> Self {
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        GaiFailure { code, errno }
    }

    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        error::gai_failure(py, self.code, self.errno)
    }
}

/// `getaddrinfo(3)` on the calling thread; it may block for as long as the
/// resolver does.
pub fn raw_getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<Vec<AddrInfo>, GaiFailure> {
    raw_getaddrinfo_max(host, service, hints, usize::MAX)
}

/// [`raw_getaddrinfo`] keeping at most `max` answers.
fn raw_getaddrinfo_max(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
    max: usize,
) -> Result<Vec<AddrInfo>, GaiFailure> {
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
        return Err(GaiFailure::new(rc));
    }
    let mut out = Vec::with_capacity(max.min(3));
    let mut cur = res;
    while !cur.is_null() && out.len() < max {
        // SAFETY: `cur` walks the list getaddrinfo returned, freed only below.
        let ai = unsafe { &*cur };
        // SAFETY: getaddrinfo gives `ai_addrlen` valid bytes at `ai_addr`.
        let addr = unsafe { copy_sockaddr(ai.ai_addr, ai.ai_addrlen) };
        let canonname = (!ai.ai_canonname.is_null()).then(|| {
            // SAFETY: a non-null ai_canonname is a NUL-terminated string
            // that lives until freeaddrinfo below.
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

/// `getnameinfo(3)` on the calling thread: the host and service text for
/// `addr`, as the C library wrote them.
pub fn raw_getnameinfo(addr: &SockAddr, flags: i32) -> Result<(Vec<u8>, Vec<u8>), GaiFailure> {
    let mut host = [0 as libc::c_char; libc::NI_MAXHOST as usize];
    let mut serv = [0 as libc::c_char; 32]; // NI_MAXSERV
                                            // SAFETY: `addr` is a valid sockaddr of `len` bytes; both buffers are
                                            // writable for the lengths given.
    let rc = unsafe {
        libc::getnameinfo(
            addr.as_ptr() as *const libc::sockaddr,
            addr.len(),
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            flags,
        )
    };
    if rc != 0 {
        return Err(GaiFailure::new(rc));
    }
    // SAFETY: on success getnameinfo wrote NUL-terminated strings.
    let text = |buf: &[libc::c_char]| unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes().to_vec();
    Ok((text(&host), text(&serv)))
}
