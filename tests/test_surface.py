"""rnet offers every public name of the stdlib socket module that applies to
AF_INET, AF_INET6 and AF_UNIX on Linux, with the stdlib's values."""

import socket
import sys

import rnet

# Deliberate omissions, each with its reason.
OMITTED_PREFIXES = {
    # Address families rnet's address conversion does not speak: their
    # options and flags would be names without a working socket behind them.
    "CAN_": "AF_CAN (SocketCAN) is not supported",
    "SOL_CAN_": "AF_CAN (SocketCAN) is not supported",
    "J1939_": "AF_CAN J1939 is not supported",
    "SO_J1939_": "AF_CAN J1939 is not supported",
    "SCM_J1939_": "AF_CAN J1939 is not supported",
    "TIPC_": "AF_TIPC is not supported",
    "PACKET_": "AF_PACKET is not supported",
    "ETH_P_": "AF_PACKET is not supported (3.12's ETH_P_ALL)",
    "ETHERTYPE_": "AF_PACKET is not supported (3.12's ETHERTYPE_*)",
    "SO_VM_SOCKETS_": "AF_VSOCK is not supported",
    "IOCTL_VM_SOCKETS_": "AF_VSOCK is not supported",
    "VM_SOCKETS_": "AF_VSOCK is not supported",
    "ALG_OP_SIGN": "AF_ALG asymmetric-key operations are not supported",
    "ALG_OP_VERIFY": "AF_ALG asymmetric-key operations are not supported",
    "ALG_SET_PUBKEY": "AF_ALG asymmetric-key operations are not supported",
}
# Families whose constants the stdlib has only where CPython was built with
# their headers (and, for these, from 3.14 on Linux): omitted as above, but
# absent from some builds, so not required to exist.
OMITTED_IF_BUILT = {
    "BDADDR_": "AF_BLUETOOTH is not supported",
    "BT_": "AF_BLUETOOTH is not supported",
    "BTPROTO_": "AF_BLUETOOTH is not supported",
    "HCI_": "AF_BLUETOOTH is not supported",
    "L2CAP_": "AF_BLUETOOTH is not supported",
    "SOL_BLUETOOTH": "AF_BLUETOOTH is not supported",
    "SOL_L2CAP": "AF_BLUETOOTH is not supported",
    "SOL_RFCOMM": "AF_BLUETOOTH is not supported",
    "SOL_SCO": "AF_BLUETOOTH is not supported",
    "AF_BLUETOOTH": "AF_BLUETOOTH is not supported",
}
# Prefixes of OMITTED_PREFIXES that name constants CPython added later.
OMITTED_SINCE = {"ETH_P_": (3, 12), "ETHERTYPE_": (3, 12)}
OMITTED_NAMES = {
    "CAPI": "a C capsule for C extensions; rnet has no C API",
    # What Lib/socket.py imports for itself, not part of the socket API.
    "IntEnum": "an import of Lib/socket.py",
    "IntFlag": "an import of Lib/socket.py",
    "array": "an import of Lib/socket.py",
    "errno": "an import of Lib/socket.py",
    "io": "an import of Lib/socket.py",
    "os": "an import of Lib/socket.py",
    "selectors": "an import of Lib/socket.py",
    "sys": "an import of Lib/socket.py",
}


def omitted(name):
    prefixes = (*OMITTED_PREFIXES, *OMITTED_IF_BUILT)
    return name in OMITTED_NAMES or name.startswith(prefixes)


def test_every_applicable_stdlib_name_exists():
    public = [n for n in dir(socket) if not n.startswith("_")]
    missing = [n for n in public if not omitted(n) and not hasattr(rnet, n)]
    assert missing == []


def test_omissions_are_real():
    # An omission that rnet in fact provides, or the stdlib does not have,
    # is stale and must leave the list.
    for name in OMITTED_NAMES:
        assert hasattr(socket, name) and not hasattr(rnet, name), name
    for prefix in OMITTED_PREFIXES:
        if sys.version_info >= OMITTED_SINCE.get(prefix, (3, 11)):
            assert any(n.startswith(prefix) for n in dir(socket)), prefix
    for prefix in OMITTED_IF_BUILT:
        assert not any(n.startswith(prefix) for n in dir(rnet)), prefix


# rnet's own additions, each with its reason; every other public name is the
# stdlib's.
RNET_ONLY = {
    "UDP_SEGMENT": "UDP offload for sendmmsg (src/mmsg.rs); the stdlib lacks it",
    "UDP_GRO": "UDP offload for recvmmsg (src/mmsg.rs); the stdlib lacks it",
    "settrace": "tracing of socket calls (rnet/_trace.py)",
    "gettrace": "tracing of socket calls (rnet/_trace.py)",
    "tracing": "tracing of socket calls (rnet/_trace.py)",
    "set_notes": "the teaching notes' switch (rnet/_notes.py)",
    "notes_enabled": "the teaching notes' switch (rnet/_notes.py)",
}


def test_no_name_the_stdlib_lacks():
    # A constant of a later CPython must not appear on an earlier one.
    public = {n for n in dir(rnet) if not n.startswith("_")}
    assert public - set(dir(socket)) == set(RNET_ONLY)


def test_all_lists_the_stdlib_names():
    expected = {n for n in socket.__all__ if not omitted(n)}
    assert expected - set(rnet.__all__) == set()
    assert all(hasattr(rnet, n) for n in rnet.__all__)


# Constants the course's programs and these tests name: each must be in both
# modules, where the comparison below would pass over a name either one lacked.
NAMED_CONSTANTS = [
    "AF_INET",
    "AF_INET6",
    "AF_UNIX",
    "INADDR_ANY",
    "INADDR_BROADCAST",
    "IPPROTO_IP",
    "IPPROTO_IPV6",
    "IPPROTO_TCP",
    "IPPROTO_UDP",
    "IPV6_JOIN_GROUP",
    "IPV6_LEAVE_GROUP",
    "IPV6_MULTICAST_HOPS",
    "IPV6_MULTICAST_LOOP",
    "IPV6_UNICAST_HOPS",
    "IPV6_V6ONLY",
    "IP_ADD_MEMBERSHIP",
    "IP_DROP_MEMBERSHIP",
    "IP_MULTICAST_IF",
    "IP_MULTICAST_LOOP",
    "IP_MULTICAST_TTL",
    "IP_TTL",
    "MSG_DONTWAIT",
    "MSG_PEEK",
    "MSG_WAITALL",
    "SHUT_RD",
    "SHUT_RDWR",
    "SHUT_WR",
    "SOCK_DGRAM",
    "SOCK_STREAM",
    "SOL_SOCKET",
    "SOMAXCONN",
    "SO_BROADCAST",
    "SO_ERROR",
    "SO_KEEPALIVE",
    "SO_LINGER",
    "SO_RCVBUF",
    "SO_REUSEADDR",
    "SO_REUSEPORT",
    "SO_SNDBUF",
    "SO_TYPE",
    "TCP_NODELAY",
]
# The stdlib has no value to compare rnet's own constants (RNET_ONLY) with:
# they must have Linux's, from <netinet/udp.h> and <linux/udp.h>.
LINUX_VALUES = {"SOL_UDP": 17, "UDP_SEGMENT": 103, "UDP_GRO": 104}


def test_constants_have_the_stdlib_values_and_types():
    shared = [n for n in dir(rnet) if not n.startswith("_") and hasattr(socket, n)]
    constants = [
        n
        for n in shared
        if isinstance(getattr(socket, n), int) or isinstance(getattr(rnet, n), int)
    ]
    assert len(constants) > 230
    assert [n for n in NAMED_CONSTANTS if n not in constants] == []
    wrong = [
        (n, getattr(rnet, n), getattr(socket, n))
        for n in constants
        if getattr(rnet, n) != getattr(socket, n)
        or type(getattr(rnet, n)) is not type(getattr(socket, n))
    ]
    assert wrong == []
    assert {n: getattr(rnet, n) for n in LINUX_VALUES} == LINUX_VALUES
    assert set(LINUX_VALUES) <= set(rnet.__all__)


def test_functions_are_documented():
    for name in rnet.__all__:
        obj = getattr(rnet, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and obj.__doc__.strip(), name
    for name in ("recv", "send", "sendall", "accept", "connect", "bind", "makefile"):
        assert getattr(rnet.socket, name).__doc__, name


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
