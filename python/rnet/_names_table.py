"""Names for the numbers a socket program passes: ``SOL_SOCKET``, ``SO_REUSEADDR``,
``MSG_PEEK|MSG_DONTWAIT``, ``AF_INET``..., so a trace shows a call as it was written.

Built once from the stdlib ``socket`` module's constants (rnet's have the same
values on Linux). Aliases that belong to other families (J1939, VSOCK) and the
``IP_DEFAULT_*`` values, which are not option names, are left out so that
``2`` at level ``SOL_SOCKET`` reads ``SO_REUSEADDR``.
"""

import socket as _std

__all__ = ["family", "kind", "level", "option", "msg_flags", "ai_flags", "shutdown_how"]

_SKIP = ("SO_J1939_", "SO_VM_SOCKETS_", "IP_DEFAULT_")


def _table(prefix, preferred=()):
    table = {}
    for name in sorted(dir(_std)):
        if not name.startswith(prefix) or name.startswith(_SKIP):
            continue
        value = getattr(_std, name)
        if isinstance(value, int):
            table.setdefault(int(value), name)
    for name in preferred:
        if hasattr(_std, name):
            table[int(getattr(_std, name))] = name
    return table


_FAMILIES = _table("AF_", ("AF_UNIX", "AF_INET", "AF_INET6", "AF_UNSPEC"))
_KINDS = {int(k): k.name for k in _std.SocketKind}
_LEVELS = {
    int(_std.SOL_SOCKET): "SOL_SOCKET",
    int(_std.IPPROTO_IP): "IPPROTO_IP",
    int(_std.IPPROTO_TCP): "IPPROTO_TCP",
    int(_std.IPPROTO_UDP): "IPPROTO_UDP",
    int(_std.IPPROTO_IPV6): "IPPROTO_IPV6",
}
_OPTIONS = {
    int(_std.SOL_SOCKET): _table("SO_"),
    int(_std.IPPROTO_IP): _table("IP_", ("IP_TOS", "IP_RETOPTS")),
    int(_std.IPPROTO_TCP): _table("TCP_"),
    int(_std.IPPROTO_UDP): _table("UDP_"),
    int(_std.IPPROTO_IPV6): _table("IPV6_"),
}
_MSG = sorted((int(m), m.name) for m in _std.MsgFlag if int(m) and bin(int(m)).count("1") == 1)
_AI = sorted((int(m), m.name) for m in _std.AddressInfo if int(m))
_NI = sorted(
    (int(getattr(_std, n)), n) for n in dir(_std) if n.startswith("NI_") and "MAX" not in n
)
_SHUT = {
    int(_std.SHUT_RD): "SHUT_RD",
    int(_std.SHUT_WR): "SHUT_WR",
    int(_std.SHUT_RDWR): "SHUT_RDWR",
}
_TYPE_FLAGS = [(int(_std.SOCK_NONBLOCK), "SOCK_NONBLOCK"), (int(_std.SOCK_CLOEXEC), "SOCK_CLOEXEC")]


def _bits(value, table, zero="0"):
    """``A|B|0x40`` for the flags set in ``value``; ``zero`` when none are."""
    if not isinstance(value, int) or isinstance(value, bool):
        return repr(value)
    if value == 0:
        return zero
    names, rest = [], value
    for bit, name in table:
        if rest & bit:
            names.append(name)
            rest &= ~bit
    if rest:
        names.append(hex(rest))
    return "|".join(names)


def _name(value, table):
    if isinstance(value, int) and not isinstance(value, bool) and int(value) in table:
        return table[int(value)]
    return repr(value)


def family(value):
    """``AF_INET`` for 2; the number itself when it has no name."""
    return _name(value, _FAMILIES)


def kind(value):
    """``SOCK_STREAM``, ``SOCK_DGRAM|SOCK_NONBLOCK``... for a socket type."""
    if not isinstance(value, int) or isinstance(value, bool):
        return repr(value)
    flags = [name for bit, name in _TYPE_FLAGS if value & bit]
    base = value & ~sum(bit for bit, _ in _TYPE_FLAGS)
    return "|".join([_KINDS.get(base, str(base)), *flags])


def level(value):
    """``SOL_SOCKET``, ``IPPROTO_TCP``... for a setsockopt level."""
    return _name(value, _LEVELS)


def option(lvl, value):
    """The option's name at that level: ``SO_REUSEADDR`` for (SOL_SOCKET, 2)."""
    table = _OPTIONS.get(lvl if isinstance(lvl, int) else None, {})
    return _name(value, table)


def msg_flags(value):
    """``MSG_PEEK|MSG_DONTWAIT`` for send/recv flags; ``0`` for none."""
    return _bits(value, _MSG)


def ai_flags(value):
    """``AI_PASSIVE|AI_CANONNAME`` for getaddrinfo flags."""
    return _bits(value, _AI)


def ni_flags(value):
    """``NI_NUMERICHOST|NI_NUMERICSERV`` for getnameinfo flags."""
    return _bits(value, _NI)


def shutdown_how(value):
    """``SHUT_WR`` for 1."""
    return _name(value, _SHUT)
