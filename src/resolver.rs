//! Resolver calls that Ctrl-C can interrupt.
//!
//! `getaddrinfo(3)` and the NSS lookups block in the C library for as long as
//! a DNS server (or an LDAP or NIS one) makes them wait, and they retry EINTR
//! themselves, so a signal never reaches Python while they run: in CPython a
//! Ctrl-C waits for the resolver to give up. rnet runs each call on a helper
//! thread and waits for its answer in short slices, with the GIL released,
//! running Python's signal handlers between slices. When a handler raises, the
//! caller gets the exception at once; the helper finishes on its own and its
//! answer is dropped with the channel.
//!
//! Helpers are kept for a while after their job and reused: starting a thread
//! costs more than a lookup in /etc/services, and lookups must not be slower
//! than CPython's.

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

/// Runs `job` on a helper thread and returns its result, or the exception a
/// signal handler raised while waiting. `job` owns everything it touches, so
/// it can outlive this call.
pub fn run<T, F>(py: Python<'_>, job: F) -> PyResult<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
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

type Job = Box<dyn FnOnce() + Send>;

/// Helpers kept waiting for work, at most this many.
const MAX_IDLE: usize = 4;
/// An idle helper exits after this long without work.
const IDLE_LIFETIME: Duration = Duration::from_secs(10);

/// The idle helpers' job queues. A child made by fork() has none of its
/// parent's threads, and a fork may even catch this lock held: so each
/// process gets its own pool, and the parent's is left behind (leaked, a few
/// bytes) in the child by a `pthread_atfork` handler.
struct Pool {
    idle: Mutex<Vec<(u64, Sender<Job>)>>,
}

static POOL: AtomicPtr<Pool> = AtomicPtr::new(ptr::null_mut());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

extern "C" fn forget_parent_pool() {
    POOL.store(ptr::null_mut(), Ordering::Relaxed);
}

fn pool() -> &'static Pool {
    let current = POOL.load(Ordering::Acquire);
    if !current.is_null() {
        // SAFETY: pools are leaked, never freed, so the pointer stays valid.
        return unsafe { &*current };
    }
    static AT_FORK: Once = Once::new();
    AT_FORK.call_once(|| {
        // SAFETY: registers a handler that only stores to an atomic.
        unsafe { libc::pthread_atfork(None, None, Some(forget_parent_pool)) };
    });
    let fresh = Box::into_raw(Box::new(Pool {
        idle: Mutex::new(Vec::new()),
    }));
    match POOL.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: just leaked above; never freed.
        Ok(_) => unsafe { &*fresh },
        Err(other) => {
            // SAFETY: `fresh` was never shared; `other` is a leaked pool.
            drop(unsafe { Box::from_raw(fresh) });
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
                match spin_then_wait(&rx, IDLE_LIFETIME) {
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
        Ok(rx) => spin_then_wait(&rx, SLICE),
        Err(_) => Err(RecvTimeoutError::Disconnected),
    }
}

/// How long a thread polls a channel before it sleeps on it. A lookup served
/// from /etc takes a few microseconds, less than putting a thread to sleep
/// and waking it again, so the hand-over between caller and helper polls
/// first: that keeps rnet's lookups as fast as CPython's in-thread ones.
const SPIN: Duration = Duration::from_micros(200);

fn spin_then_wait<T>(rx: &Receiver<T>, timeout: Duration) -> Result<T, RecvTimeoutError> {
    let start = std::time::Instant::now();
    while start.elapsed() < SPIN {
        match rx.try_recv() {
            Ok(value) => return Ok(value),
            Err(mpsc::TryRecvError::Disconnected) => return Err(RecvTimeoutError::Disconnected),
            Err(mpsc::TryRecvError::Empty) => std::hint::spin_loop(),
        }
    }
    rx.recv_timeout(timeout.saturating_sub(SPIN))
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
