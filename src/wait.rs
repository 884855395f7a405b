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
//!
//! The call runs on an [`FdGuard`], so the fd number it uses cannot be given
//! to another socket while it waits (see fd.rs). `connect` is the same door
//! with CPython's connect shape (`sock_call_ex(connect=1)`).
//!
//! Name lookups are the one other place rnet blocks, and they have a second
//! door, `names/resolver.rs`: the C resolver retries EINTR itself, so there
//! the caller waits on a helper thread's answer in slices and runs the same
//! signal handlers (`check_signals`) between them.

use std::io;
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use socket2::SockAddr;

use crate::fd::FdGuard;
use crate::socket::with_sock;
use crate::sys::syscall;
use crate::{error, notes};

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

    /// A positive timeout: the call polls for readiness before each try.
    pub fn waits(&self) -> bool {
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

fn bad_fd() -> io::Error {
    io::Error::from_raw_os_error(libc::EBADF)
}

/// How a call through the door ended without a result.
pub enum Failure {
    /// The system call failed with this errno.
    Os(io::Error),
    /// The deadline passed: `TimeoutError('timed out')`.
    TimedOut,
    /// A signal handler raised (Ctrl-C's `KeyboardInterrupt`, …).
    Raised(PyErr),
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        match failure {
            Failure::Os(err) => error::from_io(err),
            Failure::TimedOut => error::timed_out(),
            Failure::Raised(err) => err,
        }
    }
}

impl Failure {
    /// The Python exception; a timeout gets the note on which call waited and
    /// how long (notes.rs), read from the socket while the guard holds it.
    pub fn noted(
        self,
        py: Python<'_>,
        fd: &FdGuard<'_>,
        interest: Interest,
        timeout: Option<Duration>,
    ) -> PyErr {
        match self {
            Failure::TimedOut => {
                let writing = matches!(interest, Interest::Write);
                notes::timed_out(py, error::timed_out(), fd.raw(), writing, timeout)
            }
            other => other.into(),
        }
    }
}

impl From<PyErr> for Failure {
    fn from(err: PyErr) -> Failure {
        Failure::Raised(err)
    }
}

/// Runs `op` on `fd` with the GIL released until it succeeds, the deadline
/// passes, a signal handler raises, or it fails with an error other than
/// EINTR. `op` must make its system call on `fd.raw()`.
pub fn call<T, F>(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    interest: Interest,
    deadline: &mut Deadline,
    op: F,
) -> PyResult<T>
where
    F: FnMut() -> io::Result<T> + Send,
    T: Send,
{
    let timeout = deadline.timeout;
    sock_call(py, fd, interest, deadline, false, op)
        .map_err(|failure| failure.noted(py, fd, interest, timeout))
}

/// Below this size a send on a blocking socket is first tried with the GIL
/// held (see [`send_now`]): the copy into the socket buffer costs less than
/// releasing and retaking the GIL, and holds other threads back no longer.
pub const SEND_NOW_MAX: usize = 16 * 1024;

/// The first try of a small send on a blocking socket with no timeout: one
/// call with MSG_DONTWAIT and the GIL held. A call that cannot block needs no
/// GIL release, and nearly every small send finds room in the socket buffer.
/// `Ok(None)` when it would have to wait (or a signal came): the caller then
/// takes the door, where the call blocks with the GIL released as CPython's
/// does. Errors are the door's, so no errno is read twice (ECONNRESET is
/// reported once). A socket with a timeout polls first, as CPython's does, so
/// it never comes here.
pub fn send_now(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    len: usize,
    op: impl FnOnce(libc::c_int) -> io::Result<usize>,
) -> PyResult<Option<usize>> {
    if len > SEND_NOW_MAX {
        return Ok(None);
    }
    match op(libc::MSG_DONTWAIT) {
        Ok(sent) => Ok(Some(sent)),
        Err(err) if is_would_block(&err) || err.kind() == io::ErrorKind::Interrupted => Ok(None),
        Err(err) => Err(Failure::Os(err).noted(py, fd, Interest::Write, None)),
    }
}

/// CPython's `sock_call_ex`, step for step: with a timeout (or for a
/// connection under way) poll first, then make the call; retry the call on
/// EINTR, and the poll too when a ready fd still says would-block. Before
/// every try the object is checked for a close() from another thread, which
/// makes the call fail with EBADF as CPython's re-read of `sock_fd` does.
fn sock_call<T, F>(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    interest: Interest,
    deadline: &mut Deadline,
    connect: bool,
    mut op: F,
) -> Result<T, Failure>
where
    F: FnMut() -> io::Result<T> + Send,
    T: Send,
{
    // A signal that arrived since the interpreter last looked (say, while
    // the arguments were being built) would otherwise wait until the call
    // returns, which for a blocking call may be never.
    py.check_signals()?;
    loop {
        if deadline.waits() || connect {
            wait_ready(py, fd, interest, deadline, connect)?;
        }
        loop {
            if fd.closed() {
                return Err(Failure::Os(bad_fd()));
            }
            match py.detach(&mut op) {
                Ok(value) => return Ok(value),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => py.check_signals()?,
                // A false positive of poll (a datagram dropped for its
                // checksum, say): poll again within the same deadline.
                Err(err) if is_would_block(&err) && deadline.waits() => break,
                Err(err) => return Err(Failure::Os(err)),
            }
        }
    }
}

/// CPython's `internal_connect`: one `connect(2)`; when the connection goes
/// on in the kernel (EINPROGRESS with a timeout, or EINTR on a socket that is
/// not non-blocking, bpo-23618), wait for it through the door and read its
/// outcome from `SO_ERROR`. Errors come back as errnos for `connect_ex`.
pub fn connect(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    timeout: Option<Duration>,
    target: &SockAddr,
) -> Result<(), Failure> {
    py.check_signals()?; // see sock_call
    let err = match py.detach(|| with_sock(fd, |s| s.connect(target))) {
        Ok(()) => return Ok(()),
        Err(err) => err,
    };
    let wait_connect = if err.kind() == io::ErrorKind::Interrupted {
        py.check_signals()?;
        timeout != Some(Duration::ZERO)
    } else {
        err.raw_os_error() == Some(libc::EINPROGRESS) && timeout.is_some_and(|t| !t.is_zero())
    };
    if !wait_connect {
        return Err(Failure::Os(err));
    }
    let mut deadline = Deadline::new(timeout);
    sock_call(
        py,
        fd,
        Interest::Write,
        &mut deadline,
        true,
        || match with_sock(fd, |s| s.take_error())? {
            None => Ok(()),
            Some(e) if e.raw_os_error() == Some(libc::EISCONN) => Ok(()),
            Some(e) => Err(e),
        },
    )
}

/// CPython's `internal_select`: poll `fd` for `interest` within the
/// deadline, retrying on EINTR after the signal handlers ran. A socket
/// closed meanwhile counts as ready, so that the call then fails with EBADF.
fn wait_ready(
    py: Python<'_>,
    fd: &FdGuard<'_>,
    interest: Interest,
    deadline: &mut Deadline,
    connect: bool,
) -> Result<(), Failure> {
    let mut events = match interest {
        Interest::Read => libc::POLLIN,
        Interest::Write => libc::POLLOUT,
    };
    if connect {
        events |= libc::POLLERR;
    }
    loop {
        if fd.closed() {
            return Ok(());
        }
        let remaining = deadline.remaining();
        if remaining == Some(Duration::ZERO) {
            return Err(Failure::TimedOut);
        }
        match py.detach(|| poll(fd.raw(), events, remaining)) {
            Ok(0) if !fd.closed() => return Err(Failure::TimedOut),
            Ok(_) => return Ok(()),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => py.check_signals()?,
            Err(err) => return Err(Failure::Os(err)),
        }
    }
}

/// poll(2)'s timeout: whole milliseconds rounded up (`_PyTime_ROUND_CEILING`),
/// -1 for none, at most INT_MAX.
fn poll_ms(timeout: Option<Duration>) -> libc::c_int {
    timeout.map_or(-1, |t| {
        let ms = t.as_nanos().div_ceil(1_000_000);
        ms.min(libc::c_int::MAX as u128) as libc::c_int
    })
}

/// One `poll(2)`, its timeout rounded up to whole milliseconds as CPython
/// rounds it.
fn poll(fd: RawFd, events: libc::c_short, timeout: Option<Duration>) -> io::Result<i32> {
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    let ms = poll_ms(timeout);
    // SAFETY: `pfd` outlives the call.
    syscall!(poll(&mut pfd, 1, ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_positive_timeout_waits() {
        assert!(!Deadline::new(None).waits());
        assert!(!Deadline::new(Some(Duration::ZERO)).waits());
        assert!(Deadline::new(Some(Duration::from_nanos(1))).waits());
    }

    #[test]
    fn the_first_wait_gets_the_whole_timeout_and_later_ones_what_is_left() {
        let timeout = Duration::from_millis(30);
        let mut deadline = Deadline::new(Some(timeout));
        assert_eq!(deadline.remaining(), Some(timeout));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(deadline.remaining(), Some(Duration::ZERO));
        assert_eq!(Deadline::new(None).remaining(), None);
    }

    #[test]
    fn poll_timeouts_round_up_to_whole_milliseconds() {
        assert_eq!(poll_ms(None), -1);
        assert_eq!(poll_ms(Some(Duration::ZERO)), 0);
        assert_eq!(poll_ms(Some(Duration::from_nanos(1))), 1);
        assert_eq!(poll_ms(Some(Duration::from_micros(1500))), 2);
        assert_eq!(
            poll_ms(Some(Duration::from_secs(u64::MAX))),
            libc::c_int::MAX
        );
    }
}
