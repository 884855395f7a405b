"""Traced programs on three hosts (network namespaces, tests/netns.py): Task 1's
broadcast, the lecture's UDP pair and TCP pair across hosts, and their diagrams.
"""

import sys
import xml.etree.ElementTree as ET

from rnet import _diagram, _exchange
from rnet._tracefile import read_traces

from netns import EXAMPLES, hosts_fixture, netns_network  # noqa: F401  (fixtures)
from tracing import calls, events

PORT = 12345


def traced(net, host, trace, script, *args):
    """examples/``script`` on ``host`` under ``python -m rnet run --trace-file``."""
    argv = [sys.executable, "-u", "-m", "rnet", "run", "--trace-file", trace, EXAMPLES / script]
    proc = net.spawn(host, [*argv, *args])
    proc.label = f"{host.name}: {script}"
    return proc


def finished(proc, timeout=15.0):
    code, output = proc.finish(timeout)
    assert code == 0, f"{proc.label} exited with {code}:\n{output}"
    return output


def svg_texts(paths):
    svg = _diagram.render_svg(read_traces(paths))
    return svg, [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_broadcast_task1_one_datagram_to_many(test_hosts, tmp_path):
    net = test_hosts
    traces = {h.name: tmp_path / f"{h.name}.jsonl" for h in net.hosts}
    ears = [
        traced(net, h, traces[h.name], "broadcast_listener.py", PORT, "--count", 2, "--timeout", 10)
        for h in (net.b, net.c)
    ]
    for ear in ears:
        ear.wait_for(r"^listening on :\d+$")
    server = traced(
        net, net.a, traces["hosta"], "broadcast_server.py", "--count", 2, "--interval", 0.2
    )
    finished(server)
    for ear in ears:
        assert "listener stopped after 2 datagram(s)" in finished(ear)
    sent = [e for e in events(traces["hosta"]) if e["call"] == "sendto"]
    assert [e["args"].split(", (")[1] for e in sent] == [f"'<broadcast>', {PORT})"] * 2
    assert all(e["to"] == ["255.255.255.255", PORT] for e in sent)
    for name in ("hostb", "hostc"):
        got = [e for e in events(traces[name]) if e["call"] == "recvfrom"]
        assert len(got) == 2
        assert all(e["peer"][0] == net.a.addr for e in got)
    runs = _exchange.build(read_traces(traces.values()))
    assert len(runs) == 1 and len(runs[0].procs) == 3
    links = [link for link in runs[0].links if link.kind == "datagram"]
    assert len(links) == 4
    # Each broadcast reaches both listeners: one send, two receivers.
    for send in sent:
        mine = [link for link in links if link.src["seq"] == send["seq"]]
        assert sorted(link.dst["_file"] for link in mine) == sorted(
            str(traces[n]) for n in ("hostb", "hostc")
        )
        assert all(link.dst["data"] == send["data"] for link in mine)
    # The first announcement goes to the first recvfrom of each listener.
    first = [link for link in links if link.src["seq"] == sent[0]["seq"]]
    assert all(link.dst["data"].startswith("b'announcement 1") for link in first)
    svg, texts = svg_texts(traces.values())
    assert texts.count("datagram 25 B") == 4  # 'announcement N from hosta'
    assert any(t.startswith("process ") and "on hosta" in t for t in texts)


def test_udp_pair_across_hosts(test_hosts, tmp_path):
    net = test_hosts
    st, ct = tmp_path / "server.jsonl", tmp_path / "client.jsonl"
    server = traced(net, net.b, st, "udp_server.py", "--count", 1)
    server.wait_for(r"^udp server listening on ")
    client = traced(net, net.a, ct, "udp_client.py", net.b.name, PORT)
    finished(client)
    finished(server)
    sev, cev = events(st), events(ct)
    assert calls(sev)[:3] == ["gethostname", "socket", "bind"]
    assert calls(cev)[:3] == ["socket", "settimeout", "sendto"]
    # The client named the server by host name; the trace has the address too.
    assert cev[2]["peer"] == [net.b.name, PORT] and cev[2]["to"] == [net.b.addr, PORT]
    runs = _exchange.build(read_traces([st, ct]))
    links = [(link.src["call"], link.dst["call"]) for link in runs[0].links]
    assert links == [("sendto", "recvfrom"), ("sendto", "recvfrom")]


def test_tcp_pair_across_hosts(test_hosts, tmp_path):
    net = test_hosts
    st, ct = tmp_path / "server.jsonl", tmp_path / "client.jsonl"
    env_port = str(PORT)
    server = net.spawn(
        net.b,
        ["env", f"RNET_PORT={env_port}", sys.executable, "-u", "-m", "rnet", "run",
         "--trace-file", st, EXAMPLES / "tcp_server.py"],
    )  # fmt: skip
    server.wait_for("server waits for connection")
    client = net.spawn(
        net.a,
        ["sh", "-c", f'echo hello there! | RNET_HOST={net.b.name} RNET_PORT={env_port} '
         f'"{sys.executable}" -u -m rnet run --trace-file "{ct}" "{EXAMPLES / "tcp_client.py"}"'],
    )  # fmt: skip
    finished(client)
    finished(server)
    runs = _exchange.build(read_traces([st, ct]))
    kinds = sorted(link.kind for link in runs[0].links)
    assert kinds == ["data", "data", "handshake"]
    accept = next(e for e in events(st) if e["call"] == "accept")
    assert accept["peer"][0] == net.a.addr
    assert accept["new"]["laddr"] == [net.b.addr, PORT]
