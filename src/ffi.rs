//! glibc functions the `libc` crate does not declare: the reentrant netdb
//! lookups (CPython uses the non-reentrant ones where these exist; rnet must
//! be safe from many threads at once) and the address text conversions.

use libc::{c_char, c_int, c_void, hostent, in_addr, protoent, servent, size_t, socklen_t};

extern "C" {
    pub fn gethostbyname_r(
        name: *const c_char,
        ret: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;

    pub fn gethostbyaddr_r(
        addr: *const c_void,
        len: socklen_t,
        kind: c_int,
        ret: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;

    pub fn getservbyname_r(
        name: *const c_char,
        proto: *const c_char,
        result_buf: *mut servent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut servent,
    ) -> c_int;

    pub fn getservbyport_r(
        port: c_int,
        proto: *const c_char,
        result_buf: *mut servent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut servent,
    ) -> c_int;

    pub fn getprotobyname_r(
        name: *const c_char,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;

    /// This thread's `h_errno`, which CPython reports after a host lookup.
    pub fn __h_errno_location() -> *mut c_int;

    pub fn inet_aton(cp: *const c_char, inp: *mut in_addr) -> c_int;

    pub fn inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int;

    pub fn inet_ntop(
        af: c_int,
        src: *const c_void,
        dst: *mut c_char,
        size: socklen_t,
    ) -> *const c_char;
}
