//! The system's host, service and protocol databases (/etc/hosts,
//! /etc/services, /etc/protocols, DNS, as nsswitch.conf says), read through
//! glibc's reentrant `*_r` calls, and `getaddrinfo(3)`/`getnameinfo(3)`.
//! CPython calls `getservbyname` and friends,
//! which return a pointer to one static buffer shared by every thread; these
//! copy each answer out of a buffer of their own, so any number of threads
//! can look names up at once. Nothing here touches Python: these run with
//! the GIL released, on the caller's thread or a resolver helper
//! (resolver.rs).

use std::ffi::{c_char, c_int, CStr};
use std::mem::MaybeUninit;
use std::ptr;

use socket2::SockAddr;

use crate::{addr, ffi};

/// CPython's buffer size for the host calls; answers that do not fit get a
/// buffer twice as large, up to `MAX_BUFFER`.
const FIRST_BUFFER: usize = 16 * 1024;
const MAX_BUFFER: usize = 1024 * 1024;

/// glibc's `NETDB_INTERNAL`: see errno.
const NETDB_INTERNAL: c_int = -1;

/// One answer of the host database.
pub struct HostEntry {
    pub name: Vec<u8>,
    pub aliases: Vec<Vec<u8>>,
    pub family: i32,
    /// Raw addresses in network order, each `h_length` bytes.
    pub addrs: Vec<Vec<u8>>,
}

enum Attempt<T> {
    Done(T),
    /// The call answered ERANGE: try again with a larger buffer.
    TooSmall,
}

/// Calls `lookup` with a growing buffer until it fits; `None` once the buffer
/// would exceed `MAX_BUFFER`. The first buffer is on the stack, as in
/// CPython's own calls, and every buffer is handed over uninitialised: the
/// `*_r` calls only write to it, and allocating and zeroing 16 KiB would cost
/// a tenth of the lookup of a short file.
fn with_buffer<T>(mut lookup: impl FnMut(&mut [MaybeUninit<c_char>]) -> Attempt<T>) -> Option<T> {
    let mut first = [MaybeUninit::<c_char>::uninit(); FIRST_BUFFER];
    if let Attempt::Done(value) = lookup(&mut first) {
        return Some(value);
    }
    let mut size = FIRST_BUFFER * 2;
    while size <= MAX_BUFFER {
        let mut buf: Vec<c_char> = Vec::with_capacity(size);
        match lookup(buf.spare_capacity_mut()) {
            Attempt::Done(value) => return Some(value),
            Attempt::TooSmall => size *= 2,
        }
    }
    None
}

fn c_opt(s: Option<&CStr>) -> *const c_char {
    s.map_or(ptr::null(), CStr::as_ptr)
}

/// # Safety
/// `p` must be a valid NUL-terminated string.
unsafe fn owned(p: *const c_char) -> Vec<u8> {
    CStr::from_ptr(p).to_bytes().to_vec()
}

/// The port (host order) of service `name` for `proto` (any protocol if None).
pub fn service_by_name(name: &CStr, proto: Option<&CStr>) -> Option<u16> {
    entry_lookup(
        // SAFETY: all pointers are valid for the call; `buf` is writable.
        |entry, buf, result| unsafe {
            ffi::getservbyname_r(
                name.as_ptr(),
                c_opt(proto),
                entry,
                buf.as_mut_ptr().cast(),
                buf.len(),
                result,
            )
        },
        // s_port holds the port in network order in the low 16 bits.
        |entry: &libc::servent| u16::from_be(entry.s_port as u16),
    )
}

/// The name of the service on `port` (host order) for `proto`.
pub fn service_by_port(port: u16, proto: Option<&CStr>) -> Option<Vec<u8>> {
    entry_lookup(
        // SAFETY: all pointers are valid for the call; `buf` is writable.
        |entry, buf, result| unsafe {
            ffi::getservbyport_r(
                c_int::from(port.to_be()),
                c_opt(proto),
                entry,
                buf.as_mut_ptr().cast(),
                buf.len(),
                result,
            )
        },
        // SAFETY: in a found entry s_name points into the buffer, NUL-terminated.
        |entry: &libc::servent| unsafe { owned(entry.s_name) },
    )
}

/// The number of protocol `name`.
pub fn protocol_by_name(name: &CStr) -> Option<i32> {
    entry_lookup(
        // SAFETY: all pointers are valid for the call; `buf` is writable.
        |entry, buf, result| unsafe {
            ffi::getprotobyname_r(
                name.as_ptr(),
                entry,
                buf.as_mut_ptr().cast(),
                buf.len(),
                result,
            )
        },
        |entry: &libc::protoent| entry.p_proto,
    )
}

/// One lookup of the services or protocols database: `call` makes the `*_r`
/// call with the entry to fill, the buffer and the result pointer, and `read`
/// copies what is wanted out of the entry it found, while the buffer its
/// strings point into is still alive. The entry is handed over
/// uninitialised, as CPython does: it is read only through a non-null
/// result, which the call sets once it has filled the entry in.
fn entry_lookup<E, T>(
    mut call: impl FnMut(*mut E, &mut [MaybeUninit<c_char>], *mut *mut E) -> c_int,
    read: impl Fn(&E) -> T,
) -> Option<T> {
    with_buffer(|buf| {
        let mut entry = MaybeUninit::<E>::uninit();
        let mut result: *mut E = ptr::null_mut();
        let rc = call(entry.as_mut_ptr(), buf, &mut result);
        if rc == libc::ERANGE {
            Attempt::TooSmall
        } else if result.is_null() {
            Attempt::Done(None)
        } else {
            // SAFETY: a non-null result points to `entry`, filled in by the call.
            Attempt::Done(Some(read(unsafe { &*result })))
        }
    })
    .flatten()
}

/// `gethostbyname_r(name)`; the error is the `h_errno` code.
pub fn host_by_name(name: &CStr) -> Result<HostEntry, i32> {
    host_lookup(|entry, buf, result, h_errno| {
        // SAFETY: all pointers are valid for the call; `buf` is writable.
        unsafe {
            ffi::gethostbyname_r(
                name.as_ptr(),
                entry,
                buf.as_mut_ptr().cast(),
                buf.len(),
                result,
                h_errno,
            )
        }
    })
}

/// `gethostbyaddr_r(addr, family)`; the error is the `h_errno` code.
pub fn host_by_addr(addr: &[u8], family: i32) -> Result<HostEntry, i32> {
    host_lookup(|entry, buf, result, h_errno| {
        // SAFETY: `addr` is valid for its length; the rest as above.
        unsafe {
            ffi::gethostbyaddr_r(
                addr.as_ptr().cast(),
                addr.len() as libc::socklen_t,
                family,
                entry,
                buf.as_mut_ptr().cast(),
                buf.len(),
                result,
                h_errno,
            )
        }
    })
}

fn host_lookup<F>(mut call: F) -> Result<HostEntry, i32>
where
    F: FnMut(
        *mut libc::hostent,
        &mut [MaybeUninit<c_char>],
        *mut *mut libc::hostent,
        *mut c_int,
    ) -> c_int,
{
    with_buffer(|buf| {
        // SAFETY: hostent is plain old data; zero is a valid value.
        let mut entry: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut h_errno: c_int = 0;
        // SAFETY: __h_errno_location returns this thread's h_errno slot.
        let global = unsafe { ffi::__h_errno_location() };
        // SAFETY: as above.
        unsafe { *global = 0 };
        let rc = call(&mut entry, buf, &mut result, &mut h_errno);
        if rc == libc::ERANGE && h_errno == NETDB_INTERNAL {
            return Attempt::TooSmall;
        }
        if result.is_null() {
            // CPython reports the thread's h_errno, which the DNS code sets
            // (sometimes to another value than the *h_errnop of the _r call);
            // when only the files were asked it stays untouched.
            // SAFETY: as above.
            let code = match unsafe { *global } {
                0 => h_errno,
                set => set,
            };
            return Attempt::Done(Err(code));
        }
        // SAFETY: on success every pointer in `entry` points into `buf`.
        Attempt::Done(Ok(unsafe { copy_hostent(&entry) }))
    })
    .unwrap_or(Err(NETDB_INTERNAL))
}

/// # Safety
/// `h` must be a hostent filled in by a successful lookup.
unsafe fn copy_hostent(h: &libc::hostent) -> HostEntry {
    let len = usize::try_from(h.h_length).unwrap_or(0);
    HostEntry {
        name: owned(h.h_name),
        aliases: pointer_list(h.h_aliases).map(|p| owned(p)).collect(),
        family: h.h_addrtype,
        addrs: pointer_list(h.h_addr_list)
            .map(|p| std::slice::from_raw_parts(p as *const u8, len).to_vec())
            .collect(),
    }
}

/// The entries of a NULL-terminated array of pointers (which may itself be
/// NULL, and, as CPython notes, misaligned).
///
/// # Safety
/// `list` must be NULL or a valid NULL-terminated array.
unsafe fn pointer_list(list: *mut *mut c_char) -> impl Iterator<Item = *const c_char> {
    let mut cur = list;
    std::iter::from_fn(move || {
        if cur.is_null() {
            return None;
        }
        let item = ptr::read_unaligned(cur);
        if item.is_null() {
            return None;
        }
        cur = cur.add(1);
        Some(item as *const c_char)
    })
}

/// One entry of a `getaddrinfo` answer.
pub struct AddrInfo {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub canonname: Option<String>,
    pub addr: SockAddr,
}

/// Hints for [`raw_getaddrinfo`], as in `struct addrinfo`.
#[derive(Clone, Copy, Default)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub flags: i32,
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
}

/// `getaddrinfo(3)` on the calling thread, keeping at most `max` answers; it
/// may block for as long as the resolver does.
pub fn raw_getaddrinfo(
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
        let addr = unsafe { addr::copy_sockaddr(ai.ai_addr, ai.ai_addrlen) };
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
