"""Shared helpers for tests that run programs in subprocesses and talk over loopback.

Everything here is bounded: every wait has a timeout, every subprocess is killed
by its PID when a test leaves it behind, and nothing touches a network other
than 127.0.0.1 / ::1. The helpers use the stdlib ``socket`` on purpose, so a bug
in rnet cannot hide itself in the test harness.

- :func:`free_port` - a TCP port nobody listens on right now.
- :func:`wait_for_port` - until a server accepts connections (for servers that
  serve many clients: the probe uses up one connection).
- :func:`python_env` - the environment for a Python subprocess (unbuffered).
- :func:`run_python` - run a Python program to completion, with a timeout.
- :class:`Process` - a background subprocess whose output can be waited on
  line by line, killed and collected when the ``with`` block ends.
"""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
DATA = Path(__file__).resolve().parent / "data"

#: Default bound, in seconds, for any single wait in these helpers.
TIMEOUT = 20.0


def hosts_file_names(path="/etc/hosts"):
    """Every name /etc/hosts lists: the only names a test may look up in the
    machine's own namespace, since its DNS resolver is off the machine."""
    names = set()
    with open(path, encoding="utf-8", errors="replace") as hosts:
        for line in hosts:
            names.update(line.split("#", 1)[0].split()[1:])
    return names


# The machine's own name where /etc/hosts answers for it, else 'localhost':
# a lookup of it never reaches DNS.
LOCAL_NAME = os.uname().nodename if os.uname().nodename in hosts_file_names() else "localhost"


def fill_send_buffer(sock):
    """Fill ``sock``'s send buffer (leaving it non-blocking) so that the next send waits."""
    sock.setblocking(False)
    try:
        while True:
            sock.send(b"f" * 65536)
    except BlockingIOError:
        pass


def free_port(host="127.0.0.1", family=socket.AF_INET):
    """A TCP port on ``host`` that was free a moment ago (bound to port 0, then closed).

    Another process could take it before the caller binds it; on a test machine
    that is rare, and the caller's bind then fails loudly rather than silently.
    """
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(port, host="127.0.0.1", timeout=TIMEOUT, process=None):
    """Block until a TCP connect to ``(host, port)`` succeeds; raise TimeoutError if not.

    Each probe connection is closed at once, so do not use this on a server that
    accepts a single client: the probe would be that client. If ``process`` (a
    :class:`Process` or ``Popen``) exits first, raise RuntimeError at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1.0):
                return
        except OSError:
            pass
        popen = getattr(process, "popen", process)
        if popen is not None and popen.poll() is not None:
            raise RuntimeError(f"process exited with {popen.returncode} before port {port} opened")
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing accepted connections on {host}:{port} in {timeout} s")
        time.sleep(0.05)


def python_env(extra=None):
    """``os.environ`` plus ``extra``, with PYTHONUNBUFFERED=1 so lines arrive as printed."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.update({k: str(v) for k, v in (extra or {}).items()})
    return env


def run_python(
    args, *, input=None, env=None, cwd=None, timeout=TIMEOUT, text=True, executable=None
):
    """Run ``sys.executable *args`` (or ``executable *args``) to completion; return
    the CompletedProcess.

    Output is text (universal newlines: ``\r\n`` reads as ``\n``) unless
    ``text=False``. ``env`` entries are added to the environment (see
    :func:`python_env`). On timeout the child is killed (subprocess.run does
    that) and TimeoutExpired propagates, failing the test.
    """
    return subprocess.run(
        [executable or sys.executable, *map(str, args)],
        input=input,
        capture_output=True,
        text=text,
        env=python_env(env),
        cwd=cwd,
        timeout=timeout,
    )


class Process:
    """A Python subprocess run in the background, its output read by two threads.

    Use it as a context manager: on leaving the block the process is killed by
    its PID if it is still running, reaped, and its pipes are closed::

        with Process(["server.py"], env={"RNET_PORT": port}) as server:
            server.wait_for_line("waits for connection")
            ...
            rc, out, err = server.finish()
    """

    def __init__(self, args, *, env=None, cwd=None, stdin=subprocess.DEVNULL, executable=None):
        self.args = [executable or sys.executable, *map(str, args)]
        self.popen = subprocess.Popen(
            self.args,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=python_env(env),
            cwd=cwd,
        )
        self.pid = self.popen.pid
        self._lines = queue.Queue()  # stdout lines not yet seen by wait_for_line
        self._out = []
        self._err = []
        self._readers = [
            threading.Thread(target=self._pump, args=(self.popen.stdout, self._out, True)),
            threading.Thread(target=self._pump, args=(self.popen.stderr, self._err, False)),
        ]
        for reader in self._readers:
            reader.daemon = True
            reader.start()

    def _pump(self, stream, store, is_stdout):
        for line in stream:
            store.append(line)
            if is_stdout:
                self._lines.put(line)

    def wait_for_line(self, text, timeout=TIMEOUT):
        """Return the next stdout line containing ``text``, waiting at most ``timeout`` s.

        Lines before it are skipped (they stay in :attr:`stdout`). Raises
        AssertionError with the output so far if the line does not come.
        """
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(0.0, min(left, 0.1)))
            except queue.Empty:
                if left <= 0 or (self.popen.poll() is not None and self._drained()):
                    raise AssertionError(
                        f"no line containing {text!r} from {self.args}\n"
                        f"stdout: {self.stdout!r}\nstderr: {self.stderr!r}"
                    ) from None
                continue
            if text in line:
                return line

    def _drained(self):
        return not self._readers[0].is_alive() and self._lines.empty()

    def send_signal(self, signum=signal.SIGINT):
        """Send ``signum`` to the process (by its PID)."""
        os.kill(self.pid, signum)

    def wait(self, timeout=TIMEOUT):
        """Wait for exit and return the code; raise AssertionError if it does not exit."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.args} still running after {timeout} s") from None

    def finish(self, timeout=TIMEOUT):
        """Wait for exit; return ``(returncode, stdout, stderr)`` with all output read."""
        rc = self.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        return rc, self.stdout, self.stderr

    @property
    def stdout(self):
        """Everything read from stdout so far."""
        return "".join(self._out)

    @property
    def stderr(self):
        """Everything read from stderr so far."""
        return "".join(self._err)

    def kill(self):
        """SIGKILL the process by its PID if it is still running, and reap it."""
        if self.popen.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait(TIMEOUT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.kill()
        finally:
            for reader in self._readers:
                reader.join(TIMEOUT)
            for stream in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
                if stream is not None:
                    stream.close()
