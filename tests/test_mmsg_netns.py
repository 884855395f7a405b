"""sendmmsg / recvmmsg and UDP GSO across real links: hosts A, B and C are
network namespaces on one bridged segment (tests/netns.py), joined by veth
pairs, so datagrams leave one host's eth0 and arrive on another's."""

import ast
import textwrap

from netns import hosts_fixture, netns_network  # noqa: F401  (fixtures)

PORT = 23456

# Prints "listening", then receives with recvmmsg until it has `expected`
# datagrams (bounded by a 10 s timeout per wait), and prints each one's
# (length, first byte, sender address) and the number of recvmmsg calls.
RECEIVER = textwrap.dedent(
    """
    import sys, rnet
    expected = int(sys.argv[1])
    with rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM) as s:
        s.setsockopt(rnet.SOL_SOCKET, rnet.SO_RCVBUF, 1 << 20)
        s.bind(("", PORT))
        s.settimeout(10)
        print("listening", flush=True)
        got, calls = [], 0
        while len(got) < expected and calls < 1000:
            batch = s.recvmmsg(64, 2048)
            calls += 1
            got += [(len(d), d[:1], a) for d, a in batch]
        print("got", got, flush=True)
        print("calls", calls, flush=True)
    """
).replace("PORT", str(PORT))

# A batch addressed by host name to B and C, then, with GSO, one send of
# 20 segments of 1400 bytes (the veth MTU is 1500) to B.
SENDER = textwrap.dedent(
    """
    import rnet
    with rnet.socket(rnet.AF_INET, rnet.SOCK_DGRAM) as s:
        s.bind(("", 0))
        batch = []
        for i in range(64):
            host = "hostb" if i % 2 == 0 else "hostc"
            batch.append((bytes([65 + i % 26]) * (i + 1), (host, PORT)))
        print("sent", s.sendmmsg(batch), flush=True)
        s.connect(("hostb", PORT))
        s.setsockopt(rnet.SOL_UDP, rnet.UDP_SEGMENT, 1400)
        data = b"".join(bytes([97 + i]) * 1400 for i in range(20))
        print("gso sent", s.send(data), flush=True)
        print("port", s.getsockname()[1], flush=True)
    """
).replace("PORT", str(PORT))


def finished(proc, timeout=20.0):
    code, output = proc.finish(timeout)
    assert code == 0, f"{proc.label} exited with {code}:\n{output}"
    return output.splitlines()


def reported(lines, label):
    return ast.literal_eval(
        next(line for line in lines if line.startswith(label + " "))[len(label) + 1 :]
    )


def test_batches_and_gso_cross_the_veth_links(test_hosts):
    net = test_hosts
    on_b = net.python(net.b, RECEIVER, "52")  # 32 of the batch + 20 segments
    on_c = net.python(net.c, RECEIVER, "32")
    for proc in (on_b, on_c):
        proc.wait_for(r"^listening$")
    sender = finished(net.python(net.a, SENDER))
    assert reported(sender, "sent") == 64
    assert reported(sender, "gso sent") == 20 * 1400
    port = reported(sender, "port")
    got_b, got_c = reported(finished(on_b), "got"), reported(finished(on_c), "got")
    source = (net.a.addr, port)
    batch = [(i + 1, bytes([65 + i % 26]), source) for i in range(64)]
    # Order on one link is kept; the GSO segments come after B's batch.
    assert got_b == batch[0::2] + [(1400, bytes([97 + i]), source) for i in range(20)]
    assert got_c == batch[1::2]
