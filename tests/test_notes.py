"""Notes (PEP 678) on the course's common mistakes, differentially.

Each mistake runs on the stdlib socket and on rnet: class, errno, message and
args must be the stdlib's (tests/diff.py), the stdlib adds no note, and rnet
adds exactly the note listed here. Notes can be turned off with
``rnet.set_notes(False)`` or ``RNET_NOTES=0``.
"""

import shutil
import subprocess
import sys

import pytest

import rnet

from diff import outcome, same
from helpers import free_port, run_python

HOST = "127.0.0.1"
TIMEOUT_TAIL = (
    "the timeout comes from settimeout() (or setdefaulttimeout()): wait longer, "
    "or check that the other side is running and sends"
)


def notes_of(body, module):
    """The notes on the exception ``body(module)`` raises."""
    try:
        body(module)
    except Exception as exc:
        return getattr(exc, "__notes__", [])
    raise AssertionError("no exception")


def check(body, *expected):
    """Same outcome on both modules; no note from the stdlib; ``expected`` from rnet."""
    import socket

    seen = {}
    for module in (socket, rnet):

        def observe(module=module):
            try:
                body(module)
            except Exception as exc:
                seen[module] = getattr(exc, "__notes__", [])
                raise

        seen[module, "outcome"] = outcome(observe)
    result = seen[rnet, "outcome"]
    assert result == seen[socket, "outcome"], seen
    assert result[0] == "raise", result
    assert seen[socket] == []
    assert seen[rnet] == [f"rnet: {text}" for text in expected]
    return result


@pytest.fixture
def listener():
    """A listening TCP socket on 127.0.0.1 (stdlib), for 'address in use'."""
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        s.listen()
        yield s.getsockname()


def test_bind_address_in_use(listener):
    def body(m):
        with m.socket() as s:
            s.bind(listener)

    result = check(
        body,
        f"{listener!r} is in use: another server (or a copy of this one) is running, "
        "or a connection from the last run waits in TIME_WAIT for about a minute; "
        "stop the other server, or call sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) "
        "before bind(), or wait a minute",
    )
    assert result[1:3] == ("OSError", 98)


def test_bind_udp_second_listener():
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as first:
        first.bind((HOST, 0))
        address = first.getsockname()

        def body(m):
            with m.socket(m.AF_INET, m.SOCK_DGRAM) as s:
                s.bind(address)

        check(
            body,
            f"{address!r} is already taken by another socket; for two UDP listeners on one "
            "port, set sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) (or SO_REUSEPORT) on "
            "both sockets before bind()",
        )


def test_connect_refused():
    address = (HOST, free_port())

    def body(m):
        with m.socket() as s:
            s.connect(address)

    check(
        body,
        f"nothing listens at {address!r}: start the server first, "
        "and check that the server and the client use the same port",
    )


def test_create_connection_refused_names_the_callers_address():
    address = ("localhost", free_port())
    check(
        lambda m: m.create_connection(address, timeout=5),
        f"nothing listens at {address!r}: start the server first, "
        "and check that the server and the client use the same port",
    )


@pytest.mark.parametrize("call", ["connect", "bind"])
def test_address_as_two_arguments(call):
    def body(m):
        with m.socket() as s:
            getattr(s, call)("localhost", 11267)

    result = check(
        body,
        "the address is one argument, a (host, port) tuple: "
        f"{call}(('localhost', 11267)), with two pairs of parentheses",
    )
    assert result[3] == f"socket.{call}() takes exactly one argument (2 given)"


@pytest.mark.parametrize("call", ["connect", "bind"])
def test_wrong_arity_keeps_cpython_wording(call):
    def no_args(m):
        with m.socket() as s:
            getattr(s, call)()

    def keyword(m):
        with m.socket() as s:
            getattr(s, call)(address=(HOST, 0))

    for body in (no_args, keyword):
        check(body)


def test_connect_to_broadcast_without_so_broadcast():
    def body(m):
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as s:
            s.connect(("127.255.255.255", 9))

    check(body, "broadcasting needs sock.setsockopt(SOL_SOCKET, SO_BROADCAST, 1) first")


def test_sendto_broadcast_without_so_broadcast():
    def body(m):
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as s:
            s.sendto(b"x", ("127.255.255.255", 9))

    check(body, "broadcasting needs sock.setsockopt(SOL_SOCKET, SO_BROADCAST, 1) first")


def test_send_a_str():
    def body(m):
        a, b = m.socketpair()
        with a, b:
            a.send("hello there!")

    check(body, "sockets carry bytes; encode the text first, e.g. data.encode()")


CLOSED = (
    "this socket was closed by this program (close(), or the end of its with block) "
    "before this call; a closed socket cannot be used again"
)


@pytest.mark.parametrize("call", ["recv", "send", "connect", "accept", "bind"])
def test_use_after_close(call):
    args = {
        "recv": (80,),
        "send": (b"x",),
        "connect": ((HOST, 9),),
        "accept": (),
        "bind": ((HOST, 0),),
    }

    def body(m):
        s = m.socket()
        s.close()
        getattr(s, call)(*args[call])

    result = check(body, CLOSED)
    assert result[1:3] == ("OSError", 9)


def timeout_note(call, seconds, what):
    return f"{call} waited {seconds}, the socket's timeout, and {what}; {TIMEOUT_TAIL}"


def test_accept_timeout():
    def body(m):
        with m.socket() as s:
            s.bind((HOST, 0))
            s.listen()
            s.settimeout(0.05)
            s.accept()

    result = check(body, timeout_note("accept()", "0.05 seconds", "no client connected"))
    assert result[1:4] == ("TimeoutError", None, "timed out")


@pytest.mark.parametrize("kind", ["stream", "datagram"])
def test_receive_timeout(kind):
    def body(m):
        if kind == "stream":
            a, b = m.socketpair()
        else:
            a = m.socket(m.AF_INET, m.SOCK_DGRAM)
            a.bind((HOST, 0))
            b = a.dup()
        with a, b:
            a.settimeout(0.25)
            a.recvfrom(80) if kind == "datagram" else a.recv(80)

    check(body, timeout_note("the receive (recv/recvfrom)", "0.25 seconds", "no data arrived"))


def test_bind_below_1024_as_a_normal_user():
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv(1) to drop CAP_NET_BIND_SERVICE")
    code = (
        "import socket, sys, rnet\n"
        f"sys.path.insert(0, {str(__import__('helpers').DATA.parent)!r})\n"
        "from diff import outcome\n"
        "def body(m):\n"
        "    with m.socket() as s:\n"
        "        s.bind(('127.0.0.1', 80))\n"
        "print(outcome(lambda: body(socket)) == outcome(lambda: body(rnet)))\n"
        "print(outcome(lambda: body(rnet))[1:3])\n"
        "try:\n"
        "    body(rnet)\n"
        "except OSError as exc:\n"
        "    print(exc.__notes__)\n"
    )
    drop = ["--bounding-set=-net_bind_service", "--inh-caps=-net_bind_service"]
    result = subprocess.run(
        ["setpriv", *drop, sys.executable, "-c", code], capture_output=True, text=True, timeout=20
    )
    if result.returncode != 0 and "setpriv" in result.stderr:
        pytest.skip(f"setpriv cannot drop the capability: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "True",
        "('PermissionError', 13)",
        "['rnet: port 80 is below 1024, and only the administrator may bind those; "
        "use a port from 1024 up, e.g. 11267']",
    ]


def test_set_notes_turns_them_off_and_on():
    def body(m):
        s = m.socket()
        s.close()
        s.recv(1)

    previous = rnet.set_notes(False)
    try:
        assert previous is True and rnet.notes_enabled() is False
        same(body)
        assert notes_of(body, rnet) == []
    finally:
        rnet.set_notes(previous)
    assert notes_of(body, rnet) == [f"rnet: {CLOSED}"]


def test_environment_variable_turns_notes_off():
    code = (
        "import rnet\n"
        "s = rnet.socket(); s.close()\n"
        "try:\n    s.recv(1)\nexcept OSError as exc:\n"
        "    print(rnet.notes_enabled(), getattr(exc, '__notes__', []))\n"
    )
    assert run_python(["-c", code], env={"RNET_NOTES": "0"}).stdout == "False []\n"
    assert run_python(["-c", code], env={"RNET_NOTES": "1"}).stdout.startswith("True ['rnet: ")


def test_a_call_that_succeeds_builds_no_note(monkeypatch, listener):
    calls = []
    monkeypatch.setattr(rnet._notes, "_add", lambda *args: calls.append(args))
    with rnet.create_connection(listener, timeout=5) as c:
        c.settimeout(1)
        c.sendall(b"x")
    with rnet.socket() as s:
        s.bind((HOST, 0))
        s.connect(listener)
    a, b = rnet.socketpair()
    with a, b:
        a.send(b"x")
        assert b.recv(1) == b"x"
    assert rnet.gethostbyname("localhost") == "127.0.0.1"
    assert calls == []
    # ...while a failing call does build one.
    with pytest.raises(OSError):
        a.recv(1)
    assert len(calls) == 1


def test_connect_timeout():
    import socket

    # Linux drops a SYN when the listener's accept queue is full: with a backlog
    # of 0, the one connection already queued fills it, so connect() waits.
    with socket.socket() as listening:
        listening.bind((HOST, 0))
        listening.listen(0)
        with socket.create_connection(listening.getsockname()):

            def body(m):
                with m.socket() as s:
                    s.settimeout(0.2)
                    s.connect(listening.getsockname())

            check(body, timeout_note("connect()", "0.2 seconds", "the server did not answer"))


def test_send_timeout():
    def body(m):
        a, b = m.socketpair()
        with a, b:
            a.setblocking(False)
            for _ in range(10_000):  # fill the socket buffer
                try:
                    a.send(b"x" * 65536)
                except BlockingIOError:
                    break
            a.settimeout(0.1)
            a.send(b"x" * 65536)

    check(body, timeout_note("the send", "0.1 seconds", "the other side did not take the data"))
