//! Resolver calls that Ctrl-C can interrupt, at the stdlib's cost.
//!
//! `getaddrinfo(3)` and the NSS lookups block in the C library for as long as
//! a DNS server (or an LDAP or NIS one) makes them wait, and they retry EINTR
//! themselves, so a signal never reaches Python while they run: in CPython a
//! Ctrl-C waits for the resolver to give up. rnet runs such a call on a helper
//! thread and waits for its answer in short slices, with the GIL released,
//! running Python's signal handlers between slices. When a handler raises, the
//! caller gets the exception at once; the helper finishes on its own and its
//! answer is dropped with the channel.
//!
//! The helper only pays where it buys something, so every other lookup runs
//! on the caller's thread with the GIL released, exactly as CPython's do:
//! - on any thread but the main one: only the main thread runs Python's
//!   signal handlers, so waiting there in slices would change nothing;
//! - when the answer comes from local files (local_db.rs): such a lookup
//!   cannot hang on the network and is over in microseconds.
//!
//! What is left reaches the network and takes far longer than a thread
//! hand-over, so caller and helper hand over by blocking (a futex), never by
//! spinning: a spinning waiter could hold the very CPU the other side needs,
//! which on a process confined to one CPU cost ~400 µs per lookup.
//!
//! Helpers are kept for a while after their job and reused: starting a thread
//! costs more than the hand-over.

use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Mutex, Once};
use std::thread;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::error;

/// How long one wait lasts before Python's signal handlers get a turn: short
/// enough that Ctrl-C feels immediate, long enough to cost nothing.
const SLICE: Duration = Duration::from_millis(50);

/// Runs `job`, a resolver call, and returns its result, or the exception a
/// signal handler raised while waiting. `inline` is [`runs_inline`]'s
/// answer: then it runs right here with the GIL released. Otherwise it runs
/// on a helper thread; `job` owns everything it touches, so it can outlive
/// this call.
pub fn run<T, F>(py: Python<'_>, inline: bool, job: F) -> PyResult<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    if inline {
        return Ok(py.detach(job));
    }
    let (tx, rx) = mpsc::sync_channel(1);
    // The Mutex only lets the receiver cross into the GIL-free closure.
    let rx = Mutex::new(rx);
    submit(Box::new(move || {
        // The caller may have gone (a signal): then the answer is dropped here.
        let _ = tx.send(job());
    }))
    .map_err(error::from_io)?;
    loop {
        match py.detach(|| recv(&rx)) {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err("resolver thread died"))
            }
        }
    }
}

/// The thread CPython runs signal handlers on (`threading.main_thread()`),
/// as a `pthread_t`; 0 until [`init`] ran.
static MAIN_THREAD: AtomicU64 = AtomicU64::new(0);

/// [`run`] for a lookup of up to two C strings (a name and a protocol, a
/// host and a service): where the lookup runs on the caller's thread, `job`
/// reads the caller's strings as they are; only a helper, which may outlive
/// this call, gets copies. `job` itself owns nothing else (numbers, hints).
pub fn run_with<T>(
    py: Python<'_>,
    local: impl FnOnce() -> bool,
    a: Option<&CStr>,
    b: Option<&CStr>,
    job: impl FnOnce(Option<&CStr>, Option<&CStr>) -> T + Send + 'static,
) -> PyResult<T>
where
    T: Send + 'static,
{
    if runs_inline(local) {
        return Ok(py.detach(|| job(a, b)));
    }
    let (a, b) = (a.map(CStr::to_owned), b.map(CStr::to_owned));
    run(py, false, move || job(a.as_deref(), b.as_deref()))
}

/// Does a lookup run on the caller's thread? Yes on any thread that does not
/// run signal handlers, and on the one that does when `local` says the local
/// files answer it (local_db.rs). `local` is asked only there: the locality
/// checks cost a tenth of a short lookup, for nothing on a worker thread.
pub fn runs_inline(local: impl FnOnce() -> bool) -> bool {
    !runs_signal_handlers() || local()
}

/// Is this the thread that runs Python's signal handlers? Unknown counts as
/// yes: the helper is always correct, only slower.
fn runs_signal_handlers() -> bool {
    let main = MAIN_THREAD.load(Ordering::Relaxed);
    // SAFETY: pthread_self has no preconditions.
    main == 0 || main == unsafe { libc::pthread_self() } as u64
}

extern "C" fn forked_child() {
    // In the child of fork() the forking thread is the only one, and CPython
    // makes it the main thread (PyOS_AfterFork_Child), whichever it was.
    // SAFETY: pthread_self has no preconditions.
    MAIN_THREAD.store(unsafe { libc::pthread_self() } as u64, Ordering::Relaxed);
    POOL.store(ptr::null_mut(), Ordering::Relaxed);
}

/// Learns which thread is the main one; called once, at import.
pub fn init(py: Python<'_>) -> PyResult<()> {
    // threading.get_ident() is pthread_self() on POSIX (thread_pthread.h).
    let ident: u64 = py
        .import("threading")?
        .call_method0("main_thread")?
        .getattr("ident")?
        .extract()?;
    MAIN_THREAD.store(ident, Ordering::Relaxed);
    static AT_FORK: Once = Once::new();
    AT_FORK.call_once(|| {
        // SAFETY: registers a handler that only stores to atomics.
        unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
    });
    Ok(())
}

type Job = Box<dyn FnOnce() + Send>;

/// Helpers kept waiting for work, at most this many.
const MAX_IDLE: usize = 4;
/// An idle helper exits after this long without work.
const IDLE_LIFETIME: Duration = Duration::from_secs(10);

/// The idle helpers' job queues. A child made by fork() has none of its
/// parent's threads, and a fork may even catch this lock held: so each
/// process gets its own pool, and the parent's is left behind (leaked, a few
/// bytes) in the child by the `pthread_atfork` handler [`init`] registers.
struct Pool {
    idle: Mutex<Vec<(u64, Sender<Job>)>>,
}

static POOL: AtomicPtr<Pool> = AtomicPtr::new(ptr::null_mut());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn pool() -> &'static Pool {
    let current = POOL.load(Ordering::Acquire);
    if !current.is_null() {
        // SAFETY: pools are leaked, never freed, so the pointer stays valid.
        return unsafe { &*current };
    }
    let fresh = Box::into_raw(Box::new(Pool {
        idle: Mutex::new(Vec::new()),
    }));
    match POOL.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: just leaked above; never freed.
        Ok(_) => unsafe { &*fresh },
        Err(other) => {
            // SAFETY: `fresh` was never shared; `other` is a leaked pool.
            drop(unsafe { Box::from_raw(fresh) });
            // SAFETY: `other` is a leaked pool, never freed.
            unsafe { &*other }
        }
    }
}

impl Pool {
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<(u64, Sender<Job>)>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Hands `job` to an idle helper, or starts a new one.
fn submit(mut job: Job) -> std::io::Result<()> {
    let pool = pool();
    loop {
        let Some((_, worker)) = pool.idle().pop() else {
            break;
        };
        match worker.send(job) {
            Ok(()) => return Ok(()),
            // That helper timed out and exited; try the next.
            Err(mpsc::SendError(back)) => job = back,
        }
    }
    let (tx, rx) = mpsc::channel::<Job>();
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    thread::Builder::new()
        .name("rnet-resolver".into())
        .spawn(move || {
            block_signals();
            job();
            loop {
                {
                    let mut idle = pool.idle();
                    if idle.len() >= MAX_IDLE {
                        return;
                    }
                    idle.push((id, tx.clone()));
                }
                match rx.recv_timeout(IDLE_LIFETIME) {
                    Ok(next) => next(),
                    Err(_) => {
                        // Leave the list first, then run whatever a caller
                        // handed over meanwhile: no job is dropped unrun.
                        pool.idle().retain(|(other, _)| *other != id);
                        while let Ok(next) = rx.try_recv() {
                            next();
                        }
                        return;
                    }
                }
            }
        })
        .map(|_| ())
}

fn recv<T>(rx: &Mutex<Receiver<T>>) -> Result<T, RecvTimeoutError> {
    match rx.lock() {
        Ok(rx) => rx.recv_timeout(SLICE),
        Err(_) => Err(RecvTimeoutError::Disconnected),
    }
}

/// Keeps signals on the threads that run Python: a helper that took one would
/// only see its system call fail with EINTR, which the resolver retries.
fn block_signals() {
    // SAFETY: `set` is initialised by sigfillset before use; changing this
    // thread's own mask has no other effect.
    unsafe {
        let mut set = std::mem::zeroed::<libc::sigset_t>();
        libc::sigfillset(&mut set);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}
