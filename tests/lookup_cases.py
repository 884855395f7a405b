"""Lookups and calls given host names, for test_lookup_threads.py.

Every case is a function of the module (`socket` or `rnet`) whose return
value, or exception, test_lookup_threads.py compares between the two, from
the main thread, from worker threads, in a process confined to one CPU and in
fork children. The names are `localhost` and this machine's own name when
/etc/hosts lists it (the machine's DNS server is off the machine), so every
case is one the C library answers from local files: the cases rnet runs on the
caller's thread. The network side (helper thread, Ctrl-C) is covered by
test_dns_netns.py.

Run as a program it prints one JSON line per case and thread kind (see
`main`), so a test can run it under `taskset` or in a fork child.
"""

import json
import os
import socket as std
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from diff import outcome  # noqa: E402
from helpers import LOCAL_NAME  # noqa: E402


def _closed_port():
    """A port on 127.0.0.1 bound but not listening: connecting is refused at once."""
    s = std.socket()
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


_KEEP, CLOSED_PORT = _closed_port()
_SINK = std.socket(std.AF_INET, std.SOCK_DGRAM)
_SINK.bind(("127.0.0.1", 0))
SINK_PORT = _SINK.getsockname()[1]


def udp_sendto(m):
    with m.socket(m.AF_INET, m.SOCK_DGRAM) as s:
        return s.sendto(b"x", ("localhost", SINK_PORT))


def udp_connect(m):
    with m.socket(m.AF_INET, m.SOCK_DGRAM) as s:
        s.connect((LOCAL_NAME, SINK_PORT))
        return s.getpeername()


def bind_by_name(m):
    with m.socket(m.AF_INET, m.SOCK_DGRAM) as s:
        s.bind(("localhost", 0))
        return s.getsockname()[0]


def connect_ex_refused(m):
    with m.socket() as s:
        return s.connect_ex(("localhost", CLOSED_PORT))


def connect_refused(m):
    with m.socket() as s:
        s.connect((LOCAL_NAME, CLOSED_PORT))


def create_connection_refused(m):
    m.create_connection(("localhost", CLOSED_PORT), timeout=10)


def create_connection_by_name(m):
    with std.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        with m.create_connection(("localhost", port), timeout=10) as c:
            peer = c.getpeername()
        listener.accept()[0].close()
    return peer == ("127.0.0.1", port)


def create_server_by_name(m):
    with m.create_server(("localhost", 0)) as srv:
        return srv.getsockname()[0], srv.family


CASES = {
    "getaddrinfo(localhost, 80)": lambda m: m.getaddrinfo("localhost", 80),
    "getaddrinfo(LOCAL, domain, INET, STREAM)": lambda m: m.getaddrinfo(
        LOCAL_NAME, "domain", m.AF_INET, m.SOCK_STREAM
    ),
    "getaddrinfo(LocalHost, http, CANONNAME)": lambda m: m.getaddrinfo(
        "LocalHost", "http", 0, m.SOCK_STREAM, 0, m.AI_CANONNAME
    ),
    "getaddrinfo(127.0.0.1, domain)": lambda m: m.getaddrinfo("127.0.0.1", "domain"),
    "getaddrinfo(None, 80, PASSIVE)": lambda m: m.getaddrinfo(
        None, 80, m.AF_INET, m.SOCK_STREAM, 0, m.AI_PASSIVE
    ),
    "getaddrinfo(localhost, nope)": lambda m: m.getaddrinfo("localhost", "nope"),
    "gethostbyname(localhost)": lambda m: m.gethostbyname("localhost"),
    "gethostbyname(LOCAL)": lambda m: m.gethostbyname(LOCAL_NAME),
    "gethostbyname(127.0.0.1)": lambda m: m.gethostbyname("127.0.0.1"),
    "gethostbyname_ex(localhost)": lambda m: m.gethostbyname_ex("localhost"),
    "gethostbyname_ex(127.0.0.1)": lambda m: m.gethostbyname_ex("127.0.0.1"),
    "gethostbyaddr(127.0.0.1)": lambda m: m.gethostbyaddr("127.0.0.1"),
    "gethostbyaddr(localhost)": lambda m: m.gethostbyaddr("localhost"),
    "getnameinfo(127.0.0.1:53, 0)": lambda m: m.getnameinfo(("127.0.0.1", 53), 0),
    "getnameinfo(127.0.0.1:123, DGRAM)": lambda m: m.getnameinfo(("127.0.0.1", 123), m.NI_DGRAM),
    "getnameinfo(127.0.0.1:53, NUMERIC)": lambda m: m.getnameinfo(
        ("127.0.0.1", 53), m.NI_NUMERICHOST | m.NI_NUMERICSERV
    ),
    "getservbyname(domain)": lambda m: m.getservbyname("domain"),
    "getservbyname(http, tcp)": lambda m: m.getservbyname("http", "tcp"),
    "getservbyname(nope)": lambda m: m.getservbyname("nope"),
    "getservbyport(53)": lambda m: m.getservbyport(53),
    "getservbyport(123, udp)": lambda m: m.getservbyport(123, "udp"),
    "getprotobyname(tcp)": lambda m: m.getprotobyname("tcp"),
    "getprotobyname(nope)": lambda m: m.getprotobyname("nope"),
    "sendto(localhost)": udp_sendto,
    "connect(LOCAL) udp": udp_connect,
    "bind(localhost)": bind_by_name,
    "connect_ex(localhost) refused": connect_ex_refused,
    "connect(LOCAL) refused": connect_refused,
    "create_connection(localhost) refused": create_connection_refused,
    "create_connection(localhost)": create_connection_by_name,
    "create_server(localhost)": create_server_by_name,
}


def compare(name, rounds=1):
    """The stdlib's and rnet's outcomes of case `name`, over `rounds` calls each
    (rnet's must not change from call to call)."""
    import rnet

    fn = CASES[name]
    expected = outcome(lambda: fn(std))
    got = [outcome(lambda: fn(rnet)) for _ in range(rounds)]
    return expected, got


def on_thread(target):
    """target() run on a new thread; its return value, or its exception re-raised."""
    box = {}

    def body():
        try:
            box["value"] = target()
        except BaseException as exc:  # carried to the caller
            box["error"] = exc

    t = threading.Thread(target=body)
    t.start()
    t.join(timeout=60)
    if t.is_alive():
        raise TimeoutError("worker thread still running after 60 s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def report(where, rounds):
    """One JSON line per case: does rnet give the stdlib's outcome, every time?"""
    for name in CASES:
        run = lambda name=name: compare(name, rounds)  # noqa: E731
        expected, got = run() if where == "main" else on_thread(run)
        line = {
            "case": name,
            "where": where,
            "same": all(g == expected for g in got),
            "stdlib": repr(expected),
            "rnet": repr(got[0]),
        }
        print(json.dumps(line), flush=True)


def main():
    """`python lookup_cases.py ROUNDS [fork]`: every case on the main thread, then
    on a worker thread, ROUNDS calls each. With `fork`, a worker thread forks and
    the child does the same (rnet's main-thread record and helper pool must
    follow the fork); then the parent's main thread forks and its child too."""
    rounds = int(sys.argv[1])
    print(json.dumps({"cpus": len(os.sched_getaffinity(0))}), flush=True)
    if sys.argv[2:] != ["fork"]:
        report("main", rounds)
        report("worker", rounds)
        print("done", flush=True)
        return
    import rnet

    rnet.getaddrinfo("localhost", 80)  # the parent has looked up before the fork

    def fork_and_report():
        pid = os.fork()
        if pid == 0:
            try:
                report("main", rounds)
                report("worker", rounds)
            finally:
                os._exit(0)
        return os.waitpid(pid, 0)[1]

    for status in (on_thread(fork_and_report), fork_and_report()):
        print(json.dumps({"child_status": status}), flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
