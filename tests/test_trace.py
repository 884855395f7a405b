"""Tracing: the lecture's programs under ``python -m rnet run --trace-file``, and the API.

Each program runs in a subprocess on loopback; the tests read its JSON Lines
trace and check the events, their order and fields, and that the exchange
rebuilt from the traces links every send to the recv(s) that read its bytes.
"""

import gc
import io
import json
import logging
import os
import signal
import textwrap
import time

import pytest

import rnet
from rnet import _exchange
from rnet._tracefile import read_traces

from helpers import EXAMPLES, Process, free_port, run_python
from tracing import by_sid, calls, events, records, traced


def server_env(port, **extra):
    return {"RNET_HOST": "127.0.0.1", "RNET_PORT": port, **extra}


def lecture_pair(tmp_path, message="hello there!"):
    """Run tcp_server.py and tcp_client.py traced; return the two trace paths."""
    port = free_port()
    strace, ctrace = tmp_path / "server.jsonl", tmp_path / "client.jsonl"
    with Process(traced(strace, EXAMPLES / "tcp_server.py"), env=server_env(port)) as server:
        server.wait_for_line("server waits for connection")
        client = run_python(
            traced(ctrace, EXAMPLES / "tcp_client.py"),
            input=message + "\n",
            env={"RNET_PORT": port},
        )
        rc, out, err = server.finish()
    assert client.returncode == 0, client.stderr
    assert rc == 0, err
    return strace, ctrace, port


def links(*paths, kind=None):
    runs = _exchange.build(read_traces(paths))
    assert len(runs) == 1
    return [link for link in runs[0].links if kind is None or link.kind == kind]


# ---------------------------------------------------------------------------
# the lecture TCP pair


def test_lecture_pair_events_in_order(tmp_path):
    strace, ctrace, port = lecture_pair(tmp_path)
    head = records(strace)[0]
    assert head["argv"][0].endswith("tcp_server.py")
    sev, cev = events(strace), events(ctrace)
    assert calls(sev) == ["socket", "bind", "listen", "accept", "recv", "send", "close", "close"]
    assert calls(cev) == ["socket", "connect", "send", "recv", "close"]
    for e in sev + cev:
        assert {"pid", "t", "fd", "call", "laddr", "raddr", "dur"} <= e.keys()
        assert isinstance(e["t"], float) and e["t"] > 1e9
    assert {e["pid"] for e in sev} == {head["pid"]}
    # Time only moves forward within a process, in the order the lines were written.
    assert [e["t"] for e in sev] == sorted(e["t"] for e in sev)
    bind = sev[1]
    assert bind["args"] == f"('127.0.0.1', {port})"
    assert bind["laddr"] == ["127.0.0.1", port]
    accept = sev[3]
    connect = cev[1]
    assert connect["args"] == f"('localhost', {port})"
    assert connect["raddr"] == ["127.0.0.1", port]
    client_addr = connect["laddr"]
    assert accept["peer"] == client_addr
    assert accept["new"] == {"laddr": ["127.0.0.1", port], "raddr": client_addr}
    # The accept waited for the client: it started before the client's connect.
    assert accept["t"] < connect["t"] < accept["t"] + accept["dur"]
    recv = sev[4]
    assert recv["sid"] == accept["newsid"] and recv["fd"] == accept["newfd"]
    assert recv["args"] == "80"
    assert (recv["nbytes"], recv["data"], recv["off"]) == (12, "b'hello there!'", 0)
    send = cev[2]
    assert (send["nbytes"], send["data"], send["off"]) == (12, "b'hello there!'", 0)
    assert send["laddr"] == client_addr and send["raddr"] == ["127.0.0.1", port]
    assert "error" not in send


def test_lecture_pair_links(tmp_path):
    strace, ctrace, _ = lecture_pair(tmp_path)
    found = links(strace, ctrace)
    kinds = sorted(link.kind for link in found)
    assert kinds == ["data", "data", "handshake"]
    hs = next(link for link in found if link.kind == "handshake")
    assert (hs.src["call"], hs.dst["call"]) == ("connect", "accept")
    for link in found:
        if link.kind == "data":
            assert link.nbytes == 12 and link.part is None
            assert link.src["call"] == "send" and link.dst["call"] == "recv"
            assert link.src["pid"] != link.dst["pid"]


def test_trace_to_stderr_is_readable(tmp_path):
    port = free_port()
    with Process(
        ["-m", "rnet", "run", "--trace", EXAMPLES / "tcp_server.py"], env=server_env(port)
    ) as server:
        server.wait_for_line("server waits for connection")
        client = run_python(
            ["-m", "rnet", "run", "--trace", EXAMPLES / "tcp_client.py"],
            input="hi\n",
            env={"RNET_PORT": port},
        )
        rc, _, err = server.finish()
    assert rc == 0 and client.returncode == 0
    lines = [line for line in err.splitlines() if line.startswith("rnet ")]
    assert len(lines) == 8, err
    assert "socket(AF_INET, SOCK_STREAM) -> fd " in lines[0]
    assert f"bind(('127.0.0.1', {port})) -> ok" in lines[1]
    assert "accept() -> fd " in lines[3] and "[blocked " in lines[3]
    assert "recv(80) -> 2 bytes b'hi'" in lines[4]
    assert f"pid {server.pid} " in lines[0]
    cl = [line for line in client.stderr.splitlines() if line.startswith("rnet ")]
    assert f"127.0.0.1:{port}: connect(('localhost', {port})) -> ok" in cl[1]


def test_connection_refused_is_an_error_event(tmp_path):
    trace = tmp_path / "c.jsonl"
    client = run_python(
        traced(trace, EXAMPLES / "tcp_client.py"), input="x\n", env={"RNET_PORT": free_port()}
    )
    assert client.returncode == 1
    evs = events(trace)
    # The program dies without closing: the collector closes the socket at exit.
    assert calls(evs) == ["socket", "connect", "__del__"]
    connect = evs[1]
    assert connect["error"]["type"] == "ConnectionRefusedError"
    assert connect["error"]["errno"] == "ECONNREFUSED"
    assert "ConnectionRefusedError" in client.stderr


def wait_until_sleeping(pid, timeout=10.0):
    """Until every thread of ``pid`` sleeps in the kernel (state S), for a bounded time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                states.append(f.read().rsplit(")", 1)[1].split()[0])
        if states and set(states) == {"S"}:
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} never blocked")


def test_ctrl_c_leaves_a_complete_trace(tmp_path):
    trace = tmp_path / "s.jsonl"
    with Process(traced(trace, EXAMPLES / "tcp_server.py"), env=server_env(free_port())) as server:
        server.wait_for_line("server waits for connection")
        wait_until_sleeping(server.pid)  # in accept(), the next call after that line
        server.send_signal(signal.SIGINT)
        rc, _, err = server.finish()
    assert rc != 0 and "KeyboardInterrupt" in err
    evs = events(trace)  # every line whole
    assert calls(evs)[:4] == ["socket", "bind", "listen", "accept"]
    assert evs[3]["error"]["type"] == "KeyboardInterrupt"
    assert set(calls(evs)[4:]) <= {"__del__"}  # closed by the collector as Python exits


# ---------------------------------------------------------------------------
# the line protocol, and sends split or joined by the receiver


def test_line_protocol_links_every_byte(tmp_path):
    port = free_port()
    strace, ctrace = tmp_path / "s.jsonl", tmp_path / "c.jsonl"
    with Process(traced(strace, EXAMPLES / "line_server.py"), env=server_env(port)) as server:
        server.wait_for_line("server waits for connection")
        client = run_python(
            traced(ctrace, EXAMPLES / "line_client.py", "localhost", port, "id", "name", "bogus"),
        )
        rc, _, err = server.finish()
    assert client.returncode == 0 and rc == 0, (client.stderr, err)
    sev, cev = events(strace), events(ctrace)
    assert [e["data"] for e in cev if e["call"] == "sendall"] == [
        "b'id\\r\\n'",
        "b'name\\r\\n'",
        "b'bogus\\r\\n'",
    ]
    # The server reads until the client closes: its last recv is the b''.
    last = [e for e in sev if e["call"] == "recv"][-1]
    assert last["eof"] is True and last["nbytes"] == 0
    found = links(strace, ctrace)
    data = [link for link in found if link.kind == "data"]
    sent = sum(e["nbytes"] for e in sev + cev if e["call"] in ("send", "sendall"))
    assert sum(link.nbytes for link in data) == sent
    # Each sendall of the client is read by the server (and the other way round).
    for link in data:
        assert link.src["pid"] != link.dst["pid"]
        assert link.dst["call"] == "recv"
    eof = [link for link in found if link.kind == "eof"]
    assert len(eof) == 1
    assert (eof[0].src["call"], eof[0].dst["seq"]) == ("close", last["seq"])


SPLIT_SERVER = textwrap.dedent(
    """
    import socket, sys
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    print("port", ls.getsockname()[1], flush=True)
    c, _ = ls.accept()
    c.settimeout(10)
    # Three sends of 4 bytes: wait (peeking) until all 12 are here, then one recv.
    for _ in range(1000):
        if len(c.recv(64, socket.MSG_PEEK)) >= 12:
            break
    joined = c.recv(64)
    c.send(b"k")  # the client sends the rest only now
    # One send of 100 bytes, read 10 at a time.
    pieces = [c.recv(10) for _ in range(10)]
    print(len(joined), sum(map(len, pieces)), flush=True)
    c.close()
    ls.close()
    """
)
SPLIT_CLIENT = textwrap.dedent(
    """
    import socket, sys
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    for chunk in (b"one|", b"two|", b"six|"):
        s.send(chunk)
    assert s.recv(1) == b"k"
    s.sendall(b"x" * 100)
    assert s.recv(1) == b""
    s.close()
    """
)


def test_several_sends_one_recv_and_one_send_several_recvs(tmp_path):
    (tmp_path / "split_server.py").write_text(SPLIT_SERVER)
    (tmp_path / "split_client.py").write_text(SPLIT_CLIENT)
    strace, ctrace = tmp_path / "s.jsonl", tmp_path / "c.jsonl"
    with Process(traced(strace, tmp_path / "split_server.py")) as server:
        port = int(server.wait_for_line("port").split()[1])
        client = run_python(traced(ctrace, tmp_path / "split_client.py", port))
        rc, out, err = server.finish()
    assert rc == 0 and client.returncode == 0, (err, client.stderr)
    assert out.splitlines()[-1] == "12 100"
    sev = events(strace)
    peeks = [e for e in sev if e.get("peek")]
    assert peeks and all("MSG_PEEK" in e["args"] for e in peeks)
    assert sev[1]["args"] == "SOL_SOCKET, SO_REUSEADDR, 1"
    data = links(strace, ctrace, kind="data")
    joined = [link for link in data if link.dst["nbytes"] == 12]
    assert [link.src["data"] for link in joined] == ["b'one|'", "b'two|'", "b'six|'"]
    assert len({id(link.dst) for link in joined}) == 1  # three sends, one recv
    split = [link for link in data if link.src["call"] == "sendall"]
    assert len(split) == 10 and len({id(link.src) for link in split}) == 1
    assert [link.part for link in split] == [(10, 100)] * 10
    assert [link.dst["off"] for link in split] == list(range(12, 112, 10))
    # Peeks are not reads: no byte is linked to one.
    assert not any(link.dst.get("peek") for link in data)


# ---------------------------------------------------------------------------
# the UDP pair


def test_udp_pair_datagrams_linked(tmp_path):
    strace, ctrace = tmp_path / "s.jsonl", tmp_path / "c.jsonl"
    with Process(
        traced(strace, EXAMPLES / "udp_server.py", "127.0.0.1", 0, "--count", 1)
    ) as server:
        line = server.wait_for_line("udp server listening on")
        port = int(line.rsplit(":", 1)[1])
        client = run_python(traced(ctrace, EXAMPLES / "udp_client.py", "127.0.0.1", port))
        rc, _, err = server.finish()
    assert client.returncode == 0 and rc == 0, (client.stderr, err)
    sev, cev = events(strace), events(ctrace)
    assert calls(sev) == ["socket", "bind", "getsockname", "recvfrom", "sendto", "close"]
    assert calls(cev) == ["socket", "settimeout", "sendto", "recvfrom", "close"]
    sendto = cev[2]
    assert sendto["to"] == ["127.0.0.1", port] and sendto["nbytes"] == 26
    assert sendto["laddr"][1] != 0  # the port the kernel picked on the first sendto
    recv = sev[3]
    assert recv["peer"] == ["127.0.0.1", sendto["laddr"][1]]
    found = links(strace, ctrace, kind="datagram")
    assert [(link.src["call"], link.dst["call"], link.nbytes) for link in found] == [
        ("sendto", "recvfrom", 26),
        ("sendto", "recvfrom", 18),
    ]
    assert found[0].src is not None and found[0].dst["pid"] != found[0].src["pid"]


# ---------------------------------------------------------------------------
# the Python API


def test_settrace_on_and_off_leaves_the_class_as_it_was():
    before = dict(rnet.socket.__dict__)
    funcs = {n: getattr(rnet, n) for n in ("getaddrinfo", "gethostbyname", "socketpair")}
    tracer = rnet.settrace(stream=None, keep=True)
    try:
        assert rnet.gettrace() is tracer
        assert "send" in rnet.socket.__dict__
        a, b = rnet.socketpair()
        with a, b:
            a.send(b"ping", rnet.MSG_DONTWAIT)
            assert b.recv(4) == b"ping"
    finally:
        rnet.settrace(False)
    assert rnet.gettrace() is None
    assert dict(rnet.socket.__dict__) == before
    assert {n: getattr(rnet, n) for n in funcs} == funcs
    evs = [e for e in tracer.events if e["kind"] == "event"]
    assert calls(evs) == ["socketpair", "send", "recv", "close", "close"]
    assert evs[1]["args"] == "b'ping', MSG_DONTWAIT"
    runs = _exchange.build(tracer.events)
    assert [link.kind for link in runs[0].links] == ["data"]


def test_tracing_context_manager_logger_and_gc(caplog):
    caplog.set_level(logging.DEBUG, logger="rnet")
    stream = io.StringIO()
    with rnet.tracing(stream=stream) as tracer:
        s = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
        s.setsockopt(rnet.SOL_SOCKET, rnet.SO_BROADCAST, 1)
        assert rnet.gethostbyname("localhost") == "127.0.0.1"
        fd = s.fileno()
        with pytest.warns(ResourceWarning):
            del s
            gc.collect()
    assert rnet.gettrace() is None
    evs = [e for e in tracer.events if e["kind"] == "event"]
    assert calls(evs) == ["socket", "setsockopt", "gethostbyname", "fileno", "__del__"]
    assert evs[1]["args"] == "SOL_SOCKET, SO_BROADCAST, 1"
    assert evs[-1]["fd"] == fd
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5
    assert "gethostbyname('localhost') -> '127.0.0.1'" in lines[2]
    assert "garbage-collected while open" in lines[4]
    logged = [r for r in caplog.records if r.name == "rnet"]
    assert [r.getMessage() for r in logged] == lines
    assert logged[0].rnet_event["call"] == "socket"


def test_fork_child_writes_its_own_header(tmp_path):
    trace = tmp_path / "fork.jsonl"
    script = tmp_path / "forker.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, socket
            a, b = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                a.send(b"from the child")
                os._exit(0)
            os.waitpid(pid, 0)
            print(b.recv(64))
            """
        )
    )
    result = run_python(traced(trace, script))
    assert result.returncode == 0, result.stderr
    recs = records(trace)
    heads = [r for r in recs if r["kind"] == "trace"]
    assert len(heads) == 2 and heads[1]["ppid"] == heads[0]["pid"]
    child = [r for r in recs if r["kind"] == "event" and r["pid"] == heads[1]["pid"]]
    assert calls(child) == ["send"]
    found = links(trace, kind="data")
    assert len(found) == 1 and found[0].src["pid"] != found[0].dst["pid"]


def test_events_are_json_lines_written_as_they_happen(tmp_path):
    trace = tmp_path / "t.jsonl"
    with rnet.tracing(file=trace) as tracer:
        s = rnet.socket()
        # Written before the call returns to the program: no buffering.
        assert json.loads(trace.read_text().splitlines()[-1])["call"] == "socket"
        s.close()
    assert tracer.events[0]["kind"] == "trace"
    assert [r["call"] for r in records(trace)[1:]] == ["socket", "close"]
    assert os.path.getsize(trace) == len(trace.read_bytes())
    assert by_sid(events(trace)).keys() == {1}


def test_off_is_the_plain_calls():
    # Nothing of the tracer is on the call path while tracing is off: no
    # attribute of the class or the module is a traced wrapper (those carry
    # __wrapped__), and the class is as it was before tracing was turned on.
    code = textwrap.dedent(
        """
        import sys

        import rnet
        from rnet import _names, _rnet

        # Not even loaded: a program that never traces pays no import for it.
        assert "rnet._trace" not in sys.modules, "rnet._trace imported"
        assert "logging" not in sys.modules, "logging imported"

        def wrapped():
            names = [n for n in dir(rnet.socket) if not n.startswith("__") or n in
                     ("__init__", "__del__", "__repr__")]
            out = [n for n in names if hasattr(getattr(rnet.socket, n), "__wrapped__")]
            out += [n for n in ("getaddrinfo", "gethostbyname", "socketpair")
                    if hasattr(getattr(rnet, n), "__wrapped__")]
            return out

        assert rnet.gettrace() is None
        before = dict(rnet.socket.__dict__)
        assert wrapped() == [], wrapped()
        assert rnet.socket.send is _rnet.socket.send
        assert rnet.getaddrinfo is _names.getaddrinfo
        with rnet.tracing():
            assert {"send", "recv", "bind", "accept", "__init__", "getaddrinfo"} <= set(wrapped())
        assert wrapped() == [] and dict(rnet.socket.__dict__) == before
        print("ok")
        """
    )
    result = run_python(["-c", code])
    assert result.stdout == "ok\n", result.stderr


def test_run_module_traced(tmp_path):
    (tmp_path / "pairmod.py").write_text(
        "import socket\na, b = socket.socketpair()\na.sendall(b'hi')\nprint(b.recv(2))\n"
    )
    trace = tmp_path / "m.jsonl"
    result = run_python(
        ["-m", "rnet", "run", "--trace-file", trace, "-m", "pairmod", "x"], cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "b'hi'\n"
    assert records(trace)[0]["argv"] == ["pairmod", "x"]
    assert calls(events(trace))[:3] == ["socketpair", "sendall", "recv"]


@pytest.mark.skipif(not hasattr(rnet.socket, "sendmmsg"), reason="no sendmmsg")
def test_batched_datagrams_are_matched_one_by_one():
    with rnet.tracing() as tracer:
        a = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
        b = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
        with a, b:
            a.bind(("127.0.0.1", 0))
            b.bind(("127.0.0.1", 0))
            b.settimeout(10)
            dst = b.getsockname()
            # A generator: the tracer must not use it up before the call does.
            assert a.sendmmsg((f"m{i}".encode(), dst) for i in range(3)) == 3
            got = b.recvmmsg(2, 64)
            assert [d for d, _ in got] == [b"m0", b"m1"]
            assert b.recvfrom(64)[0] == b"m2"
    evs = {e["call"]: e for e in tracer.events if e["kind"] == "event"}
    assert evs["sendmmsg"]["result"] == "3 datagrams sent (6 bytes)"
    assert [d["data"] for d in evs["sendmmsg"]["batch"]] == ["b'm0'", "b'm1'", "b'm2'"]
    assert evs["recvmmsg"]["nbytes"] == 4
    links = _exchange.build(tracer.events)[0].links
    assert [(lk.src["call"], lk.dst["call"]) for lk in links] == [
        ("sendmmsg", "recvmmsg"),
        ("sendmmsg", "recvmmsg"),
        ("sendmmsg", "recvfrom"),
    ]
    from rnet import _diagram

    svg = _diagram.render_svg(tracer.events)
    assert "2 datagrams, 4 B" in svg and "datagram 2 B" in svg
