//! A socket object's ownership of its file descriptor.
//!
//! Every system call a socket object makes runs on an [`FdGuard`], and the
//! fd number is given back to the kernel only when no guard holds it: a
//! `close()` from another thread while a call waits marks the object closed
//! at once (new calls and the waiting call's next try get `EBADF`, as in
//! CPython), and the last guard to leave closes the number. Without this, a
//! call woken after the close would repeat its system call on a number the
//! kernel may already have handed to a new socket, and read that socket's
//! data.
//!
//! The fd, the count of guards and the closed/detached flags share one
//! atomic word, so taking a guard and closing cannot interleave.

use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::prelude::*;

use crate::error;
use crate::sys::syscall;

const FD_MASK: u64 = 0xffff_ffff;
const USER: u64 = 1 << 32;
const USERS_MASK: u64 = ((1 << 30) - 1) << 32;
/// The object no longer owns a usable fd: closed, detached, or never opened.
const CLOSED: u64 = 1 << 62;
/// The fd was handed to the caller by `detach()`: nobody here closes it.
const DETACHED: u64 = 1 << 63;

fn fd_of(state: u64) -> RawFd {
    (state & FD_MASK) as u32 as RawFd
}

fn users(state: u64) -> u64 {
    (state & USERS_MASK) >> 32
}

fn open_state(fd: RawFd) -> u64 {
    u64::from(fd as u32)
}

/// The fd of one socket object, shared by the calls running on it.
pub struct FdCell {
    state: AtomicU64,
}

impl FdCell {
    /// A cell that owns no fd yet (`fileno()` is -1).
    pub fn unopened() -> Self {
        FdCell {
            state: AtomicU64::new(CLOSED | DETACHED),
        }
    }

    /// Holds the fd for one call, or `OSError(EBADF)` once closed.
    pub fn guard(&self) -> PyResult<FdGuard<'_>> {
        self.try_guard()
            .ok_or_else(|| crate::notes::closed(error::os_error(libc::EBADF)))
    }

    /// Holds the fd for one call; `None` once closed.
    pub fn try_guard(&self) -> Option<FdGuard<'_>> {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            if state & CLOSED != 0 {
                return None;
            }
            match self.state.compare_exchange_weak(
                state,
                state + USER,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    return Some(FdGuard {
                        cell: self,
                        fd: fd_of(state),
                    })
                }
                Err(now) => state = now,
            }
        }
    }

    /// The fd number, or -1 once closed: `fileno()`.
    pub fn fileno(&self) -> RawFd {
        let state = self.state.load(Ordering::Acquire);
        if state & CLOSED != 0 {
            -1
        } else {
            fd_of(state)
        }
    }

    /// Marks the object closed. The fd is closed now when no call holds it,
    /// else by the last call to finish; only a close made now can report an
    /// error. Closing twice is harmless.
    pub fn close(&self) -> io::Result<()> {
        let before = self.state.fetch_or(CLOSED, Ordering::AcqRel);
        if before & CLOSED != 0 || users(before) != 0 {
            return Ok(());
        }
        close_fd(fd_of(before))
    }

    /// Gives the fd away: the object is closed and nothing here will close
    /// the number. Returns -1 when it was already closed.
    pub fn detach(&self) -> RawFd {
        let before = self.state.fetch_or(CLOSED | DETACHED, Ordering::AcqRel);
        if before & CLOSED != 0 {
            -1
        } else {
            fd_of(before)
        }
    }

    /// Takes ownership of `fd`, closing the one held before if no call holds
    /// it. A re-initialised object whose old fd is still in use by another
    /// thread's call is refused with `EBUSY` rather than left to race.
    pub fn replace(&self, fd: RawFd) -> PyResult<()> {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            if users(state) != 0 {
                return Err(error::os_error(libc::EBUSY));
            }
            match self.state.compare_exchange_weak(
                state,
                open_state(fd),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                Err(now) => state = now,
            }
        }
        if state & CLOSED == 0 {
            // The object owned the old fd; a failed close of it is not news
            // to a caller who asked for a new socket.
            let _ = close_fd(fd_of(state));
        }
        Ok(())
    }
}

impl Drop for FdCell {
    fn drop(&mut self) {
        let state = *self.state.get_mut();
        if state & CLOSED == 0 {
            // Garbage collection has no one to report an error to.
            let _ = close_fd(fd_of(state));
        }
    }
}

fn close_fd(fd: RawFd) -> io::Result<()> {
    // SAFETY: callers pass an fd the cell owned and that no guard holds, and
    // the cell's state no longer names it as open, so nothing uses it after.
    syscall!(close(fd)).map(drop)
}

/// The fd held open for one call; see the module docs.
pub struct FdGuard<'a> {
    cell: &'a FdCell,
    fd: RawFd,
}

impl FdGuard<'_> {
    /// The fd number, valid (and not reused) while the guard lives.
    pub fn raw(&self) -> RawFd {
        self.fd
    }

    /// The object was closed (or detached) since this call began: as CPython
    /// re-reads `sock_fd` before each try, the call must stop with EBADF.
    pub fn closed(&self) -> bool {
        self.cell.state.load(Ordering::Acquire) & CLOSED != 0
    }
}

impl Drop for FdGuard<'_> {
    fn drop(&mut self) {
        let before = self.cell.state.fetch_sub(USER, Ordering::AcqRel);
        if users(before) == 1 && before & CLOSED != 0 && before & DETACHED == 0 {
            // close() left the number to the last call holding it; the
            // close(2) error has no caller left to go to.
            let _ = close_fd(self.fd);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe_fd() -> RawFd {
        let mut fds = [-1; 2];
        // SAFETY: `fds` has room for two descriptors.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the write end is ours and unused.
        unsafe { libc::close(fds[1]) };
        fds[0]
    }

    fn is_open(fd: RawFd) -> bool {
        // SAFETY: F_GETFD only reads the descriptor table.
        let rc = unsafe { libc::fcntl(fd, libc::F_GETFD) };
        rc >= 0
    }

    #[test]
    fn close_waits_for_the_last_guard() {
        let cell = FdCell::unopened();
        let fd = pipe_fd();
        cell.replace(fd).unwrap();
        let guard = cell.try_guard().unwrap();
        cell.close().unwrap();
        assert!(guard.closed());
        assert_eq!(cell.fileno(), -1);
        assert!(cell.try_guard().is_none());
        assert!(is_open(fd), "a call still holds the number");
        drop(guard);
        assert!(!is_open(fd));
    }

    #[test]
    fn detach_never_closes() {
        let cell = FdCell::unopened();
        let fd = pipe_fd();
        cell.replace(fd).unwrap();
        let guard = cell.try_guard().unwrap();
        assert_eq!(cell.detach(), fd);
        drop(guard);
        drop(cell);
        assert!(is_open(fd));
        // SAFETY: detach gave the fd to this test.
        unsafe { libc::close(fd) };
    }

    #[test]
    fn replace_refuses_while_in_use() {
        let cell = FdCell::unopened();
        assert_eq!(cell.fileno(), -1);
        let fd = pipe_fd();
        cell.replace(fd).unwrap();
        assert_eq!(cell.fileno(), fd);
        let guard = cell.try_guard().unwrap();
        assert!(cell.replace(fd).is_err());
        drop(guard);
    }
}
