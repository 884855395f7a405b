"""The ``rnet.socket`` class: composition over the Rust core ``_rnet.socket``.

Mirrors ``Lib/socket.py`` over ``_socket``: the core holds one method per system
call; this layer adds the context manager, ``dup``, ``makefile`` (the
stdlib's own ``SocketIO``), ``sendfile`` and ``repr``. ``__init__``,
``close``, ``accept`` and the ``ResourceWarning`` of the finalizer, which
``Lib/socket.py`` writes in Python, are the core's (``src/life.rs``).
"""

import io
import os
import socket as _std
import sys

from . import _rnet

__all__ = ["socket", "SocketType"]

SocketType = _rnet.socket

# gh-114077, in CPython 3.11.8, 3.12.2 and 3.13: sendfile() with a count sends
# at most a block per call, so a count beyond ssize_t no longer overflows.
_SENDFILE_CAPS_BLOCKS = sys.version_info >= (3, 12, 2) or (3, 11, 8) <= sys.version_info < (3, 12)


def _module():
    """The rnet module itself, looked up at call time (it may be patched)."""
    return sys.modules[__package__]


class _GiveupOnSendfile(Exception):
    pass


def _intenum_converter(value, enum_klass):
    """The enum member for ``value``, or ``value`` itself if it has none."""
    try:
        return enum_klass(value)
    except ValueError:
        return value


class socket(_rnet.socket):
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) -> socket object

    Like ``socket.socket``, on rnet's Rust core: open a socket of the given
    family, type and protocol, or wrap the open socket ``fileno``.
    """

    # _io_refs and _closed are the core's (life.rs), as are __init__,
    # close() and accept(), which Lib/socket.py writes in Python.
    __slots__ = ()
    __module__ = "rnet"

    # CPython's sock_finalize, in the core: warn first, so the warning can
    # still show the addresses, then close the fd without going through close().
    __del__ = _rnet.socket._finalize

    def __enter__(self):
        return self

    def __exit__(self, *args):
        if not self._closed:
            self.close()

    def __repr__(self):
        """Show the real class name and the socket's addresses, as the stdlib does."""
        closed = getattr(self, "_closed", False)
        cls = self.__class__
        s = (
            f"<{cls.__module__}.{cls.__qualname__}{' [closed]' if closed else ''} "
            f"fd={self.fileno()}, family={self.family}, type={self.type}, proto={self.proto}"
        )
        if not closed:
            for label, getter in (("laddr", self.getsockname), ("raddr", self.getpeername)):
                try:
                    address = getter()
                except OSError:
                    continue
                if address:
                    s += f", {label}={address}"
        return s + ">"

    def __getstate__(self):
        raise TypeError(f"cannot pickle {self.__class__.__name__!r} object")

    def dup(self):
        """dup() -> socket object

        Duplicate the socket. Return a new socket object connected to the same
        system resource. The new socket is non-inheritable.
        """
        fd = _rnet.dup(self.fileno())
        sock = self.__class__(self.family, self.type, self.proto, fileno=fd)
        sock.settimeout(self.gettimeout())
        return sock

    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        """makefile(...) -> an I/O stream connected to the socket

        The arguments are as for io.open() after the filename, except the only
        supported mode values are 'r' (default), 'w' and 'b'.
        """
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError(f"invalid mode {mode!r} (only r, w, b allowed)")
        writing = "w" in mode
        reading = "r" in mode or not writing
        binary = "b" in mode
        rawmode = ("r" if reading else "") + ("w" if writing else "")
        raw = _std.SocketIO(self, rawmode)
        self._io_refs += 1
        if buffering is None or buffering < 0:
            buffering = io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            if not binary:
                raise ValueError("unbuffered streams must be binary")
            return raw
        if reading and writing:
            buffer = io.BufferedRWPair(raw, raw, buffering)
        elif reading:
            buffer = io.BufferedReader(raw, buffering)
        else:
            buffer = io.BufferedWriter(raw, buffering)
        if binary:
            return buffer
        encoding = io.text_encoding(encoding)
        text = io.TextIOWrapper(buffer, encoding, errors, newline)
        text.mode = mode
        return text

    def sendfile(self, file, offset=0, count=None):
        """sendfile(file[, offset[, count]]) -> sent

        Send a file until EOF is reached, with zero-copy sendfile(2) where the
        file allows it and send() otherwise. *file* must be a regular file
        opened in binary mode; after the call its position is just past the
        last byte sent. Non-blocking sockets are not supported.
        """
        # Lib/socket.py's algorithm, step for step, over the core's one-shot
        # _sendfile (which holds the fd for the call and, with a timeout,
        # polls first as CPython's selector does).
        try:
            return self._sendfile_use_sendfile(file, offset, count)
        except _GiveupOnSendfile:
            return self._sendfile_use_send(file, offset, count)

    def _sendfile_use_sendfile(self, file, offset=0, count=None):
        self._check_sendfile_params(file, offset, count)
        sockno = self.fileno()
        try:
            fileno = file.fileno()
        except (AttributeError, io.UnsupportedOperation) as err:
            raise _GiveupOnSendfile(err) from None  # not a regular file
        try:
            fsize = os.fstat(fileno).st_size
        except OSError as err:
            raise _GiveupOnSendfile(err) from None  # not a regular file
        if not fsize:
            return 0  # empty file
        # Truncate to 1 GiB to avoid OverflowError, see bpo-38319.
        blocksize = min(count or fsize, 2**30)
        timeout = self.gettimeout()
        if timeout == 0:
            raise ValueError("non-blocking sockets are not supported")
        if sockno < 0:
            # What CPython's selector.register(sockno) says of a closed socket.
            raise ValueError(f"Invalid file descriptor: {sockno}")
        total_sent = 0
        try:
            while True:
                if count:
                    if _SENDFILE_CAPS_BLOCKS:
                        blocksize = min(count - total_sent, blocksize)
                    else:
                        blocksize = count - total_sent
                    if blocksize <= 0:
                        break
                try:
                    sent = self._sendfile(fileno, offset, blocksize)
                except TimeoutError:
                    # CPython's selector timed out: that is the caller's
                    # error, not a reason to try plain send().
                    raise
                except BlockingIOError:
                    continue
                except OSError as err:
                    if total_sent == 0:
                        # We can get here for different reasons, the main
                        # one being 'file' is not a regular mmap(2)-like
                        # file, in which case we'll fall back on using
                        # plain send().
                        raise _GiveupOnSendfile(err) from None
                    raise err from None
                else:
                    if sent == 0:
                        break  # EOF
                    offset += sent
                    total_sent += sent
            return total_sent
        finally:
            if total_sent > 0 and hasattr(file, "seek"):
                file.seek(offset)

    def _sendfile_use_send(self, file, offset=0, count=None):
        self._check_sendfile_params(file, offset, count)
        if self.gettimeout() == 0:
            raise ValueError("non-blocking sockets are not supported")
        if offset:
            file.seek(offset)
        blocksize = min(count, 8192) if count else 8192
        total_sent = 0
        file_read = file.read
        sock_send = self.send
        try:
            while True:
                if count:
                    blocksize = min(count - total_sent, blocksize)
                    if blocksize <= 0:
                        break
                data = memoryview(file_read(blocksize))
                if not data:
                    break  # EOF
                while True:
                    try:
                        sent = sock_send(data)
                    except BlockingIOError:
                        continue
                    else:
                        total_sent += sent
                        if sent < len(data):
                            data = data[sent:]
                        else:
                            break
            return total_sent
        finally:
            if total_sent > 0 and hasattr(file, "seek"):
                file.seek(offset + total_sent)

    def _check_sendfile_params(self, file, offset, count):
        if "b" not in getattr(file, "mode", "b"):
            raise ValueError("file should be opened in binary mode")
        if not self.type & _std.SOCK_STREAM:
            raise ValueError("only SOCK_STREAM type sockets are supported")
        if count is not None:
            if not isinstance(count, int):
                raise TypeError(f"count must be a positive integer (got {count!r})")
            if count <= 0:
                raise ValueError(f"count must be a positive integer (got {count!r})")

    def _decref_socketios(self):
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed:
            self.close()

    def detach(self):
        """detach() -> file descriptor

        Close the socket object without closing the underlying file descriptor.
        The object cannot be used after this call, but the file descriptor
        can be reused for other purposes. The file descriptor is returned.
        """
        self._closed = True
        return super().detach()

    @property
    def family(self):
        """Read-only access to the address family for this socket."""
        return _intenum_converter(super().family, _std.AddressFamily)

    @property
    def type(self):
        """Read-only access to the socket type."""
        return _intenum_converter(super().type, _std.SocketKind)

    def get_inheritable(self):
        """Get the inheritable flag of the socket."""
        return os.get_inheritable(self.fileno())

    def set_inheritable(self, inheritable):
        """Set the inheritable flag of the socket."""
        os.set_inheritable(self.fileno(), inheritable)


_rnet._set_socket_class(socket)
