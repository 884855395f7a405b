"""sendmmsg / recvmmsg / recvmmsg_into and UDP GSO/GRO on loopback.

The stdlib has no batched calls, so the yardstick is what its one-datagram
calls do with the same input: every item recvmmsg returns must equal what
recvfrom returns for that datagram, every error sendmmsg raises must be the
one sendto raises for the bad message, and so on.
"""

import errno
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import pytest

import rnet

from diff import outcome
from helpers import EXAMPLES, LOCAL_NAME, Process, fill_send_buffer, run_python

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux calls")

LO4 = "127.0.0.1"
LO6 = "::1"
WAIT = 5.0  # timeout of the sockets below: a wrong wait fails instead of hanging


def udp(mod=rnet, family=socket.AF_INET, bind=True):
    s = mod.socket(family, socket.SOCK_DGRAM)
    s.settimeout(WAIT)
    if bind:
        s.bind((LO4 if family == socket.AF_INET else LO6, 0))
    return s


def drain_empty(s):
    """Assert nothing more is queued on `s`."""
    s.setblocking(False)
    with pytest.raises(BlockingIOError):
        s.recvfrom(1)
    s.settimeout(WAIT)


@pytest.fixture
def pair():
    """An rnet sender and receiver, AF_INET on loopback, closed afterwards."""
    tx, rx = udp(), udp()
    with tx, rx:
        yield tx, rx


# --- round trips -----------------------------------------------------------


def test_pairs_round_trip_and_match_recvfrom(pair):
    tx, rx = pair
    to = rx.getsockname()
    payloads = [b"first", bytearray(b"second"), memoryview(b"third"), b"x" * 1200]
    assert tx.sendmmsg([(p, to) for p in payloads]) == 4
    got = rx.recvmmsg(10, 2048)
    here = tx.getsockname()
    assert got == [(bytes(p), here) for p in payloads]
    # The stdlib's recvfrom sees the same datagrams with the same shapes.
    with udp(socket) as std_rx:
        assert tx.sendmmsg([(p, std_rx.getsockname()) for p in payloads]) == 4
        assert [std_rx.recvfrom(2048) for _ in payloads] == got


def test_bytes_on_a_connected_socket(pair):
    tx, rx = pair
    tx.connect(rx.getsockname())
    assert tx.sendmmsg(iter([b"a", b"bb", b"ccc"])) == 3
    assert rx.recvmmsg(3, 100) == [(d, tx.getsockname()) for d in (b"a", b"bb", b"ccc")]
    # Bytes and pairs mix: a pair overrides the connected peer, as in sendto.
    with udp() as other:
        assert tx.sendmmsg([b"peer", (b"other", other.getsockname())]) == 2
        assert rx.recvfrom(10) == (b"peer", tx.getsockname())
        assert other.recvfrom(10) == (b"other", tx.getsockname())


def test_host_names_as_sendto_takes_them(pair):
    tx, rx = pair
    port = rx.getsockname()[1]
    assert tx.sendmmsg([(b"by name", (LOCAL_NAME, port)), (b"numeric", (LO4, port))]) == 2
    expected = rnet.gethostbyname(LOCAL_NAME)
    if expected == LO4:
        assert [d for d, _ in rx.recvmmsg(2, 20)] == [b"by name", b"numeric"]
    else:  # the machine's name is another local address: bound to 127.0.0.1, it does not arrive
        assert [d for d, _ in rx.recvmmsg(2, 20)] == [b"numeric"]


def test_empty_datagrams(pair):
    tx, rx = pair
    to = rx.getsockname()
    assert tx.sendmmsg([(b"", to), (b"", to), (b"after", to)]) == 3
    assert [d for d, _ in rx.recvmmsg(5, 10)] == [b"", b"", b"after"]
    assert tx.sendmmsg([]) == 0
    assert rx.recvmmsg(0, 10) == []
    assert rx.recvmmsg_into([]) == []


def test_vlen_larger_than_queued_returns_what_is_there(pair):
    tx, rx = pair
    tx.sendmmsg([(b"%d" % i, rx.getsockname()) for i in range(3)])
    # With the socket's 5 s timeout: waiting for a fourth would raise TimeoutError.
    assert [d for d, _ in rx.recvmmsg(64, 10)] == [b"0", b"1", b"2"]
    drain_empty(rx)


def test_vlen_is_capped_at_the_kernel_batch(pair):
    tx, rx = pair
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    n = 1500  # more than one kernel batch (UIO_MAXIOV = 1024)
    assert tx.sendmmsg([(b"", rx.getsockname())] * n) == n
    first = rx.recvmmsg(5000, 1)
    assert 0 < len(first) <= 1024


def dual_stack(mod):
    s = mod.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(WAIT)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    return s


def test_mixed_families_on_an_ipv6_socket():
    with dual_stack(rnet) as rx6, dual_stack(rnet) as tx6, udp(rnet) as tx4:
        port = rx6.getsockname()[1]
        assert tx4.sendmmsg([(b"from v4", (LO4, port))]) == 1
        # Mapped and native IPv6 destinations in one batch.
        batch = [(b"v6 mapped", ("::ffff:127.0.0.1", port)), (b"v6 native", (LO6, port, 0, 0))]
        assert tx6.sendmmsg(batch) == 2
        got = rx6.recvmmsg(8, 64)
        assert [d for d, _ in got] == [b"from v4", b"v6 mapped", b"v6 native"]
        # The stdlib's recvfrom, on the same kind of socket and the same
        # traffic, shapes the addresses the same way (v4 mapped 4-tuples).
        with dual_stack(socket) as std6:
            std_port = std6.getsockname()[1]
            tx4.sendto(b"from v4", (LO4, std_port))
            tx6.sendmmsg([(d, (a[0], std_port, *a[2:])) for d, a in batch])
            assert [std6.recvfrom(64) for _ in got] == got
        assert got[0][1] == ("::ffff:127.0.0.1", tx4.getsockname()[1], 0, 0)
        assert got[2][1] == (LO6, tx6.getsockname()[1], 0, 0)


def test_unix_datagrams_as_recvfrom(tmp_path):
    # Unnamed senders (None) and bound paths (str), as recvfrom reports them.
    a, b = rnet.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with a, b, rnet.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as named:
        assert a.sendmmsg([b"one", b"two"]) == 2
        assert b.recvmmsg(4, 10) == [(b"one", None), (b"two", None)]
        path = str(tmp_path / "rx.sock")
        named.bind(path)
        named.settimeout(WAIT)
        sender_path = str(tmp_path / "tx.sock")
        with rnet.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as tx:
            tx.bind(sender_path)
            assert tx.sendmmsg([(b"to path", path), (b"again", path.encode())]) == 2
            assert named.recvmmsg(4, 10) == [(b"to path", sender_path), (b"again", sender_path)]
            tx.sendto(b"by sendto", path)
            assert named.recvfrom(10) == (b"by sendto", sender_path)


def test_recvmmsg_into_fills_the_callers_buffers(pair):
    tx, rx = pair
    to = rx.getsockname()
    tx.sendmmsg([(b"abc", to), (b"defghij", to)])
    bufs = [bytearray(5), memoryview(bytearray(5)), bytearray(5)]
    got = rx.recvmmsg_into(bufs)
    here = tx.getsockname()
    assert got == [(3, here), (5, here)]
    assert bufs[0][:3] == b"abc" and bytes(bufs[1]) == b"defgh"


# --- truncation and flags, against recvfrom --------------------------------


@pytest.mark.parametrize("flags", [0, socket.MSG_TRUNC], ids=["plain", "MSG_TRUNC"])
@pytest.mark.parametrize("bufsize", [0, 3, 10, 100])
def test_truncation_as_recvfrom(pair, bufsize, flags):
    tx, rx = pair
    sizes = [0, 1, 3, 10, 50]
    datagrams = [bytes(range(65, 65 + n)) for n in sizes]
    with udp(socket) as std_rx:
        for d in datagrams:
            tx.sendto(d, std_rx.getsockname())
        expected = [std_rx.recvfrom(bufsize, flags) for _ in datagrams]
    tx.sendmmsg([(d, rx.getsockname()) for d in datagrams])
    got = rx.recvmmsg(len(datagrams), bufsize, flags)
    if flags & socket.MSG_TRUNC:
        # The kernel reports each datagram's full length; CPython returns
        # that many bytes, of which only the first bufsize are data (the rest
        # is whatever its buffer held). rnet's recvfrom and recvmmsg fill
        # the rest with zeros.
        assert [(len(d), d[:bufsize], a) for d, a in got] == [
            (len(d), d[:bufsize], a) for d, a in expected
        ]
        with udp() as ours:
            for d in datagrams:
                tx.sendto(d, ours.getsockname())
            assert [ours.recvfrom(bufsize, flags) for _ in datagrams] == got
    else:
        assert got == expected
    if bufsize:
        tx.sendmmsg([(d, rx.getsockname()) for d in datagrams])
        bufs = [bytearray(bufsize) for _ in datagrams]
        with udp(socket) as std_rx:
            for d in datagrams:
                tx.sendto(d, std_rx.getsockname())
            std_bufs = [bytearray(bufsize) for _ in datagrams]
            want = [std_rx.recvfrom_into(b, 0, flags) for b in std_bufs]
        assert rx.recvmmsg_into(bufs, flags) == want
        assert bufs == std_bufs


def test_msg_peek_leaves_the_datagrams(pair):
    tx, rx = pair
    tx.sendmmsg([(b"one", rx.getsockname()), (b"two", rx.getsockname())])
    assert [d for d, _ in rx.recvmmsg(2, 10, socket.MSG_PEEK)] == [b"one", b"one"]
    assert [d for d, _ in rx.recvmmsg(2, 10)] == [b"one", b"two"]


# --- errors, against sendto/recvfrom ---------------------------------------


def same_error(expected_call, actual_call, rename=("sendto", "sendmmsg")):
    """Both calls raise the same class and errno, with the same message up to
    the method's name; returns the actual outcome."""
    expected, actual = outcome(expected_call), outcome(actual_call)
    assert expected[0] == "raise", expected
    want = (*expected[:3], expected[3].replace(*rename))
    assert actual[:4] == want, f"stdlib: {expected!r}\nrnet:   {actual!r}"
    return actual


def test_timeout_as_recvfrom():
    with udp(socket) as std, udp() as ours:
        for s in (std, ours):
            s.settimeout(0.05)
        expected = outcome(lambda: std.recvfrom(10))
        assert expected[1] == "TimeoutError"
        assert outcome(lambda: ours.recvmmsg(4, 10)) == expected
        assert outcome(lambda: ours.recvmmsg_into([bytearray(4)])) == expected


def test_non_blocking_as_recvfrom():
    with udp(socket) as std, udp() as ours:
        std.setblocking(False)
        ours.setblocking(False)
        expected = outcome(lambda: std.recvfrom(10))
        assert expected[1] == "BlockingIOError"
        assert outcome(lambda: ours.recvmmsg(4, 10)) == expected
        assert outcome(lambda: ours.recvmmsg_into([bytearray(4)])) == expected
        ours.sendto(b"now", ours.getsockname())
        assert ours.recvmmsg(4, 10) == [(b"now", ours.getsockname())]


def test_closed_socket_as_sendto_and_recvfrom():
    std, ours = udp(socket), udp()
    std.close()
    ours.close()
    to = (LO4, 9)
    expected = outcome(lambda: std.sendto(b"x", to))
    assert expected[2] == errno.EBADF
    assert outcome(lambda: ours.sendmmsg([(b"x", to)])) == expected
    assert outcome(lambda: ours.sendmmsg([])) == expected
    assert outcome(lambda: ours.recvmmsg(1, 10)) == outcome(lambda: std.recvfrom(10))
    assert outcome(lambda: ours.recvmmsg(0, 10)) == expected
    assert outcome(lambda: ours.recvmmsg_into([bytearray(1)])) == expected
    # Bad input is reported before the closed socket, as sendto does.
    same_error(lambda: std.sendto("text", to), lambda: ours.sendmmsg([("text", to)]))


BAD_MESSAGES = {
    "str data": ("text", (LO4, 9)),
    "None data": (None, (LO4, 9)),
    "address not a tuple": (b"x", "127.0.0.1"),
    "address of one item": (b"x", (LO4,)),
    "port out of range": (b"x", (LO4, 70000)),
    "negative port": (b"x", (LO4, -1)),
    "port not an int": (b"x", (LO4, "9")),
    "host not text": (b"x", (42, 9)),
    "host with NUL": (b"x", ("127.0.0.1\0", 9)),
    "unknown host": (b"x", ("no-such-host.invalid", 9)),
}


@pytest.mark.parametrize("bad", list(BAD_MESSAGES.values()), ids=list(BAD_MESSAGES))
def test_bad_message_raises_what_sendto_raises_before_sending(pair, bad):
    tx, rx = pair
    data, address = bad
    with udp(socket) as std:
        err = same_error(lambda: std.sendto(data, address), lambda: tx.sendmmsg([bad]))
    # A good message ahead of the bad one is not sent either.
    good = (b"good", rx.getsockname())
    assert outcome(lambda: tx.sendmmsg([good, bad])) == err
    drain_empty(rx)


BAD_V6_ADDRESSES = {
    "flowinfo out of range": ("::1", 9, 1 << 20),
    "port out of range": ("::1", 70000),
    "one item": ("::1",),
    "five items": ("::1", 9, 0, 0, 0),
    "scope not an int": ("::1", 9, 0, "x"),
    "v4 text on a v6 socket": ("127.0.0.1", 9),
}


@pytest.mark.parametrize("address", list(BAD_V6_ADDRESSES.values()), ids=list(BAD_V6_ADDRESSES))
def test_bad_ipv6_address_raises_what_sendto_raises(address):
    with udp(socket, socket.AF_INET6) as std, udp(rnet, socket.AF_INET6) as ours:
        same_error(lambda: std.sendto(b"x", address), lambda: ours.sendmmsg([(b"x", address)]))


def full_pair(mod, timeout):
    """A stream socketpair whose first socket's send buffer is full."""
    a, b = mod.socketpair()
    fill_send_buffer(a)
    a.settimeout(timeout)
    return a, b


@pytest.mark.parametrize("timeout", [0.0, 0.05], ids=["non-blocking", "timeout"])
def test_full_send_buffer_as_send(timeout):
    # Datagram sends on loopback hardly ever wait; a stream pair with a full
    # buffer does, and sendmmsg then fails as send fails.
    std_a, std_b = full_pair(socket, timeout)
    a, b = full_pair(rnet, timeout)
    with std_a, std_b, a, b:
        expected = outcome(lambda: std_a.send(b"x"))
        assert expected[1] == ("BlockingIOError" if timeout == 0 else "TimeoutError")
        assert outcome(lambda: a.sendmmsg([b"x"])) == expected


@pytest.mark.parametrize(
    ("data", "send"),
    [("text", "send"), (42, "send")],
)
def test_bad_bytes_on_connected_socket_as_send(pair, data, send):
    tx, rx = pair
    with udp(socket) as std:
        std.connect(rx.getsockname())
        tx.connect(rx.getsockname())
        same_error(lambda: getattr(std, send)(data), lambda: tx.sendmmsg([data]))
    drain_empty(rx)


def test_argument_errors(pair):
    tx, rx = pair
    with pytest.raises(TypeError, match="argument 1 must be an iterable"):
        tx.sendmmsg(42)
    with pytest.raises(TypeError, match="pairs"):
        tx.sendmmsg([(b"x", rx.getsockname(), 0)])
    with pytest.raises(ValueError, match="negative vlen"):
        rx.recvmmsg(-1, 10)
    with pytest.raises(ValueError, match="negative buffersize"):
        rx.recvmmsg(1, -1)
    with pytest.raises(TypeError):
        rx.recvmmsg("1", 10)
    with pytest.raises(TypeError, match="read-write buffers"):
        rx.recvmmsg_into([b"read-only"])
    with pytest.raises(TypeError, match="must be an iterable"):
        rx.recvmmsg_into(42)
    # Errors the kernel reports come as sendto's: no datagram of 70 000 bytes.
    with udp(socket) as std:
        big = b"x" * 70000
        same_error(
            lambda: std.sendto(big, rx.getsockname()),
            lambda: tx.sendmmsg([(big, rx.getsockname())]),
        )


def test_partial_count_when_the_kernel_stops_early(pair):
    tx, rx = pair
    to = rx.getsockname()
    # sendmmsg(2) reports the messages sent before the one that failed.
    assert tx.sendmmsg([(b"ok", to), (b"x" * 70000, to), (b"never", to)]) == 1
    assert rx.recvmmsg(4, 10) == [(b"ok", tx.getsockname())]
    drain_empty(rx)


def test_broadcast_without_so_broadcast_as_sendto(pair):
    tx, _ = pair
    to = ("127.255.255.255", 9)
    with udp(socket) as std:
        same_error(lambda: std.sendto(b"x", to), lambda: tx.sendmmsg([(b"x", to)]))


# --- the blocking door -----------------------------------------------------


def test_another_thread_runs_while_recvmmsg_waits(pair):
    tx, rx = pair
    rx.settimeout(None)
    result = []
    waiter = threading.Thread(target=lambda: result.append(rx.recvmmsg(8, 10)))
    waiter.start()
    try:
        # This thread holds the GIL only if the waiter let it go.
        spins, deadline = 0, time.monotonic() + 0.3
        while time.monotonic() < deadline:
            spins += 1
        assert spins > 1000 and waiter.is_alive() and result == []
    finally:
        tx.sendmmsg([(b"wake", rx.getsockname())])
        waiter.join(WAIT)
    assert not waiter.is_alive()
    assert result == [[(b"wake", tx.getsockname())]]


def test_timeout_bounds_a_wait_that_others_wake(pair):
    # A datagram that arrives in time ends the wait: the socket's timeout is
    # the deadline for the first datagram, not a fixed sleep.
    tx, rx = pair
    rx.settimeout(WAIT)
    timer = threading.Timer(0.1, lambda: tx.sendto(b"late", rx.getsockname()))
    timer.start()
    try:
        assert rx.recvmmsg(4, 10) == [(b"late", tx.getsockname())]
    finally:
        timer.join(WAIT)


AUDIT = r"""
import sys, rnet
events = []
def hook(event, args):
    if event.startswith("socket.send"):
        events.append((event, args[1:]))
        if args[1:] and args[1] == [None]:
            raise PermissionError("blocked by audit hook")
sys.addaudithook(hook)
rx = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
tx = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
rx.bind(("127.0.0.1", 0))
to = rx.getsockname()
print(tx.sendmmsg([(b"a", to), (b"b", ("localhost", to[1]))]))
tx.connect(to)
try:
    tx.sendmmsg([b"c"])
except PermissionError as exc:
    print("blocked:", exc)
print(events)
rx.settimeout(0.5)
print([d for d, _ in rx.recvmmsg(8, 10)])
rx.close(); tx.close()
"""


def test_one_audit_event_per_call_with_the_destinations():
    done = subprocess.run([sys.executable, "-c", AUDIT], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    port = eval(lines[2])[0][1][0][0][1]  # noqa: S307  (our own repr output)
    assert lines[0] == "2"
    assert lines[1] == "blocked: blocked by audit hook"
    assert eval(lines[2]) == [  # noqa: S307
        ("socket.sendmmsg", ([("127.0.0.1", port), ("localhost", port)],)),
        ("socket.sendmmsg", ([None],)),
    ]
    assert lines[3] == "[b'a', b'b']"  # the blocked call sent nothing


# --- UDP segmentation offload ----------------------------------------------


def segments(n, size, last=None):
    """`n` distinguishable segments of `size` bytes (the last `last` bytes long)."""
    out = [bytes([65 + i % 26]) * size for i in range(n)]
    if last is not None:
        out[-1] = out[-1][:last]
    return out


def test_gso_send_arrives_as_separate_datagrams(pair):
    tx, rx = pair
    tx.connect(rx.getsockname())
    tx.setsockopt(rnet.SOL_UDP, rnet.UDP_SEGMENT, 1400)
    assert tx.getsockopt(rnet.SOL_UDP, rnet.UDP_SEGMENT) == 1400
    parts = segments(40, 1400, last=123)
    assert tx.send(b"".join(parts)) == 39 * 1400 + 123
    got = rx.recvmmsg(64, 2048)
    assert [d for d, _ in got] == parts


def test_gso_control_message_on_sendmsg(pair):
    tx, rx = pair
    parts = segments(10, 500)
    cmsg = [(rnet.SOL_UDP, rnet.UDP_SEGMENT, struct.pack("=H", 500))]
    assert tx.sendmsg([b"".join(parts)], cmsg, 0, rx.getsockname()) == 5000
    got = []
    while len(got) < len(parts):
        got += rx.recvmmsg(64, 2048)
    assert [d for d, _ in got] == parts


def test_gro_reports_the_segment_size(pair):
    tx, rx = pair
    rx.setsockopt(rnet.SOL_UDP, rnet.UDP_GRO, 1)
    tx.setsockopt(rnet.SOL_UDP, rnet.UDP_SEGMENT, 1400)
    parts = segments(40, 1400, last=600)
    tx.sendto(b"".join(parts), rx.getsockname())
    data, anc, flags, address = rx.recvmsg(65536, rnet.CMSG_SPACE(4))
    assert (flags, address) == (0, tx.getsockname())
    # Loopback hands the whole GSO packet to a GRO socket: one read, the
    # segment size in a (SOL_UDP, UDP_GRO, int) control message.
    assert anc == [(rnet.SOL_UDP, rnet.UDP_GRO, struct.pack("=i", 1400))]
    size = struct.unpack("=i", anc[0][2])[0]
    assert [data[i : i + size] for i in range(0, len(data), size)] == parts


def test_gso_with_sendmmsg_and_the_stdlib_receiving(pair):
    tx, _ = pair
    tx.setsockopt(rnet.SOL_UDP, rnet.UDP_SEGMENT, 100)
    with udp(socket) as std:
        to = std.getsockname()
        assert tx.sendmmsg([(b"a" * 250, to), (b"b" * 100, to)]) == 2
        assert [std.recvfrom(1000)[0] for _ in range(4)] == [
            b"a" * 100,
            b"a" * 100,
            b"a" * 50,
            b"b" * 100,
        ]


# --- Ctrl-C (as tests/test_interrupt.py) -----------------------------------

RECVMMSG = """\
import rnet

sock = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
try:
    sock.bind(("127.0.0.1", 0))
    sock.settimeout({timeout})
    print("ready", flush=True)
    sock.{call}
finally:
    sock.close()
"""


@pytest.mark.parametrize("timeout", [None, 60.0], ids=["blocking", "timeout"])
@pytest.mark.parametrize("call", ["recvmmsg(64, 2048)", "recvmmsg_into([bytearray(8)])"])
def test_sigint_interrupts_recvmmsg(tmp_path, timeout, call):
    script = tmp_path / "blocked.py"
    script.write_text(RECVMMSG.format(timeout=timeout, call=call))
    with Process([script]) as proc:
        proc.wait_for_line("ready")
        time.sleep(0.2)  # so the call is blocked
        assert proc.popen.poll() is None, proc.stderr
        proc.send_signal(signal.SIGINT)
        rc, _, err = proc.finish(timeout=5.0)
    assert rc == -signal.SIGINT, err
    assert err.rstrip().splitlines()[-1] == "KeyboardInterrupt"
    assert f"sock.{call}" in err


# --- examples/udp_batch.py -------------------------------------------------


@pytest.mark.parametrize(
    ("recv_opts", "send_opts", "expected"),
    [
        ([], [], "sent 40 datagrams in one sendmmsg"),
        ([], ["--gso"], "sent 40 segments of 1400 bytes in one send (GSO)"),
        (["--gro"], ["--gso"], "sent 40 segments of 1400 bytes in one send (GSO)"),
    ],
    ids=["mmsg", "gso", "gso+gro"],
)
def test_udp_batch_example(recv_opts, send_opts, expected):
    receiver = [EXAMPLES / "udp_batch.py", "recv", LO4, 0, "--timeout", 10, *recv_opts]
    with Process(receiver) as rx:
        port = int(rx.wait_for_line("listening on ").rsplit(":", 1)[1])
        done = run_python([EXAMPLES / "udp_batch.py", "send", LO4, port, *send_opts])
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [expected]
        rc, out, err = rx.finish()
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[-1] == "received 40 datagrams"
    if recv_opts:  # GRO: the GSO send comes back as one buffer
        assert (
            lines[1]
            == f"40 datagram(s) of up to 1400 bytes in one read from {LO4}:"
            + (lines[1].rsplit(":", 1)[1])
        )
    else:
        assert all(" in one recvmmsg from 127.0.0.1:" in line for line in lines[1:-1])
