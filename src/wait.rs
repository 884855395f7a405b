//! The one door every blocking socket call goes through.
//!
//! Like CPython's `sock_call_ex` and mio's `do_io`: release the GIL, make the
//! system call once, and then decide.
//! - `EINTR`: run Python's signal handlers (`check_signals`) and retry, unless a
//!   handler raised (PEP 475). This is why helpers that retry EINTR internally
//!   (std's `accept`, socket2's `connect_timeout`) never appear on this path:
//!   with them Ctrl-C would not reach Python until a peer happened to answer.
//! - would-block on a socket with a timeout: poll until the fd is ready or the
//!   monotonic deadline passes, then `TimeoutError('timed out')`.
//! - anything else: the errno as an `OSError` subclass.

use std::io;
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

use pyo3::prelude::*;

use crate::error;

/// Which readiness a call waits for.
#[derive(Clone, Copy)]
pub enum Interest {
    Read,
    Write,
}

/// A socket's timeout, fixed at the start of one Python-level call.
///
/// A single `Deadline` spans every retry of that call, so `sendall` and
/// `connect` cannot exceed their timeout however often they are woken early.
pub struct Deadline {
    timeout: Option<Duration>,
    until: Option<Instant>,
}

impl Deadline {
    /// `None` blocks for ever; `Some(ZERO)` is non-blocking mode.
    pub fn new(timeout: Option<Duration>) -> Self {
        Deadline {
            timeout,
            until: None,
        }
    }

    fn waits(&self) -> bool {
        matches!(self.timeout, Some(t) if !t.is_zero())
    }

    /// Time left; `None` means no limit. The clock starts at the first wait,
    /// which gets the whole timeout, as in CPython's sock_call_ex: even a
    /// timeout of a nanosecond waits once, in whole milliseconds.
    fn remaining(&mut self) -> Option<Duration> {
        let timeout = self.timeout?;
        match self.until {
            None => {
                self.until = Some(Instant::now() + timeout);
                Some(timeout)
            }
            Some(until) => Some(until.saturating_duration_since(Instant::now())),
        }
    }
}

fn is_would_block(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::EAGAIN))
}

/// Runs `op` with the GIL released until it succeeds, a deadline passes, a
/// signal handler raises, or it fails with an error other than EINTR.
pub fn call<T, F>(
    py: Python<'_>,
    fd: RawFd,
    interest: Interest,
    deadline: &mut Deadline,
    mut op: F,
) -> PyResult<T>
where
    F: FnMut() -> io::Result<T> + Send,
    T: Send,
{
    // A signal that arrived since the interpreter last looked (say, while
    // the arguments were being built) would otherwise wait until the call
    // returns, which for a blocking call may be never.
    py.check_signals()?;
    loop {
        match py.detach(&mut op) {
            Ok(value) => return Ok(value),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => py.check_signals()?,
            Err(err) if is_would_block(&err) && deadline.waits() => {
                wait_ready(py, fd, interest, deadline)?;
            }
            Err(err) => return Err(error::from_io(err)),
        }
    }
}

/// Polls `fd` for `interest` within the deadline; signals are handled as in
/// [`call`]. Returns once the fd is ready (the caller then retries its call).
pub fn wait_ready(
    py: Python<'_>,
    fd: RawFd,
    interest: Interest,
    deadline: &mut Deadline,
) -> PyResult<()> {
    py.check_signals()?; // see call
    let events = match interest {
        Interest::Read => libc::POLLIN,
        Interest::Write => libc::POLLOUT,
    };
    loop {
        let remaining = deadline.remaining();
        if remaining == Some(Duration::ZERO) {
            return Err(error::timed_out());
        }
        match py.detach(|| poll(fd, events, remaining)) {
            Ok(0) => return Err(error::timed_out()),
            Ok(_) => return Ok(()),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => py.check_signals()?,
            Err(err) => return Err(error::from_io(err)),
        }
    }
}

/// One `poll(2)`, its timeout rounded up to whole milliseconds as CPython
/// rounds it.
fn poll(fd: RawFd, events: libc::c_short, timeout: Option<Duration>) -> io::Result<i32> {
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    let ms = timeout.map_or(-1, |t| {
        let ms = t.as_nanos().div_ceil(1_000_000);
        ms.min(libc::c_int::MAX as u128) as libc::c_int
    });
    // SAFETY: `pfd` outlives the call.
    let rc = unsafe { libc::poll(&mut pfd, 1, ms) };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}
