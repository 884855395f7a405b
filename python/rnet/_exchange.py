"""One exchange between processes, rebuilt from their traces: who talked to whom.

``build(records)`` groups trace records into processes (one per run id and
pid) and their sockets (endpoints), splits processes whose traces do not
overlap in time into separate runs (unrelated runs are drawn side by side,
never matched with each other), and within a run links

- a ``connect`` to the ``accept`` that took the connection (the handshake),
- each stream ``send`` to the ``recv`` calls that read its bytes, by
  connection (the two endpoints' addresses mirror each other) and byte
  offsets, so one send read by several recvs and several sends read by one
  recv both come out right,
- each datagram to the ``recvfrom`` that got it (addresses, size and CRC of
  the data; one send may reach many receivers, as a broadcast does),
- the ``b''`` a recv returns to the peer's ``close``/``shutdown``.
"""

import ipaddress
from dataclasses import dataclass, field

__all__ = ["Process", "Endpoint", "Link", "Run", "build"]

#: Traces more than this many seconds apart are unrelated runs (the processes of
#: one exchange overlap in time: the server outlives its clients).
RUN_GAP = 0.0
_SENDS = {"send", "sendall", "sendto", "sendmsg", "sendfile"}
_RECVS = {"recv", "recvfrom", "recv_into", "recvfrom_into", "recvmsg", "recvmsg_into"}


@dataclass(eq=False)
class Process:
    """The trace of one process: its header (argv, host) and its events."""

    key: tuple
    pid: int
    file: str
    header: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    endpoints: list = field(default_factory=list)
    lookups: list = field(default_factory=list)  # events not on a socket

    @property
    def start(self):
        times = [e["t"] for e in self.events]
        if "t" in self.header:
            times.append(self.header["t"])
        return min(times) if times else 0.0

    @property
    def end(self):
        times = [e["t"] + e.get("dur", 0.0) for e in self.events]
        return max(times) if times else self.header.get("t", 0.0)

    @property
    def program(self):
        argv = self.header.get("argv") or []
        return " ".join(str(a) for a in argv) if argv else "?"


@dataclass(eq=False)
class Endpoint:
    """One socket of one process, from creation to close: one lifeline."""

    proc: Process
    sid: object
    fd: int = None
    family: str = None
    type: str = None
    laddr: object = None
    raddr: object = None
    events: list = field(default_factory=list)
    peer: "Endpoint" = None
    accepted: bool = False
    listening: bool = False
    created_by: dict = None  # the accept/dup/socketpair event that made it

    @property
    def stream(self):
        return bool(self.type) and "SOCK_STREAM" in self.type

    @property
    def start(self):
        return self.events[0]["t"] if self.events else 0.0


@dataclass(eq=False)
class Link:
    """An arrow: ``src`` event to ``dst`` event, of ``kind``; ``nbytes`` moved."""

    kind: str  # "data", "datagram", "handshake", "eof", "new"
    src: dict
    dst: dict
    nbytes: int = None
    part: tuple = None  # (bytes of this link, bytes of the send) when a send is split


@dataclass(eq=False)
class Run:
    """Processes whose traces overlap in time, and the links between them."""

    procs: list
    links: list = field(default_factory=list)

    @property
    def start(self):
        return min(p.start for p in self.procs)


def _addr(value):
    """An address as a hashable tuple (JSON made it a list)."""
    if isinstance(value, list):
        return tuple(value)
    return value


def build(records):
    """The runs of ``records`` (from ``read_traces`` or a tracer's ``events``)."""
    procs = {}
    for rec in records:
        key = (rec.get("run"), rec["pid"], rec.get("_file"))
        proc = procs.get(key)
        if proc is None:
            proc = procs[key] = Process(key, rec["pid"], rec.get("_file") or "")
        if rec.get("kind") == "trace":
            proc.header = rec
        else:
            proc.events.append(rec)
    for proc in procs.values():
        proc.events.sort(key=lambda e: (e["t"], e.get("seq", 0)))
        _endpoints(proc)
    runs = _split_runs([p for p in procs.values() if p.events or p.header])
    for run in runs:
        _link(run)
    return runs


def _endpoints(proc):
    by_sid = {}

    def endpoint(sid):
        ep = by_sid.get(sid)
        if ep is None:
            ep = by_sid[sid] = Endpoint(proc, sid)
            proc.endpoints.append(ep)
        return ep

    for ev in proc.events:
        for new in _created(ev):
            child = endpoint(new["sid"])
            child.fd = new.get("fd")
            child.laddr = _addr(new.get("laddr")) or child.laddr
            child.raddr = _addr(new.get("raddr")) or child.raddr
            child.family, child.type = ev.get("family"), ev.get("type")
            child.accepted = ev["call"] == "accept"
            child.created_by = ev
        sid = ev.get("sid")
        if sid is None:
            proc.lookups.append(ev)
            continue
        ep = endpoint(sid)
        ep.events.append(ev)
        ep.fd = ev.get("fd") if ev.get("fd", -1) != -1 else ep.fd
        ep.family = ev.get("family") or ep.family
        ep.type = ev.get("type") or ep.type
        laddr, raddr = _addr(ev.get("laddr")), _addr(ev.get("raddr"))
        if laddr and not (isinstance(laddr, tuple) and len(laddr) > 1 and laddr[1] == 0):
            ep.laddr = laddr
        if raddr and ep.raddr is None:
            ep.raddr = raddr
        if ev["call"] in ("listen", "accept"):
            ep.listening = True
    for ep in proc.endpoints:
        ep.events.sort(key=lambda e: (e["t"], e.get("seq", 0)))
    proc.endpoints.sort(key=lambda ep: ep.created_by["t"] if ep.created_by else ep.start)


def _created(ev):
    """The sockets an event made besides its own: accept's and dup's, socketpair's."""
    if ev.get("error"):
        return []
    if ev["call"] in ("accept", "dup") and ev.get("newsid") is not None:
        new = dict(ev.get("new") or {})
        new.update(sid=ev["newsid"], fd=ev.get("newfd"))
        return [new]
    if ev["call"] in ("socketpair", "fromfd"):
        return list(ev.get("new") or [])
    return []


def _split_runs(procs):
    procs = sorted(procs, key=lambda p: p.start)
    runs = []
    for proc in procs:
        if runs and proc.start <= max(p.end for p in runs[-1].procs) + RUN_GAP:
            runs[-1].procs.append(proc)
        else:
            runs.append(Run([proc]))
    return runs


# ---------------------------------------------------------------------------
# matching


def _netns(ep):
    return ep.proc.header.get("netns")


def _same_net(a, b, ip):
    """Loopback addresses are the same network only inside one network namespace."""
    try:
        loop = ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return True
    return not loop or _netns(a) == _netns(b) or None in (_netns(a), _netns(b))


def _end(ev):
    return ev["t"] + ev.get("dur", 0.0)


def _link(run):
    eps = [ep for proc in run.procs for ep in proc.endpoints]
    _pair_streams(run, eps)
    _inherit(run)
    for ep in eps:
        if ep.stream and ep.peer is not None:
            _stream_links(run, ep, ep.peer)
    _handshakes(run, eps)
    _datagrams(run, eps)


def _pair_streams(run, eps):
    for proc in run.procs:  # socketpair(): the two ends are named by the event
        for ev in proc.lookups:
            if ev["call"] == "socketpair" and len(ev.get("new") or []) == 2:
                a, b = (
                    next((e for e in proc.endpoints if e.sid == n["sid"]), None) for n in ev["new"]
                )
                if a and b:
                    a.peer, b.peer = b, a
    named = [
        ep
        for ep in eps
        if ep.stream
        and ep.peer is None
        and isinstance(ep.laddr, tuple)
        and isinstance(ep.raddr, tuple)
    ]
    index = {}
    for ep in named:
        index.setdefault((ep.laddr[:2], ep.raddr[:2]), []).append(ep)
    for ep in named:
        if ep.peer is not None:
            continue
        candidates = [
            c
            for c in index.get((ep.raddr[:2], ep.laddr[:2]), [])
            if c is not ep and c.peer is None and _same_net(ep, c, ep.laddr[0])
        ]
        if candidates:
            best = min(candidates, key=lambda c: abs(c.start - ep.start))
            ep.peer, best.peer = best, ep


def _inherit(run):
    """A fork() child's copy of a connected socket talks to the parent's peer."""
    procs = {(p.key[0], p.pid): p for p in run.procs}
    for child in run.procs:
        parent = procs.get((child.key[0], child.header.get("ppid")))
        if parent is None or parent is child:
            continue
        theirs = {ep.sid: ep for ep in parent.endpoints}
        for ep in child.endpoints:
            mine = theirs.get(ep.sid)
            if ep.peer is None and mine is not None and mine.peer is not None:
                ep.peer = mine.peer
                ep.family, ep.type = ep.family or mine.family, ep.type or mine.type


def _stream_links(run, a, b):
    """a's sends to b's recvs, by byte offsets on the connection a -> b."""
    sends = [e for e in a.events if e["call"] in _SENDS and e.get("nbytes") and "off" in e]
    recvs = [
        e
        for e in b.events
        if e["call"] in _RECVS and e.get("nbytes") and "off" in e and not e.get("peek")
    ]
    j = 0
    for s in sends:
        lo, hi = s["off"], s["off"] + s["nbytes"]
        while j < len(recvs) and recvs[j]["off"] + recvs[j]["nbytes"] <= lo:
            j += 1
        k = j
        while k < len(recvs) and recvs[k]["off"] < hi:
            r = recvs[k]
            n = min(hi, r["off"] + r["nbytes"]) - max(lo, r["off"])
            part = None if n == s["nbytes"] else (n, s["nbytes"])
            run.links.append(Link("data", s, r, n, part))
            k += 1
    closes = [
        e
        for e in a.events
        if e["call"] in ("close", "__del__", "detach")
        or (e["call"] == "shutdown" and "SHUT_RD" != e.get("args") and not e.get("error"))
    ]
    for r in b.events:
        if r.get("eof") and r["call"] in _RECVS:
            before = [c for c in closes if c["t"] <= _end(r)]
            if before:
                run.links.append(Link("eof", before[0], r))


def _handshakes(run, eps):
    for ep in eps:
        for ev in ep.events:
            if ev["call"] != "accept" or ev.get("newsid") is None:
                continue
            child = next((c for c in ep.proc.endpoints if c.sid == ev["newsid"]), None)
            if child is None or child.peer is None:
                continue
            conns = [
                e
                for e in child.peer.events
                if e["call"] in ("connect", "connect_ex")
                and (not e.get("error") or e["error"].get("errno") == "EINPROGRESS")
                and e["t"] <= _end(ev)
            ]
            if conns:
                run.links.append(Link("handshake", conns[-1], ev))


def _ip_port(addr):
    if isinstance(addr, tuple) and len(addr) >= 2:
        return str(addr[0]), addr[1]
    return None, None


def _wild(ip):
    return ip in ("0.0.0.0", "::", "", None)


def _datagram_items(ev):
    """The datagrams of an event: itself, or one item per datagram of a batch
    (sendmmsg/recvmmsg), each pointing back at its event in ``_event``."""
    if "batch" not in ev:
        return [ev]
    base = {k: ev.get(k) for k in ("t", "dur", "seq", "laddr", "call")}
    return [{**base, **entry, "_event": ev} for entry in ev["batch"]]


_DGRAM_SENDS = {"sendto", "sendmsg", "send", "sendmmsg"}
_DGRAM_RECVS = _RECVS | {"recvmmsg", "recvmmsg_into"}


def _datagrams(run, eps):
    sends = []
    for ep in eps:
        if ep.stream:
            continue
        for ev in ep.events:
            if ev["call"] in _DGRAM_SENDS and not ev.get("error") and ev.get("nbytes") is not None:
                for item in _datagram_items(ev):
                    to = _addr(item.get("to")) or ep.raddr
                    if isinstance(to, tuple):
                        sends.append((ep, item, to))
    sends.sort(key=lambda item: (item[1]["t"], item[1].get("seq", 0)))
    by_key = {}
    for item in sends:
        _, s, to = item
        by_key.setdefault((_ip_port(to)[1], s.get("nbytes"), s.get("crc")), []).append(item)
    matched = set()  # (id of send item, receiving endpoint)
    for ep in eps:
        if ep.stream:
            continue
        for ev in ep.events:
            if ev["call"] not in _DGRAM_RECVS or ev.get("error") or ev.get("nbytes") is None:
                continue
            for r in _datagram_items(ev):
                _match_datagram(run, ep, r, by_key, matched)


def _match_datagram(run, ep, r, by_key, matched):
    src = _addr(r.get("peer")) or ep.raddr
    s_ip, s_port = _ip_port(src)
    l_ip, l_port = _ip_port(_addr(r.get("laddr")) or ep.laddr)
    for sep, s, to in by_key.get((l_port, r.get("nbytes"), r.get("crc")), ()):
        if (id(s), id(ep)) in matched or s["t"] > _end(r):
            continue
        t_ip = _ip_port(to)[0]
        f_ip, f_port = _ip_port(_addr(s.get("laddr")) or sep.laddr)
        if f_port != s_port:
            continue
        if not (_wild(l_ip) or t_ip == l_ip):
            continue
        if not (_wild(f_ip) or f_ip == s_ip):
            continue
        if not _same_net(sep, ep, t_ip) or not _same_net(sep, ep, s_ip):
            continue
        matched.add((id(s), id(ep)))
        src_ev, dst_ev = s.get("_event", s), r.get("_event", r)
        run.links.append(Link("datagram", src_ev, dst_ev, r["nbytes"]))
        return
