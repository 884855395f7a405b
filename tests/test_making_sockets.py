"""Making sockets: socketpair, fromfd, create_server and create_connection
(rnet/_compose.py over the core), compared with the stdlib."""

import socket

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


def test_fromfd_cuts_the_number_to_a_c_int():
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            with mod.fromfd(2**32 + a.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as twin:
                twin.sendall(b"twin")
                return b.recv(10)

    assert same(body) == ("ok", b"twin")


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


# Both implementations leak the half-made socket here (settimeout's
# OverflowError is not an OSError), and both warn about it.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_create_connection_huge_timeout_message():
    with socket.create_server(("127.0.0.1", 0)) as server:
        same(lambda mod: mod.create_connection(server.getsockname(), timeout=2**40).close())


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.socketpair(2**31),
        lambda m: m.socketpair(m.AF_UNIX, -(2**31) - 1),
    ],
)
def test_socketpair_argument_types(call):
    same(call)
