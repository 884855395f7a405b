"""Failing and hanging name lookups, inside a network namespace of the test's own.

The machine's DNS server is off the machine, so lookups of unknown names never
run in the machine's namespace. This module makes a namespace `rnet-dns-<pid>`
with only `lo` (up), whose /etc/netns/NAME/resolv.conf says
`nameserver 127.0.0.1` (`ip netns exec` bind-mounts it over /etc/resolv.conf),
and runs every program that looks a name up inside it, next to a DNS server of
its own on 127.0.0.1:53 (dns_responder.py):

- `nxdomain`: every query is answered "no such name". The stdlib and rnet run
  the same failing lookups in one process; both must raise the same exception
  with the same args (gaierror, herror, ...).
- no server at all: queries are refused at once (EAI_AGAIN, TRY_AGAIN).
- `silent`: queries are never answered. A program blocked in
  `rnet.gethostbyname('hang.invalid')` (or `getaddrinfo`) gets SIGINT and must
  die with KeyboardInterrupt at once, where the resolver alone would wait 30 s.

The fixture deletes the namespace and /etc/netns/NAME afterwards, also when a
test fails, and kills every process it started by its PID. Without root, `ip`
or namespace support the module is skipped, with the reason.
"""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NETNS_ETC = Path("/etc/netns")
WAIT = 5.0  # seconds: the bound on every wait for a program or a line

# The resolver waits this long for an answer that never comes (glibc's upper
# limit), so a lookup that returns within WAIT of SIGINT was interrupted.
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n"


class Proc:
    """A started program whose stdout lines a thread collects, for bounded waits."""

    def __init__(self, argv):
        self.popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = queue.Queue()
        self.seen = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, prefix, timeout=WAIT):
        """The first line starting with `prefix`, waiting at most `timeout` s."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line {prefix!r} within {timeout} s; saw {self.seen!r}")

    def stop(self):
        """Kill the program by its PID (if it still runs), reap it, close its pipes."""
        if self.popen.poll() is None:
            self.popen.kill()
        try:
            self.popen.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            return
        # The reader sees end of file once the program is gone.
        self.reader.join(timeout=WAIT)
        if not self.reader.is_alive():
            self.popen.stdout.close()
        self.popen.stderr.close()


class Namespace:
    """The network namespace and the processes started in it."""

    def __init__(self, name):
        self.name = name
        self.procs = []

    def start(self, *argv):
        proc = Proc(["ip", "netns", "exec", self.name, *argv])
        self.procs.append(proc)
        return proc

    def python(self, code):
        return self.start(sys.executable, "-c", code)

    def responder(self, mode):
        """Start dns_responder.py in `mode`; return it once it listens."""
        proc = self.start(sys.executable, str(HERE / "dns_responder.py"), mode, "--lifetime", "120")
        proc.wait_line("ready")
        return proc

    def stop_all(self):
        for proc in self.procs:
            proc.stop()
        self.procs.clear()


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=20)


@pytest.fixture(scope="module")
def netns():
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and ip(8)")
    name = f"rnet-dns-{os.getpid()}"
    etc_existed = NETNS_ETC.exists()
    made = run("ip", "netns", "add", name)
    if made.returncode != 0:
        pytest.skip(f"cannot create a network namespace: {made.stderr.strip()}")
    ns = Namespace(name)
    try:
        (NETNS_ETC / name).mkdir(parents=True, exist_ok=True)
        (NETNS_ETC / name / "resolv.conf").write_text(RESOLV_CONF)
        up = run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")
        if up.returncode != 0:
            pytest.skip(f"cannot run programs in a network namespace: {up.stderr.strip()}")
        seen = run("ip", "netns", "exec", name, "cat", "/etc/resolv.conf")
        if seen.stdout != RESOLV_CONF:
            pytest.skip("ip netns exec does not bind-mount /etc/netns/NAME/resolv.conf")
        yield ns
    finally:
        ns.stop_all()
        run("ip", "netns", "del", name)
        shutil.rmtree(NETNS_ETC / name, ignore_errors=True)
        if not etc_existed:
            try:
                NETNS_ETC.rmdir()
            except OSError:
                pass


# --- the same failures on both modules ------------------------------------------

PROBE = """
import json, os, socket, sys, threading
import rnet
sys.path.insert(0, {tests!r})
from diff import outcome
if {pin!r}:
    os.sched_setaffinity(0, {{min(os.sched_getaffinity(0))}})
def run():
    for case in json.loads(sys.argv[1]):
        got = [outcome(lambda: eval(case, {{"m": mod}})) for mod in (socket, rnet)]
        print(json.dumps({{"case": case, "same": got[0] == got[1],
                          "stdlib": repr(got[0]), "rnet": repr(got[1])}}), flush=True)
if {worker!r}:
    t = threading.Thread(target=run)
    t.start()
    t.join(60)
else:
    run()
print("done", flush=True)
"""


def probe(ns, mode, cases, *, worker=False, pin=False):
    """Run `cases` (expressions on `m`) on both modules in the namespace, with
    the DNS server in `mode` (None: no server); one result per case. `worker`
    runs them on a thread other than the main one, `pin` in a process
    confined to one CPU."""
    server = ns.responder(mode) if mode else None
    try:
        program = PROBE.format(tests=str(HERE), worker=worker, pin=pin)
        client = ns.start(sys.executable, "-c", program, json.dumps(cases))
        results = {}
        for _ in cases:
            line = client.wait_line("{", timeout=30)
            result = json.loads(line)
            results[result["case"]] = result
        client.wait_line("done")
        return results
    finally:
        ns.stop_all()
        del server


NXDOMAIN_CASES = [
    "m.gethostbyname('nonexistent.invalid')",
    "m.gethostbyname_ex('nonexistent.invalid')",
    "m.gethostbyaddr('nonexistent.invalid')",
    "m.gethostbyaddr('192.0.2.1')",
    "m.gethostbyaddr('2001:db8::1')",
    "m.gethostbyaddr('::1')",
    "m.gethostbyaddr('255.255.255.255')",
    "m.gethostbyaddr('<broadcast>')",
    "m.gethostbyaddr('0.0.0.0')",
    "m.gethostbyaddr('')",
    "m.gethostbyname_ex('')",
    "m.gethostbyname_ex('0x7f.1')",
    "m.gethostbyname('::1')",
    "m.gethostbyname('1.2.3.999')",
    "m.gethostbyname(' 127.0.0.1')",
    "m.gethostbyname('127.0.0.1 ')",
    "m.gethostbyname('+1.2.3.4')",
    "m.gethostbyname('nonexistent')",
    "m.gethostbyname(b'nonexistent.invalid')",
    "m.gethostbyname('b\\u00fccher.invalid')",
    "m.getaddrinfo('nonexistent.invalid', 80)",
    "m.getaddrinfo('nonexistent.invalid', 'http', m.AF_INET, m.SOCK_STREAM)",
    "m.getaddrinfo('localhost', 80, m.AF_INET6)",
    "m.getaddrinfo('a\\0', 80)",
    "m.getaddrinfo(b'a\\0', 80)",
    "m.getaddrinfo('', 80)",
    "m.getaddrinfo('<broadcast>', 80)",
    "m.getnameinfo(('192.0.2.1', 80), 0)",
    "m.getnameinfo(('192.0.2.1', 80), m.NI_NAMEREQD)",
    "m.getnameinfo(('::1', 80), 0)",
    "m.getfqdn('nonexistent.invalid')",
    "m.getfqdn('192.0.2.1')",
    "m.socket().connect(('nonexistent.invalid', 80))",
]

REFUSED_CASES = [
    "m.gethostbyname('nonexistent.invalid')",
    "m.gethostbyaddr('192.0.2.1')",
    "m.getaddrinfo('nonexistent.invalid', 80)",
    "m.getnameinfo(('192.0.2.1', 80), m.NI_NAMEREQD)",
]


@pytest.fixture(scope="module")
def nxdomain_results(netns):
    return probe(netns, "nxdomain", NXDOMAIN_CASES + ["m.gethostbyname_ex('<broadcast>')"])


@pytest.fixture(scope="module")
def refused_results(netns):
    return probe(netns, None, REFUSED_CASES)


@pytest.mark.parametrize("case", NXDOMAIN_CASES)
def test_no_such_name(nxdomain_results, case):
    result = nxdomain_results[case]
    assert result["same"], f"stdlib: {result['stdlib']}\nrnet:   {result['rnet']}"


def test_unknown_name_is_gaierror(nxdomain_results):
    result = nxdomain_results["m.gethostbyname('nonexistent.invalid')"]
    assert result["rnet"].startswith("('raise', 'gaierror', -2,"), result


def test_unknown_address_is_herror(nxdomain_results):
    result = nxdomain_results["m.gethostbyaddr('192.0.2.1')"]
    assert result["rnet"].startswith("('raise', 'herror', 1,"), result


def test_broadcast_name_herror(nxdomain_results):
    """gethostbyname_ex('<broadcast>'): gethostbyname_r refuses the name without
    touching the thread's h_errno, and CPython reports that h_errno, left over
    from an earlier call (0 in a fresh thread). rnet reports the lookup's own
    code: HOST_NOT_FOUND."""
    result = nxdomain_results["m.gethostbyname_ex('<broadcast>')"]
    assert result["stdlib"].startswith("('raise', 'herror',"), result
    assert result["rnet"] == repr(
        ("raise", "herror", 1, "[Errno 1] Unknown host", (1, "Unknown host"))
    )


@pytest.mark.parametrize("case", REFUSED_CASES)
def test_no_server(refused_results, case):
    result = refused_results[case]
    assert result["same"], f"stdlib: {result['stdlib']}\nrnet:   {result['rnet']}"


# Lookups that reach the DNS server, from the main thread (rnet's helper
# thread) and from a worker (the caller's thread), free and on one CPU.
SHAPE_CASES = [
    "m.gethostbyname('nonexistent.invalid')",
    "m.getaddrinfo('nonexistent.invalid', 'http', m.AF_INET, m.SOCK_STREAM)",
    "m.getaddrinfo('localhost', 80, m.AF_INET6)",
    "m.gethostbyaddr('192.0.2.1')",
    "m.getnameinfo(('192.0.2.1', 80), m.NI_NAMEREQD)",
    "m.socket().connect(('nonexistent.invalid', 80))",
    "m.gethostbyname('localhost')",
]


@pytest.mark.parametrize("pin", [False, True], ids=["free", "one-cpu"])
@pytest.mark.parametrize("worker", [False, True], ids=["main", "worker"])
def test_dns_lookups_by_thread_and_cpus(netns, worker, pin):
    results = probe(netns, "nxdomain", SHAPE_CASES, worker=worker, pin=pin)
    wrong = {case: r for case, r in results.items() if not r["same"]}
    assert wrong == {}


# --- Ctrl-C while the resolver hangs ---------------------------------------------

HANG = """
import os, signal, rnet
if {pin!r}:
    # One CPU: the helper thread and the waiting caller share it.
    os.sched_setaffinity(0, {{min(os.sched_getaffinity(0))}})
signal.signal(signal.SIGINT, signal.default_int_handler)
print("calling", flush=True)
try:
    {call}
except KeyboardInterrupt:
    print("interrupted", flush=True)
    print("after", rnet.gethostbyname("localhost"), flush=True)
    raise
print("returned", flush=True)
"""


@pytest.mark.parametrize("pin", [False, True], ids=["free", "one-cpu"])
@pytest.mark.parametrize(
    "call", ["rnet.gethostbyname('hang.invalid')", "rnet.getaddrinfo('hang.invalid', 80)"]
)
def test_ctrl_c_interrupts_hung_lookup(netns, call, pin):
    server = netns.responder("silent")
    try:
        client = netns.python(HANG.format(call=call, pin=pin))
        client.wait_line("calling")
        # The query has reached the server: the client is inside the resolver.
        server.wait_line("query hang.invalid")
        client.popen.send_signal(signal.SIGINT)
        try:
            client.popen.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{call} was still running {WAIT} s after SIGINT")
        stderr = client.popen.stderr.read()
        assert client.popen.returncode != 0
        assert "KeyboardInterrupt" in stderr, stderr
        client.wait_line("interrupted")
        assert client.wait_line("after") == "after 127.0.0.1"
        assert "returned" not in client.seen
    finally:
        netns.stop_all()


# --- the note on a name that does not resolve (rnet/_notes.py) ------------------

NOTE_PROBE = """
import json, socket, sys
import rnet
sys.path.insert(0, {tests!r})
from diff import outcome
for case in json.loads(sys.argv[1]):
    got = [outcome(lambda: eval(case, {{"m": mod}})) for mod in (socket, rnet)]
    notes = []
    for mod in (socket, rnet):
        try:
            eval(case, {{"m": mod}})
        except Exception as exc:
            notes.append(getattr(exc, "__notes__", []))
    print(json.dumps({{"case": case, "same": got[0] == got[1], "notes": notes,
                      "host": socket.gethostname()}}), flush=True)
print("done", flush=True)
"""

UNRESOLVED_CASES = [
    "m.socket().connect(('nonexistent.invalid', 11267))",
    "m.create_connection(('nonexistent.invalid', 11267))",
    "m.gethostbyname('nonexistent.invalid')",
    "m.gethostbyname_ex('nonexistent.invalid')",
    "m.getaddrinfo('nonexistent.invalid', 80)",
    "m.socket().bind(('nonexistent.invalid', 0))",
]


def test_unresolved_name_gets_a_note(netns):
    server = netns.responder("nxdomain")
    try:
        client = netns.start(
            sys.executable, "-c", NOTE_PROBE.format(tests=str(HERE)), json.dumps(UNRESOLVED_CASES)
        )
        results = [json.loads(client.wait_line("{", timeout=30)) for _ in UNRESOLVED_CASES]
        client.wait_line("done")
    finally:
        netns.stop_all()
        del server
    for result in results:
        here = result["host"]
        assert result["same"], result
        assert result["notes"] == [
            [],
            [
                "rnet: the name 'nonexistent.invalid' did not resolve to an address; check its "
                f"spelling (this machine's own names are 'localhost' and socket.gethostname() "
                f"({here!r}))"
            ],
        ], result
