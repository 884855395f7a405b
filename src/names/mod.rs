//! Name resolution, CPython's `socket` functions over the C library's own
//! databases, so rnet sees what CPython sees on the same machine:
//! - hosts.rs: `gethostname`, `sethostname`, `gethostbyname(_ex)`,
//!   `gethostbyaddr`;
//! - services.rs: `getservbyname`, `getservbyport`, `getprotobyname`;
//! - addrinfo.rs: `getaddrinfo`, `getnameinfo`, and the lookups the rest of
//!   the core makes (addr.rs resolves every host name there);
//! - netdb.rs: the C calls themselves, thread-safe, with the GIL released;
//! - resolver.rs: on which thread a lookup runs, so Ctrl-C interrupts one
//!   that waits on the network;
//! - local_db.rs: which lookups the local files answer (no network, no
//!   helper thread).

pub mod addrinfo;
pub mod hosts;
pub mod local_db;
pub mod netdb;
pub mod resolver;
pub mod services;
