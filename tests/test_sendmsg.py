"""sendmsg, recvmsg and recvmsg_into: scatter/gather, MSG_TRUNC, ancillary
data and passing file descriptors (send_fds/recv_fds), and their argument
checks in CPython's order; each compared with the stdlib."""

import array
import os
import socket

import pytest

from diff import same


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


def test_send_fds_ignores_flags_and_address_as_cpython():
    def body(mod):
        a, b = mod.socketpair()
        r, w = os.pipe()
        try:
            with a, b:
                return mod.send_fds(a, [b"x"], [r], -1), mod.send_fds(a, [b"y"], [w], 0, "nope")
        finally:
            os.close(r)
            os.close(w)

    assert same(body) == ("ok", (1, 1))


@pytest.mark.parametrize("flags", [socket.MSG_TRUNC, socket.MSG_TRUNC | socket.MSG_PEEK])
def test_recvmsg_with_msg_trunc(flags):
    def body(mod):
        a, b = mod.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        with a, b:
            a.send(b"hello")
            a.send(b"world!")
            first = b.recvmsg(2, 0, flags)
            if flags & socket.MSG_PEEK:
                b.recv(10)
            return first, b.recvmsg(0, 0, flags)

    same(body)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.recvmsg(1, 2**40),
        lambda s: s.recvmsg(1, 2**31),
        lambda s: s.recvmsg_into([bytearray(1)], 2**40),
        lambda s: s.recvmsg(2**40),
    ],
)
def test_recvmsg_huge_sizes(call):
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            return call(b)

    assert same(body)[0] == "raise"


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
        # Ancillary data as a list rather than a tuple, or None.
        lambda s: s.sendmsg([b"x"], [[socket.SOL_SOCKET, socket.SCM_RIGHTS, b""]]),
        lambda s: s.sendmsg([b"x"], None),
        lambda s: s.sendmsg([b"x"], [], 0, None),
    ],
)
def test_msg_argument_forms(call):
    def body(mod):
        a, b = mod.socketpair()
        with a, b:
            return call(a)

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
