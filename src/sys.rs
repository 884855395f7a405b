//! One shape for every raw libc call: `syscall!(name(args…))` makes the call
//! and turns the C convention (a negative return, the reason in `errno`)
//! into an `io::Result`, as socket2's macro of the same name does. Each
//! invocation carries its own `// SAFETY:` comment saying why its arguments
//! are valid.

/// `syscall!(close(fd))` → `io::Result<c_int>` (or the call's own return type).
macro_rules! syscall {
    ($fn:ident ( $($arg:expr),* $(,)? )) => {{
        // SAFETY: stated at each invocation: the arguments are what the
        // system call documents (valid pointers, lengths that match them).
        #[allow(unused_unsafe)]
        let res = unsafe { libc::$fn($($arg),*) };
        if res < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(res)
        }
    }};
}

pub(crate) use syscall;

#[cfg(test)]
mod tests {

    #[test]
    fn a_failed_call_gives_its_errno() {
        // SAFETY: closing an fd number that is never open.
        let err = syscall!(close(-1)).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn a_successful_call_gives_its_result() {
        // SAFETY: getpid has no arguments.
        assert!(syscall!(getpid()).unwrap() > 0);
    }
}
