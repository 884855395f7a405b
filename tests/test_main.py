"""``python -m rnet``: --help, ``demo`` and ``run``, each in a subprocess."""

import re
import socket

import pytest

from helpers import DATA, Process, free_port, run_python

ACCEPTED = re.compile(r"server accepted connection request from  \('127\.0\.0\.1', (\d+)\)")


def transcript(out):
    """The demo's output as ``(label, text)`` pairs, from lines ``label | text``."""
    pairs = []
    for line in out.splitlines():
        label, sep, text = line.partition(" | ")
        assert sep, f"unlabelled line {line!r}"
        pairs.append((label.strip(), text))
    return pairs


def assert_demo_round_trip(out, message, port=None):
    """Both sides' lecture lines for ``message`` are in the demo's output, in causal order."""
    lines = transcript(out)
    server = [text for label, text in lines if label == "server"]
    client = [text for label, text in lines if label == "client"]
    assert server[0] == "server waits for connection"
    assert ACCEPTED.fullmatch(server[1]), server
    assert server[2:] == ["server waits for data", f"server received  {message.encode()!r}"]
    if port is not None:
        assert client[0] == f"client connected to ('127.0.0.1', {port})"
    assert client[1:] == [
        f"Give message : {message}",
        f"client received  {message.encode()!r}",
    ]
    # The client prints its reply only after the server received the message.
    assert lines.index(("server", server[-1])) < lines.index(("client", client[-1]))
    assert lines[-1] == ("demo", "done: the client got its message back")


def test_help_mentions_both_commands():
    result = run_python(["-m", "rnet", "--help"])
    assert result.returncode == 0, result.stderr
    assert "usage: python -m rnet" in result.stdout
    assert re.search(r"^\s+demo\s+\S", result.stdout, re.M)
    assert re.search(r"^\s+run\s+\S", result.stdout, re.M)


@pytest.mark.parametrize(("command", "words"), [("demo", "--port"), ("run", "SCRIPT")])
def test_subcommand_help(command, words):
    result = run_python(["-m", "rnet", command, "--help"])
    assert result.returncode == 0, result.stderr
    assert f"usage: python -m rnet {command}" in result.stdout
    assert words in result.stdout


def test_no_command_is_a_usage_error():
    result = run_python(["-m", "rnet"])
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_demo():
    result = run_python(["-m", "rnet", "demo"])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "rnet._rnet" in transcript(result.stdout)[0][1]
    assert_demo_round_trip(result.stdout, "hello there!")


def test_demo_on_a_given_port_with_a_given_message():
    port = free_port()
    args = [
        "-m",
        "rnet",
        "demo",
        "--host",
        "127.0.0.1",
        "--port",
        port,
        "--message",
        "bonjour à tous",
    ]
    result = run_python(args)
    assert result.returncode == 0, result.stderr
    assert "busy" not in result.stdout
    assert_demo_round_trip(result.stdout, "bonjour à tous", port)


def test_demo_refuses_a_message_longer_than_the_buffer():
    result = run_python(["-m", "rnet", "demo", "--message", "x" * 81])
    assert result.returncode == 2
    assert "at most 80 bytes" in result.stderr
    assert result.stdout == ""


def test_demo_moves_to_a_free_port_when_busy():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        busy = blocker.getsockname()[1]
        result = run_python(["-m", "rnet", "demo", "--host", "127.0.0.1", "--port", busy])
    assert result.returncode == 0, result.stderr
    notice = [text for label, text in transcript(result.stdout) if "busy" in text]
    assert len(notice) == 1, result.stdout
    match = re.fullmatch(rf"port {busy} is busy; using free port (\d+)", notice[0])
    assert match, notice
    port = int(match[1])
    assert port != busy
    assert_demo_round_trip(result.stdout, "hello there!", port)


# ---------------------------------------------------------------------------
# run


def test_run_lecture_pair_on_rnet():
    # The unmodified "from socket import *" lecture programs, run through rnet.
    port = free_port()
    env = {"RNET_PORT": port}
    server_args = ["-m", "rnet", "run", DATA / "lecture_server.py"]
    with Process(server_args, env={**env, "RNET_HOST": "127.0.0.1"}) as server:
        server.wait_for_line("server waits for connection")
        client = run_python(
            ["-m", "rnet", "run", DATA / "lecture_client.py"], input="hello there!\n", env=env
        )
        rc, out, err = server.finish()

    assert client.returncode == 0, client.stderr
    assert client.stdout.splitlines() == [
        "Give message : client received  b'hello there!'",
        "socket class from module rnet",
    ]
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "server waits for connection"
    assert ACCEPTED.fullmatch(lines[1]), lines
    assert lines[2:] == [
        "server waits for data",
        "server received  b'hello there!'",
        "socket class from module rnet",
    ]


def test_lecture_pair_without_rnet_uses_the_stdlib():
    # Control: the same files under plain python report the stdlib, so the
    # check above can tell the two apart.
    port = free_port()
    env = {"RNET_PORT": port}
    with Process([DATA / "lecture_server.py"], env={**env, "RNET_HOST": "127.0.0.1"}) as server:
        server.wait_for_line("server waits for connection")
        client = run_python([DATA / "lecture_client.py"], input="hi\n", env=env)
        rc, out, err = server.finish()
    assert rc == 0, err
    assert out.splitlines()[-1] == "socket class from module socket"
    assert client.stdout.splitlines()[-1] == "socket class from module socket"


def which_socket(out):
    """which_socket.py's report as a dict."""
    return dict(line.split(": ", 1) for line in out.splitlines())


def test_run_gives_rnet_to_the_script_only():
    result = run_python(["-m", "rnet", "run", DATA / "which_socket.py", "one", "--two", "-h"])
    assert result.returncode == 0, result.stderr
    assert which_socket(result.stdout) == {
        "argv": "['one', '--two', '-h']",
        "script socket module": "rnet",
        "script socket class module": "rnet",
        "user module socket module": "rnet",
        "smtplib preloaded": "False",
        "smtplib socket module": "socket",
        "socketserver socket class module": "socket",
        "sys.modules socket": "socket",
    }


def test_which_socket_without_rnet():
    result = run_python([DATA / "which_socket.py"])
    assert result.returncode == 0, result.stderr
    report = which_socket(result.stdout)
    assert report["script socket module"] == "socket"
    assert report["user module socket module"] == "socket"


def test_run_sets_argv0_and_runs_as_main(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(
        "import sys\n"
        "print(sys.argv[0])\n"
        "print(__name__)\n"
        "print(sys.path[0])\n"
        "if __name__ == '__main__':\n"
        "    sys.exit(int(sys.argv[1]))\n"
    )
    result = run_python(["-m", "rnet", "run", script, "3"], cwd=tmp_path.parent)
    assert result.returncode == 3, result.stderr
    assert result.stdout.splitlines() == [str(script), "__main__", str(tmp_path)]


def test_run_reports_the_scripts_exception(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("from socket import *\nraise ValueError('broken on purpose')\n")
    result = run_python(["-m", "rnet", "run", script])
    assert result.returncode == 1
    assert str(script) in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == "ValueError: broken on purpose"


def test_run_missing_script(tmp_path):
    result = run_python(["-m", "rnet", "run", tmp_path / "nowhere.py"])
    assert result.returncode == 2
    assert "no such file" in result.stderr
