"""The sequence diagram of an exchange, drawn as SVG (or an HTML page holding it).

``python -m rnet diagram TRACE... -o OUT.svg`` reads the JSON Lines traces of
all the processes of one exchange (``python -m rnet run --trace-file``) and
draws, per run, one column (lifeline) per socket, grouped by process, time
flowing down: every call on its socket's lifeline with its arguments and
result, an orange bar where a call waited, red where it failed; arrows for the
TCP handshake (connect to accept), for the bytes of each send to the recv(s)
that read them, for each datagram to the recvfrom(s) that got it, and for a
close to the peer's ``b''``. Runs whose traces do not overlap in time are
drawn side by side. Each lifeline shows its first ``max_events`` calls and
counts the rest. Plain SVG, written by hand: no dependency, no network.
"""

import argparse
import datetime
import os
import sys
from html import escape

from . import _exchange
from ._tracefile import TraceFileError, read_traces

__all__ = ["render_svg", "render_html", "write", "main", "add_command"]

MAX_EVENTS = 40  # per lifeline
MAX_LIFELINES = 12  # per process
BLOCKED = 0.01  # seconds: a call that took longer gets a bar of its own
GAP = 0.3  # seconds: a pause longer than this is drawn as a break

_STARTS = {
    "send",
    "sendall",
    "sendto",
    "sendmsg",
    "sendfile",
    "connect",
    "connect_ex",
    "close",
    "shutdown",
    "__del__",
    "detach",
}

FONT = 11.5
CHAR_W = 6.95  # advance of the monospace font at FONT px (0.6 em and a little)
MARGIN = 20
AXIS_W = 84
COL_W = 350
LABEL_X = 16  # from the lifeline to its labels
SLOPE_MIN = 110  # px of an arrow left to slope (and carry its label)
PROC_TITLE_H = 38
HEAD_H = 58
ROW_H = 34
GAP_H = 30
PANEL_GAP = 50
LEGEND_H = 110

COLORS = {
    "data": "#1f5fbf",
    "datagram": "#8a3ab9",
    "handshake": "#1f8f4a",
    "eof": "#6b6b6b",
    "new": "#1f8f4a",
}
ERROR = "#c62828"
BLOCK_FILL, BLOCK_LINE = "#ffd9a0", "#d9822b"
PROC_FILL = ("#eef4fb", "#f3f0fa", "#eef8f1", "#fbf3ec")


def _fit(text, width):
    """``text`` cut (with an ellipsis) to what fits in ``width`` px."""
    room = max(4, int(width / CHAR_W))
    return text if len(text) <= room else text[: room - 1] + "…"


def _t(x, y, text, cls="", width=None, anchor="start"):
    if width is not None:
        text = _fit(text, width)
    klass = f' class="{cls}"' if cls else ""
    a = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{x:.1f}" y="{y:.1f}"{klass}{a}>{escape(text, quote=False)}</text>'


def _seconds(s):
    if s < 1:
        return f"{s * 1000:.1f} ms" if s >= 0.001 else f"{s * 1e6:.0f} µs"
    return f"{s:.2f} s"


def _kind(ep):
    fam = ep.family or ""
    if fam == "AF_UNIX":
        return "Unix stream" if ep.stream else "Unix datagram"
    six = "v6" if fam == "AF_INET6" else ""
    if ep.stream:
        return f"TCP{six}"
    if ep.type and "SOCK_DGRAM" in ep.type:
        return f"UDP{six}"
    return f"{fam} {ep.type}"


def _addr(a):
    if isinstance(a, tuple) and len(a) >= 2:
        host = str(a[0])
        host = f"[{host}]" if ":" in host else (host or "*")
        return f"{host}:{a[1]}"
    return "(unnamed)" if a in (None, "", "''") else str(a)


def _role(ep):
    calls = {e["call"] for e in ep.events}
    if ep.listening:
        return "listening socket (server)"
    if ep.accepted:
        return "connection (from accept)"
    if ep.stream and calls & {"connect", "connect_ex"}:
        return "client socket"
    if ep.type and "SOCK_DGRAM" in ep.type:
        return "UDP socket" if ep.family != "AF_UNIX" else "datagram socket"
    return "socket"


def _head_lines(ep):
    fd = f"fd {ep.fd} · {_kind(ep)}" if ep.fd is not None else _kind(ep)
    if ep.raddr and ep.laddr and ep.family != "AF_UNIX":
        where = f"{_addr(ep.laddr)} ⇄ {_addr(ep.raddr)}"
    elif ep.laddr:
        where = f"bound to {_addr(ep.laddr)}"
    else:
        where = "not bound"
    return _role(ep), fd, where


def _call_text(ev):
    if ev["call"] == "__del__":
        return "garbage-collected, never closed"
    return f"{ev['call']}({ev.get('args', '')})"


def _outcome(ev):
    err = ev.get("error")
    if err:
        code = f" ({err['errno']})" if err.get("errno") else ""
        return f"✗ {err['type']}{code}", True
    res = ev.get("result", "ok")
    if ev["call"] in ("close", "__del__"):
        return "socket closed", False
    if ev.get("eof"):
        return "→ b'': end of stream", False
    return f"→ {res}", False


class _Panel:
    """One run laid out: columns, rows and the y of every drawn event."""

    def __init__(self, run, x0, y0, max_events):
        self.run, self.x0, self.y0 = run, x0, y0
        self.t0 = run.start
        self.columns = []  # (proc, endpoint or None for lookups, events drawn, events left)
        self.groups = []  # (proc, first column, last column, sockets not drawn)
        for proc in run.procs:
            first = len(self.columns)
            if proc.lookups:
                self._column(proc, None, proc.lookups, max_events)
            shown = proc.endpoints[:MAX_LIFELINES]
            for ep in shown:
                self._column(proc, ep, ep.events, max_events)
            if len(self.columns) == first:
                self._column(proc, None, [], max_events)
            self.groups.append(
                (proc, first, len(self.columns) - 1, len(proc.endpoints) - len(shown))
            )
        self.x_of = {}
        for i, (_, _ep, drawn, _) in enumerate(self.columns):
            for ev in drawn:
                self.x_of[id(ev)] = self.col_x(i) + 18
        self._rows()

    def _column(self, proc, ep, events, max_events):
        self.columns.append((proc, ep, events[:max_events], events[max_events:]))

    def col_x(self, i):
        return self.x0 + AXIS_W + i * COL_W

    @property
    def width(self):
        return AXIS_W + len(self.columns) * COL_W

    def _rows(self):
        moments = []
        for _, _, drawn, _ in self.columns:
            for ev in drawn:
                # A short call sits where its effect is seen: a send when it
                # starts, anything else (a recv, accept) when it returns, so
                # arrows never point up.
                at = ev["t"]
                if ev.get("dur", 0.0) < BLOCKED and ev["call"] not in _STARTS:
                    at += ev.get("dur", 0.0)
                moments.append((at, ev.get("seq", 0), 0, ev))
                if ev.get("dur", 0.0) >= BLOCKED:
                    moments.append((ev["t"] + ev["dur"], ev.get("seq", 0), 1, ev))
        moments.sort(key=lambda m: m[:3])
        self.top = self.y0 + PROC_TITLE_H + HEAD_H + 26
        self.start_y, self.end_y = {}, {}
        self.axis = []  # (y, seconds since the start)
        self.gaps = []  # (y, seconds of the pause)
        y = self.top
        last_t = None
        for t, _, phase, ev in moments:
            if last_t is not None and t - last_t > GAP:
                self.gaps.append((y - ROW_H / 2 + GAP_H / 2 - 4, t - last_t))
                y += GAP_H
            (self.end_y if phase else self.start_y)[id(ev)] = y
            if phase == 0 and ev.get("dur", 0.0) < BLOCKED:
                self.end_y[id(ev)] = y
            self.axis.append((y, t - self.t0))
            last_t = t
            y += ROW_H
        self.summary_y = y + 4
        left = any(rest for *_, rest in self.columns)
        self.bottom = y + (ROW_H if left else 0) + 10

    def drawn(self, ev):
        return id(ev) in self.x_of


def _panel_svg(panel, index, count, out):
    run = panel.run
    x0, y0 = panel.x0, panel.y0
    started = datetime.datetime.fromtimestamp(panel.t0, datetime.UTC)
    title = f"started {started:%Y-%m-%d %H:%M:%S} UTC · {len(run.procs)} process"
    title += "es" if len(run.procs) != 1 else ""
    if count > 1:
        title = f"Run {index + 1} of {count} (unrelated to the others): " + title
    out.append(_t(x0, y0 - 8, title, "ptitle"))
    # process groups and lifeline heads
    for g, (proc, first, last, hidden) in enumerate(panel.groups):
        gx = panel.col_x(first) - 6
        gw = (last - first + 1) * COL_W - 8
        fill = PROC_FILL[g % len(PROC_FILL)]
        out.append(
            f'<rect x="{gx:.1f}" y="{y0:.1f}" width="{gw:.1f}" height="{panel.bottom - y0:.1f}" '
            f'rx="8" fill="{fill}" stroke="#9fb3c8"/>'
        )
        host = proc.header.get("host")
        label = f"process {proc.pid}" + (f" on {host}" if host else "")
        label += f" · {os.path.basename(proc.program.split(' ')[0])}"
        args = proc.program.split(" ")[1:]
        if args:
            label += " " + " ".join(args)
        out.append(_t(gx + 10, y0 + 17, label, "proc", gw - 20))
        sub = os.path.basename(proc.file) if proc.file else "(in memory)"
        if hidden:
            sub += f" · {hidden} more socket{'s' if hidden != 1 else ''} not drawn"
        out.append(_t(gx + 10, y0 + 31, sub, "sub", gw - 20))
    for i, (_proc, ep, drawn, rest) in enumerate(panel.columns):
        cx = panel.col_x(i)
        hy = y0 + PROC_TITLE_H
        out.append(
            f'<rect x="{cx + 2:.1f}" y="{hy:.1f}" width="{COL_W - 20}" height="{HEAD_H - 6}" '
            f'rx="5" fill="#ffffff" stroke="#5b7fa6"/>'
        )
        if ep is None:
            lines = (
                ("this process", "module-level calls", "(lookups, socketpair...)")
                if drawn
                else ("no socket calls",)
            )
        else:
            lines = _head_lines(ep)
        for k, line in enumerate(lines):
            out.append(
                _t(cx + 10, hy + 16 + k * 15, line, "head" if k == 0 else "headsub", COL_W - 34)
            )
        lx = cx + 18
        if drawn:
            ys = [panel.start_y[id(e)] for e in drawn] + [panel.end_y[id(e)] for e in drawn]
            first_y, last_y = min(ys), max(ys)
            out.append(
                f'<line x1="{lx}" y1="{hy + HEAD_H - 6}" x2="{lx}" y2="{first_y}" class="pre"/>'
            )
            out.append(f'<line x1="{lx}" y1="{first_y}" x2="{lx}" y2="{last_y}" class="life"/>')
        if rest:
            counts = {}
            total = 0
            for ev in rest:
                counts[ev["call"]] = counts.get(ev["call"], 0) + 1
                total += ev.get("nbytes") or 0
            parts = ", ".join(f"{c} ×{n}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1]))
            out.append(_t(cx + 8, panel.summary_y, f"… {len(rest)} more calls not drawn:", "more"))
            extra = parts + (f"; {total:,} bytes" if total else "")
            out.append(_t(cx + 8, panel.summary_y + 14, extra, "more", COL_W - 20))
    # time axis and pauses
    last_label = None
    total = panel.axis[-1][1] if panel.axis else 0.0
    for y, s in panel.axis:
        label = f"{s * 1000:.1f} ms" if total < 1 else f"{s:.3f} s"
        if label != last_label:
            out.append(_t(x0 + AXIS_W - 12, y + 4, label, "axis", anchor="end"))
            last_label = label
    for y, pause in panel.gaps:
        out.append(
            f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + panel.width}" y2="{y:.1f}" class="gap"/>'
        )
        out.append(_t(x0 + 4, y - 4, f"⋯ {_seconds(pause)} later", "gaplabel"))
    # blocked bars
    for _, _, drawn, _ in panel.columns:
        for ev in drawn:
            if ev.get("dur", 0.0) >= BLOCKED:
                x = panel.x_of[id(ev)]
                y1, y2 = panel.start_y[id(ev)], panel.end_y[id(ev)]
                out.append(
                    f'<rect x="{x - 5}" y="{y1 - 7:.1f}" width="10" height="{y2 - y1 + 14:.1f}" '
                    f'fill="{BLOCK_FILL}" stroke="{BLOCK_LINE}"/>'
                )
    _links_svg(panel, out)
    # the calls
    for _, _, drawn, _ in panel.columns:
        for ev in drawn:
            _event_svg(panel, ev, out)


def _label_w(panel, ev, y):
    """How far right of its lifeline the text of ``ev``'s row at ``y`` reaches (0: none)."""
    y1, y2 = panel.start_y[id(ev)], panel.end_y[id(ev)]
    outcome, _ = _outcome(ev)
    if y1 == y2:
        lines = (_call_text(ev), outcome)
    elif y == y1:
        lines = (_call_text(ev), "waiting…")
    elif y == y2:
        lines = (outcome, f"after waiting {_seconds(ev['dur'])}")
    else:
        return 0
    room = COL_W - LABEL_X - 30
    return LABEL_X + min(room, max(len(t) for t in lines) * CHAR_W) + 8


def _link_points(panel, link):
    """The arrow's path: from the sending event to the receiving one.

    An arrow leaving to the right, or arriving from the right, runs level
    past its event's text (between its two lines) before it slopes, so it
    never strikes through the words.
    """
    s, d = link.src, link.dst
    xs, xd = panel.x_of[id(s)], panel.x_of[id(d)]
    yd = panel.end_y[id(d)]
    ys0, ys1 = panel.start_y[id(s)], panel.end_y[id(s)]
    ys = min(max(yd, ys0), ys1)
    gap = 6 if xd > xs else -6
    points = [(xs + gap, ys)]
    # The sloping part keeps room for the arrow's own label.
    room = abs(xd - xs) - SLOPE_MIN
    if xd > xs:
        w = min(_label_w(panel, s, ys), room)
        if w > 0 and ys != yd:
            points.append((xs + w, ys))
        points.append((xd - gap, yd))
    else:
        w = min(_label_w(panel, d, yd), room)
        if w > 0 and ys != yd:
            points.append((xd + w, yd))
        points.append((xd - gap, yd))
    return points


def _links_svg(panel, out):
    shown, batch = [], {}
    for link in panel.run.links:
        if not (panel.drawn(link.src) and panel.drawn(link.dst)):
            continue
        key = (link.kind, id(link.src), id(link.dst))
        if link.kind == "datagram" and key in batch:
            # Datagrams of one sendmmsg read by one recvmmsg: one arrow for all.
            batch[key][0] += 1
            batch[key][1] += link.nbytes
            continue
        batch[key] = [1, link.nbytes]
        shown.append(link)
    fan_out, fan_in = {}, {}
    for link in shown:
        fan_out[id(link.src)] = fan_out.get(id(link.src), 0) + 1
        fan_in[id(link.dst)] = fan_in.get(id(link.dst), 0) + 1
    for link in shown:
        points = _link_points(panel, link)
        color = COLORS[link.kind]
        dash = ' stroke-dasharray="6 4"' if link.kind in ("handshake", "eof") else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.6"{dash} '
            f'marker-end="url(#arrow-{link.kind})"/>'
        )
        if link.kind == "data":
            label = f"{link.nbytes} B" if not link.part else f"{link.part[0]} of {link.part[1]} B"
        elif link.kind == "datagram":
            count, nbytes = batch[(link.kind, id(link.src), id(link.dst))]
            label = f"datagram {nbytes} B" if count == 1 else f"{count} datagrams, {nbytes} B"
        elif link.kind == "handshake":
            label = "TCP handshake"
        else:
            label = "end of stream"
        # On the longest segment, preferring one that slopes (away from the text).
        (ax, ay), (bx, by) = max(
            zip(points, points[1:], strict=False),
            key=lambda seg: (seg[0][1] != seg[1][1], abs(seg[1][0] - seg[0][0])),
        )
        # Where arrows fan out of one send, their labels sit near the recv
        # ends (and the other way round), so they do not pile up.
        f = 0.5
        if fan_out[id(link.src)] > 1 and fan_in[id(link.dst)] == 1:
            f = 0.72
        elif fan_in[id(link.dst)] > 1 and fan_out[id(link.src)] == 1:
            f = 0.28
        mx, my = ax + (bx - ax) * f, ay + (by - ay) * f - 4
        out.append(
            f'<text x="{mx:.1f}" y="{my:.1f}" class="link" fill="{color}" text-anchor="middle">'
            f"{escape(label, quote=False)}</text>"
        )


def _tooltip(ev):
    """The event in full, shown by a browser when the pointer rests on it."""
    lines = [f"{_call_text(ev)}"]
    err = ev.get("error")
    if err:
        code = f" {err['errno']}" if err.get("errno") else ""
        lines.append(f"{err['type']}{code}: {err.get('message', '')}")
        lines += [str(n) for n in err.get("notes", ())]
    else:
        lines.append(f"-> {ev.get('result', 'ok')}")
    took = f"took {_seconds(ev.get('dur', 0.0))}"
    lines.append(f"fd {ev.get('fd')} · thread {ev.get('thread', '?')} · {took}")
    return "\n".join(lines)


def _event_svg(panel, ev, out):
    out.append(f"<g><title>{escape(_tooltip(ev), quote=False)}</title>")
    _event_marks(panel, ev, out)
    out.append("</g>")


def _event_marks(panel, ev, out):
    x = panel.x_of[id(ev)]
    y1, y2 = panel.start_y[id(ev)], panel.end_y[id(ev)]
    lx = x + LABEL_X
    width = COL_W - LABEL_X - 30
    outcome, failed = _outcome(ev)
    cls = "err" if failed else "res"
    if ev["call"] in ("close", "__del__") and not failed:
        out.append(
            f'<path d="M{x - 6},{y1 - 6} L{x + 6},{y1 + 6} M{x + 6},{y1 - 6} L{x - 6},{y1 + 6}" '
            f'stroke="#333" stroke-width="2.2"/>'
        )
    elif failed:
        out.append(f'<circle cx="{x}" cy="{y1}" r="5" fill="{ERROR}"/>')
    else:
        out.append(f'<circle cx="{x}" cy="{y1}" r="4" fill="#23364d"/>')
    # The two lines leave a gap at the dot's height, where arrows come in.
    out.append(_t(lx, y1 - 4, _call_text(ev), "call", width))
    if y2 == y1:
        out.append(_t(lx, y1 + 13, outcome, cls, width))
        return
    out.append(_t(lx, y1 + 13, "waiting…", "wait", width))
    out.append(f'<circle cx="{x}" cy="{y2}" r="4" fill="{ERROR if failed else "#23364d"}"/>')
    out.append(_t(lx, y2 - 4, outcome, cls, width))
    out.append(_t(lx, y2 + 13, f"after waiting {_seconds(ev['dur'])}", "wait", width))


_STYLE = f"""
text {{ font-family: 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace;
        font-size: {FONT}px; fill: #1d2733; paint-order: stroke; stroke: #ffffff;
        stroke-width: 3px; stroke-linejoin: round; }}
.ptitle {{ font-size: 14px; font-weight: bold; }}
.proc {{ font-size: 12.5px; font-weight: bold; fill: #23364d; }}
.sub, .headsub {{ fill: #4a5b6e; font-size: 10.5px; }}
.head {{ font-weight: bold; fill: #23364d; }}
.call {{ fill: #111111; }}
.res {{ fill: #35577d; }}
.err {{ fill: {ERROR}; font-weight: bold; }}
.wait {{ fill: #b0661c; font-style: italic; font-size: 10.5px; }}
.axis {{ fill: #6b7785; font-size: 10px; }}
.more {{ fill: #6b7785; font-style: italic; font-size: 10.5px; }}
.link {{ font-size: 10.5px; font-weight: bold; }}
.gaplabel {{ fill: #6b7785; font-size: 10.5px; font-style: italic; }}
.legend {{ font-size: 11px; }}
.life {{ stroke: #23364d; stroke-width: 1.4; }}
.pre {{ stroke: #9fb3c8; stroke-width: 1; stroke-dasharray: 2 4; }}
.gap {{ stroke: #9aa5b1; stroke-width: 1; stroke-dasharray: 1 5; }}
"""


def _markers():
    out = ["<defs>"]
    for kind, color in COLORS.items():
        out.append(
            f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
            f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{color}"/></marker>'
        )
    out.append("</defs>")
    return out


def _legend(x, y, out):
    out.append(
        _t(
            x,
            y,
            "How to read it: time runs down; one column per socket, grouped by process.",
            "legend",
        )
    )
    items = [
        ("data", "", "bytes of a send read by a recv (count; 'a of b B': part of a send)"),
        ("datagram", "", "a datagram, sendto → recvfrom (broadcast: one to many)"),
        ("handshake", "6 4", "connect → accept: the TCP handshake"),
        ("eof", "6 4", "close → the peer's recv returns b'' (end of stream)"),
    ]
    for k, (kind, dash, text) in enumerate(items):
        yy = y + 20 + k * 18
        d = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line class="key" x1="{x}" y1="{yy - 4}" x2="{x + 40}" y2="{yy - 4}" '
            f'stroke="{COLORS[kind]}" stroke-width="1.6"{d} marker-end="url(#arrow-{kind})"/>'
        )
        out.append(_t(x + 50, yy, text, "legend"))
    bx = x + 560
    out.append(
        f'<rect x="{bx}" y="{y + 10}" width="10" height="26" fill="{BLOCK_FILL}" '
        f'stroke="{BLOCK_LINE}"/>'
    )
    out.append(_t(bx + 18, y + 27, "the call waited (blocked) this long", "legend"))
    out.append(f'<circle cx="{bx + 5}" cy="{y + 52}" r="5" fill="{ERROR}"/>')
    out.append(_t(bx + 18, y + 56, "✗ the call failed (exception, errno)", "legend"))
    out.append(
        f'<path d="M{bx - 1},{y + 66} L{bx + 11},{y + 78} M{bx + 11},{y + 66} L{bx - 1},{y + 78}" '
        f'stroke="#333" stroke-width="2.2"/>'
    )
    out.append(_t(bx + 18, y + 76, "the socket was closed", "legend"))


def render_svg(records, max_events=MAX_EVENTS):
    """The SVG text of the diagram of ``records`` (trace records, any processes)."""
    runs = _exchange.build(records)
    if not runs:
        raise TraceFileError("no trace records to draw")
    panels = []
    x = MARGIN
    y0 = MARGIN + 22
    for run in runs:
        panel = _Panel(run, x, y0, max_events)
        panels.append(panel)
        x += panel.width + PANEL_GAP
    width = max(x - PANEL_GAP + MARGIN, 900)
    height = max(p.bottom for p in panels) + LEGEND_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-size="{FONT}">',
        "<title>rnet: sequence diagram of a socket exchange</title>",
        f"<style>{_STYLE}</style>",
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        *_markers(),
    ]
    for i, panel in enumerate(panels):
        _panel_svg(panel, i, len(panels), out)
    _legend(MARGIN, max(p.bottom for p in panels) + 28, out)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_html(svg, sources=()):
    """An HTML page showing ``svg``, self-contained (opens offline)."""
    files = ", ".join(escape(os.path.basename(str(s))) for s in sources) or "(in memory)"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>rnet: sequence diagram</title>"
        "<style>body{font-family:sans-serif;margin:16px;background:#fafbfc;color:#1d2733}"
        "h1{font-size:18px;margin:0 0 4px} p{margin:0 0 12px;font-size:13px;color:#4a5b6e}"
        "</style></head><body>"
        "<h1>What the programs did with their sockets</h1>"
        f"<p>From the traces {files}. Made by <code>python -m rnet diagram</code>.</p>\n"
        f"{svg}</body></html>\n"
    )


def write(records, outputs, max_events=MAX_EVENTS, sources=()):
    """Draw ``records`` into each path of ``outputs`` (``.html``: a page, else SVG)."""
    svg = render_svg(records, max_events)
    for path in outputs:
        text = render_html(svg, sources) if str(path).lower().endswith((".html", ".htm")) else svg
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def traced(body, output, max_events=MAX_EVENTS):
    """Run ``body()`` with tracing on, draw its exchange into ``output``; return its result."""
    from ._trace import tracing

    with tracing() as tracer:
        result = body()
    write(tracer.events, [output], max_events)
    print(f"wrote {output}")
    return result


# ---------------------------------------------------------------------------
# command line


def add_command(commands):
    """Add ``diagram`` to the subcommands of ``python -m rnet``."""
    cmd = commands.add_parser(
        "diagram",
        help="draw the sequence diagram of traced programs (SVG or HTML)",
        description=(
            "Draw the sequence diagram of the exchange recorded in TRACE files "
            "(made with 'python -m rnet run --trace-file TRACE SCRIPT'): one column per "
            "socket, grouped by process, time flowing down, arrows from each send to the "
            "recv(s) that read its bytes."
        ),
        epilog="example: python -m rnet diagram server.jsonl client.jsonl -o exchange.svg",
    )
    cmd.add_argument("traces", metavar="TRACE", nargs="+", help="trace files (JSON Lines)")
    cmd.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        action="append",
        required=True,
        help="file to write: OUT.svg, or OUT.html for a page (repeat for both)",
    )
    cmd.add_argument(
        "--max-events",
        type=int,
        default=MAX_EVENTS,
        metavar="N",
        help=f"calls drawn per socket; the rest are counted (default {MAX_EVENTS})",
    )
    return cmd


def main(options):
    """Run ``python -m rnet diagram``; return the exit code."""
    try:
        records = read_traces(options.traces)
        write(records, options.output, max(1, options.max_events), options.traces)
    except TraceFileError as exc:
        print(f"python -m rnet diagram: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"python -m rnet diagram: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    for path in options.output:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(prog="python -m rnet._diagram")
    add_command(parser.add_subparsers(dest="command", required=True))
    sys.exit(main(parser.parse_args()))
