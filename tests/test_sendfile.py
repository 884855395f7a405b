"""socket.sendfile: the zero-copy path and the fallback, timeouts, and bad
offsets and counts on open, closed and listening sockets, as the stdlib's."""

import os
import tempfile
import threading

import pytest

from diff import same


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
