"""Signals reach Python while an rnet socket call is blocked (PEP 475).

Each case runs a small rnet program in a subprocess that prints ``ready`` just
before it blocks; the test waits for that line, gives the call 0.2 s to block,
then sends the signal. Both of rnet's waits are covered: the blocking system
call (no timeout) and the poll() of a socket with a timeout.
"""

import contextlib
import signal
import socket
import time

import pytest

from helpers import Process

SETTLE = 0.2  # seconds between "ready" and the signal, so the call is blocked
EXIT_BOUND = 5.0  # generous bound on the wait for the process to react

TIMEOUTS = pytest.mark.parametrize("timeout", [None, 60.0], ids=["blocking", "timeout"])

ACCEPT = """\
import sys
import rnet

listener = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
try:
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout({timeout})
    print("ready", flush=True)
    listener.accept()
finally:
    listener.close()
"""

RECV = """\
import rnet

listener = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
client = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
try:
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client.connect(listener.getsockname())
    conn, _ = listener.accept()
    with conn:
        conn.settimeout({timeout})
        print("ready", flush=True)
        conn.recv(80)
finally:
    client.close()
    listener.close()
"""

# A listener with a backlog of 0 takes one connection; the kernel drops the
# next one's SYNs, so that connect() blocks without leaving loopback.
CONNECT = """\
import rnet

listener = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
first = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
second = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
try:
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    first.connect(listener.getsockname())
    second.settimeout({timeout})
    print("ready", flush=True)
    second.connect(listener.getsockname())
finally:
    second.close()
    first.close()
    listener.close()
"""

# Nobody reads: sendall fills both socket buffers and then blocks.
SENDALL = """\
import rnet

listener = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
client = rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM)
try:
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client.connect(listener.getsockname())
    conn, _ = listener.accept()
    with conn:
        client.settimeout({timeout})
        data = b"x" * (256 << 20)
        print("ready", flush=True)
        client.sendall(data)
finally:
    client.close()
    listener.close()
"""

HANDLER = """\
import signal
import sys
import rnet

def handler(signum, frame):
    print("handler ran", flush=True)
    if sys.argv[2] == "raise":
        raise RuntimeError("raised by the handler")

signal.signal(signal.SIGUSR1, handler)
with rnet.socket(rnet.AF_INET, rnet.SOCK_STREAM) as sock:
    sock.connect(("127.0.0.1", int(sys.argv[1])))
    sock.settimeout({timeout})
    print("ready", flush=True)
    data = sock.recv(80)
    print("recv returned", data, flush=True)
"""


def write_script(tmp_path, template, timeout):
    """``template`` with its timeout filled in, as a file (so tracebacks show source)."""
    path = tmp_path / "blocked.py"
    path.write_text(template.format(timeout=timeout))
    return path


def interrupt(script, line):
    """Run ``script`` until it is blocked, SIGINT it; check that it ended by an
    uncaught KeyboardInterrupt raised at ``line``; return its stderr."""
    with Process([script]) as proc:
        proc.wait_for_line("ready")
        time.sleep(SETTLE)
        assert proc.popen.poll() is None, proc.stderr  # still blocked, not finished
        proc.send_signal(signal.SIGINT)
        rc, _, err = proc.finish(timeout=EXIT_BOUND)
    # An uncaught KeyboardInterrupt ends Python by SIGINT itself.
    assert rc == -signal.SIGINT, err
    assert err.rstrip().splitlines()[-1] == "KeyboardInterrupt"
    assert line in err
    return err


@TIMEOUTS
def test_sigint_interrupts_accept(tmp_path, timeout):
    err = interrupt(write_script(tmp_path, ACCEPT, timeout), "listener.accept()")
    assert "Traceback (most recent call last)" in err


@TIMEOUTS
@pytest.mark.parametrize(
    ("template", "line"),
    [(CONNECT, "second.connect(listener.getsockname())"), (SENDALL, "client.sendall(data)")],
    ids=["connect", "sendall"],
)
def test_sigint_interrupts_connect_and_sendall(tmp_path, timeout, template, line):
    interrupt(write_script(tmp_path, template, timeout), line)


@TIMEOUTS
def test_sigint_interrupts_recv(tmp_path, timeout):
    err = interrupt(write_script(tmp_path, RECV, timeout), "conn.recv(80)")
    assert "Traceback (most recent call last)" in err


@contextlib.contextmanager
def signalled_in_recv(tmp_path, timeout, handler_does):
    """HANDLER's program blocked in recv() on a connection of ours, sent SIGUSR1
    (its handler then returns or raises, as ``handler_does`` says): yields
    ``(proc, conn)``."""
    script = write_script(tmp_path, HANDLER, timeout)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(EXIT_BOUND)
        port = listener.getsockname()[1]
        with Process([script, port, handler_does]) as proc:
            conn, _ = listener.accept()
            with conn:
                proc.wait_for_line("ready")
                time.sleep(SETTLE)
                proc.send_signal(signal.SIGUSR1)
                yield proc, conn


@TIMEOUTS
def test_signal_handler_runs_and_recv_continues(tmp_path, timeout):
    # The handler runs while recv() is blocked; recv() then resumes and returns
    # the data sent only after the handler has run.
    with signalled_in_recv(tmp_path, timeout, "return") as (proc, conn):
        proc.wait_for_line("handler ran", timeout=EXIT_BOUND)
        time.sleep(SETTLE)
        assert proc.popen.poll() is None, proc.stderr  # recv() still waiting
        conn.sendall(b"late data")
        rc, out, err = proc.finish(timeout=EXIT_BOUND)
    assert rc == 0, err
    assert err == ""
    assert out.splitlines() == ["ready", "handler ran", "recv returned b'late data'"]


@TIMEOUTS
def test_exception_from_signal_handler_ends_recv(tmp_path, timeout):
    # PEP 475: when the handler raises, recv() is not retried; the exception propagates.
    with signalled_in_recv(tmp_path, timeout, "raise") as (proc, _conn):
        rc, out, err = proc.finish(timeout=EXIT_BOUND)
    assert rc == 1, err
    assert out.splitlines() == ["ready", "handler ran"]
    assert err.rstrip().splitlines()[-1] == "RuntimeError: raised by the handler"
    assert "data = sock.recv(80)" in err
