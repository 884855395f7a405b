"""Tracing every socket call: readable lines, JSON Lines, the ``rnet`` logger.

``settrace()`` turns tracing on for the whole process; ``tracing()`` is the
same as a context manager. While it is on, every method of ``rnet.socket``
(the core's and the Python layer's), the sockets' creation, ``close`` and
garbage collection, and the module-level lookups (``getaddrinfo``,
``gethostbyname``...) each produce one event: a dict with the call as written,
its result or exception, the socket's fd, family, type and addresses, how many
bytes moved and how long the call took. Events go to a text stream (one
readable line each), to a JSON Lines file (one object per line, written with
one ``write(2)`` each, so a program stopped by Ctrl-C leaves a complete trace),
to an in-memory list, and to the standard ``logging`` logger ``rnet`` at DEBUG.

Off costs nothing: the traced wrappers are set on the ``rnet.socket`` class and
the ``rnet`` module only while tracing is on and removed when it goes off, so
an untraced call is the plain call, with no flag checked on the way.
"""

import contextlib
import errno as _errno
import functools
import json
import logging
import os
import socket as _std
import sys
import threading
import time
import uuid
import zlib

from . import _names_table as names
from . import _rnet

__all__ = ["settrace", "gettrace", "tracing", "Tracer", "VERSION"]

#: The trace format's version, in every JSON record as ``"v"``.
VERSION = 1
#: Bytes of data shown in a preview.
PREVIEW = 40

logger = logging.getLogger("rnet")

_active = None  # the Tracer events go to, or None
_install_lock = threading.RLock()
_local = threading.local()
_saved = {}  # (owner, name) -> original attribute, or _MISSING; non-empty while installed
_MISSING = object()

# Traced besides the lookups (rnet._LOOKUPS): the functions that make sockets from fds.
_FD_FUNCTIONS = ("socketpair", "fromfd")
# Calls that may give the socket its first or a new address.
_READDRESS = {"socket", "bind", "listen", "connect", "connect_ex", "sendto", "sendmsg", "sendmmsg"}
_QUIET = {"__repr__"}  # run untraced, so repr() in a program adds no events


# ---------------------------------------------------------------------------
# rendering values as the program wrote them


def preview(data, limit=PREVIEW):
    """``b'hello'`` for short data; the first ``limit`` bytes and ``...`` otherwise."""
    try:
        raw = bytes(data[:limit])
        whole = len(data) <= limit
    except (TypeError, ValueError):
        return "<?>"
    return repr(raw) + ("" if whole else "...")


def _size(data):
    try:
        return memoryview(data).nbytes
    except TypeError:
        return None


def _data_arg(data):
    n = _size(data)
    if n is None:
        return repr(data)
    if isinstance(data, (bytes, bytearray)) and n <= PREVIEW:
        return repr(bytes(data))
    return f"{preview(data)} ({n} bytes)"


def _buffer_arg(buf):
    n = _size(buf)
    return f"<{type(buf).__name__} of {n} bytes>" if n is not None else repr(buf)


def _jsonable(value):
    """Addresses and results as JSON: tuples become lists, bytes their repr."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return repr(value)


def _addr_text(addr):
    """``127.0.0.1:11267``, ``[::1]:80``, or the AF_UNIX path."""
    if isinstance(addr, (tuple, list)) and len(addr) >= 2 and isinstance(addr[0], str):
        host = f"[{addr[0]}]" if ":" in addr[0] else addr[0]
        return f"{host or '*'}:{addr[1]}"
    if addr in ("", b"", None):
        return "(unnamed)"
    return repr(addr)


def _render_args(call, args, kwargs):
    """The arguments as written, constants by name: ``SOL_SOCKET, SO_REUSEADDR, 1``."""
    a = list(args)
    out = []
    if call == "socket":
        fmt = [names.family, names.kind, repr, repr]
    elif call in ("setsockopt", "getsockopt"):
        fmt = [names.level, lambda v, lvl=a[0] if a else None: names.option(lvl, v), repr, repr]
        if call == "setsockopt" and len(a) >= 3 and not isinstance(a[2], int):
            fmt[2] = _data_arg
    elif call in ("send", "sendall"):
        fmt = [_data_arg, names.msg_flags]
    elif call == "sendto":
        fmt = [_data_arg, repr] if len(a) == 2 else [_data_arg, names.msg_flags, repr]
    elif call in ("recv", "recvfrom"):
        fmt = [repr, names.msg_flags]
    elif call in ("recv_into", "recvfrom_into"):
        fmt = [_buffer_arg, repr, names.msg_flags]
    elif call == "recvmsg":
        fmt = [repr, repr, names.msg_flags]
    elif call == "recvmsg_into":
        fmt = [lambda bufs: f"<{len(bufs)} buffers>", repr, names.msg_flags]
    elif call == "sendmsg":
        fmt = [lambda bufs: f"<{len(bufs)} buffers>", repr, names.msg_flags, repr]
    elif call == "sendmmsg":
        fmt = [lambda msgs: f"<{len(msgs)} messages>", names.msg_flags]
    elif call == "recvmmsg":
        fmt = [repr, repr, names.msg_flags]
    elif call == "recvmmsg_into":
        fmt = [lambda bufs: f"<{len(bufs)} buffers>", names.msg_flags]
    elif call == "shutdown":
        fmt = [names.shutdown_how]
    elif call == "getaddrinfo":
        fmt = [repr, repr, names.family, names.kind, repr, names.ai_flags]
    elif call == "getnameinfo":
        fmt = [repr, names.ni_flags]
    elif call == "socketpair":
        fmt = [names.family, names.kind, repr]
    elif call == "fromfd":
        fmt = [repr, names.family, names.kind, repr]
    elif call == "sendfile":
        fmt = [lambda f: getattr(f, "name", None) and repr(f.name) or repr(f), repr, repr]
    else:
        fmt = []
    for i, value in enumerate(a):
        try:
            out.append(fmt[i](value) if i < len(fmt) else repr(value))
        except Exception:
            out.append(repr(value))
    by_key = {
        "family": names.family,
        "type": names.kind,
        "flags": names.ai_flags if call == "getaddrinfo" else names.msg_flags,
    }
    for key, value in kwargs.items():
        out.append(f"{key}={by_key.get(key, repr)(value)}")
    return ", ".join(out)


_EAI = {getattr(_std, n): n for n in dir(_std) if n.startswith("EAI_")}


def _error_fields(exc):
    fields = {"type": type(exc).__name__, "message": str(exc)}
    notes = getattr(exc, "__notes__", None)
    if notes:
        fields["notes"] = [str(n) for n in notes]
    code = getattr(exc, "errno", None)
    if isinstance(code, int):
        table = _EAI if isinstance(exc, _std.gaierror) else _errno.errorcode
        fields["errno"] = table.get(code, str(code))
    return fields


# ---------------------------------------------------------------------------
# per-socket state: addresses and stream offsets


class _Sock:
    """What the tracer knows of one socket of this process."""

    __slots__ = ("sid", "fd", "family", "type", "laddr", "raddr", "tx", "rx")

    def __init__(self, sid, fd, family, kind):
        self.sid, self.fd, self.family, self.type = sid, fd, family, kind
        self.laddr = self.raddr = None
        self.tx = self.rx = 0  # stream bytes sent / received so far

    def refresh(self, sock):
        base = _rnet.socket
        try:
            self.laddr = base.getsockname(sock)
        except OSError:
            self.laddr = None
        try:
            self.raddr = base.getpeername(sock)
        except OSError:
            self.raddr = None

    @property
    def stream(self):
        return self.type & 0xF == _std.SOCK_STREAM

    def text(self):
        """``fd 3 AF_INET SOCK_STREAM 127.0.0.1:40000->127.0.0.1:11267``."""
        s = f"fd {self.fd} {names.family(self.family)} {names.kind(self.type)}"
        unbound = isinstance(self.laddr, tuple) and len(self.laddr) > 1 and self.laddr[1] == 0
        if self.laddr is not None and not (unbound and self.raddr is None):
            s += " " + _addr_text(self.laddr)
        if self.raddr is not None:
            s += "->" + _addr_text(self.raddr)
        return s


# ---------------------------------------------------------------------------
# the tracer


class Tracer:
    """Where events go while tracing is on, and what it knows of each socket.

    ``events`` holds every event (a dict, as written to JSON Lines) when the
    tracer was made with ``keep=True``.
    """

    def __init__(self, stream=None, file=None, keep=False, argv=None):
        self.stream = stream
        self.argv = list(sys.argv if argv is None else argv)
        self.path = os.fspath(file) if file is not None else None
        self.events = [] if keep else None
        self.run = uuid.uuid4().hex[:12]
        self.t0 = time.time()
        self.pid = os.getpid()
        self._fd = None
        self._socks = {}  # fd -> _Sock
        self._sid = 0
        self._seq = 0
        self._lock = threading.RLock()
        self._resolved = {}
        if self.path is not None:
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC
            self._fd = os.open(self.path, flags, 0o644)
        self._header()

    def _header(self):
        try:
            netns = os.stat("/proc/self/ns/net").st_ino
        except OSError:
            netns = None
        self._write(
            {
                "v": VERSION,
                "kind": "trace",
                "run": self.run,
                "pid": os.getpid(),
                "ppid": os.getppid(),
                "t": self.t0,
                "host": os.uname().nodename,
                "netns": netns,
                "argv": self.argv,
            },
            None,
        )

    def after_fork(self):
        """In a fork() child: its own pid and header, the parent's sockets kept."""
        self.pid = os.getpid()
        self._lock = threading.RLock()
        self._header()

    def close(self):
        """Stop writing to the JSON Lines file (the tracer keeps its events)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    # -- sockets ---------------------------------------------------------

    def sock(self, sock, fresh=False):
        """The state of ``sock``, new when ``fresh`` (it was just made) or first seen."""
        try:
            fd = _rnet.socket.fileno(sock)
        except Exception:
            fd = -1
        state = self._socks.get(fd)
        if state is None or fresh or fd == -1:
            try:
                family = _rnet.socket.family.__get__(sock)
                kind = _rnet.socket.type.__get__(sock)
            except Exception:  # a socket whose __init__ failed
                family = kind = 0
            with self._lock:
                self._sid += 1
                state = _Sock(self._sid, fd, family, kind)
            if fd != -1:
                state.refresh(sock)
                self._socks[fd] = state
        return state

    def forget(self, fd):
        self._socks.pop(fd, None)

    def numeric(self, addr, family):
        """``addr`` with its host as the address it names (cached), for matching."""
        if not (isinstance(addr, tuple) and len(addr) >= 2 and isinstance(addr[0], str)):
            return addr
        host = addr[0]
        if host == "<broadcast>":
            host = "255.255.255.255"
        elif host == "":
            host = "0.0.0.0" if family == _std.AF_INET else "::"
        else:
            try:
                _rnet.inet_pton(family, host)
            except (OSError, ValueError):
                if host not in self._resolved:
                    try:
                        info = _rnet.getaddrinfo(host, None, family, _std.SOCK_DGRAM, 0, 0)
                        self._resolved[host] = info[0][4][0]
                    except Exception:
                        self._resolved[host] = host
                host = self._resolved[host]
        return (host, *addr[1:])

    # -- events ------------------------------------------------------------

    def event(self, call, t, end, args, kwargs, sock=None, state=None, **fields):
        """Record one event; ``fields`` are set on it (result, nbytes, error...)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        thread = threading.current_thread()
        rec = {
            "v": VERSION,
            "kind": "event",
            "run": self.run,
            "seq": seq,
            "pid": self.pid,
            "tid": threading.get_ident(),
            "thread": thread.name,
            "t": t,
            "dur": max(0.0, end - t),
            "call": call,
            "fd": None,
            "sid": None,
            "family": None,
            "type": None,
            "laddr": None,
            "raddr": None,
            "args": _render_args(call, args, kwargs),
        }
        if state is not None:
            rec.update(
                fd=state.fd,
                sid=state.sid,
                family=names.family(state.family),
                type=names.kind(state.type),
                laddr=_jsonable(state.laddr),
                raddr=_jsonable(state.raddr),
            )
        for key, value in fields.items():
            if value is not None:
                rec[key] = value
        self._write(rec, state)

    def _write(self, rec, state):
        line = None
        if self._fd is not None:
            data = (json.dumps(rec, separators=(",", ":"), default=repr) + "\n").encode()
            with self._lock:
                while data:
                    data = data[os.write(self._fd, data) :]
        if self.events is not None:
            self.events.append(rec)
        if rec["kind"] != "event":
            return
        if self.stream is not None:
            line = format_event(rec, self.t0, state)
            with self._lock:
                self.stream.write(line + "\n")
                self.stream.flush()
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s", line or format_event(rec, self.t0, state), extra={"rnet_event": rec})


def format_event(rec, t0, state=None):
    """One readable line for an event: time since ``t0``, pid, socket, call, result."""
    head = f"rnet {rec['t'] - t0:9.6f}s pid {rec['pid']}"
    if rec.get("thread") not in (None, "MainThread"):
        head += f" [{rec['thread']}]"
    if state is not None:
        where = state.text()
    elif rec.get("fd") is not None:
        where = f"fd {rec['fd']} {rec.get('family')} {rec.get('type')}"
    else:
        where = "-"
    call = f"{rec['call']}({rec.get('args', '')})"
    if rec["call"] == "__del__":
        call = "garbage-collected while open: fd closed (never close()d)"
    if "error" in rec:
        err = rec["error"]
        code = f" {err['errno']}" if "errno" in err else ""
        outcome = f"!! {err['type']}{code}: {err['message']}"
    else:
        outcome = "-> " + rec.get("result", "ok")
    line = f"{head} {where}: {call} {outcome}"
    if rec["dur"] >= 0.001:
        line += f"  [blocked {rec['dur']:.3f}s]"
    return line


# ---------------------------------------------------------------------------
# what each call moved


def _moved(tracer, state, call, args, kwargs, result):
    """The event's fields for ``call``'s result: nbytes, data, offsets, peers."""
    f = {}
    if call in ("sendmmsg", "recvmmsg", "recvmmsg_into") and state is not None:
        return _batch(tracer, state, call, args, result)
    if call in ("send", "sendto", "sendmsg", "sendall", "sendfile") and state is not None:
        if call == "sendall":
            n = _size(args[0]) if args else None
        else:
            n = result if isinstance(result, int) else None
        data = None
        if call in ("send", "sendall", "sendto") and args:
            data = args[0]
        elif call == "sendmsg" and args:
            with contextlib.suppress(Exception):
                data = b"".join(bytes(b) for b in args[0])
        f["nbytes"] = n
        if data is not None and n is not None:
            chunk = memoryview(data).cast("B")[:n]
            f["data"] = preview(chunk)
            f["crc"] = zlib.crc32(chunk)
        if call == "sendto" and args:
            dest = args[-1]
            f["peer"] = _jsonable(dest)
            f["to"] = _jsonable(tracer.numeric(dest, state.family))
        elif call == "sendmsg" and len(args) >= 4 and args[3] is not None:
            f["peer"] = _jsonable(args[3])
            f["to"] = _jsonable(tracer.numeric(args[3], state.family))
        if n is not None and state.stream:
            f["off"] = state.tx
            state.tx += n
        f["result"] = f"{_bytes(n)} sent" if call != "sendall" else f"all {_bytes(n)} sent"
        if call == "send" and n is not None and args and _size(args[0]) != n:
            f["result"] = f"{n} of {_bytes(_size(args[0]))} sent"
        return f
    if call in ("recv", "recvfrom", "recvmsg", "recv_into", "recvfrom_into", "recvmsg_into"):
        if state is None:
            return f
        addr = None
        if call in ("recv", "recvfrom", "recvmsg"):
            data = result if call == "recv" else result[0]
            n = len(data)
            if call != "recv":
                addr = result[-1] if call == "recvmsg" else result[1]
        else:
            n = result if call == "recv_into" else result[0]
            data = None
            if call in ("recv_into", "recvfrom_into") and args:
                with contextlib.suppress(TypeError, ValueError):
                    data = memoryview(args[0]).cast("B")[:n]
            if call != "recv_into":
                addr = result[-1] if call == "recvmsg_into" else result[1]
        flags = kwargs.get("flags", _flags_arg(call, args))
        peek = bool(isinstance(flags, int) and flags & _std.MSG_PEEK)
        f["nbytes"] = n
        if data is not None:
            f["data"] = preview(data)
            if not state.stream:
                f["crc"] = zlib.crc32(data)
        if addr is not None and addr != "" and addr != b"":
            f["peer"] = _jsonable(addr)
        if state.stream:
            f["off"] = state.rx
            if peek:
                f["peek"] = True
            else:
                state.rx += n
            if n == 0:
                f["eof"] = True
        if state.stream and n == 0:
            f["result"] = "b'' (end of stream: the other side closed)"
        else:
            f["result"] = _bytes(n) + (f" {f['data']}" if "data" in f else "")
            if "peer" in f:
                f["result"] += f" from {_addr_text(addr)}"
        return f
    return f


def _batch(tracer, state, call, args, result):
    """Fields for a batch of datagrams: one entry per datagram moved, in ``batch``."""
    batch = []
    if call == "sendmmsg":
        for msg in list(args[0])[: result if isinstance(result, int) else 0]:
            data, dest = (msg, None) if not isinstance(msg, tuple) else (msg[0], msg[1])
            chunk = memoryview(data).cast("B")
            entry = {"nbytes": chunk.nbytes, "data": preview(chunk), "crc": zlib.crc32(chunk)}
            if dest is not None:
                entry["peer"] = _jsonable(dest)
                entry["to"] = _jsonable(tracer.numeric(dest, state.family))
            batch.append(entry)
        text = f"{_count(len(batch), 'datagram')} sent"
    else:
        for i, (got, addr) in enumerate(result):
            if call == "recvmmsg":
                chunk = memoryview(got).cast("B")
            else:
                chunk = memoryview(args[0][i]).cast("B")[:got]
            entry = {"nbytes": chunk.nbytes, "data": preview(chunk), "crc": zlib.crc32(chunk)}
            if addr not in (None, "", b""):
                entry["peer"] = _jsonable(addr)
            batch.append(entry)
        text = _count(len(batch), "datagram")
        if batch:
            text += f", first {batch[0]['data']}"
    total = sum(e["nbytes"] for e in batch)
    return {"batch": batch, "nbytes": total, "result": f"{text} ({_bytes(total)})"}


def _count(n, what):
    return f"1 {what}" if n == 1 else f"{n} {what}s"


def _bytes(n):
    return _count(n, "byte")


def _flags_arg(call, args):
    index = {"recv": 1, "recvfrom": 1, "recv_into": 2, "recvfrom_into": 2, "recvmsg": 2}
    i = index.get(call, 2)
    return args[i] if len(args) > i else 0


def _result_text(value):
    if value is None:
        return "ok"
    if isinstance(value, _rnet.socket):
        return f"fd {_rnet.socket.fileno(value)}"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


# ---------------------------------------------------------------------------
# the wrappers


def _enter():
    """Mark this thread busy in a traced call; return the previous mark."""
    busy = getattr(_local, "busy", False)
    _local.busy = True
    return busy


def _method(name, orig):
    """``orig`` (a socket method) traced as ``name``."""
    if name in _QUIET:

        def quiet(self, *args, **kwargs):
            busy = _enter()
            try:
                return orig(self, *args, **kwargs)
            finally:
                _local.busy = busy

        return functools.wraps(orig)(quiet)

    def traced(self, *args, **kwargs):
        tracer = _active
        if tracer is None or getattr(_local, "busy", False):
            return orig(self, *args, **kwargs)
        busy = _enter()
        try:
            return _call(tracer, name, orig, self, args, kwargs)
        finally:
            _local.busy = busy

    return functools.wraps(orig)(traced)


def _call(tracer, name, orig, sock, args, kwargs):
    state = None if name == "__init__" else tracer.sock(sock)
    if name in ("sendmmsg", "recvmmsg_into") and args and not isinstance(args[0], (list, tuple)):
        # An iterator would be used up by the call: the tracer needs the messages too.
        args = (list(args[0]), *args[1:])
    t = time.time()
    try:
        result = orig(sock, *args, **kwargs)
    except BaseException as exc:
        end = time.time()
        _safely(tracer, name, t, end, sock, state, args, kwargs, None, exc)
        raise
    end = time.time()
    _safely(tracer, name, t, end, sock, state, args, kwargs, result, None)
    return result


def _safely(tracer, name, t, end, sock, state, args, kwargs, result, exc):
    """Record the call; a failure of the tracer never reaches the program."""
    try:
        _record(tracer, name, t, end, sock, state, args, kwargs, result, exc)
    except Exception as err:  # pragma: no cover - a bug in the tracer itself
        with contextlib.suppress(Exception):
            sys.stderr.write(f"rnet trace: could not record {name}: {err!r}\n")


def _record(tracer, name, t, end, sock, state, args, kwargs, result, exc):
    fields = {}
    call = name
    if name == "__init__":
        call = "socket"
        state = tracer.sock(sock, fresh=True)
        if exc is None:
            fields["result"] = f"fd {state.fd}"
    elif name in ("close", "detach"):
        tracer.forget(state.fd)
    elif name in _READDRESS and (exc is None or getattr(exc, "errno", None) == _errno.EINPROGRESS):
        if (
            name not in ("sendto", "sendmsg", "sendmmsg")
            or state.laddr is None
            or _unbound(state.laddr)
        ):
            state.refresh(sock)
    elif state.stream and state.raddr is None and state.fd != -1:
        state.refresh(sock)  # a non-blocking connect() that completed since
    if name in ("connect", "connect_ex") and args:
        fields["peer"] = _jsonable(args[0])
    if exc is not None:
        fields["error"] = _error_fields(exc)
    elif name in ("accept", "dup"):
        new = result[0] if name == "accept" else result
        child = tracer.sock(new, fresh=True)
        fields["newfd"], fields["newsid"] = child.fd, child.sid
        fields["new"] = {"laddr": _jsonable(child.laddr), "raddr": _jsonable(child.raddr)}
        if name == "accept":
            fields["peer"] = _jsonable(result[1])
            fields["result"] = f"fd {child.fd} from {result[1]!r}"
        else:
            fields["result"] = f"fd {child.fd}"
    elif name == "connect_ex":
        fields["result"] = _errno.errorcode.get(result, str(result)) if result else "0"
        if result and result != _errno.EINPROGRESS:
            fields["error"] = {"type": "connect_ex", "errno": fields["result"], "message": ""}
    elif name != "__init__":
        with contextlib.suppress(TypeError, ValueError):
            fields.update(_moved(tracer, state, name, args, kwargs, result))
        fields.setdefault("result", _result_text(result))
    tracer.event(call, t, end, args, kwargs, sock, state, **fields)


def _unbound(addr):
    return isinstance(addr, tuple) and len(addr) >= 2 and addr[1] == 0


def _delete(orig):
    """``__del__`` traced: the collector closing a socket the program never closed."""

    def __del__(self):
        tracer = _active
        if tracer is not None:
            with contextlib.suppress(Exception):
                if _rnet.socket.fileno(self) != -1:
                    busy = _enter()
                    try:
                        state = tracer.sock(self)
                        tracer.forget(state.fd)
                        now = time.time()
                        tracer.event("__del__", now, now, (), {}, self, state, result="closed")
                    finally:
                        _local.busy = busy
        orig(self)

    return functools.wraps(orig)(__del__)


def _function(name, orig):
    """A module-level function traced as ``name``."""

    def traced(*args, **kwargs):
        tracer = _active
        if tracer is None or getattr(_local, "busy", False):
            return orig(*args, **kwargs)
        busy = _enter()
        try:
            t = time.time()
            try:
                result = orig(*args, **kwargs)
            except BaseException as exc:
                end = time.time()
                with contextlib.suppress(Exception):
                    tracer.event(name, t, end, args, kwargs, error=_error_fields(exc))
                raise
            end = time.time()
            with contextlib.suppress(Exception):
                _function_event(tracer, name, t, end, args, kwargs, result)
            return result
        finally:
            _local.busy = busy

    return functools.wraps(orig)(traced)


def _function_event(tracer, name, t, end, args, kwargs, result):
    if name in ("socketpair", "fromfd"):
        socks = result if name == "socketpair" else (result,)
        states = [tracer.sock(s, fresh=True) for s in socks]
        fields = {"result": ", ".join(f"fd {s.fd}" for s in states)}
        fields["new"] = [
            {"fd": s.fd, "sid": s.sid, "laddr": _jsonable(s.laddr), "raddr": _jsonable(s.raddr)}
            for s in states
        ]
        tracer.event(name, t, end, args, kwargs, **fields)
        return
    if name == "getaddrinfo":
        addrs = [_addr_text(entry[4]) for entry in result]
        text = ", ".join(dict.fromkeys(addrs)) or "(none)"
        tracer.event(
            name, t, end, args, kwargs, result=text, addrs=_jsonable([e[4] for e in result])
        )
        return
    tracer.event(name, t, end, args, kwargs, result=_result_text(result))


# ---------------------------------------------------------------------------
# turning it on and off


def _targets():
    """(owner, name, wrapper factory) for everything traced."""
    import rnet
    from rnet._sock import socket

    out = []
    for name in dir(_rnet.socket):
        if name.startswith("__") or name in ("family", "type", "proto", "timeout"):
            continue
        if name.startswith("_"):
            continue
        out.append((socket, name, _method))
    for name in (
        "__init__",
        "__repr__",
        "accept",
        "dup",
        "makefile",
        "sendfile",
        "close",
        "detach",
    ):
        out.append((socket, name, _method))
    for name in ("get_inheritable", "set_inheritable"):
        out.append((socket, name, _method))
    out.append((socket, "__del__", lambda _n, orig: _delete(orig)))
    for name in (*rnet._LOOKUPS, *_FD_FUNCTIONS):
        out.append((rnet, name, _function))
    return out


def _install():
    for owner, name, factory in _targets():
        if (owner, name) in _saved:
            continue
        if isinstance(owner, type):
            _saved[(owner, name)] = owner.__dict__.get(name, _MISSING)
        else:
            _saved[(owner, name)] = getattr(owner, name)
        setattr(owner, name, factory(name, getattr(owner, name)))


def _uninstall():
    for (owner, name), own in _saved.items():
        if own is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, own)
    _saved.clear()


def _switch(tracer):
    """Make ``tracer`` the active one (None: off); return the one it replaces."""
    global _active
    with _install_lock:
        previous = _active
        if tracer is not None and not _saved:
            _install()
        _active = tracer
        if tracer is None and _saved:
            _uninstall()
    return previous


_STDERR = object()


def settrace(enable=True, *, stream=_STDERR, file=None, keep=False):
    """Turn tracing of rnet's socket calls on (``enable=True``) or off (``False``).

    While it is on, every socket call of every thread is an event: one line on
    ``stream`` (default ``sys.stderr``; ``None`` for none; when ``file`` is
    given the default is none), one JSON object per line in ``file`` (a path,
    truncated first; each line is written as it happens), a DEBUG record of
    the logger ``rnet``, and, with ``keep=True``, a dict in the returned
    tracer's ``events`` list. Returns the new ``Tracer`` (None when turning
    off). Sockets and functions the program already holds are traced too,
    except a function taken with ``from rnet import name`` before tracing
    began, which stays the untraced one.
    """
    old = _active
    if not enable:
        _switch(None)
        if old is not None:
            old.close()
        return None
    if stream is _STDERR:
        stream = sys.stderr if file is None else None
    tracer = Tracer(stream=stream, file=file, keep=keep)
    _switch(tracer)
    if old is not None:
        old.close()
    return tracer


def gettrace():
    """The active ``Tracer``, or None when tracing is off."""
    return _active


@contextlib.contextmanager
def tracing(*, stream=None, file=None, keep=True):
    """``with rnet.tracing() as t:`` traces the block's socket calls into ``t.events``.

    The arguments are settrace()'s (here ``stream`` defaults to None and
    ``keep`` to True); the tracing that was on before (or none) is back after
    the block.
    """
    tracer = Tracer(stream=stream, file=file, keep=keep)
    previous = _switch(tracer)
    try:
        yield tracer
    finally:
        _switch(previous)
        tracer.close()


def add_run_options(parser):
    """Add ``--trace`` and ``--trace-file`` to ``python -m rnet run``."""
    parser.add_argument(
        "--trace",
        action="store_true",
        help="print one line per socket call to stderr while SCRIPT runs",
    )
    parser.add_argument(
        "--trace-file",
        metavar="PATH",
        help="write every socket call to PATH as JSON Lines (for 'python -m rnet diagram')",
    )


def start_for_run(options, script, args):
    """Turn tracing on as ``run``'s options ask; the trace names ``script`` and ``args``."""
    if not (options.trace or options.trace_file):
        return None
    tracer = Tracer(
        stream=sys.stderr if options.trace else None,
        file=options.trace_file,
        argv=[script, *args],
    )
    _switch(tracer)
    return tracer


def _after_fork():
    if _active is not None:
        _active.after_fork()
    _local.__dict__.clear()


os.register_at_fork(after_in_child=_after_fork)
