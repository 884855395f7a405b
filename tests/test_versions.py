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


@pytest.mark.parametrize("version", list(ADDED), ids=lambda v: f"{v[0]}.{v[1]}")
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
