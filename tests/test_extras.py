"""socketpair, fromfd, sendmsg/recvmsg, sendfile, create_connection,
create_server, AF_UNIX and IPv6 addresses: compared with the stdlib."""

import array
import errno
import os
import socket
import tempfile
import threading

import pytest

import rnet

from diff import same


def test_socketpair_and_fromfd(mod):
    a, b = mod.socketpair()
    with a, b:
        assert (a.family, a.type) == (socket.AF_UNIX, socket.SOCK_STREAM)
        assert not a.get_inheritable()
        twin = mod.fromfd(a.fileno(), socket.AF_UNIX, socket.SOCK_STREAM)
        with twin:
            assert twin.fileno() != a.fileno()
            twin.sendall(b"via fromfd")
            assert b.recv(20) == b"via fromfd"


def test_sendmsg_recvmsg_scatter_gather(mod):
    a, b = mod.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with a, b:
        assert a.sendmsg([b"he", bytearray(b"ll"), memoryview(b"o")]) == 5
        assert b.recvmsg(10) == (b"hello", [], 0, None)
        a.send(b"abcdefg")
        first, second = bytearray(2), bytearray(10)
        assert b.recvmsg_into([first, second]) == (7, [], 0, None)
        assert (first, second[:5]) == (b"ab", b"cdefg")
        a.send(b"truncated")
        data, anc, flags, _ = b.recvmsg(3)
        assert data == b"tru" and flags & socket.MSG_TRUNC


def test_passing_file_descriptors(mod):
    a, b = mod.socketpair()
    r, w = os.pipe()
    try:
        with a, b:
            assert mod.send_fds(a, [b"fds"], [r, w]) == 3
            msg, fds, flags, _ = mod.recv_fds(b, 10, 4)
            assert msg == b"fds" and len(fds) == 2 and flags == 0
            os.write(fds[1], b"through the passed fd")
            assert os.read(r, 100) == b"through the passed fd"
            for fd in fds:
                os.close(fd)
            # Raw ancillary data, as sendmsg/recvmsg users write it.
            a.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
            msg, anc, _, _ = b.recvmsg(1, socket.CMSG_SPACE(4))
            assert msg == b"x" and [(lvl, typ) for lvl, typ, _ in anc] == [(1, 1)]
            os.close(array.array("i", anc[0][2]).tolist()[0])
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.recvmsg(-1),
        lambda s: s.recvmsg(1, -1),
        lambda s: s.recvmsg("x"),
        lambda s: s.sendmsg(1),
        lambda s: s.sendmsg([b"x"], 1),
        lambda s: s.sendmsg([b"x"], [1]),
        lambda s: s.sendmsg([b"x"], [(1, 2)]),
        lambda s: s.sendmsg(["x"]),
        lambda s: s.sendmsg([b"x"], [(1, 2, "x")]),
        lambda s: s.recvmsg_into(1),
        lambda s: s.recvmsg_into([b"x"]),
        lambda s: s.recvmsg_into([bytearray(1)], -1),
    ],
)
def test_msg_bad_input(call):
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            return call(a)

    same(body)


def test_sendfile_zero_copy_and_fallback(mod):
    payload = os.urandom(300_000)
    a, b = mod.socketpair()
    with a, b, tempfile.TemporaryFile() as f:
        f.write(payload)
        f.seek(0)
        got = bytearray()

        def drain():
            for _ in range(10_000):
                if len(got) >= len(payload) - 1000:
                    return
                got.extend(b.recv(1 << 16))

        reader = threading.Thread(target=drain)
        reader.start()
        assert a.sendfile(f, 1000) == len(payload) - 1000
        reader.join(10)
        assert bytes(got) == payload[1000:]
        assert f.tell() == len(payload)
        with pytest.raises(ValueError, match="binary mode"):
            with open(f.fileno(), closefd=False) as text:
                a.sendfile(text)


def test_create_server_and_connection(mod):
    with mod.create_server(("127.0.0.1", 0)) as server:
        assert server.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1
        port = server.getsockname()[1]
        with mod.create_connection(("localhost", port), timeout=5) as client:
            assert client.gettimeout() == 5
            conn, _ = server.accept()
            with conn:
                client.sendall(b"hi")
                assert conn.recv(2) == b"hi"


def test_create_server_bind_error_message():
    with socket.create_server(("127.0.0.1", 0)) as busy:
        address = busy.getsockname()
        same(lambda mod: mod.create_server(address).close())


def test_create_server_dualstack(mod):
    if not socket.has_dualstack_ipv6():
        pytest.skip("no dual-stack IPv6 here")
    with mod.create_server(("::", 0), family=socket.AF_INET6, dualstack_ipv6=True) as server:
        port = server.getsockname()[1]
        with mod.create_connection(("127.0.0.1", port), timeout=5):
            conn, addr = server.accept()
            with conn:
                assert addr[0] == "::ffff:127.0.0.1"


def test_create_connection_refused_and_all_errors(mod):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(ConnectionRefusedError):
            mod.create_connection(("127.0.0.1", port), timeout=5)
        with pytest.raises(ExceptionGroup) as info:
            mod.create_connection(("127.0.0.1", port), timeout=5, all_errors=True)
        assert all(isinstance(e, ConnectionRefusedError) for e in info.value.exceptions)


def test_unix_stream_and_datagram_paths(mod, tmp_path):
    path = str(tmp_path / "srv.sock")
    with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen()
        assert server.getsockname() == path
        with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            conn, addr = server.accept()
            with conn:
                assert addr == "" and client.getpeername() == path
    dgram_path = str(tmp_path / "dgram.sock")
    with (
        mod.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as rx,
        mod.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as tx,
    ):
        rx.bind(dgram_path)
        tx.bind(str(tmp_path / "tx.sock"))
        tx.sendto(b"datagram", dgram_path)
        assert rx.recvfrom(100) == (b"datagram", str(tmp_path / "tx.sock"))


def test_unix_abstract_namespace(mod):
    name = b"\0rnet-test-%d-%s" % (os.getpid(), mod.__name__.encode())
    with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(name)
        assert server.getsockname() == name
        server.listen()
        with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(name)
            conn, _ = server.accept()
            conn.close()
    with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as auto:
        auto.bind(b"")  # autobind: the kernel picks an abstract name
        assert auto.getsockname()[:1] == b"\0"


@pytest.mark.parametrize(
    "address",
    ["x" * 108, b"x" * 108, b"\0" + b"x" * 108, 5, None, ("a", 1)],
    ids=lambda a: repr(a)[:20],
)
def test_unix_bad_addresses(address):
    def body(mod):
        with mod.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            return s.bind(address)

    same(body)


def test_ipv6_addresses(mod):
    with mod.socket(socket.AF_INET6, socket.SOCK_STREAM) as server:
        server.bind(("::1", 0, 0, 0))
        server.listen()
        host, port, flowinfo, scope_id = server.getsockname()
        assert (host, flowinfo, scope_id) == ("::1", 0, 0)
        with mod.socket(socket.AF_INET6, socket.SOCK_STREAM) as client:
            client.connect(("::1", port))
            conn, addr = server.accept()
            with conn:
                assert addr == client.getsockname()
                assert len(addr) == 4


def test_ipv6_scoped_link_local():
    index = socket.if_nametoindex("lo")

    def body(mod):
        with mod.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("fe80::1", 0, 0, index))
            except OSError as exc:
                return ("bind failed", exc.errno)
            return s.getsockname()[0]

    same(body)


def test_v6only_option(mod):
    with mod.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        initial = s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 - initial)
        assert s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 1 - initial


def test_connect_ex_nonblocking_in_progress(mod):
    with mod.socket() as server, mod.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.setblocking(False)
        err = client.connect_ex(server.getsockname())
        assert err in (0, errno.EINPROGRESS)


def test_names_used_by_rnet_module_exist():
    for name in (
        "socketpair",
        "fromfd",
        "create_connection",
        "create_server",
        "send_fds",
        "recv_fds",
        "has_dualstack_ipv6",
    ):
        assert callable(getattr(rnet, name)), name


def test_create_connection_timeout_bounds_the_whole_call(monkeypatch):
    # A listener with a backlog of 0 takes one connection and leaves the next
    # hanging, so every address getaddrinfo gives below hangs. CPython would
    # spend the timeout on each address; rnet spends it once, then stops.
    attempts = []

    class Recording(rnet.socket):
        def connect(self, address):
            attempts.append(self.gettimeout())
            return super().connect(address)

    with socket.socket() as listener, socket.socket() as first:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        first.connect(listener.getsockname())
        port = listener.getsockname()[1]
        answer = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))] * 2
        monkeypatch.setattr(rnet, "getaddrinfo", lambda *args: answer)
        monkeypatch.setattr(rnet, "socket", Recording)
        with pytest.raises(TimeoutError):
            rnet.create_connection(("both.test", port), timeout=0.3)
    assert len(attempts) == 1 and 0 < attempts[0] <= 0.3


# --- fixes the differential fuzzer (tests/fuzz_engine.py) led to ---


def _big_file(tmp_path, size=16 << 20):
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(size))
    return path


def test_sendfile_timeout_is_not_a_reason_to_fall_back_to_send(mod, tmp_path):
    # Lib/socket.py raises the selector's TimeoutError as it is; a fallback
    # to send() would wait a second timeout.
    path = _big_file(tmp_path)
    used_send = []

    class Spy(mod.socket):
        def send(self, *args):
            used_send.append(True)
            return super().send(*args)

    a, b = mod.socketpair()
    spy = Spy(fileno=a.detach())
    with spy, b, open(path, "rb") as f:
        spy.settimeout(0.05)
        with pytest.raises(TimeoutError):
            spy.sendfile(f)  # nobody reads b: the buffer fills up
    assert used_send == []


@pytest.mark.parametrize(
    "call",
    [
        lambda s, f: s.sendfile(f, None),  # os.sendfile's None offset, then +=
        lambda s, f: s.sendfile(f, 2**63),
        lambda s, f: s.sendfile(f, b"x"),
        lambda s, f: s.sendfile(f, 0, 2**100),
    ],
)
@pytest.mark.parametrize("state", ["open", "closed", "listening"])
def test_sendfile_bad_offsets_and_states(call, state, tmp_path):
    path = _big_file(tmp_path, 1000)

    def body(mod):
        if state == "listening":
            s = mod.socket()
            s.bind(("127.0.0.1", 0))
            s.listen()
            peer = None
        else:
            s, peer = mod.socketpair()
        with s, open(path, "rb") as f:
            s.settimeout(0.05)
            if state == "closed":
                s.close()
            try:
                return call(s, f), f.tell()
            finally:
                if peer is not None:
                    peer.close()

    same(body)


def test_recvmsg_with_a_huge_ancillary_buffer_does_not_fill_it(mod):
    # CPython mallocs the control buffer; rnet callocs it (lazily mapped),
    # rather than writing 2 GiB of zeros.
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    a, b = mod.socketpair()
    with a, b:
        a.settimeout(0.01)
        with pytest.raises(TimeoutError):
            a.recvmsg(1, 2**31 - 1)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 512 * 1024


@pytest.mark.parametrize(
    "call",
    [
        # sendmsg: the flags, then the address, then the data, then ancdata.
        lambda s: s.sendmsg(None, "a\0b", socket.MSG_PEEK, 2**100),
        lambda s: s.sendmsg(2**32 - 1, [], 2**64, ("127.0.0.1", 9)),
        lambda s: s.sendmsg([memoryview(bytearray(8))[::2]], [(2**31, 0, b"")], 0, 5),
        lambda s: s.sendmsg([b"x"], [1], 0, "x" * 200),
        lambda s: s.sendmsg([], [(2**31, 0, b"")], memoryview(bytearray(8))[::2]),
        # recvmsg_into checks its buffers before ancbufsize.
        lambda s: s.recvmsg_into(5, -1),
        # recvmsg: bufsize's sign, its bytes, then ancbufsize.
        lambda s: s.recvmsg(2**63 - 1, -65536, -1),
        lambda s: s.recvmsg(-1, -1),
        # A closed socket's recvmsg/sendmsg is the kernel's error for fd -1,
        # which checks the flags first (MSG_CMSG_COMPAT is EINVAL).
        lambda s: s.recvmsg(1, 0, -65536),
        lambda s: s.recvmsg(5, 0, -1),
        lambda s: s.recvmsg_into([bytearray(4)], 0, -1),
        lambda s: s.sendmsg([b"x"], [], -1),
    ],
)
@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_msg_arguments_in_cpythons_order(call, closed):
    def body(mod):
        a, b = mod.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        with a, b:
            a.settimeout(0.01)
            if closed:
                a.close()
            return call(a)

    same(body)
