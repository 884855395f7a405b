"""``python -m rnet run --py2``: the course's Python 2 slides, run as printed.

Python 2.7 (pyenv's, skipped when absent) is the oracle: the slide programs in
tests/data/py2_*.py run on it with the stdlib socket, then on rnet through
``--py2``, and each side must print what Python 2 printed.
"""

import os
import re
from pathlib import Path

import pytest

from helpers import DATA, Process, free_port, run_python

PYTHON2 = Path(os.path.expanduser("~/.pyenv/versions/2.7.18/bin/python"))
needs_python2 = pytest.mark.skipif(not PYTHON2.exists(), reason=f"no Python 2.7 at {PYTHON2}")
pytest.importorskip("fissix", reason="--py2 needs the rnet[py2] extra")

CLIENT_PORT = re.compile(r"\('127\.0\.0\.1', \d+\)")


def slides(tmp_path, port):
    """The two slide programs, with the lecture's port 11267 swapped for ``port``."""
    paths = []
    for name in ("py2_tcp_server.py", "py2_tcp_client.py"):
        path = tmp_path / name.removeprefix("py2_")
        path.write_text((DATA / name).read_text().replace("11267", str(port)))
        paths.append(path)
    return paths


def run_pair(tmp_path, server_cmd, client_cmd):
    """Run the slide server and client, each as ``(executable, args)``; both outputs."""
    port = free_port()
    server_py, client_py = slides(tmp_path, port)
    (s_exe, s_args), (c_exe, c_args) = server_cmd, client_cmd
    with Process([*s_args, server_py], executable=s_exe) as server:
        server.wait_for_line("server waits for connection")
        client = run_python([*c_args, client_py], input="hello there!\n", executable=c_exe)
        rc, out, err = server.finish()
    assert rc == 0, err
    assert client.returncode == 0, client.stderr
    # The client's port differs from run to run.
    return CLIENT_PORT.sub("('127.0.0.1', PORT)", out), client.stdout


PY2 = (str(PYTHON2), [])
RNET_PY2 = (None, ["-m", "rnet", "run", "--py2"])


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    """What the slides print on Python 2.7 with its own socket module."""
    if not PYTHON2.exists():
        pytest.skip(f"no Python 2.7 at {PYTHON2}")
    return run_pair(tmp_path_factory.mktemp("py2"), PY2, PY2)


@needs_python2
def test_python2_prints_the_lecture_lines(oracle):
    server_out, client_out = oracle
    assert server_out.splitlines() == [
        "server waits for connection",
        "server accepted connection request from  ('127.0.0.1', PORT)",
        "server waits for data",
        "server received  hello there!",
    ]
    assert client_out.splitlines() == [
        "client is connected",
        "Give message : client received  hello there!",
    ]


@needs_python2
def test_slides_on_rnet_print_what_python2_printed(oracle, tmp_path):
    assert run_pair(tmp_path, RNET_PY2, RNET_PY2) == oracle


@needs_python2
@pytest.mark.parametrize(("server", "client"), [(PY2, RNET_PY2), (RNET_PY2, PY2)])
def test_slides_talk_to_python2(oracle, tmp_path, server, client):
    assert run_pair(tmp_path, server, client) == oracle


def test_py2_sockets_carry_str_as_latin1(tmp_path):
    script = tmp_path / "strings.py"
    script.write_text(
        "import socket\n"
        "a, b = socket.socketpair()\n"
        "a.send('caf\\xe9 ' + chr(255))\n"
        "data = b.recv(80)\n"
        "print type(data).__name__, repr(data)\n"
        "b.sendall(data)\n"
        "print repr(a.recv(80) == data)\n"
        "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "u.bind(('127.0.0.1', 0))\n"
        "u.sendto('hi', u.getsockname())\n"
        "got, sender = u.recvfrom(80)\n"
        "print repr(got), sender == u.getsockname()\n"
        "print type(a).__module__\n"
    )
    result = run_python(["-m", "rnet", "run", "--py2", script])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "str 'café ÿ'",
        "True",
        "'hi' True",
        "rnet",
    ]


def test_py2_syntax_error_points_at_the_students_line(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("print 'fine'\nif True print 'no colon'\n")
    result = run_python(["-m", "rnet", "run", "--py2", script])
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f'  File "{script}", line 2', result.stderr
    assert lines[1].strip() == "if True print 'no colon'"
    assert lines[-1].startswith("SyntaxError:")


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("print 'server waits for connection'\n", "SyntaxError: Missing parentheses"),
        ("data = raw_input('Give message : ')\n", "NameError: name 'raw_input'"),
    ],
)
def test_python2_without_py2_gets_a_note_pointing_at_it(tmp_path, source, error):
    script = tmp_path / "slide.py"
    script.write_text(source)
    result = run_python(["-m", "rnet", "run", script], input="x\n")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-2].startswith(error), result.stderr
    assert lines[-1].startswith("rnet: ") and lines[-1].endswith(
        f"run this Python 2 program with: python -m rnet run --py2 {script}"
    )
    # Plain python says the same, without the note.
    plain = run_python([script], input="x\n")
    assert plain.stderr.splitlines()[-1] == lines[-2]


def test_py2_spawned_children_run_translated_on_rnet(tmp_path):
    script = tmp_path / "children2.py"
    script.write_text(
        "import multiprocessing, socket\n"
        "def child(queue):\n"
        "    a, b = socket.socketpair()\n"
        "    a.send('from the child')\n"
        "    queue.put(b.recv(80))\n"
        "if __name__ == '__main__':\n"
        "    ctx = multiprocessing.get_context('spawn')\n"
        "    queue = ctx.Queue()\n"
        "    p = ctx.Process(target=child, args=(queue,))\n"
        "    p.start()\n"
        "    print repr(queue.get(timeout=20))\n"
        "    p.join(20)\n"
        "    print p.exitcode\n"
    )
    result = run_python(["-m", "rnet", "run", "--py2", script], timeout=40)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["'from the child'", "0"]
