"""The TCP half of the socket API, on both implementations where it matters."""

import array
import errno
import gc
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
import warnings

import pytest

import rnet

from diff import same


def pair(mod, timeout=5.0):
    """A connected (client, server-side) TCP pair of `mod` sockets on loopback."""
    with mod.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = mod.socket()
        client.settimeout(timeout)
        client.connect(listener.getsockname())
        conn, _ = listener.accept()
    conn.settimeout(timeout)
    return client, conn


def test_echo_and_eof(mod):
    client, conn = pair(mod)
    with client, conn:
        assert client.send(b"hello there!") == 12
        assert conn.recv(80) == b"hello there!"
        conn.sendall(b"x" * 100_000)
        got = bytearray()
        for _ in range(1000):
            if len(got) == 100_000:
                break
            got += client.recv(65536)
        assert got == b"x" * 100_000
        assert client.recv(0) == b""
        client.shutdown(socket.SHUT_WR)
        assert conn.recv(10) == b""  # end of stream
        assert conn.recv(10) == b""


def test_bytes_like_arguments(mod):
    client, conn = pair(mod)
    with client, conn:
        for data in (bytearray(b"ab"), memoryview(b"cd"), array.array("b", b"ef"), b"gh"):
            client.sendall(data)
        buf = bytearray(8)
        view = memoryview(buf)
        n = 0
        for _ in range(100):
            n += conn.recv_into(view[n:])
            if n == 8:
                break
        assert buf == b"abcdefgh"
        client.send(b"xyz")
        arr = array.array("b", bytes(3))
        assert conn.recv_into(arr, 2) == 2
        assert arr.tobytes() == b"xy\0"
        assert conn.recv(5, socket.MSG_PEEK) == b"z"
        assert conn.recv(5) == b"z"


def test_addresses_and_repr(mod):
    client, conn = pair(mod)
    with client, conn:
        assert client.getpeername() == conn.getsockname()
        assert conn.getpeername() == client.getsockname()
        assert client.family is socket.AF_INET and client.type is socket.SOCK_STREAM
        text = repr(client)
        assert text.startswith(f"<{mod.__name__}.socket fd={client.fileno()}, family=2, type=1")
        assert f"laddr={client.getsockname()}" in text and f"raddr={client.getpeername()}" in text
    assert "[closed]" in repr(client)


def test_timeouts_and_blocking(mod):
    client, conn = pair(mod, timeout=0.05)
    with client, conn:
        with pytest.raises(TimeoutError, match="timed out") as info:
            conn.recv(1)
        assert isinstance(info.value, socket.timeout)
        conn.setblocking(False)
        assert conn.gettimeout() == 0.0 and not conn.getblocking()
        with pytest.raises(BlockingIOError) as info:
            conn.recv(1)
        assert info.value.errno == errno.EAGAIN
        conn.setblocking(True)
        assert conn.gettimeout() is None and conn.getblocking()
        conn.settimeout(2)
        assert conn.gettimeout() == 2.0 and conn.timeout == 2.0
        assert os.get_blocking(conn.fileno()) is False
        conn.settimeout(None)
        assert os.get_blocking(conn.fileno()) is True


def test_sendall_has_one_deadline(mod):
    client, conn = pair(mod, timeout=0.3)
    with client, conn:
        # Nobody reads: sendall fills the buffers and must give up as a whole
        # within its timeout, not per partial send.
        with pytest.raises(TimeoutError):
            client.sendall(b"x" * (64 << 20))


def test_default_timeout_and_accept_inheritance(mod):
    assert mod.getdefaulttimeout() is None
    with mod.socket() as listener, mod.socket() as client:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(3)
        client.connect(listener.getsockname())
        conn, _ = listener.accept()
        with conn:
            assert conn.gettimeout() is None  # bpo-7995
            assert os.get_blocking(conn.fileno()) is True
    mod.setdefaulttimeout(1.5)
    try:
        with mod.socket() as s:
            assert s.gettimeout() == 1.5
    finally:
        mod.setdefaulttimeout(None)


def test_makefile_text_and_binary(mod):
    client, conn = pair(mod)
    with client, conn:
        wfile = client.makefile("w", encoding="utf-8", newline="\r\n")
        rfile = conn.makefile("rb")
        wfile.write("id\nname\n")
        wfile.flush()
        assert rfile.readline() == b"id\r\n"
        assert rfile.readline() == b"name\r\n"
        wfile.close()
        client.close()  # the fd really closes only now; the reader sees EOF
        assert rfile.read() == b""
        rfile.close()


def test_dup_detach_fileno_inheritable(mod):
    client, conn = pair(mod)
    with client, conn:
        assert client.get_inheritable() is False  # PEP 446
        client.set_inheritable(True)
        assert client.get_inheritable() is True
        twin = client.dup()
        with twin:
            assert twin.fileno() != client.fileno()
            assert twin.getpeername() == client.getpeername()
            assert twin.gettimeout() == client.gettimeout()
            twin.sendall(b"via dup")
            assert conn.recv(10) == b"via dup"
        fd = conn.detach()
        assert conn.fileno() == -1
        adopted = mod.socket(fileno=fd)
        with adopted:
            assert (adopted.family, adopted.type, adopted.proto) == (
                socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
            )
            client.sendall(b"adopted")
            assert adopted.recv(10) == b"adopted"


def test_broken_pipe_not_sigpipe(mod):
    client, conn = pair(mod)
    with client:
        conn.close()
        with pytest.raises((BrokenPipeError, ConnectionResetError)):
            for _ in range(1000):
                client.send(b"x" * 1024)
                time.sleep(0.001)


def test_pickle_refused(mod):
    with mod.socket() as s:
        with pytest.raises(TypeError, match="cannot pickle 'socket' object"):
            pickle.dumps(s)


def test_subclassable():
    class Loud(rnet.socket):
        def send(self, data, flags=0):
            return super().send(data.upper(), flags)

    client, conn = pair(rnet)
    with client, conn:
        loud = Loud(fileno=client.detach())
        with loud:
            loud.send(b"hi")
            assert conn.recv(2) == b"HI"
            assert isinstance(loud, rnet.socket) and isinstance(loud, rnet.SocketType)


def test_unclosed_socket_warns():
    s = rnet.socket()
    fd = s.fileno()
    with pytest.warns(ResourceWarning, match=rf"unclosed <rnet.socket fd={fd}"):
        del s
        gc.collect()
    with pytest.raises(OSError) as info:
        os.fstat(fd)  # the finalizer closed the fd
    assert info.value.errno == errno.EBADF


def test_unclosed_socket_warning_names_the_socket_as_its_source():
    # The warning's source is the socket itself (tracemalloc shows where it
    # was made), as CPython's sock_finalize gives it.
    s = rnet.socket()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del s
        gc.collect()
    assert [type(w.source) for w in caught] == [rnet.socket]


@pytest.mark.parametrize("mod", ["socket", "rnet"])
def test_socket_left_open_at_exit_prints_nothing(mod):
    # The finalizer runs at interpreter shutdown too, when imports fail: the
    # stdlib stays silent, and so must rnet.
    program = f"import {mod}\nkept = [{mod}.socket() for _ in range(3)]\n"
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=30
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_other_threads_run_while_accept_blocks():
    with rnet.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(10)
        result = {}

        def serve():
            conn, addr = listener.accept()
            with conn:
                result["data"] = conn.recv(10)

        thread = threading.Thread(target=serve)
        thread.start()
        # With the GIL held by accept() this loop would never run.
        ticks = 0
        deadline = time.monotonic() + 0.2
        while time.monotonic() < deadline:
            ticks += 1
        with rnet.socket() as client:
            client.connect(listener.getsockname())
            client.sendall(b"ping")
        thread.join(10)
        assert not thread.is_alive()
        assert result["data"] == b"ping" and ticks > 1000


def test_audit_events():
    seen = []

    def hook(event, args):
        # The hook stays installed for the whole session: it must accept
        # every event, including argument-less ones like socket.gethostname.
        if event.startswith("socket.") and args and getattr(args[0], "__module__", "") == "rnet":
            seen.append((event, args[1:]))

    sys.addaudithook(hook)
    with rnet.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.connect_ex(("127.0.0.1", 9))
    assert seen[0] == ("socket.__new__", (socket.AF_INET, socket.SOCK_STREAM, 0))
    assert ("socket.bind", (("127.0.0.1", 0),)) in seen
    assert ("socket.connect", (("127.0.0.1", 9),)) in seen


def test_audit_hook_can_block_connect():
    code = r"""
import sys, rnet
def hook(event, args):
    if event == "socket.connect":
        raise PermissionError("blocked by audit hook")
sys.addaudithook(hook)
s = rnet.socket()
try:
    s.connect(("127.0.0.1", 9))
except PermissionError as exc:
    print("blocked:", exc)
finally:
    s.close()
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert out.stdout.strip() == "blocked: blocked by audit hook"


def test_stdlib_exception_objects():
    assert rnet.error is OSError and rnet.timeout is socket.timeout
    assert rnet.gaierror is socket.gaierror and rnet.herror is socket.herror


def test_lecture_style_constructor_calls():
    def body(mod):
        with mod.socket() as a, mod.socket(mod.AF_INET, mod.SOCK_STREAM) as b:
            return (a.family, a.type, b.family, b.type)

    same(body)


# --- fixes the differential fuzzer (tests/fuzz_engine.py) led to ---


def test_unix_socket_left_in_a_cycle_at_exit_warns_with_its_address(tmp_path):
    # The finalizer's repr decodes the AF_UNIX address without importing
    # anything (at exit sys.meta_path is None and an import raises), so even
    # with warnings shown (-X dev) nothing but the ResourceWarning prints.
    script = tmp_path / "leave_open.py"
    script.write_text(
        "import gc, sys\n"
        "mod = __import__(sys.argv[1])\n"
        "s = mod.socket(mod.AF_UNIX, mod.SOCK_STREAM)\n"
        "s.bind(sys.argv[2])\n"
        "class Holder: pass\n"
        "h = Holder(); h.me = h; h.sock = s\n"  # a cycle: collected late at exit
        "del s, h\n"
        "gc.disable()\n"
    )
    for mod in ("socket", "rnet"):
        for dev in ([], ["-X", "dev"]):
            path = tmp_path / f"{mod}{len(dev)}.sock"
            proc = subprocess.run(
                [sys.executable, *dev, str(script), mod, str(path)],
                capture_output=True,
                text=True,
                timeout=20,
            )
            assert proc.returncode == 0, proc.stderr
            assert "Exception ignored" not in proc.stderr, (mod, proc.stderr)
            if dev:  # the warning shows, with the address, as the stdlib's
                assert f"unclosed <{mod}.socket" in proc.stderr, proc.stderr
                assert f"laddr={path}" in proc.stderr, proc.stderr


def test_composed_functions_use_the_patched_module_socket(monkeypatch):
    # As Lib/socket.py, which names its module's global `socket`: tools that
    # patch socket.socket (pytest-socket, mocks) see their class used.
    made = []

    class Recording(rnet.socket):
        __slots__ = ()

        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rnet, "socket", Recording)
    with rnet.create_server(("127.0.0.1", 0)) as server:
        assert type(server) is Recording
        with rnet.create_connection(server.getsockname(), timeout=5) as client:
            assert type(client) is Recording
            conn, _ = server.accept()
            with conn:
                assert type(conn) is Recording
    a, b = rnet.socketpair()
    with a, b:
        assert type(a) is Recording and type(b) is Recording
        with rnet.fromfd(a.fileno(), rnet.AF_UNIX, rnet.SOCK_STREAM) as c:
            assert type(c) is Recording
    rnet.has_dualstack_ipv6()
    assert len(made) >= 7


def test_recv_with_msg_trunc_never_returns_an_earlier_calls_bytes():
    # MSG_TRUNC on TCP discards the data: the bytes returned are not
    # written by the kernel. rnet's small reads use a per-thread scratch
    # buffer; those bytes must be zeros, not the previous read's data.
    client, conn = pair(rnet)
    with client, conn:
        conn.sendall(b"SECRET")
        assert client.recv(6) == b"SECRET"
        conn.sendall(b"abc")
        assert client.recv(3, socket.MSG_TRUNC) == bytes(3)


@pytest.mark.parametrize(
    "call",
    [
        # The data is converted before the flags ("y*|i"), as CPython does.
        lambda s: s.send(object(), 2**31),
        lambda s: s.send(None, -(2**100)),
        lambda s: s.send(memoryview(bytearray(8))[::2], None),
        lambda s: s.sendall(memoryview(bytearray(8))[::2], None),
        lambda s: s.sendall(1.5, 2**63 - 1),
        lambda s: s.sendto("text", ("127.0.0.1", 9), 2**63),
        lambda s: s.sendto(memoryview(bytearray(8))[::2], ("127.0.0.1", 0, 0), b"x"),
        # recv_into/recvfrom_into export the buffer first ("w*|ni").
        lambda s: s.recv_into(memoryview(b"ro"), 2**64 - 1),
        lambda s: s.recv_into(None, 5),
        lambda s: s.recvfrom_into(b"ro", -1.5),
        # ...and check keywords as PyArg_ParseTupleAndKeywords: after converting.
        lambda s: s.recv_into(bytearray(8), 1j, bogus=1),
        lambda s: s.recv_into(bytearray(4), buffer=bytearray(4)),
        lambda s: s.recv_into(nbytes=1),
        lambda s: s.recvfrom_into(bytearray(4), 1, 0, bogus=1),
        lambda s: s.recv_into(buffer=bytearray(4), nbytes=1, flags=0, bogus=1),
        # recv allocates its bytes before it looks at the fd.
        lambda s: s.recv(2**63 - 1),
        lambda s: s.recvfrom(2**63 - 1),
        # setsockopt's three forms, tried in CPython's order.
        lambda s: s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1, None),
        lambda s: s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, None, 2**32),
        lambda s: s.setsockopt(17, 100, 2147483647, -1),
        lambda s: s.setsockopt("a\0b", 9, 0, 2**32),
        lambda s: s.setsockopt(1, 2),
        lambda s: s.setsockopt(1, 2, 2**40),
        lambda s: s.setsockopt(1, 2, "x"),
        lambda s: s.setsockopt(level=1),
        lambda s: s.listen(backlog=1),
        # setblocking takes any C long on 3.11 (any truth value on 3.12+).
        lambda s: s.setblocking(2**32 - 1),
        lambda s: s.setblocking(-(2**63)),
        lambda s: s.setblocking(2**64),
    ],
)
@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_arguments_are_checked_in_cpythons_order(call, closed):
    def body(mod):
        with mod.socket() as s:
            s.settimeout(0.01)
            if closed:
                s.close()
            return call(s)

    same(body)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.connect(address=("127.0.0.1", 9)),
        lambda s: s.connect_ex(address=("127.0.0.1", 9)),
        lambda s: s.bind(address=("127.0.0.1", 0)),
        lambda s: s.setblocking(flag=True),
        lambda s: s.settimeout(value=1),
        lambda s: s.shutdown(how=socket.SHUT_RDWR),
    ],
)
def test_positional_only_methods_refuse_keywords(mod, call):
    # CPython's METH_O methods take no keywords; rnet keeps PyO3's wording.
    with mod.socket() as s, pytest.raises(TypeError):
        call(s)


def test_default_timeout_functions_word_arity_as_cpython():
    same(lambda mod: mod.getdefaulttimeout(1))
    same(lambda mod: mod.setdefaulttimeout())
    same(lambda mod: mod.setdefaulttimeout(timeout=1))
    assert rnet.getdefaulttimeout() is None


def test_with_a_timeout_calls_wait_before_they_try():
    # CPython's sock_call_ex polls first: a listener is never writable nor
    # readable for data, so these time out instead of failing at once.
    def body(mod):
        with mod.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            s.settimeout(0.05)
            out = []
            for call in (
                lambda: s.sendall(b"x"),
                lambda: s.send(bytes(100)),
                lambda: s.recv(1),
                lambda: s.recv_into(bytearray(4)),
            ):
                try:
                    call()
                except OSError as exc:
                    out.append(type(exc).__name__)
            return out

    assert same(body) == ("ok", ["TimeoutError"] * 4)


def test_recv_oob_without_oob_data_times_out():
    def body(mod):
        client, conn = pair(mod, timeout=0.05)
        with client, conn:
            return client.recv(1, socket.MSG_OOB)

    assert same(body)[1] == "TimeoutError"


def test_send_after_a_timed_out_sendall_times_out():
    # After sendall filled the buffer and timed out, send(1 MiB) waits for
    # room first (and times out) instead of returning a partial count.
    def body(mod):
        client, conn = pair(mod, timeout=0.05)
        with client, conn:
            try:
                client.sendall(bytes(64 << 20))
            except TimeoutError:
                pass
            return client.send(bytes(1 << 20))

    assert same(body)[1] == "TimeoutError"


# --- connecting, timeouts on fds made blocking, SOCK_NONBLOCK with a fileno ---


def test_connect_ex_nonblocking_in_progress(mod):
    with mod.socket() as server, mod.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.setblocking(False)
        err = client.connect_ex(server.getsockname())
        assert err in (0, errno.EINPROGRESS)


@pytest.mark.parametrize("timeout", [1e-9, 1e-6])
def test_tiny_timeouts_still_connect_on_loopback(timeout):
    with socket.create_server(("127.0.0.1", 0)) as server:
        address = server.getsockname()

        def body(mod):
            with mod.socket() as s:
                s.settimeout(timeout)
                s.connect(address)
                conn, _ = server.accept()
                conn.close()
                return "connected"

        def via_create_connection(mod):
            with mod.create_connection(address, timeout=timeout):
                conn, _ = server.accept()
                conn.close()
                return "connected"

        assert same(body) == ("ok", "connected")
        assert same(via_create_connection) == ("ok", "connected")


def test_timeout_holds_when_a_dup_made_the_fd_blocking():
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            b.settimeout(0.2)
            twin = b.dup()
            twin.settimeout(None)  # O_NONBLOCK is shared: b's fd blocks now
            twin.close()
            return b.recv(10)

    assert same(body)[1] == "TimeoutError"


def test_accept_timeout_holds_on_a_blocking_fd():
    def body(mod):
        with mod.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            listener.settimeout(0.2)
            os.set_blocking(listener.fileno(), True)
            return listener.accept()

    assert same(body)[1] == "TimeoutError"


def test_sock_nonblock_with_fileno_leaves_the_fd_alone():
    def body(mod):
        raw = socket.socket()
        fd = raw.detach()
        with mod.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0, fd) as s:
            return s.gettimeout(), os.get_blocking(fd)

    assert same(body) == ("ok", (0.0, True))


def test_blocking_send_with_no_room_waits_and_sends_everything(mod):
    # rnet tries a small send without releasing the GIL first (MSG_DONTWAIT);
    # with the buffer full it must still block as send(2) does, with the GIL
    # released so the reader can run, and a part taken at once must be
    # followed by the rest: the count is all of it.
    import struct

    from helpers import fill_send_buffer

    payload = bytes(range(256)) * 40  # under rnet's 16 KiB held-GIL size
    client, conn = pair(mod)
    with client, conn:
        fill_send_buffer(client)
        client.setblocking(True)
        # A send that held the GIL while it waited would keep the reader out
        # until this kernel timeout ended it; then the reader's first bytes
        # come 10 s after the send started rather than at once.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("@ll", 10, 0))
        got = bytearray()
        first = []

        def drain():
            time.sleep(0.2)  # let the send find the buffer full first
            for _ in range(100_000):
                data = conn.recv(65536)
                if not data:
                    return
                first.append(time.monotonic())
                got.extend(data)

        reader = threading.Thread(target=drain)
        started = time.monotonic()
        reader.start()
        sent = client.send(payload)
        client.shutdown(socket.SHUT_WR)
        reader.join(20)
        assert not reader.is_alive()
    assert sent == len(payload)
    assert got.endswith(payload) and got[: -len(payload)] == b"f" * (len(got) - len(payload))
    assert first[0] - started < 5, "the reader waited for the kernel's send timeout"
