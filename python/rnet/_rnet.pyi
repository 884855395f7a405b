"""Types of rnet's compiled core, ``rnet._rnet`` (src/): the socket type,
the module functions and the constants. Names and parameters are typeshed's
``_socket`` stub's where the core offers the same call; the functions the
Python layer wraps (``getaddrinfo``, ``_socketpair``) return plain ints.
"""

import sys
from collections.abc import Iterable
from typing import Any, Final, SupportsIndex, TypeAlias, overload

from _typeshed import ReadableBuffer, WriteableBuffer
from typing_extensions import disjoint_base

_Address: TypeAlias = tuple[Any, ...] | str | ReadableBuffer
_RetAddress: TypeAlias = Any
_CMSG: TypeAlias = tuple[int, int, bytes]
_CMSGArg: TypeAlias = tuple[int, int, ReadableBuffer]

__version__: str
has_ipv6: bool

__all__ = [
    "__version__",
    "socket",
    "_socketpair",
    "_set_socket_class",
    "getdefaulttimeout",
    "setdefaulttimeout",
    "AF_ALG",
    "AF_APPLETALK",
    "AF_ASH",
    "AF_ATMPVC",
    "AF_ATMSVC",
    "AF_AX25",
    "AF_BRIDGE",
    "AF_CAN",
    "AF_ECONET",
    "AF_INET",
    "AF_INET6",
    "AF_IPX",
    "AF_IRDA",
    "AF_KEY",
    "AF_LLC",
    "AF_NETBEUI",
    "AF_NETLINK",
    "AF_NETROM",
    "AF_PACKET",
    "AF_PPPOX",
    "AF_RDS",
    "AF_ROSE",
    "AF_ROUTE",
    "AF_SECURITY",
    "AF_SNA",
    "AF_TIPC",
    "AF_UNIX",
    "AF_UNSPEC",
    "AF_VSOCK",
    "AF_WANPIPE",
    "AF_X25",
    "AI_ADDRCONFIG",
    "AI_ALL",
    "AI_CANONNAME",
    "AI_NUMERICHOST",
    "AI_NUMERICSERV",
    "AI_PASSIVE",
    "AI_V4MAPPED",
    "ALG_OP_DECRYPT",
    "ALG_OP_ENCRYPT",
    "ALG_SET_AEAD_ASSOCLEN",
    "ALG_SET_AEAD_AUTHSIZE",
    "ALG_SET_IV",
    "ALG_SET_KEY",
    "ALG_SET_OP",
    "EAI_AGAIN",
    "EAI_BADFLAGS",
    "EAI_FAIL",
    "EAI_FAMILY",
    "EAI_MEMORY",
    "EAI_NODATA",
    "EAI_NONAME",
    "EAI_OVERFLOW",
    "EAI_SERVICE",
    "EAI_SOCKTYPE",
    "EAI_SYSTEM",
    "INADDR_ANY",
    "INADDR_BROADCAST",
    "INADDR_LOOPBACK",
    "INADDR_NONE",
    "IPPROTO_AH",
    "IPPROTO_DSTOPTS",
    "IPPROTO_EGP",
    "IPPROTO_ESP",
    "IPPROTO_FRAGMENT",
    "IPPROTO_GRE",
    "IPPROTO_HOPOPTS",
    "IPPROTO_ICMP",
    "IPPROTO_ICMPV6",
    "IPPROTO_IDP",
    "IPPROTO_IGMP",
    "IPPROTO_IP",
    "IPPROTO_IPIP",
    "IPPROTO_IPV6",
    "IPPROTO_MPTCP",
    "IPPROTO_NONE",
    "IPPROTO_PIM",
    "IPPROTO_PUP",
    "IPPROTO_RAW",
    "IPPROTO_ROUTING",
    "IPPROTO_RSVP",
    "IPPROTO_SCTP",
    "IPPROTO_TCP",
    "IPPROTO_TP",
    "IPPROTO_UDP",
    "IPPROTO_UDPLITE",
    "IPV6_CHECKSUM",
    "IPV6_DONTFRAG",
    "IPV6_DSTOPTS",
    "IPV6_HOPLIMIT",
    "IPV6_HOPOPTS",
    "IPV6_MULTICAST_HOPS",
    "IPV6_MULTICAST_IF",
    "IPV6_MULTICAST_LOOP",
    "IPV6_NEXTHOP",
    "IPV6_PATHMTU",
    "IPV6_PKTINFO",
    "IPV6_RECVDSTOPTS",
    "IPV6_RECVHOPLIMIT",
    "IPV6_RECVHOPOPTS",
    "IPV6_RECVPATHMTU",
    "IPV6_RECVPKTINFO",
    "IPV6_RECVRTHDR",
    "IPV6_RECVTCLASS",
    "IPV6_RTHDR",
    "IPV6_RTHDRDSTOPTS",
    "IPV6_TCLASS",
    "IPV6_UNICAST_HOPS",
    "IPV6_V6ONLY",
    "IP_ADD_MEMBERSHIP",
    "IP_BIND_ADDRESS_NO_PORT",
    "IP_DEFAULT_MULTICAST_LOOP",
    "IP_DEFAULT_MULTICAST_TTL",
    "IP_DROP_MEMBERSHIP",
    "IP_HDRINCL",
    "IP_MULTICAST_IF",
    "IP_MULTICAST_LOOP",
    "IP_MULTICAST_TTL",
    "IP_OPTIONS",
    "IP_RECVOPTS",
    "IP_RECVTOS",
    "IP_RETOPTS",
    "IP_TOS",
    "IP_TRANSPARENT",
    "IP_TTL",
    "MSG_CMSG_CLOEXEC",
    "MSG_CONFIRM",
    "MSG_CTRUNC",
    "MSG_DONTROUTE",
    "MSG_DONTWAIT",
    "MSG_EOR",
    "MSG_ERRQUEUE",
    "MSG_FASTOPEN",
    "MSG_MORE",
    "MSG_NOSIGNAL",
    "MSG_OOB",
    "MSG_PEEK",
    "MSG_TRUNC",
    "MSG_WAITALL",
    "NETLINK_CRYPTO",
    "NETLINK_DNRTMSG",
    "NETLINK_FIREWALL",
    "NETLINK_IP6_FW",
    "NETLINK_NFLOG",
    "NETLINK_ROUTE",
    "NETLINK_USERSOCK",
    "NETLINK_XFRM",
    "NI_DGRAM",
    "NI_MAXHOST",
    "NI_NAMEREQD",
    "NI_NOFQDN",
    "NI_NUMERICHOST",
    "NI_NUMERICSERV",
    "PF_CAN",
    "PF_PACKET",
    "PF_RDS",
    "SCM_CREDENTIALS",
    "SCM_RIGHTS",
    "SHUT_RD",
    "SHUT_RDWR",
    "SHUT_WR",
    "SOCK_CLOEXEC",
    "SOCK_DGRAM",
    "SOCK_NONBLOCK",
    "SOCK_RAW",
    "SOCK_RDM",
    "SOCK_SEQPACKET",
    "SOCK_STREAM",
    "SOL_ALG",
    "SOL_IP",
    "SOL_RDS",
    "SOL_SOCKET",
    "SOL_TCP",
    "SOL_TIPC",
    "SOL_UDP",
    "SOMAXCONN",
    "SO_ACCEPTCONN",
    "SO_BINDTODEVICE",
    "SO_BROADCAST",
    "SO_DEBUG",
    "SO_DOMAIN",
    "SO_DONTROUTE",
    "SO_ERROR",
    "SO_KEEPALIVE",
    "SO_LINGER",
    "SO_MARK",
    "SO_OOBINLINE",
    "SO_PASSCRED",
    "SO_PASSSEC",
    "SO_PEERCRED",
    "SO_PEERSEC",
    "SO_PRIORITY",
    "SO_PROTOCOL",
    "SO_RCVBUF",
    "SO_RCVLOWAT",
    "SO_RCVTIMEO",
    "SO_REUSEADDR",
    "SO_REUSEPORT",
    "SO_SNDBUF",
    "SO_SNDLOWAT",
    "SO_SNDTIMEO",
    "SO_TYPE",
    "TCP_CONGESTION",
    "TCP_CORK",
    "TCP_DEFER_ACCEPT",
    "TCP_FASTOPEN",
    "TCP_INFO",
    "TCP_KEEPCNT",
    "TCP_KEEPIDLE",
    "TCP_KEEPINTVL",
    "TCP_LINGER2",
    "TCP_MAXSEG",
    "TCP_NODELAY",
    "TCP_NOTSENT_LOWAT",
    "TCP_QUICKACK",
    "TCP_SYNCNT",
    "TCP_USER_TIMEOUT",
    "TCP_WINDOW_CLAMP",
    "VMADDR_CID_ANY",
    "VMADDR_CID_HOST",
    "VMADDR_PORT_ANY",
    "AF_DECnet",
    "AF_QIPCRTR",
    "EAI_ADDRFAMILY",
    "IPV6_JOIN_GROUP",
    "IPV6_LEAVE_GROUP",
    "NI_MAXSERV",
    "INADDR_UNSPEC_GROUP",
    "INADDR_ALLHOSTS_GROUP",
    "INADDR_MAX_LOCAL_GROUP",
    "IPPORT_RESERVED",
    "IPPORT_USERRESERVED",
    "IP_MAX_MEMBERSHIPS",
    "IP_RECVRETOPTS",
    "IPV6_RTHDR_TYPE_0",
    "SO_INCOMING_CPU",
    "UDPLITE_SEND_CSCOV",
    "UDP_GRO",
    "UDP_SEGMENT",
    "UDPLITE_RECV_CSCOV",
    "gethostname",
    "sethostname",
    "gethostbyname",
    "gethostbyname_ex",
    "gethostbyaddr",
    "getservbyname",
    "getservbyport",
    "getprotobyname",
    "getaddrinfo",
    "getnameinfo",
    "ntohs",
    "htons",
    "ntohl",
    "htonl",
    "inet_aton",
    "inet_ntoa",
    "inet_pton",
    "inet_ntop",
    "if_nameindex",
    "if_nametoindex",
    "if_indextoname",
    "CMSG_LEN",
    "CMSG_SPACE",
    "close",
    "dup",
    "has_ipv6",
]
if sys.version_info >= (3, 12):
    __all__ += [
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
    ]
if sys.version_info >= (3, 13):
    __all__ += ["NI_IDN", "SO_BINDTOIFINDEX"]
if sys.version_info >= (3, 14):
    __all__ += [
        "IPV6_RECVERR",
        "IP_FREEBIND",
        "IP_RECVERR",
        "IP_RECVORIGDSTADDR",
        "IP_RECVTTL",
        "SO_ORIGINAL_DST",
        "VMADDR_CID_LOCAL",
    ]

# ===== Constants: the stdlib's, as the C headers define them =====

AF_ALG: Final[int]
AF_APPLETALK: Final[int]
AF_ASH: Final[int]
AF_ATMPVC: Final[int]
AF_ATMSVC: Final[int]
AF_AX25: Final[int]
AF_BRIDGE: Final[int]
AF_CAN: Final[int]
AF_DECnet: Final[int]
AF_ECONET: Final[int]
AF_INET: Final[int]
AF_INET6: Final[int]
AF_IPX: Final[int]
AF_IRDA: Final[int]
AF_KEY: Final[int]
AF_LLC: Final[int]
AF_NETBEUI: Final[int]
AF_NETLINK: Final[int]
AF_NETROM: Final[int]
AF_PACKET: Final[int]
AF_PPPOX: Final[int]
AF_QIPCRTR: Final[int]
AF_RDS: Final[int]
AF_ROSE: Final[int]
AF_ROUTE: Final[int]
AF_SECURITY: Final[int]
AF_SNA: Final[int]
AF_TIPC: Final[int]
AF_UNIX: Final[int]
AF_UNSPEC: Final[int]
AF_VSOCK: Final[int]
AF_WANPIPE: Final[int]
AF_X25: Final[int]
AI_ADDRCONFIG: Final[int]
AI_ALL: Final[int]
AI_CANONNAME: Final[int]
AI_NUMERICHOST: Final[int]
AI_NUMERICSERV: Final[int]
AI_PASSIVE: Final[int]
AI_V4MAPPED: Final[int]
ALG_OP_DECRYPT: Final[int]
ALG_OP_ENCRYPT: Final[int]
ALG_SET_AEAD_ASSOCLEN: Final[int]
ALG_SET_AEAD_AUTHSIZE: Final[int]
ALG_SET_IV: Final[int]
ALG_SET_KEY: Final[int]
ALG_SET_OP: Final[int]
EAI_ADDRFAMILY: Final[int]
EAI_AGAIN: Final[int]
EAI_BADFLAGS: Final[int]
EAI_FAIL: Final[int]
EAI_FAMILY: Final[int]
EAI_MEMORY: Final[int]
EAI_NODATA: Final[int]
EAI_NONAME: Final[int]
EAI_OVERFLOW: Final[int]
EAI_SERVICE: Final[int]
EAI_SOCKTYPE: Final[int]
EAI_SYSTEM: Final[int]
INADDR_ALLHOSTS_GROUP: Final[int]
INADDR_ANY: Final[int]
INADDR_BROADCAST: Final[int]
INADDR_LOOPBACK: Final[int]
INADDR_MAX_LOCAL_GROUP: Final[int]
INADDR_NONE: Final[int]
INADDR_UNSPEC_GROUP: Final[int]
IPPORT_RESERVED: Final[int]
IPPORT_USERRESERVED: Final[int]
IPPROTO_AH: Final[int]
IPPROTO_DSTOPTS: Final[int]
IPPROTO_EGP: Final[int]
IPPROTO_ESP: Final[int]
IPPROTO_FRAGMENT: Final[int]
IPPROTO_GRE: Final[int]
IPPROTO_HOPOPTS: Final[int]
IPPROTO_ICMP: Final[int]
IPPROTO_ICMPV6: Final[int]
IPPROTO_IDP: Final[int]
IPPROTO_IGMP: Final[int]
IPPROTO_IP: Final[int]
IPPROTO_IPIP: Final[int]
IPPROTO_IPV6: Final[int]
IPPROTO_MPTCP: Final[int]
IPPROTO_NONE: Final[int]
IPPROTO_PIM: Final[int]
IPPROTO_PUP: Final[int]
IPPROTO_RAW: Final[int]
IPPROTO_ROUTING: Final[int]
IPPROTO_RSVP: Final[int]
IPPROTO_SCTP: Final[int]
IPPROTO_TCP: Final[int]
IPPROTO_TP: Final[int]
IPPROTO_UDP: Final[int]
IPPROTO_UDPLITE: Final[int]
IPV6_CHECKSUM: Final[int]
IPV6_DONTFRAG: Final[int]
IPV6_DSTOPTS: Final[int]
IPV6_HOPLIMIT: Final[int]
IPV6_HOPOPTS: Final[int]
IPV6_JOIN_GROUP: Final[int]
IPV6_LEAVE_GROUP: Final[int]
IPV6_MULTICAST_HOPS: Final[int]
IPV6_MULTICAST_IF: Final[int]
IPV6_MULTICAST_LOOP: Final[int]
IPV6_NEXTHOP: Final[int]
IPV6_PATHMTU: Final[int]
IPV6_PKTINFO: Final[int]
IPV6_RECVDSTOPTS: Final[int]
IPV6_RECVHOPLIMIT: Final[int]
IPV6_RECVHOPOPTS: Final[int]
IPV6_RECVPATHMTU: Final[int]
IPV6_RECVPKTINFO: Final[int]
IPV6_RECVRTHDR: Final[int]
IPV6_RECVTCLASS: Final[int]
IPV6_RTHDR: Final[int]
IPV6_RTHDRDSTOPTS: Final[int]
IPV6_RTHDR_TYPE_0: Final[int]
IPV6_TCLASS: Final[int]
IPV6_UNICAST_HOPS: Final[int]
IPV6_V6ONLY: Final[int]
IP_ADD_MEMBERSHIP: Final[int]
IP_BIND_ADDRESS_NO_PORT: Final[int]
IP_DEFAULT_MULTICAST_LOOP: Final[int]
IP_DEFAULT_MULTICAST_TTL: Final[int]
IP_DROP_MEMBERSHIP: Final[int]
IP_HDRINCL: Final[int]
IP_MAX_MEMBERSHIPS: Final[int]
IP_MULTICAST_IF: Final[int]
IP_MULTICAST_LOOP: Final[int]
IP_MULTICAST_TTL: Final[int]
IP_OPTIONS: Final[int]
IP_RECVOPTS: Final[int]
IP_RECVRETOPTS: Final[int]
IP_RECVTOS: Final[int]
IP_RETOPTS: Final[int]
IP_TOS: Final[int]
IP_TRANSPARENT: Final[int]
IP_TTL: Final[int]
MSG_CMSG_CLOEXEC: Final[int]
MSG_CONFIRM: Final[int]
MSG_CTRUNC: Final[int]
MSG_DONTROUTE: Final[int]
MSG_DONTWAIT: Final[int]
MSG_EOR: Final[int]
MSG_ERRQUEUE: Final[int]
MSG_FASTOPEN: Final[int]
MSG_MORE: Final[int]
MSG_NOSIGNAL: Final[int]
MSG_OOB: Final[int]
MSG_PEEK: Final[int]
MSG_TRUNC: Final[int]
MSG_WAITALL: Final[int]
NETLINK_CRYPTO: Final[int]
NETLINK_DNRTMSG: Final[int]
NETLINK_FIREWALL: Final[int]
NETLINK_IP6_FW: Final[int]
NETLINK_NFLOG: Final[int]
NETLINK_ROUTE: Final[int]
NETLINK_USERSOCK: Final[int]
NETLINK_XFRM: Final[int]
NI_DGRAM: Final[int]
NI_MAXHOST: Final[int]
NI_MAXSERV: Final[int]
NI_NAMEREQD: Final[int]
NI_NOFQDN: Final[int]
NI_NUMERICHOST: Final[int]
NI_NUMERICSERV: Final[int]
PF_CAN: Final[int]
PF_PACKET: Final[int]
PF_RDS: Final[int]
SCM_CREDENTIALS: Final[int]
SCM_RIGHTS: Final[int]
SHUT_RD: Final[int]
SHUT_RDWR: Final[int]
SHUT_WR: Final[int]
SOCK_CLOEXEC: Final[int]
SOCK_DGRAM: Final[int]
SOCK_NONBLOCK: Final[int]
SOCK_RAW: Final[int]
SOCK_RDM: Final[int]
SOCK_SEQPACKET: Final[int]
SOCK_STREAM: Final[int]
SOL_ALG: Final[int]
SOL_IP: Final[int]
SOL_RDS: Final[int]
SOL_SOCKET: Final[int]
SOL_TCP: Final[int]
SOL_TIPC: Final[int]
SOL_UDP: Final[int]
SOMAXCONN: Final[int]
SO_ACCEPTCONN: Final[int]
SO_BINDTODEVICE: Final[int]
SO_BROADCAST: Final[int]
SO_DEBUG: Final[int]
SO_DOMAIN: Final[int]
SO_DONTROUTE: Final[int]
SO_ERROR: Final[int]
SO_INCOMING_CPU: Final[int]
SO_KEEPALIVE: Final[int]
SO_LINGER: Final[int]
SO_MARK: Final[int]
SO_OOBINLINE: Final[int]
SO_PASSCRED: Final[int]
SO_PASSSEC: Final[int]
SO_PEERCRED: Final[int]
SO_PEERSEC: Final[int]
SO_PRIORITY: Final[int]
SO_PROTOCOL: Final[int]
SO_RCVBUF: Final[int]
SO_RCVLOWAT: Final[int]
SO_RCVTIMEO: Final[int]
SO_REUSEADDR: Final[int]
SO_REUSEPORT: Final[int]
SO_SNDBUF: Final[int]
SO_SNDLOWAT: Final[int]
SO_SNDTIMEO: Final[int]
SO_TYPE: Final[int]
TCP_CONGESTION: Final[int]
TCP_CORK: Final[int]
TCP_DEFER_ACCEPT: Final[int]
TCP_FASTOPEN: Final[int]
TCP_INFO: Final[int]
TCP_KEEPCNT: Final[int]
TCP_KEEPIDLE: Final[int]
TCP_KEEPINTVL: Final[int]
TCP_LINGER2: Final[int]
TCP_MAXSEG: Final[int]
TCP_NODELAY: Final[int]
TCP_NOTSENT_LOWAT: Final[int]
TCP_QUICKACK: Final[int]
TCP_SYNCNT: Final[int]
TCP_USER_TIMEOUT: Final[int]
TCP_WINDOW_CLAMP: Final[int]
UDPLITE_RECV_CSCOV: Final[int]
UDPLITE_SEND_CSCOV: Final[int]

# rnet-only (src/mmsg.rs): the UDP offload options of <linux/udp.h>, which
# the stdlib does not export.
UDP_GRO: Final[int]
UDP_SEGMENT: Final[int]
VMADDR_CID_ANY: Final[int]
VMADDR_CID_HOST: Final[int]
VMADDR_PORT_ANY: Final[int]

# Added by later CPython versions, present only on those (src/constants.rs).
if sys.version_info >= (3, 12):
    IP_ADD_SOURCE_MEMBERSHIP: Final[int]
    IP_BLOCK_SOURCE: Final[int]
    IP_DROP_SOURCE_MEMBERSHIP: Final[int]
    IP_PKTINFO: Final[int]
    IP_UNBLOCK_SOURCE: Final[int]
    TCP_CC_INFO: Final[int]
    TCP_FASTOPEN_CONNECT: Final[int]
    TCP_FASTOPEN_KEY: Final[int]
    TCP_FASTOPEN_NO_COOKIE: Final[int]
    TCP_INQ: Final[int]
    TCP_MD5SIG: Final[int]
    TCP_MD5SIG_EXT: Final[int]
    TCP_QUEUE_SEQ: Final[int]
    TCP_REPAIR: Final[int]
    TCP_REPAIR_OPTIONS: Final[int]
    TCP_REPAIR_QUEUE: Final[int]
    TCP_REPAIR_WINDOW: Final[int]
    TCP_SAVED_SYN: Final[int]
    TCP_SAVE_SYN: Final[int]
    TCP_THIN_DUPACK: Final[int]
    TCP_THIN_LINEAR_TIMEOUTS: Final[int]
    TCP_TIMESTAMP: Final[int]
    TCP_TX_DELAY: Final[int]
    TCP_ULP: Final[int]
    TCP_ZEROCOPY_RECEIVE: Final[int]
if sys.version_info >= (3, 13):
    NI_IDN: Final[int]
    SO_BINDTOIFINDEX: Final[int]
if sys.version_info >= (3, 14):
    IPV6_RECVERR: Final[int]
    IP_FREEBIND: Final[int]
    IP_RECVERR: Final[int]
    IP_RECVORIGDSTADDR: Final[int]
    IP_RECVTTL: Final[int]
    SO_ORIGINAL_DST: Final[int]
    VMADDR_CID_LOCAL: Final[int]

# ===== The socket type =====

@disjoint_base
class socket:
    """The core socket: one method per system call (src/socket.rs, io.rs)."""

    @property
    def family(self) -> int: ...
    @property
    def type(self) -> int: ...
    @property
    def proto(self) -> int: ...
    @property
    def timeout(self) -> float | None: ...
    def __init__(
        self, family: int = -1, type: int = -1, proto: int = -1, fileno: SupportsIndex | None = None
    ) -> None: ...
    def bind(self, address: _Address, /) -> None: ...
    def close(self) -> None: ...
    def connect(self, address: _Address, /) -> None: ...
    def connect_ex(self, address: _Address, /) -> int: ...
    def detach(self) -> int: ...
    def fileno(self) -> int: ...
    def getpeername(self) -> _RetAddress: ...
    def getsockname(self) -> _RetAddress: ...
    @overload
    def getsockopt(self, level: int, optname: int, /) -> int: ...
    @overload
    def getsockopt(self, level: int, optname: int, buflen: int, /) -> bytes: ...
    def getblocking(self) -> bool: ...
    def gettimeout(self) -> float | None: ...
    def listen(self, backlog: int = ..., /) -> None: ...
    def recv(self, bufsize: int, flags: int = 0, /) -> bytes: ...
    def recvfrom(self, bufsize: int, flags: int = 0, /) -> tuple[bytes, _RetAddress]: ...
    def recvmsg(
        self, bufsize: int, ancbufsize: int = 0, flags: int = 0, /
    ) -> tuple[bytes, list[_CMSG], int, Any]: ...
    def recvmsg_into(
        self, buffers: Iterable[WriteableBuffer], ancbufsize: int = 0, flags: int = 0, /
    ) -> tuple[int, list[_CMSG], int, Any]: ...
    def recvfrom_into(
        self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0
    ) -> tuple[int, _RetAddress]: ...
    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int: ...
    def send(self, data: ReadableBuffer, flags: int = 0, /) -> int: ...
    def sendall(self, data: ReadableBuffer, flags: int = 0, /) -> None: ...
    @overload
    def sendto(self, data: ReadableBuffer, address: _Address, /) -> int: ...
    @overload
    def sendto(self, data: ReadableBuffer, flags: int, address: _Address, /) -> int: ...
    def sendmsg(
        self,
        buffers: Iterable[ReadableBuffer],
        ancdata: Iterable[_CMSGArg] = ...,
        flags: int = 0,
        address: _Address | None = None,
        /,
    ) -> int: ...
    def setblocking(self, flag: bool, /) -> None: ...
    def settimeout(self, value: float | None, /) -> None: ...
    @overload
    def setsockopt(self, level: int, optname: int, value: int | ReadableBuffer, /) -> None: ...
    @overload
    def setsockopt(self, level: int, optname: int, value: None, optlen: int, /) -> None: ...
    def shutdown(self, how: int, /) -> None: ...
    # rnet-only (src/mmsg.rs): batched datagrams, sendmmsg(2)/recvmmsg(2).
    def sendmmsg(
        self,
        messages: Iterable[ReadableBuffer | tuple[ReadableBuffer, _Address]],
        flags: int = 0,
        /,
    ) -> int: ...
    def recvmmsg(
        self, vlen: int, bufsize: int, flags: int = 0, /
    ) -> list[tuple[bytes, _RetAddress]]: ...
    def recvmmsg_into(
        self, buffers: Iterable[WriteableBuffer], flags: int = 0, /
    ) -> list[tuple[int, _RetAddress]]: ...
    # rnet-only, for the Python layer: accept4(2) -> (fd, address), and one
    # sendfile(2) of at most count bytes.
    def _accept(self) -> tuple[int, _RetAddress]: ...
    # Lib/socket.py's composition, in the core (life.rs).
    def accept(self) -> tuple[socket, _RetAddress]: ...
    def _real_close(self) -> None: ...
    _io_refs: int
    _closed: bool
    def _sendfile(self, in_fd: int, offset: int, count: int) -> int: ...

# ===== Functions =====

def _socketpair(family: int, type: int, proto: int) -> tuple[int, int]: ...
def _set_socket_class(cls: type[socket]) -> None: ...
def close(fd: SupportsIndex, /) -> None: ...
def dup(fd: SupportsIndex, /) -> int: ...
def getaddrinfo(
    host: bytes | str | None,
    port: bytes | str | int | None,
    family: int = 0,
    type: int = 0,
    proto: int = 0,
    flags: int = 0,
) -> list[
    tuple[int, int, int, str, tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes]]
]: ...
def gethostbyname(hostname: str, /) -> str: ...
def gethostbyname_ex(hostname: str, /) -> tuple[str, list[str], list[str]]: ...
def gethostname() -> str: ...
def gethostbyaddr(ip_address: str, /) -> tuple[str, list[str], list[str]]: ...
def getnameinfo(
    sockaddr: tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes], flags: int, /
) -> tuple[str, str]: ...
def getprotobyname(protocolname: str, /) -> int: ...
def getservbyname(servicename: str, protocolname: str = ..., /) -> int: ...
def getservbyport(port: int, protocolname: str = ..., /) -> str: ...
def ntohl(x: int, /) -> int: ...
def ntohs(x: int, /) -> int: ...
def htonl(x: int, /) -> int: ...
def htons(x: int, /) -> int: ...
def inet_aton(ip_addr: str, /) -> bytes: ...
def inet_ntoa(packed_ip: ReadableBuffer, /) -> str: ...
def inet_pton(address_family: int, ip_string: str, /) -> bytes: ...
def inet_ntop(address_family: int, packed_ip: ReadableBuffer, /) -> str: ...
def getdefaulttimeout() -> float | None: ...
def setdefaulttimeout(timeout: float | None, /) -> None: ...
def sethostname(name: str, /) -> None: ...
def CMSG_LEN(length: int, /) -> int: ...
def CMSG_SPACE(length: int, /) -> int: ...
def if_nameindex() -> list[tuple[int, str]]: ...
def if_nametoindex(oname: str, /) -> int: ...

if sys.version_info >= (3, 14):
    def if_indextoname(if_index: int, /) -> str: ...

else:
    def if_indextoname(index: int, /) -> str: ...
