"""rnet follows the CPython it runs on: the names each version added appear
from that version on, and keyword arguments the stdlib refuses are refused.

CI runs the whole suite on every pyenv CPython >= 3.11 it finds, so the
differential tests elsewhere compare with 3.11's, 3.12's and 3.13's stdlib.
The 3.14 names come from CPython's changelog and typeshed's `_socket` stub;
they are checked against a real 3.14 when the suite runs on one.
"""

import socket
import sys

import pytest

import rnet

# The Linux names CPython added in each version, but those of the families
# rnet leaves out (AF_PACKET's ETH_P_ALL and ETHERTYPE_*, AF_CAN's
# CAN_RAW_ERR_FILTER, AF_BLUETOOTH's constants).
ADDED = {
    (3, 12): [
        "IP_ADD_SOURCE_MEMBERSHIP",
        "IP_BLOCK_SOURCE",
        "IP_DROP_SOURCE_MEMBERSHIP",
        "IP_PKTINFO",
        "IP_UNBLOCK_SOURCE",
        "TCP_CC_INFO",
        "TCP_FASTOPEN_CONNECT",
        "TCP_FASTOPEN_KEY",
        "TCP_FASTOPEN_NO_COOKIE",
        "TCP_INQ",
        "TCP_MD5SIG",
        "TCP_MD5SIG_EXT",
        "TCP_QUEUE_SEQ",
        "TCP_REPAIR",
        "TCP_REPAIR_OPTIONS",
        "TCP_REPAIR_QUEUE",
        "TCP_REPAIR_WINDOW",
        "TCP_SAVED_SYN",
        "TCP_SAVE_SYN",
        "TCP_THIN_DUPACK",
        "TCP_THIN_LINEAR_TIMEOUTS",
        "TCP_TIMESTAMP",
        "TCP_TX_DELAY",
        "TCP_ULP",
        "TCP_ZEROCOPY_RECEIVE",
    ],
    (3, 13): ["NI_IDN", "SO_BINDTOIFINDEX"],
    (3, 14): [
        "IP_FREEBIND",
        "IP_RECVERR",
        "IP_RECVORIGDSTADDR",
        "IP_RECVTTL",
        "IPV6_RECVERR",
        "SO_ORIGINAL_DST",
        "VMADDR_CID_LOCAL",
    ],
}


@pytest.mark.parametrize("version", list(ADDED), ids=lambda v: "%d.%d" % v)
def test_names_appear_from_their_version_on(version):
    names = ADDED[version]
    if sys.version_info >= version:
        assert [n for n in names if not hasattr(rnet, n)] == []
        assert set(names) <= set(rnet.__all__)
    else:
        assert [n for n in names if hasattr(rnet, n)] == []
        assert [n for n in names if hasattr(socket, n)] == []


@pytest.mark.skipif(sys.version_info < (3, 14), reason="needs CPython 3.14")
def test_314_names_match_a_real_314():
    # The 3.14 list was written from CPython's changes, not from a 3.14.
    for name in ADDED[(3, 14)]:
        assert getattr(rnet, name) == getattr(socket, name), name


@pytest.mark.skipif(sys.version_info < (3, 14), reason="needs CPython 3.14")
def test_314_if_indextoname_is_if_index():
    assert "if_index" in (socket.if_indextoname.__text_signature__ or "")


# Positional-only in CPython: keywords are a TypeError (PyO3's wording, the
# stdlib's class, as README says of arity errors).
KEYWORD_CALLS = {
    "bind": lambda s: s.bind(address=("127.0.0.1", 0)),
    "connect": lambda s: s.connect(address=("127.0.0.1", 9)),
    "connect_ex": lambda s: s.connect_ex(address=("127.0.0.1", 9)),
    "setblocking": lambda s: s.setblocking(flag=True),
    "settimeout": lambda s: s.settimeout(value=1.0),
    "settimeout-timeout": lambda s: s.settimeout(timeout=1.0),
    "shutdown": lambda s: s.shutdown(how=socket.SHUT_RDWR),
    "getsockopt": lambda s: s.getsockopt(socket.SOL_SOCKET, optname=socket.SO_TYPE),
    "setsockopt": lambda s: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, value=1),
}


@pytest.mark.parametrize("name", list(KEYWORD_CALLS))
def test_positional_only_methods_refuse_keywords(mod, name):
    with mod.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        with pytest.raises(TypeError):
            KEYWORD_CALLS[name](s)


def test_setdefaulttimeout_refuses_keywords(mod):
    with pytest.raises(TypeError):
        mod.setdefaulttimeout(timeout=1.0)
    assert mod.getdefaulttimeout() is None


def test_positional_calls_still_work():
    with rnet.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setblocking(True)
        s.settimeout(2.0)
        s.bind(("127.0.0.1", 0))
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rnet.setdefaulttimeout(None)
