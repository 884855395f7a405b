//! Which lookups the C library answers from local files alone.
//!
//! A lookup that nsswitch answers from /etc/hosts, /etc/services or
//! /etc/protocols cannot hang on the network, so it needs no helper thread to
//! stay interruptible (resolver.rs) and runs on the caller's thread, as fast
//! as CPython's. This module only *classifies*: the answer itself still comes
//! from glibc's own calls.
//!
//! Every judgement errs towards "may reach the network": a lookup classified
//! local must be one glibc answers without asking DNS (or NIS, LDAP,
//! systemd-resolved); one wrongly classified non-local merely takes the
//! helper thread. The rules follow glibc 2.36 (nss/nsswitch.c,
//! nss/nss_files/files-hosts.c):
//! - hosts: the `hosts:` line must begin with `files` followed by a plain
//!   source (the default action `[SUCCESS=return]`), and /etc/hosts must
//!   list the name (compared ignoring ASCII case, like `__strcasecmp`) with an
//!   address of the asked family, or the address for a reverse lookup. A line
//!   that says `files` alone answers everything locally.
//! - services, protocols: every source on their line is `files` or `db`
//!   (Berkeley DB files under /var/lib/misc): local whatever the name.
//! - no nsswitch.conf, or no line for the database: glibc's defaults include
//!   DNS or NIS, so nothing is local.
//!
//! The files are re-read when their identity (device, inode, size, mtime)
//! changes, checked at most once a second (`RECHECK_NS`): a stat per lookup would cost
//! more than the margin rnet has over the stdlib. Within that window an edit
//! can at worst send one lookup down the wrong path (inline, then not
//! interruptible by Ctrl-C until the resolver gives up), never give a wrong
//! answer.

use std::collections::{HashMap, HashSet};
use std::ffi::CStr;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::unix::fs::MetadataExt;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};
use std::sync::Once;

const NSSWITCH: &str = "/etc/nsswitch.conf";
const HOSTS: &str = "/etc/hosts";
/// How often, at most, the files' identities are checked again.
const RECHECK_NS: u64 = 1_000_000_000;

/// What the `hosts:` line lets the files decide.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum HostsOrder {
    /// `files` alone: every host lookup is answered from /etc/hosts.
    FilesOnly,
    /// `files` first: a name /etc/hosts lists is answered there.
    FilesFirst,
    /// Anything else: any host lookup may reach the network.
    Other,
}

/// One reading of nsswitch.conf and /etc/hosts.
struct Snapshot {
    identity: (Option<FileId>, Option<FileId>),
    hosts_order: HostsOrder,
    services_local: bool,
    protocols_local: bool,
    /// Lower-case names and aliases: (has an IPv4 address, has an IPv6 one).
    names: HashMap<Box<[u8]>, (bool, bool), BuildHasherDefault<Fnv>>,
    v4: HashSet<[u8; 4]>,
    v6: HashSet<[u8; 16]>,
}

type FileId = (u64, u64, u64, i64, i64);

/// FNV-1a: host names are short and not chosen by an attacker who could
/// flood one bucket (they come from /etc/hosts), so SipHash's cost buys
/// nothing on a call made for every lookup.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

fn file_id(path: &str) -> Option<FileId> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec()))
}

static CURRENT: AtomicPtr<Snapshot> = AtomicPtr::new(ptr::null_mut());
/// CLOCK_MONOTONIC_COARSE nanoseconds after which to check the files again.
static NEXT_CHECK: AtomicU64 = AtomicU64::new(0);
/// Set while one thread re-reads the files; the others use the old snapshot.
static REFRESHING: AtomicBool = AtomicBool::new(false);

extern "C" fn after_fork_child() {
    // The thread that was refreshing does not exist in the child.
    REFRESHING.store(false, Ordering::Relaxed);
}

fn monotonic_ns() -> u64 {
    // SAFETY: timespec is plain old data; zero is a valid value.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // The coarse clock (a tick's resolution) is plenty for a 1 s recheck and
    // cheaper to read on every lookup.
    // SAFETY: `ts` is a valid timespec for clock_gettime to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut ts) };
    (ts.tv_sec as u64).wrapping_mul(1_000_000_000) + ts.tv_nsec as u64
}

/// The current snapshot, refreshed if a check is due.
fn snapshot() -> &'static Snapshot {
    let now = monotonic_ns();
    let current = CURRENT.load(Ordering::Acquire);
    if current.is_null() || now >= NEXT_CHECK.load(Ordering::Relaxed) {
        refresh(current, now);
    }
    let current = CURRENT.load(Ordering::Acquire);
    // SAFETY: snapshots are leaked, never freed; refresh() stored one.
    unsafe { &*current }
}

fn refresh(current: *mut Snapshot, now: u64) {
    // A first snapshot must exist before anyone can read it; later refreshes
    // are left to whichever thread gets the flag.
    let first = current.is_null();
    if first {
        static AT_FORK: Once = Once::new();
        // SAFETY: registers a handler that only stores to an atomic.
        AT_FORK.call_once(|| unsafe {
            libc::pthread_atfork(None, None, Some(after_fork_child));
        });
    }
    if !first
        && REFRESHING
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let identity = (file_id(NSSWITCH), file_id(HOSTS));
    // SAFETY: a non-null pointer is a leaked snapshot.
    let unchanged = !first && unsafe { &*current }.identity == identity;
    if !unchanged {
        let fresh = Box::into_raw(Box::new(read(identity)));
        // Replaced snapshots stay allocated: another thread may still read
        // one. That leaks one snapshot per edit of the files.
        if CURRENT
            .compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // SAFETY: `fresh` was never shared.
            drop(unsafe { Box::from_raw(fresh) });
        }
    }
    NEXT_CHECK.store(now + RECHECK_NS, Ordering::Relaxed);
    if !first {
        REFRESHING.store(false, Ordering::Release);
    }
}

fn read(identity: (Option<FileId>, Option<FileId>)) -> Snapshot {
    let nss = std::fs::read(NSSWITCH).ok();
    let line = |db: &[u8]| nss.as_deref().and_then(|text| sources(text, db));
    let hosts_order = match line(b"hosts") {
        Some(items) => hosts_order(&items),
        None => HostsOrder::Other,
    };
    let all_local = |items: Option<Vec<Vec<u8>>>| {
        items.is_some_and(|items| {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.starts_with(b"[") || i == b"files" || i == b"db")
        })
    };
    let mut snap = Snapshot {
        identity,
        hosts_order,
        services_local: all_local(line(b"services")),
        protocols_local: all_local(line(b"protocols")),
        names: HashMap::default(),
        v4: HashSet::new(),
        v6: HashSet::new(),
    };
    if hosts_order == HostsOrder::FilesFirst {
        if let Ok(text) = std::fs::read(HOSTS) {
            parse_hosts(&text, &mut snap);
        }
    }
    snap
}

/// The items (sources and `[...]` actions) of database `db`'s line.
fn sources(text: &[u8], db: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut found = None;
    for raw in text.split(|&b| b == b'\n') {
        let line = raw.split(|&b| b == b'#').next().unwrap_or_default();
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        if line[..colon].trim_ascii() != db {
            continue;
        }
        let mut items: Vec<Vec<u8>> = Vec::new();
        let mut in_action = false;
        for word in line[colon + 1..].split(u8::is_ascii_whitespace) {
            if word.is_empty() {
                continue;
            }
            // An action may hold spaces: `[ NOTFOUND=return ]`.
            match items.last_mut() {
                Some(last) if in_action => last.extend_from_slice(word),
                _ => items.push(word.to_ascii_lowercase()),
            }
            let last = items.last().map(Vec::as_slice).unwrap_or_default();
            in_action = last.starts_with(b"[") && !last.ends_with(b"]");
        }
        // glibc takes the first line for a database.
        found.get_or_insert(items);
    }
    found
}

fn hosts_order(items: &[Vec<u8>]) -> HostsOrder {
    match items {
        [only] if only == b"files" => HostsOrder::FilesOnly,
        [first, next, ..] if first == b"files" && !next.starts_with(b"[") => HostsOrder::FilesFirst,
        _ => HostsOrder::Other,
    }
}

/// /etc/hosts as files-hosts.c reads it: an address, then names, `#` to the
/// end of the line a comment. Addresses are parsed strictly (no `127.1`):
/// a line glibc reads but this skips only makes its names non-local.
fn parse_hosts(text: &[u8], snap: &mut Snapshot) {
    for raw in text.split(|&b| b == b'\n') {
        let line = raw.split(|&b| b == b'#').next().unwrap_or_default();
        let mut fields = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|f| !f.is_empty());
        let Some(addr) = fields.next().and_then(|a| std::str::from_utf8(a).ok()) else {
            continue;
        };
        let (v4, v6) = if let Ok(ip) = addr.parse::<Ipv4Addr>() {
            snap.v4.insert(ip.octets());
            (true, false)
        } else if let Ok(ip) = addr.parse::<Ipv6Addr>() {
            snap.v6.insert(ip.octets());
            (false, true)
        } else {
            continue;
        };
        for name in fields {
            let entry = snap
                .names
                .entry(name.to_ascii_lowercase().into_boxed_slice())
                .or_default();
            entry.0 |= v4;
            entry.1 |= v6;
        }
    }
}

/// Does the host database answer name `name` for `family` (AF_INET,
/// AF_INET6 or AF_UNSPEC) without the network?
pub fn host_name_is_local(name: &CStr, family: i32) -> bool {
    let snap = snapshot();
    match snap.hosts_order {
        HostsOrder::FilesOnly => true,
        HostsOrder::Other => false,
        HostsOrder::FilesFirst => {
            // Lower-cased on the stack: this runs on every lookup. A name
            // longer than DNS allows is left to the helper.
            let name = name.to_bytes();
            let mut buf = [0u8; 256];
            let Some(key) = buf.get_mut(..name.len()) else {
                return false;
            };
            key.copy_from_slice(name);
            key.make_ascii_lowercase();
            snap.names.get(&*key).is_some_and(|&(v4, v6)| match family {
                libc::AF_INET => v4,
                libc::AF_INET6 => v6,
                libc::AF_UNSPEC => v4 || v6,
                _ => false,
            })
        }
    }
}

/// Does the host database answer the reverse lookup of `addr` (4 or 16 raw
/// bytes of `family`) without the network?
pub fn host_addr_is_local(addr: &[u8], family: i32) -> bool {
    let snap = snapshot();
    match snap.hosts_order {
        HostsOrder::FilesOnly => true,
        HostsOrder::Other => false,
        HostsOrder::FilesFirst => match family {
            libc::AF_INET => <[u8; 4]>::try_from(addr).is_ok_and(|a| snap.v4.contains(&a)),
            libc::AF_INET6 => <[u8; 16]>::try_from(addr).is_ok_and(|a| snap.v6.contains(&a)),
            _ => false,
        },
    }
}

/// Are service lookups answered from local files only?
pub fn services_are_local() -> bool {
    snapshot().services_local
}

/// Are protocol lookups answered from local files only?
pub fn protocols_are_local() -> bool {
    snapshot().protocols_local
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(line: &str) -> Vec<Vec<u8>> {
        sources(line.as_bytes(), b"hosts").unwrap()
    }

    #[test]
    fn hosts_line_orders() {
        assert_eq!(
            hosts_order(&items("hosts: files dns")),
            HostsOrder::FilesFirst
        );
        assert_eq!(hosts_order(&items("hosts:\tfiles")), HostsOrder::FilesOnly);
        assert_eq!(
            hosts_order(&items("hosts: files [ NOTFOUND=return ] dns")),
            HostsOrder::Other
        );
        assert_eq!(hosts_order(&items("hosts: dns files")), HostsOrder::Other);
        assert_eq!(
            hosts_order(&items("# hosts: files\nhosts: FILES mdns4_minimal dns # x")),
            HostsOrder::FilesFirst
        );
        assert!(sources(b"passwd: files", b"hosts").is_none());
    }

    #[test]
    fn hosts_file_names_and_addresses() {
        let mut snap = read((None, None));
        parse_hosts(
            b"127.0.0.1 localhost Box # c\n::1 ip6-localhost localhost\n127.1 short\n#1.2.3.4 x\n",
            &mut snap,
        );
        assert_eq!(snap.names.get(&b"localhost"[..]), Some(&(true, true)));
        assert_eq!(snap.names.get(&b"box"[..]), Some(&(true, false)));
        assert!(!snap.names.contains_key(&b"Box"[..]));
        assert!(!snap.names.contains_key(&b"short"[..]));
        assert!(!snap.names.contains_key(&b"x"[..]));
        assert!(snap.v4.contains(&[127, 0, 0, 1]));
        assert!(snap.v6.contains(&Ipv6Addr::LOCALHOST.octets()));
    }
}
