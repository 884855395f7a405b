"""``python -m rnet diagram``: what the drawing shows, bad trace files, unrelated
runs, huge traces, and ``python -m rnet demo --diagram``."""

import json
import textwrap
import xml.etree.ElementTree as ET

import pytest

from rnet import _diagram
from rnet._tracefile import read_traces

from helpers import run_python
from test_trace import lecture_pair
from tracing import traced

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg_text):
    """(root element, every <text>'s text) of an SVG document."""
    root = ET.fromstring(svg_text)
    return root, [t.text or "" for t in root.iter(f"{SVG}text")]


def arrows(root, kind):
    """The arrows of ``kind`` drawn (not the legend's samples)."""
    return [
        e
        for e in root.iter()
        if e.tag in (f"{SVG}line", f"{SVG}polyline")
        and e.get("marker-end") == f"url(#arrow-{kind})"
        and e.get("class") != "key"
    ]


def test_lecture_diagram_content(tmp_path):
    strace, ctrace, port = lecture_pair(tmp_path)
    out_svg, out_html = tmp_path / "lecture.svg", tmp_path / "lecture.html"
    result = run_python(["-m", "rnet", "diagram", strace, ctrace, "-o", out_svg, "-o", out_html])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {out_svg}", f"wrote {out_html}"]
    root, texts = parse(out_svg.read_text())
    for head in ("listening socket (server)", "client socket", "connection (from accept)"):
        assert texts.count(head) == 1, head
    assert f"bound to 127.0.0.1:{port}" in texts
    procs = [t for t in texts if t.startswith("process ")]
    assert len(procs) == 2
    assert procs[0].endswith("tcp_server.py") and procs[1].endswith("tcp_client.py")
    for call in ("socket(AF_INET, SOCK_STREAM)", f"bind(('127.0.0.1', {port}))", "listen(1)",
                 "accept()", "recv(80)", "send(b'hello there!')", "close()",
                 f"connect(('localhost', {port}))"):  # fmt: skip
        assert call in texts, call
    assert texts.count("→ 12 bytes b'hello there!'") == 2
    assert "waiting…" in texts  # accept() waited for the client
    assert any(t.startswith("after waiting ") for t in texts)
    # Arrows: the handshake and one 12-byte send each way.
    assert len(arrows(root, "handshake")) == 1 and "TCP handshake" in texts
    assert len(arrows(root, "data")) == 2 and texts.count("12 B") == 2
    assert not arrows(root, "datagram")
    html = out_html.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg " in html
    assert "src=" not in html and "href=" not in html  # nothing to fetch: opens offline


def test_demo_draws_its_own_exchange(tmp_path):
    out = tmp_path / "demo.svg"
    result = run_python(["-m", "rnet", "demo", "--port", "0", "--diagram", out])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"wrote {out}"
    root, texts = parse(out.read_text())
    assert len([t for t in texts if t.startswith("process ")]) == 1
    assert len(arrows(root, "handshake")) == 1
    assert len(arrows(root, "data")) == 2
    assert "sendall(b'hello there!')" in texts


def test_unrelated_runs_are_side_by_side(tmp_path):
    first = lecture_pair(tmp_path / "one" if (tmp_path / "one").mkdir() is None else None)
    second = lecture_pair(tmp_path / "two" if (tmp_path / "two").mkdir() is None else None)
    svg = _diagram.render_svg(read_traces([*first[:2], *second[:2]]))
    root, texts = parse(svg)
    assert [t.split(":")[0] for t in texts if t.startswith("Run ")] == [
        "Run 1 of 2 (unrelated to the others)",
        "Run 2 of 2 (unrelated to the others)",
    ]
    # Each run has its own handshake and two sends; nothing links the runs.
    assert len(arrows(root, "handshake")) == 2
    assert len(arrows(root, "data")) == 4
    xs = sorted(float(e.get("points").split(",")[0]) for e in arrows(root, "handshake"))
    assert xs[1] - xs[0] > 600  # the second run is drawn to the right of the first


HUGE = textwrap.dedent(
    """
    import socket
    a, b = socket.socketpair()
    for i in range(300):
        a.send(b"%03d......" % i)
        b.recv(10)
    a.close()
    b.close()
    """
)


def test_huge_trace_is_summarised(tmp_path):
    script, trace, out = tmp_path / "huge.py", tmp_path / "huge.jsonl", tmp_path / "huge.svg"
    script.write_text(HUGE)
    assert run_python(traced(trace, script)).returncode == 0
    result = run_python(["-m", "rnet", "diagram", trace, "-o", out, "--max-events", "20"])
    assert result.returncode == 0, result.stderr
    root, texts = parse(out.read_text())
    assert texts.count("… 281 more calls not drawn:") == 2  # 300 sends (recvs) and a close
    assert "send ×280, close ×1; 2,520 bytes" in texts
    assert "recv ×280, close ×1; 2,520 bytes" in texts
    assert len(arrows(root, "data")) == 20
    assert float(root.get("height")) < 2000


# ---------------------------------------------------------------------------
# bad input: one line naming the file and the line


def diagram_error(*traces, tmp_path):
    result = run_python(["-m", "rnet", "diagram", *traces, "-o", tmp_path / "x.svg"])
    assert result.returncode == 1
    assert not (tmp_path / "x.svg").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def good_trace(tmp_path):
    trace = tmp_path / "good.jsonl"
    script = tmp_path / "p.py"
    script.write_text("import socket\ns = socket.socket()\ns.close()\n")
    assert run_python(traced(trace, script)).returncode == 0
    return trace


def test_missing_file(tmp_path):
    line = diagram_error(tmp_path / "nope.jsonl", tmp_path=tmp_path)
    assert line == f"python -m rnet diagram: {tmp_path / 'nope.jsonl'}: no such file"


def test_truncated_mid_line(tmp_path, good_trace):
    raw = good_trace.read_bytes()
    good_trace.write_bytes(raw[: len(raw) - 25])  # the last line loses its end
    line = diagram_error(good_trace, tmp_path=tmp_path)
    assert line == (
        f"python -m rnet diagram: {good_trace} line 3: the line is cut off "
        "(the program was killed while writing it?)"
    )


def test_unknown_version(tmp_path, good_trace):
    lines = good_trace.read_text().splitlines()
    rec = json.loads(lines[1])
    rec["v"] = 99
    lines[1] = json.dumps(rec)
    good_trace.write_text("\n".join(lines) + "\n")
    line = diagram_error(good_trace, tmp_path=tmp_path)
    assert line == (
        f"python -m rnet diagram: {good_trace} line 2: trace format version 99; "
        "this rnet reads version 1"
    )


def test_not_json_and_not_a_trace(tmp_path, good_trace):
    lines = good_trace.read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines[0] + "\n{oops\n" + lines[1] + "\n")
    assert diagram_error(bad, tmp_path=tmp_path).startswith(
        f"python -m rnet diagram: {bad} line 2: not JSON ("
    )
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": "world"}\n')
    assert diagram_error(good_trace, other, tmp_path=tmp_path) == (
        f"python -m rnet diagram: {other} line 1: not an rnet trace record"
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert "empty" in diagram_error(empty, tmp_path=tmp_path)
