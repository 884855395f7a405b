"""The UDP, broadcast and multicast examples, run as programs on loopback.

The loopback twins of tests/test_broadcast_netns.py, so the examples are tested
where network namespaces are not available: servers bind 127.0.0.1 (or '' to
hear broadcasts), broadcasts go to 127.255.255.255, the loopback network's
broadcast address, and ports are picked free (port 0, read back from the
program's first line). Nothing is sent to any other address.
"""

import ast
import os
import re
import signal
import socket

import pytest

from helpers import EXAMPLES, Process, hosts_file_names, run_python

LOOPBACK_BROADCAST = "127.255.255.255"
# gethostname() on Linux; read without socket.gethostname(), whose audit event
# (args ()) an audit hook left behind by another test may not expect.
HOSTNAME = os.uname().nodename

UDP_EXAMPLES = [
    "udp_server.py",
    "udp_client.py",
    "broadcast_client.py",
    "broadcast_server.py",
    "broadcast_listener.py",
    "multicast_sender.py",
    "multicast_receiver.py",
]


def port_of(proc, prefix):
    """The port in the line `proc` prints first, "<prefix> <host>:<port>"."""
    line = proc.wait_for_line(prefix, timeout=20)
    match = re.search(r":(\d+)$", line.strip())
    assert match, line
    return int(match.group(1))


def dead_port():
    """A UDP port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lines(text):
    return text.strip().splitlines()


@pytest.mark.parametrize("name", UDP_EXAMPLES)
def test_example_has_docstring_and_help(name):
    tree = ast.parse((EXAMPLES / name).read_text())
    doc = ast.get_docstring(tree)
    assert doc and "rnet" in doc.splitlines()[0]
    assert any(
        isinstance(node, ast.Import) and any(a.name == "rnet" for a in node.names)
        for node in tree.body
    ), "the example imports rnet (as the lecture imports socket)"
    done = run_python([EXAMPLES / name, "--help"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ")


def test_udp_server_and_client():
    with Process([EXAMPLES / "udp_server.py", "127.0.0.1", 0, "--count", 1]) as server:
        port = port_of(server, "udp server listening on 127.0.0.1:")
        client = run_python([EXAMPLES / "udp_client.py", "127.0.0.1", port])
        assert (client.returncode, client.stderr) == (0, "")
        assert lines(client.stdout) == [
            f"sent 'hello my first udp program' to 127.0.0.1:{port}",
            f"received 'replay from server' from 127.0.0.1:{port}",
        ]
        code, out, err = server.finish()
    assert (code, err) == (0, "")
    out = lines(out)
    assert out[0] == f"udp server listening on 127.0.0.1:{port}"
    assert re.fullmatch(r"received 'hello my first udp program' from 127\.0\.0\.1:\d+", out[1])
    assert out[2:] == ["udp server stopped after 1 datagram(s)"]


def test_udp_server_and_client_from_environment():
    env = {"RNET_HOST": "127.0.0.1", "RNET_PORT": 0, "RNET_COUNT": 2}
    with Process([EXAMPLES / "udp_server.py"], env=env) as server:
        port = port_of(server, "udp server listening on 127.0.0.1:")
        for _ in range(2):
            client = run_python(
                [EXAMPLES / "udp_client.py"], env={"RNET_HOST": "127.0.0.1", "RNET_PORT": port}
            )
            assert client.returncode == 0, client.stdout + client.stderr
            assert f"received 'replay from server' from 127.0.0.1:{port}" in client.stdout
        code, out, _ = server.finish()
    assert code == 0
    assert out.count("received 'hello my first udp program' from 127.0.0.1:") == 2
    assert lines(out)[-1] == "udp server stopped after 2 datagram(s)"


def test_udp_server_default_host_is_gethostname():
    if HOSTNAME not in hosts_file_names():
        pytest.skip(f"{HOSTNAME!r} is not in /etc/hosts; resolving it would ask DNS")
    try:
        address = socket.gethostbyname(HOSTNAME)
    except OSError as exc:
        pytest.skip(f"this machine's host name does not resolve: {exc}")
    if not address.startswith("127."):
        pytest.skip(f"host name resolves to {address}, not a loopback address")
    with Process([EXAMPLES / "udp_server.py"], env={"RNET_PORT": 0}) as server:
        port = port_of(server, "udp server listening on")
        server.send_signal(signal.SIGTERM)
        code, out, _ = server.finish()
    assert code == 0
    assert lines(out) == [
        f"udp server listening on {address}:{port}",
        "udp server stopped after 0 datagram(s)",
    ]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_udp_server_stops_on_signal(signum):
    with Process([EXAMPLES / "udp_server.py", "127.0.0.1", 0]) as server:
        port_of(server, "udp server listening on")
        server.send_signal(signum)
        code, out, err = server.finish()
    assert (code, err) == (0, "")
    assert lines(out)[-1] == "udp server stopped after 0 datagram(s)"


def test_udp_client_without_server_times_out():
    port = dead_port()
    client = run_python([EXAMPLES / "udp_client.py", "127.0.0.1", port, "--timeout", 0.2])
    assert client.returncode == 1
    assert lines(client.stdout) == [
        f"sent 'hello my first udp program' to 127.0.0.1:{port}",
        "no reply within 0.2 s",
    ]


@pytest.mark.parametrize("bind", ["", LOOPBACK_BROADCAST])
def test_broadcast_server_reaches_listener(bind):
    args = [EXAMPLES / "broadcast_listener.py", 0, "--bind", bind, "--count", 2, "--timeout", 10]
    with Process(args) as listener:
        port = port_of(listener, "listening on")
        server = run_python(
            [EXAMPLES / "broadcast_server.py", LOOPBACK_BROADCAST, port]
            + ["--count", 2, "--interval", 0.1]
        )
        assert (server.returncode, server.stderr) == (0, "")
        hostname = HOSTNAME
        assert lines(server.stdout) == [
            f"broadcasting to {LOOPBACK_BROADCAST}:{port} every 0.1 s",
            f"sent 'announcement 1 from {hostname}'",
            f"sent 'announcement 2 from {hostname}'",
            "broadcast server stopped after 2 announcement(s)",
        ]
        code, out, err = listener.finish()
    assert (code, err) == (0, "")
    out = lines(out)
    assert out[0] == f"listening on {bind}:{port}"
    for n, line in enumerate(out[1:3], start=1):
        assert re.fullmatch(rf"received 'announcement {n} from .+' from 127\.0\.0\.1:\d+", line)
    assert out[3:] == ["listener stopped after 2 datagram(s)"]


def test_broadcast_listener_times_out_quietly():
    with Process([EXAMPLES / "broadcast_listener.py", 0, "--timeout", 0.2]) as listener:
        port = port_of(listener, "listening on")
        code, out, _ = listener.finish()
    assert code == 0
    assert lines(out) == [
        f"listening on :{port}",
        "nothing for 0.2 s",
        "listener stopped after 0 datagram(s)",
    ]


def test_lecture_broadcast_client_gets_reply():
    with Process([EXAMPLES / "udp_server.py", "", 0, "--count", 1]) as server:
        port = port_of(server, "udp server listening on 0.0.0.0:")
        client = run_python(
            [EXAMPLES / "broadcast_client.py", LOOPBACK_BROADCAST, port, "--timeout", 10]
            + ["--count", 1]
        )
        assert (client.returncode, client.stderr) == (0, "")
        assert lines(client.stdout) == [
            f"sent 'Broadcast datagram!' to {LOOPBACK_BROADCAST}:{port}",
            f"received 'replay from server' from 127.0.0.1:{port}",
            "1 reply",
        ]
        code, out, _ = server.finish()
    assert code == 0
    assert re.search(r"^received 'Broadcast datagram!' from 127\.0\.0\.1:\d+$", out, re.M)


def test_broadcast_client_without_server():
    port = dead_port()
    client = run_python(
        [EXAMPLES / "broadcast_client.py", LOOPBACK_BROADCAST, port, "--timeout", 0.2]
    )
    assert client.returncode == 1
    assert lines(client.stdout) == [
        f"sent 'Broadcast datagram!' to {LOOPBACK_BROADCAST}:{port}",
        "0 replies",
    ]
