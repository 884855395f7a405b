"""A call racing with close() from another thread never touches another
socket's data (issue: a woken call repeated its system call on an fd number
the kernel had already handed to a new socket).

Each round: a thread waits in a call on socket ``a``; the main thread closes
``a``, opens new sockets (which would get ``a``'s old number if it were free),
puts data where the stale call could steal it, then wakes the call through
``a``'s peer. The call may fail with EBADF (as CPython does) or finish on
``a``'s own connection (a blocking call already in the kernel, as CPython),
never on the new socket. Rounds are bounded in count and each wait in time.
"""

import errno
import os
import socket
import threading
import time

import pytest

import rnet

from helpers import fill_send_buffer

ROUNDS = int(os.environ.get("RNET_RACE_ROUNDS", "1000"))
BLOCKING_ROUNDS = max(1, ROUNDS // 5)
WAIT = 5.0


def drain(sock):
    sock.setblocking(False)
    try:
        while sock.recv(1 << 20):
            pass
    except BlockingIOError:
        pass


def nothing_queued(sock):
    try:
        data = sock.recv(1 << 20, socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True
    return data == b""


def close_while_waiting(sock, call):
    """Start ``call(sock)`` on a thread and close ``sock`` as it begins to wait;
    return the thread and the list its outcome goes to."""
    started = threading.Event()
    result = []

    def worker():
        started.set()
        try:
            result.append(("ok", call(sock)))
        except OSError as exc:
            result.append(("error", exc.errno))

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait(WAIT)
    time.sleep(0.0002)
    sock.close()
    return thread, result


def stream_round(call, writing, timeout):
    """One round on a socketpair; returns the call's outcome."""
    a, b = rnet.socketpair()
    if writing:
        fill_send_buffer(a)
    a.settimeout(timeout)
    thread, result = close_while_waiting(a, call)
    x, y = rnet.socketpair()  # takes a's old fd number if it was given back
    try:
        y.send(b"for x only")
        if writing:
            drain(b)  # a becomes writable
        else:
            b.send(b"for a")  # a becomes readable
        thread.join(WAIT)
        assert not thread.is_alive(), "the call on the closed socket never returned"
        assert x.recv(100, socket.MSG_DONTWAIT) == b"for x only", "x's data was read"
        assert nothing_queued(y), "the stale call wrote to the new socket"
    finally:
        for s in (b, x, y):
            s.close()
    return result[0]


def recv_into(sock):
    buf = bytearray(100)
    return bytes(buf[: sock.recv_into(buf)])


READERS = {
    "recv": lambda s: s.recv(100),
    "recv_into": recv_into,
    "recvfrom": lambda s: s.recvfrom(100)[0],
    "recvmsg": lambda s: s.recvmsg(100)[0],
    "recvmmsg": lambda s: s.recvmmsg(1, 100)[0][0],
}
WRITERS = {
    "send": lambda s: s.send(b"w" * 100000),
    "sendall": lambda s: s.sendall(b"w" * 100000),
    "sendmsg": lambda s: s.sendmsg([b"w" * 100000]),
    "sendmmsg": lambda s: s.sendmmsg([b"w" * 100000]),
}


def allowed(outcome, writing):
    if outcome == ("error", errno.EBADF):
        return True
    if outcome[0] != "ok":
        return False
    # Finished on a's own connection: a read got a's peer's bytes.
    return writing or outcome[1] in (b"for a", b"")


@pytest.mark.parametrize("name", sorted(READERS) + sorted(WRITERS))
@pytest.mark.parametrize("timeout", [WAIT, None], ids=["timeout", "blocking"])
def test_a_call_racing_close_never_uses_a_reused_fd(name, timeout):
    writing = name in WRITERS
    call = WRITERS[name] if writing else READERS[name]
    rounds = ROUNDS if timeout else BLOCKING_ROUNDS
    outcomes = [stream_round(call, writing, timeout) for _ in range(rounds)]
    bad = [o for o in outcomes if not allowed(o, writing)]
    assert not bad, f"{len(bad)} of {rounds} rounds ended wrongly, e.g. {bad[:3]}"


def test_accept_racing_close_never_takes_another_listeners_connection():
    for _ in range(ROUNDS // 4):
        a = rnet.socket()
        a.bind(("127.0.0.1", 0))
        a.listen()
        a.settimeout(WAIT)
        address = a.getsockname()
        thread, result = close_while_waiting(a, lambda s: s.accept())
        x = rnet.socket()  # takes a's old fd number if it was given back
        x.bind(("127.0.0.1", 0))
        x.listen()
        x.settimeout(WAIT)
        to_x = socket.create_connection(x.getsockname(), timeout=WAIT)
        # Wake the waiting accept through a's own queue, if a still listens.
        to_a = socket.socket()
        to_a.settimeout(WAIT)
        to_a.connect_ex(address)
        thread.join(WAIT)
        try:
            assert not thread.is_alive()
            if result[0][0] == "ok":
                result[0][1][0].close()
            assert result[0][0] == "error" and result[0][1] == errno.EBADF, result
            conn, peer = x.accept()  # x's connection is still x's
            assert peer == to_x.getsockname()
            conn.close()
        finally:
            for s in (x, to_x, to_a):
                s.close()


def test_the_issue_example_fails_with_ebadf_as_the_stdlib():
    def body(mod):
        a, b = mod.socketpair()
        a.settimeout(1.0)
        got = []

        def worker():
            try:
                got.append(a.recv(100))
            except OSError as exc:
                got.append(type(exc).__name__ + str(exc.errno))

        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(0.2)
        a.close()
        x, y = mod.socketpair()
        y.send(b"for x only")
        thread.join(WAIT)
        for s in (b, x, y):
            s.close()
        return got

    assert body(socket) == body(rnet) == ["OSError9"]
