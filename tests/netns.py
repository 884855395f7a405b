"""Three hosts on one Ethernet segment, made of Linux network namespaces.

The broadcast and multicast tests need real hosts: a datagram to '<broadcast>'
(255.255.255.255) or to 198.18.0.255 must leave one host and reach the others,
and such traffic must never leave this machine. So every host is a network
namespace of its own:

    rnet<pid>x<tag>a   eth0 198.18.0.1/24   "hosta"
    rnet<pid>x<tag>b   eth0 198.18.0.2/24   "hostb"
    rnet<pid>x<tag>c   eth0 198.18.0.3/24   "hostc"
    rnet<pid>x<tag>sw  bridge br0 joining the ports pa, pb, pc (no address)

Each eth0 is one end of a veth pair whose other end is a port of the bridge in
the "switch" namespace; the pairs are created inside the switch namespace, so
nothing is added to, or routed through, the machine's own namespace. Each host
has lo up and a default route out of eth0, so '<broadcast>' is routable there.

Names: programs run through ``ip netns exec``, which bind-mounts
/etc/netns/NAME/hosts and /etc/netns/NAME/resolv.conf over /etc. The hosts file
names all three hosts; resolv.conf points at 127.0.0.1 (inside the namespace),
so no lookup leaves the machine. Where ``unshare --uts`` works, each program
also runs in a UTS namespace whose host name is the host's ("hostb" on B), so
gethostname() differs per host; otherwise the machine's own host name is mapped
to each namespace's address in that namespace's hosts file.

`Network.destroy()` (run by the fixtures, also when a test fails) kills the
processes it started, by PID, and deletes the namespaces, which deletes their
links, and the /etc/netns directories. Where namespaces cannot be made (not
root, no ``ip``, ``ip netns add`` refused), the fixture skips with the reason.

`Proc` runs a program (in a namespace or not) and collects its output lines, so
tests can wait, for a bounded time, for a line to appear.
"""

import atexit
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SUBNET = "198.18.0"
BROADCAST = f"{SUBNET}.255"
NETNS_ETC = Path("/etc/netns")
CMD_TIMEOUT = 20.0  # seconds for one `ip` command


class Proc:
    """A started program; a thread collects its output (stderr merged) by line.

    Every wait is bounded; `stop()` ends the program by its PID (SIGTERM, then
    SIGKILL) and closes the pipe.
    """

    def __init__(self, argv, env=None, label=None):
        self.argv = list(argv)
        self.label = label or os.path.basename(str(self.argv[0]))
        self.lines = []
        self._eof = False
        self._cond = threading.Condition()
        self.popen = subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            env=env,
            start_new_session=True,  # a Ctrl-C at the terminal is the test's, not ours
        )
        self.pid = self.popen.pid
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self):
        try:
            for line in self.popen.stdout:
                with self._cond:
                    self.lines.append(line.rstrip("\n"))
                    self._cond.notify_all()
        except (OSError, ValueError):  # pipe closed under us by stop()
            pass
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    @property
    def output(self):
        with self._cond:
            return "\n".join(self.lines)

    def __repr__(self):
        return f"<Proc {self.label} pid={self.pid}>"

    def wait_for(self, pattern, timeout=10.0):
        """The first output line matching the regex `pattern`, waiting at most `timeout` s."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                for line in self.lines[seen:]:
                    match = regex.search(line)
                    if match:
                        return match
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    break
                self._cond.wait(min(left, 0.5))
        why = "exited" if self._eof else f"still running after {timeout} s"
        raise AssertionError(
            f"{self.label} {why} without printing a line matching {pattern!r}; "
            f"output:\n{self.output}"
        )

    def finish(self, timeout=15.0):
        """Wait (bounded) for the program to exit; return (returncode, output)."""
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(
                f"{self.label} did not exit within {timeout} s; output:\n{self.output}"
            ) from None
        self._thread.join(5.0)
        self._close()
        return self.popen.returncode, self.output

    def send_signal(self, signum):
        if self.popen.poll() is None:
            os.kill(self.pid, signum)

    def stop(self, grace=3.0):
        """End the program by PID (SIGTERM, then SIGKILL after `grace` s) and reap it."""
        if self.popen.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
                self.popen.wait(grace)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.popen.wait(10.0)
        self._thread.join(5.0)
        self._close()

    def _close(self):
        if self.popen.stdout and not self.popen.stdout.closed and not self._thread.is_alive():
            self.popen.stdout.close()


def child_env():
    """The environment for test programs: unbuffered output, no .pyc writes."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for name in ("RNET_HOST", "RNET_PORT", "RNET_COUNT", "RNET_GROUP"):
        env.pop(name, None)
    return env


def example_argv(name, *args):
    """argv running examples/`name` with this interpreter."""
    return [sys.executable, "-u", str(EXAMPLES / name), *map(str, args)]


class Host:
    """One namespace: `ns` its name, `name` its host name in every hosts file,
    `addr` its address, `hostname` what gethostname() returns there."""

    def __init__(self, ns, name, addr, hostname):
        self.ns, self.name, self.addr, self.hostname = ns, name, addr, hostname

    def __repr__(self):
        return f"<Host {self.name} {self.addr} netns={self.ns}>"


class NetnsError(Exception):
    """A namespace could not be set up; the message says which command failed."""


def _ip(*args, check=True):
    cmd = ["ip", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=CMD_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NetnsError(f"{' '.join(cmd)}: {exc}") from None
    if check and done.returncode != 0:
        raise NetnsError(f"{' '.join(cmd)}: {done.stderr.strip() or done.returncode}")
    return done


class Network:
    """Hosts A, B, C and their switch; see the module docstring."""

    def __init__(self, prefix=None):
        self.prefix = prefix or f"rnet{os.getpid()}x{secrets.token_hex(2)}"
        self.switch = f"{self.prefix}sw"
        self.uts = False
        self.procs = []
        self.created = []  # namespaces made so far, deleted by destroy()
        self._made_netns_etc = False
        local = _local_hostname()
        self.hosts = [
            Host(f"{self.prefix}{tag}", f"host{tag}", f"{SUBNET}.{i}", local)
            for i, tag in enumerate("abc", start=1)
        ]
        self.a, self.b, self.c = self.hosts

    # -- setting up and tearing down ---------------------------------------

    def create(self):
        """Make the namespaces, links, addresses, routes and name files."""
        atexit.register(self.destroy)
        _ip("netns", "add", self.switch)
        self.created.append(self.switch)
        _ip("-n", self.switch, "link", "set", "lo", "up")
        _ip("-n", self.switch, "link", "add", "br0", "type", "bridge", "stp_state", "0")
        _ip("-n", self.switch, "link", "set", "br0", "up")
        for host in self.hosts:
            port = "p" + host.name[-1]
            _ip("netns", "add", host.ns)
            self.created.append(host.ns)
            # Both ends are made in the switch namespace and one is moved
            # straight into the host's: nothing touches the root namespace.
            _ip("-n", self.switch, "link", "add", port, "type", "veth", "peer", "name", "eth0",
                "netns", host.ns)  # fmt: skip
            _ip("-n", self.switch, "link", "set", port, "master", "br0")
            _ip("-n", self.switch, "link", "set", port, "up")
            _ip("-n", host.ns, "link", "set", "lo", "up")
            _ip("-n", host.ns, "addr", "add", f"{host.addr}/24", "brd", "+", "dev", "eth0")
            _ip("-n", host.ns, "link", "set", "eth0", "up")
            _ip("-n", host.ns, "route", "add", "default", "dev", "eth0")
        self._write_name_files()
        self.uts = self._uts_works()
        if self.uts:
            for host in self.hosts:
                host.hostname = host.name
            self._write_name_files()
        self._wait_forwarding()

    def _write_name_files(self):
        if not NETNS_ETC.exists():
            NETNS_ETC.mkdir(mode=0o755)
            self._made_netns_etc = True
        for host in self.hosts:
            etc = NETNS_ETC / host.ns
            etc.mkdir(mode=0o755, exist_ok=True)
            lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
            lines += [f"{h.addr}\t{h.name}" for h in self.hosts]
            if host.hostname != host.name:
                lines.append(f"{host.addr}\t{host.hostname}")
            (etc / "hosts").write_text("\n".join(lines) + "\n")
            (etc / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")

    def _uts_works(self):
        host = self.a
        cmd = ["ip", "netns", "exec", host.ns, *self._uts_prefix(host), "hostname"]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=CMD_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0 and done.stdout.strip() == host.name

    def _wait_forwarding(self, timeout=10.0):
        """Wait (bounded) until every bridge port forwards."""
        deadline = time.monotonic() + timeout
        while True:
            out = _ip("-n", self.switch, "-d", "link", "show", "master", "br0").stdout
            states = re.findall(r"bridge_slave state (\w+)", out)
            if len(states) == len(self.hosts) and set(states) == {"forwarding"}:
                return
            if time.monotonic() > deadline:
                raise NetnsError(f"bridge ports not forwarding after {timeout} s: {states}")
            time.sleep(0.1)

    def stop_all(self):
        """End every program this network started, by PID."""
        while self.procs:
            self.procs.pop().stop()

    def destroy(self):
        """Remove everything `create()` made; safe to call more than once."""
        self.stop_all()
        for ns in reversed(self.created):
            _ip("netns", "del", ns, check=False)
        self.created.clear()
        for host in self.hosts:
            shutil.rmtree(NETNS_ETC / host.ns, ignore_errors=True)
        if self._made_netns_etc:
            try:
                NETNS_ETC.rmdir()  # only if no one else put anything there meanwhile
            except OSError:
                pass
            self._made_netns_etc = False
        atexit.unregister(self.destroy)

    # -- running programs ---------------------------------------------------

    def _uts_prefix(self, host):
        return [
            "unshare",
            "--uts",
            "sh",
            "-c",
            'hostname "$1" && shift && exec "$@"',
            "sh",
            host.name,
        ]

    def argv(self, host, argv):
        """`argv` run on `host`: in its network namespace (and UTS namespace)."""
        uts = self._uts_prefix(host) if self.uts else []
        return ["ip", "netns", "exec", host.ns, *uts, *map(str, argv)]

    def spawn(self, host, argv):
        """Start `argv` on `host`; it is stopped when the test ends."""
        proc = Proc(self.argv(host, argv), env=child_env(), label=f"{host.name}: {argv[-1]}")
        self.procs.append(proc)
        return proc

    def example(self, host, name, *args):
        """Start examples/`name` with `args` on `host`."""
        proc = self.spawn(host, example_argv(name, *args))
        proc.label = f"{host.name}: {name} {' '.join(map(str, args))}"
        return proc

    def python(self, host, code, *args):
        """Start `python -c code args` on `host`."""
        proc = self.spawn(host, [sys.executable, "-u", "-c", code, *args])
        proc.label = f"{host.name}: python -c ..."
        return proc


def _local_hostname():
    # What gethostname() returns on Linux, without the socket.gethostname audit
    # event (an audit hook installed by another test must not break this).
    return os.uname().nodename


def unavailable_reason():
    """Why network namespaces cannot be used here, or None if they may be."""
    if not sys.platform.startswith("linux"):
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "network namespaces need iproute2's `ip`"
    return None


def make_network():
    """A created Network, or pytest.skip with the reason it cannot be made."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    net = Network()
    try:
        net.create()
    except NetnsError as exc:
        net.destroy()
        pytest.skip(f"cannot create network namespaces: {exc}")
    except BaseException:
        net.destroy()
        raise
    return net


@pytest.fixture(scope="module")
def netns_network():
    """The three hosts, made once per test module and removed after it."""
    net = make_network()
    try:
        yield net
    finally:
        net.destroy()


@pytest.fixture(name="test_hosts")
def hosts_fixture(netns_network):
    """The Network; programs a test starts on it are ended after the test."""
    try:
        yield netns_network
    finally:
        netns_network.stop_all()
