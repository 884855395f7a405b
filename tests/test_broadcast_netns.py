"""Broadcast, multicast and the lecture's UDP programs across real hosts.

Hosts A, B and C are network namespaces on one bridged segment (tests/netns.py),
198.18.0.1-3/24: limited broadcast ('<broadcast>', 255.255.255.255), the
directed broadcast 198.18.0.255 and multicast stay on that segment and never
leave the machine. The example programs run on the hosts via ``ip netns exec``.
"""

import re
import textwrap

import pytest

from netns import BROADCAST, hosts_fixture, netns_network  # noqa: F401  (fixtures)

PORT = 12345  # the lecture's; every host is a namespace of its own
GROUP = "239.1.2.3"
OTHER_GROUP = "239.1.2.4"
MCAST_PORT = 5007


def received(proc, text, source):
    """Assert `proc` printed `text` as received from the address `source`; return the port."""
    match = proc.wait_for(rf"^received {re.escape(repr(text))} from {re.escape(source)}:(\d+)$")
    return int(match.group(1))


def finished(proc, timeout=15.0):
    """Assert `proc` exits with status 0 within `timeout` s; return its output."""
    code, output = proc.finish(timeout)
    assert code == 0, f"{proc.label} exited with {code}:\n{output}"
    return output


def listeners(net, hosts, *args):
    """broadcast_listener.py on each of `hosts`, once each prints it is listening."""
    procs = [net.example(h, "broadcast_listener.py", *args) for h in hosts]
    for proc in procs:
        proc.wait_for(r"^listening on :\d+$")
    return procs


def test_hosts_have_their_own_names_and_addresses(test_hosts):
    net = test_hosts
    code = "import socket; print(socket.gethostname())"
    for host in net.hosts:
        proc = net.python(host, code)
        finished(proc)
        assert proc.output.splitlines() == [host.hostname]
    # Each host resolves its own name (and the others') from its hosts file.
    probe = textwrap.dedent(
        """
        import socket, rnet
        s = rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM)
        s.bind((socket.gethostname(), 0))
        print("bound", s.getsockname()[0])
        s.close()
        """
    )
    for host in net.hosts:
        proc = net.python(host, probe)
        finished(proc)
        assert f"bound {host.addr}" in proc.output.splitlines()


@pytest.mark.parametrize("network", ["<broadcast>", BROADCAST])
def test_broadcast_from_a_reaches_b_and_c(test_hosts, network):
    net = test_hosts
    ears = listeners(net, [net.b, net.c], PORT, "--count", 1, "--timeout", 10)
    server = net.example(net.a, "broadcast_server.py", network, PORT, "--count", 1)
    assert f"sent 'announcement 1 from {net.a.hostname}'" in finished(server)
    ports = set()
    for ear in ears:
        ports.add(received(ear, f"announcement 1 from {net.a.hostname}", net.a.addr))
        assert "listener stopped after 1 datagram(s)" in finished(ear)
    assert len(ports) == 1  # one datagram, one sending socket


def test_broadcast_server_reaches_every_listening_host(test_hosts):
    net = test_hosts
    ears = listeners(net, net.hosts, PORT, "--count", 3, "--timeout", 10)
    server = net.example(net.b, "broadcast_server.py", "--count", 3, "--interval", 0.2)
    finished(server)
    for ear in ears:
        for n in (1, 2, 3):
            received(ear, f"announcement {n} from {net.b.hostname}", net.b.addr)
        assert "listener stopped after 3 datagram(s)" in finished(ear)


def test_lecture_broadcast_client_gets_a_reply_from_every_server(test_hosts):
    net = test_hosts
    servers = [net.example(h, "udp_server.py", "", PORT, "--count", 1) for h in (net.b, net.c)]
    for server in servers:
        server.wait_for(rf"^udp server listening on 0\.0\.0\.0:{PORT}$")
    client = net.example(net.a, "broadcast_client.py", "--count", 2, "--timeout", 10)
    output = finished(client)
    assert f"sent 'Broadcast datagram!' to <broadcast>:{PORT}" in output
    for host, server in zip((net.b, net.c), servers, strict=True):
        received(client, "replay from server", host.addr)
        received(server, "Broadcast datagram!", net.a.addr)
        finished(server)
    assert output.splitlines()[-1] == "2 replies"


def test_multicast_reaches_members_and_not_others(test_hosts):
    net = test_hosts
    member = net.example(
        net.b, "multicast_receiver.py", GROUP, MCAST_PORT, "--iface", net.b.addr,
        "--count", 2, "--timeout", 10,
    )  # fmt: skip
    member.wait_for(rf"^joined {re.escape(GROUP)} on {re.escape(net.b.addr)}, listening on :")
    # C listens on the same port but joined another group: the kernel drops
    # the datagrams for the group C is not a member of.
    other = net.example(
        net.c, "multicast_receiver.py", OTHER_GROUP, MCAST_PORT, "--iface", net.c.addr,
        "--count", 1, "--timeout", 2,
    )  # fmt: skip
    other.wait_for(r"^joined ")
    sender = net.example(
        net.a, "multicast_sender.py", GROUP, MCAST_PORT, "--iface", net.a.addr,
        "--count", 2, "--interval", 0.2,
    )  # fmt: skip
    finished(sender)
    received(member, f"multicast 1 from {net.a.hostname}", net.a.addr)
    received(member, f"multicast 2 from {net.a.hostname}", net.a.addr)
    assert "multicast receiver stopped after 2 datagram(s)" in finished(member)
    output = finished(other)
    assert "received" not in output
    assert "nothing for 2.0 s" in output


def test_multicast_to_the_other_group_reaches_its_member(test_hosts):
    # The converse of the test above: C's receiver works when its group is used.
    net = test_hosts
    member = net.example(
        net.c, "multicast_receiver.py", OTHER_GROUP, MCAST_PORT, "--count", 1, "--timeout", 10
    )
    member.wait_for(r"^joined ")
    finished(net.example(net.a, "multicast_sender.py", OTHER_GROUP, MCAST_PORT))
    received(member, f"multicast 1 from {net.a.hostname}", net.a.addr)
    finished(member)


def test_lecture_udp_client_and_server_across_hosts(test_hosts):
    net = test_hosts
    # The server binds (gethostname(), 12345): its own name, resolved on B.
    server = net.example(net.b, "udp_server.py", "--count", 1)
    server.wait_for(rf"^udp server listening on {re.escape(net.b.addr)}:{PORT}$")
    # The client on A finds B by name, through A's hosts file.
    client = net.example(net.a, "udp_client.py", net.b.name, PORT)
    output = finished(client)
    assert output.splitlines() == [
        f"sent 'hello my first udp program' to {net.b.name}:{PORT}",
        f"received 'replay from server' from {net.b.addr}:{PORT}",
    ]
    received(server, "hello my first udp program", net.a.addr)
    assert finished(server).splitlines()[-1] == "udp server stopped after 1 datagram(s)"


SENDTO_BROADCAST = textwrap.dedent(
    """
    import importlib, sys
    mod = importlib.import_module(sys.argv[1])
    with mod.socket(mod.AF_INET, mod.SOCK_DGRAM) as s:
        try:
            s.sendto(b"x", (sys.argv[2], 12346))
        except OSError as exc:
            print("raised", type(exc).__name__, exc.errno, exc)
            for note in getattr(exc, "__notes__", []):
                print("note", note)
        s.setsockopt(mod.SOL_SOCKET, mod.SO_BROADCAST, 1)
        print("with SO_BROADCAST sent", s.sendto(b"x", (sys.argv[2], 12346)))
    """
)


@pytest.mark.parametrize("network", ["<broadcast>", BROADCAST])
def test_sendto_broadcast_needs_so_broadcast(test_hosts, network):
    net = test_hosts
    outputs = {}
    for module in ("socket", "rnet"):
        proc = net.python(net.a, SENDTO_BROADCAST, module, network)
        finished(proc)
        outputs[module] = proc.output.splitlines()
    expected = [
        "raised PermissionError 13 [Errno 13] Permission denied",
        "with SO_BROADCAST sent 1",
    ]
    assert outputs["socket"] == expected
    note = "note rnet: broadcasting needs sock.setsockopt(SOL_SOCKET, SO_BROADCAST, 1) first"
    assert outputs["rnet"] == [expected[0], note, expected[1]]
