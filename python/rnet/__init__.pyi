"""Types of rnet, the stdlib ``socket`` module's API on a Rust core.

What rnet exports and nothing else: the stdlib's names but those README lists
as left out (AF_CAN, AF_PACKET, AF_TIPC, AF_VSOCK options, AF_ALG's public-key
operations, ``sendmsg_afalg``, ``CAPI``), each constant only from the CPython
version that added it. Signatures and parameter names are typeshed's
``socket``/``_socket`` stubs'; exceptions and enums are the stdlib's objects,
so they are re-exported from it. ``python -m mypy.stubtest rnet`` checks this
file against the module (.ci/run, with .ci/stubtest-allowlist.txt).
"""

import sys
from contextlib import AbstractContextManager
from errno import EAGAIN as EAGAIN
from errno import EBADF as EBADF
from errno import EWOULDBLOCK as EWOULDBLOCK
from os import PathLike
from socket import AddressFamily as AddressFamily
from socket import AddressInfo as AddressInfo
from socket import MsgFlag as MsgFlag
from socket import SocketIO as SocketIO
from socket import SocketKind as SocketKind
from socket import gaierror as gaierror
from socket import herror as herror
from socket import timeout as timeout
from typing import Literal, TextIO, TypeAlias

from ._rnet import (
    ALG_OP_DECRYPT as ALG_OP_DECRYPT,
)
from ._rnet import (
    ALG_OP_ENCRYPT as ALG_OP_ENCRYPT,
)
from ._rnet import (
    ALG_SET_AEAD_ASSOCLEN as ALG_SET_AEAD_ASSOCLEN,
)
from ._rnet import (
    ALG_SET_AEAD_AUTHSIZE as ALG_SET_AEAD_AUTHSIZE,
)
from ._rnet import (
    ALG_SET_IV as ALG_SET_IV,
)
from ._rnet import (
    ALG_SET_KEY as ALG_SET_KEY,
)
from ._rnet import (
    ALG_SET_OP as ALG_SET_OP,
)
from ._rnet import CMSG_LEN as CMSG_LEN
from ._rnet import CMSG_SPACE as CMSG_SPACE
from ._rnet import (
    EAI_ADDRFAMILY as EAI_ADDRFAMILY,
)
from ._rnet import (
    EAI_AGAIN as EAI_AGAIN,
)
from ._rnet import (
    EAI_BADFLAGS as EAI_BADFLAGS,
)
from ._rnet import (
    EAI_FAIL as EAI_FAIL,
)
from ._rnet import (
    EAI_FAMILY as EAI_FAMILY,
)
from ._rnet import (
    EAI_MEMORY as EAI_MEMORY,
)
from ._rnet import (
    EAI_NODATA as EAI_NODATA,
)
from ._rnet import (
    EAI_NONAME as EAI_NONAME,
)
from ._rnet import (
    EAI_OVERFLOW as EAI_OVERFLOW,
)
from ._rnet import (
    EAI_SERVICE as EAI_SERVICE,
)
from ._rnet import (
    EAI_SOCKTYPE as EAI_SOCKTYPE,
)
from ._rnet import (
    EAI_SYSTEM as EAI_SYSTEM,
)
from ._rnet import (
    INADDR_ALLHOSTS_GROUP as INADDR_ALLHOSTS_GROUP,
)
from ._rnet import (
    INADDR_ANY as INADDR_ANY,
)
from ._rnet import (
    INADDR_BROADCAST as INADDR_BROADCAST,
)
from ._rnet import (
    INADDR_LOOPBACK as INADDR_LOOPBACK,
)
from ._rnet import (
    INADDR_MAX_LOCAL_GROUP as INADDR_MAX_LOCAL_GROUP,
)
from ._rnet import (
    INADDR_NONE as INADDR_NONE,
)
from ._rnet import (
    INADDR_UNSPEC_GROUP as INADDR_UNSPEC_GROUP,
)
from ._rnet import (
    IP_ADD_MEMBERSHIP as IP_ADD_MEMBERSHIP,
)
from ._rnet import (
    IP_BIND_ADDRESS_NO_PORT as IP_BIND_ADDRESS_NO_PORT,
)
from ._rnet import (
    IP_DEFAULT_MULTICAST_LOOP as IP_DEFAULT_MULTICAST_LOOP,
)
from ._rnet import (
    IP_DEFAULT_MULTICAST_TTL as IP_DEFAULT_MULTICAST_TTL,
)
from ._rnet import (
    IP_DROP_MEMBERSHIP as IP_DROP_MEMBERSHIP,
)
from ._rnet import (
    IP_HDRINCL as IP_HDRINCL,
)
from ._rnet import (
    IP_MAX_MEMBERSHIPS as IP_MAX_MEMBERSHIPS,
)
from ._rnet import (
    IP_MULTICAST_IF as IP_MULTICAST_IF,
)
from ._rnet import (
    IP_MULTICAST_LOOP as IP_MULTICAST_LOOP,
)
from ._rnet import (
    IP_MULTICAST_TTL as IP_MULTICAST_TTL,
)
from ._rnet import (
    IP_OPTIONS as IP_OPTIONS,
)
from ._rnet import (
    IP_RECVOPTS as IP_RECVOPTS,
)
from ._rnet import (
    IP_RECVRETOPTS as IP_RECVRETOPTS,
)
from ._rnet import (
    IP_RECVTOS as IP_RECVTOS,
)
from ._rnet import (
    IP_RETOPTS as IP_RETOPTS,
)
from ._rnet import (
    IP_TOS as IP_TOS,
)
from ._rnet import (
    IP_TRANSPARENT as IP_TRANSPARENT,
)
from ._rnet import (
    IP_TTL as IP_TTL,
)
from ._rnet import (
    IPPORT_RESERVED as IPPORT_RESERVED,
)
from ._rnet import (
    IPPORT_USERRESERVED as IPPORT_USERRESERVED,
)
from ._rnet import (
    IPPROTO_AH as IPPROTO_AH,
)
from ._rnet import (
    IPPROTO_DSTOPTS as IPPROTO_DSTOPTS,
)
from ._rnet import (
    IPPROTO_EGP as IPPROTO_EGP,
)
from ._rnet import (
    IPPROTO_ESP as IPPROTO_ESP,
)
from ._rnet import (
    IPPROTO_FRAGMENT as IPPROTO_FRAGMENT,
)
from ._rnet import (
    IPPROTO_GRE as IPPROTO_GRE,
)
from ._rnet import (
    IPPROTO_HOPOPTS as IPPROTO_HOPOPTS,
)
from ._rnet import (
    IPPROTO_ICMP as IPPROTO_ICMP,
)
from ._rnet import (
    IPPROTO_ICMPV6 as IPPROTO_ICMPV6,
)
from ._rnet import (
    IPPROTO_IDP as IPPROTO_IDP,
)
from ._rnet import (
    IPPROTO_IGMP as IPPROTO_IGMP,
)
from ._rnet import (
    IPPROTO_IP as IPPROTO_IP,
)
from ._rnet import (
    IPPROTO_IPIP as IPPROTO_IPIP,
)
from ._rnet import (
    IPPROTO_IPV6 as IPPROTO_IPV6,
)
from ._rnet import (
    IPPROTO_MPTCP as IPPROTO_MPTCP,
)
from ._rnet import (
    IPPROTO_NONE as IPPROTO_NONE,
)
from ._rnet import (
    IPPROTO_PIM as IPPROTO_PIM,
)
from ._rnet import (
    IPPROTO_PUP as IPPROTO_PUP,
)
from ._rnet import (
    IPPROTO_RAW as IPPROTO_RAW,
)
from ._rnet import (
    IPPROTO_ROUTING as IPPROTO_ROUTING,
)
from ._rnet import (
    IPPROTO_RSVP as IPPROTO_RSVP,
)
from ._rnet import (
    IPPROTO_SCTP as IPPROTO_SCTP,
)
from ._rnet import (
    IPPROTO_TCP as IPPROTO_TCP,
)
from ._rnet import (
    IPPROTO_TP as IPPROTO_TP,
)
from ._rnet import (
    IPPROTO_UDP as IPPROTO_UDP,
)
from ._rnet import (
    IPPROTO_UDPLITE as IPPROTO_UDPLITE,
)
from ._rnet import (
    IPV6_CHECKSUM as IPV6_CHECKSUM,
)
from ._rnet import (
    IPV6_DONTFRAG as IPV6_DONTFRAG,
)
from ._rnet import (
    IPV6_DSTOPTS as IPV6_DSTOPTS,
)
from ._rnet import (
    IPV6_HOPLIMIT as IPV6_HOPLIMIT,
)
from ._rnet import (
    IPV6_HOPOPTS as IPV6_HOPOPTS,
)
from ._rnet import (
    IPV6_JOIN_GROUP as IPV6_JOIN_GROUP,
)
from ._rnet import (
    IPV6_LEAVE_GROUP as IPV6_LEAVE_GROUP,
)
from ._rnet import (
    IPV6_MULTICAST_HOPS as IPV6_MULTICAST_HOPS,
)
from ._rnet import (
    IPV6_MULTICAST_IF as IPV6_MULTICAST_IF,
)
from ._rnet import (
    IPV6_MULTICAST_LOOP as IPV6_MULTICAST_LOOP,
)
from ._rnet import (
    IPV6_NEXTHOP as IPV6_NEXTHOP,
)
from ._rnet import (
    IPV6_PATHMTU as IPV6_PATHMTU,
)
from ._rnet import (
    IPV6_PKTINFO as IPV6_PKTINFO,
)
from ._rnet import (
    IPV6_RECVDSTOPTS as IPV6_RECVDSTOPTS,
)
from ._rnet import (
    IPV6_RECVHOPLIMIT as IPV6_RECVHOPLIMIT,
)
from ._rnet import (
    IPV6_RECVHOPOPTS as IPV6_RECVHOPOPTS,
)
from ._rnet import (
    IPV6_RECVPATHMTU as IPV6_RECVPATHMTU,
)
from ._rnet import (
    IPV6_RECVPKTINFO as IPV6_RECVPKTINFO,
)
from ._rnet import (
    IPV6_RECVRTHDR as IPV6_RECVRTHDR,
)
from ._rnet import (
    IPV6_RECVTCLASS as IPV6_RECVTCLASS,
)
from ._rnet import (
    IPV6_RTHDR as IPV6_RTHDR,
)
from ._rnet import (
    IPV6_RTHDR_TYPE_0 as IPV6_RTHDR_TYPE_0,
)
from ._rnet import (
    IPV6_RTHDRDSTOPTS as IPV6_RTHDRDSTOPTS,
)
from ._rnet import (
    IPV6_TCLASS as IPV6_TCLASS,
)
from ._rnet import (
    IPV6_UNICAST_HOPS as IPV6_UNICAST_HOPS,
)
from ._rnet import (
    IPV6_V6ONLY as IPV6_V6ONLY,
)
from ._rnet import (
    NETLINK_CRYPTO as NETLINK_CRYPTO,
)
from ._rnet import (
    NETLINK_DNRTMSG as NETLINK_DNRTMSG,
)
from ._rnet import (
    NETLINK_FIREWALL as NETLINK_FIREWALL,
)
from ._rnet import (
    NETLINK_IP6_FW as NETLINK_IP6_FW,
)
from ._rnet import (
    NETLINK_NFLOG as NETLINK_NFLOG,
)
from ._rnet import (
    NETLINK_ROUTE as NETLINK_ROUTE,
)
from ._rnet import (
    NETLINK_USERSOCK as NETLINK_USERSOCK,
)
from ._rnet import (
    NETLINK_XFRM as NETLINK_XFRM,
)
from ._rnet import (
    NI_DGRAM as NI_DGRAM,
)
from ._rnet import (
    NI_MAXHOST as NI_MAXHOST,
)
from ._rnet import (
    NI_MAXSERV as NI_MAXSERV,
)
from ._rnet import (
    NI_NAMEREQD as NI_NAMEREQD,
)
from ._rnet import (
    NI_NOFQDN as NI_NOFQDN,
)
from ._rnet import (
    NI_NUMERICHOST as NI_NUMERICHOST,
)
from ._rnet import (
    NI_NUMERICSERV as NI_NUMERICSERV,
)
from ._rnet import (
    PF_CAN as PF_CAN,
)
from ._rnet import (
    PF_PACKET as PF_PACKET,
)
from ._rnet import (
    PF_RDS as PF_RDS,
)
from ._rnet import (
    SCM_CREDENTIALS as SCM_CREDENTIALS,
)
from ._rnet import (
    SCM_RIGHTS as SCM_RIGHTS,
)
from ._rnet import (
    SHUT_RD as SHUT_RD,
)
from ._rnet import (
    SHUT_RDWR as SHUT_RDWR,
)
from ._rnet import (
    SHUT_WR as SHUT_WR,
)
from ._rnet import (
    SO_ACCEPTCONN as SO_ACCEPTCONN,
)
from ._rnet import (
    SO_BINDTODEVICE as SO_BINDTODEVICE,
)
from ._rnet import (
    SO_BROADCAST as SO_BROADCAST,
)
from ._rnet import (
    SO_DEBUG as SO_DEBUG,
)
from ._rnet import (
    SO_DOMAIN as SO_DOMAIN,
)
from ._rnet import (
    SO_DONTROUTE as SO_DONTROUTE,
)
from ._rnet import (
    SO_ERROR as SO_ERROR,
)
from ._rnet import (
    SO_INCOMING_CPU as SO_INCOMING_CPU,
)
from ._rnet import (
    SO_KEEPALIVE as SO_KEEPALIVE,
)
from ._rnet import (
    SO_LINGER as SO_LINGER,
)
from ._rnet import (
    SO_MARK as SO_MARK,
)
from ._rnet import (
    SO_OOBINLINE as SO_OOBINLINE,
)
from ._rnet import (
    SO_PASSCRED as SO_PASSCRED,
)
from ._rnet import (
    SO_PASSSEC as SO_PASSSEC,
)
from ._rnet import (
    SO_PEERCRED as SO_PEERCRED,
)
from ._rnet import (
    SO_PEERSEC as SO_PEERSEC,
)
from ._rnet import (
    SO_PRIORITY as SO_PRIORITY,
)
from ._rnet import (
    SO_PROTOCOL as SO_PROTOCOL,
)
from ._rnet import (
    SO_RCVBUF as SO_RCVBUF,
)
from ._rnet import (
    SO_RCVLOWAT as SO_RCVLOWAT,
)
from ._rnet import (
    SO_RCVTIMEO as SO_RCVTIMEO,
)
from ._rnet import (
    SO_REUSEADDR as SO_REUSEADDR,
)
from ._rnet import (
    SO_REUSEPORT as SO_REUSEPORT,
)
from ._rnet import (
    SO_SNDBUF as SO_SNDBUF,
)
from ._rnet import (
    SO_SNDLOWAT as SO_SNDLOWAT,
)
from ._rnet import (
    SO_SNDTIMEO as SO_SNDTIMEO,
)
from ._rnet import (
    SO_TYPE as SO_TYPE,
)
from ._rnet import (
    SOL_ALG as SOL_ALG,
)
from ._rnet import (
    SOL_IP as SOL_IP,
)
from ._rnet import (
    SOL_RDS as SOL_RDS,
)
from ._rnet import (
    SOL_SOCKET as SOL_SOCKET,
)
from ._rnet import (
    SOL_TCP as SOL_TCP,
)
from ._rnet import (
    SOL_TIPC as SOL_TIPC,
)
from ._rnet import (
    SOL_UDP as SOL_UDP,
)
from ._rnet import (
    SOMAXCONN as SOMAXCONN,
)
from ._rnet import (
    TCP_CONGESTION as TCP_CONGESTION,
)
from ._rnet import (
    TCP_CORK as TCP_CORK,
)
from ._rnet import (
    TCP_DEFER_ACCEPT as TCP_DEFER_ACCEPT,
)
from ._rnet import (
    TCP_FASTOPEN as TCP_FASTOPEN,
)
from ._rnet import (
    TCP_INFO as TCP_INFO,
)
from ._rnet import (
    TCP_KEEPCNT as TCP_KEEPCNT,
)
from ._rnet import (
    TCP_KEEPIDLE as TCP_KEEPIDLE,
)
from ._rnet import (
    TCP_KEEPINTVL as TCP_KEEPINTVL,
)
from ._rnet import (
    TCP_LINGER2 as TCP_LINGER2,
)
from ._rnet import (
    TCP_MAXSEG as TCP_MAXSEG,
)
from ._rnet import (
    TCP_NODELAY as TCP_NODELAY,
)
from ._rnet import (
    TCP_NOTSENT_LOWAT as TCP_NOTSENT_LOWAT,
)
from ._rnet import (
    TCP_QUICKACK as TCP_QUICKACK,
)
from ._rnet import (
    TCP_SYNCNT as TCP_SYNCNT,
)
from ._rnet import (
    TCP_USER_TIMEOUT as TCP_USER_TIMEOUT,
)
from ._rnet import (
    TCP_WINDOW_CLAMP as TCP_WINDOW_CLAMP,
)
from ._rnet import (
    UDPLITE_RECV_CSCOV as UDPLITE_RECV_CSCOV,
)
from ._rnet import (
    UDPLITE_SEND_CSCOV as UDPLITE_SEND_CSCOV,
)
from ._rnet import (
    VMADDR_CID_ANY as VMADDR_CID_ANY,
)
from ._rnet import (
    VMADDR_CID_HOST as VMADDR_CID_HOST,
)
from ._rnet import (
    VMADDR_PORT_ANY as VMADDR_PORT_ANY,
)

__all__ = [
    "socket",
    "SocketType",
    "SocketIO",
    "EAGAIN",
    "EBADF",
    "EWOULDBLOCK",
    "error",
    "timeout",
    "gaierror",
    "herror",
    "AddressFamily",
    "SocketKind",
    "MsgFlag",
    "AddressInfo",
    "getdefaulttimeout",
    "setdefaulttimeout",
    "socketpair",
    "fromfd",
    "create_connection",
    "create_server",
    "has_dualstack_ipv6",
    "send_fds",
    "recv_fds",
    "gethostname",
    "sethostname",
    "gethostbyname",
    "gethostbyname_ex",
    "gethostbyaddr",
    "getfqdn",
    "getaddrinfo",
    "getnameinfo",
    "getservbyname",
    "getservbyport",
    "getprotobyname",
    "inet_aton",
    "inet_ntoa",
    "inet_pton",
    "inet_ntop",
    "htons",
    "ntohs",
    "htonl",
    "ntohl",
    "if_nameindex",
    "if_nametoindex",
    "if_indextoname",
    "CMSG_LEN",
    "CMSG_SPACE",
    "close",
    "dup",
    "has_ipv6",
    "AF_ALG",
    "AF_APPLETALK",
    "AF_ASH",
    "AF_ATMPVC",
    "AF_ATMSVC",
    "AF_AX25",
    "AF_BRIDGE",
    "AF_CAN",
    "AF_DECnet",
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
    "AF_QIPCRTR",
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
    "EAI_ADDRFAMILY",
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
    "INADDR_ALLHOSTS_GROUP",
    "INADDR_ANY",
    "INADDR_BROADCAST",
    "INADDR_LOOPBACK",
    "INADDR_MAX_LOCAL_GROUP",
    "INADDR_NONE",
    "INADDR_UNSPEC_GROUP",
    "IPPORT_RESERVED",
    "IPPORT_USERRESERVED",
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
    "IPV6_JOIN_GROUP",
    "IPV6_LEAVE_GROUP",
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
    "IPV6_RTHDR_TYPE_0",
    "IPV6_TCLASS",
    "IPV6_UNICAST_HOPS",
    "IPV6_V6ONLY",
    "IP_ADD_MEMBERSHIP",
    "IP_BIND_ADDRESS_NO_PORT",
    "IP_DEFAULT_MULTICAST_LOOP",
    "IP_DEFAULT_MULTICAST_TTL",
    "IP_DROP_MEMBERSHIP",
    "IP_HDRINCL",
    "IP_MAX_MEMBERSHIPS",
    "IP_MULTICAST_IF",
    "IP_MULTICAST_LOOP",
    "IP_MULTICAST_TTL",
    "IP_OPTIONS",
    "IP_RECVOPTS",
    "IP_RECVRETOPTS",
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
    "NI_MAXSERV",
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
    "SO_INCOMING_CPU",
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
    "UDPLITE_RECV_CSCOV",
    "UDPLITE_SEND_CSCOV",
    "VMADDR_CID_ANY",
    "VMADDR_CID_HOST",
    "VMADDR_PORT_ANY",
    "UDP_GRO",
    "UDP_SEGMENT",
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

# ===== Constants: plain ints from the core, enum members where the stdlib's
# enums have one (rnet/__init__.py picks them as Lib/socket.py does) =====
from ._compose import create_connection as create_connection
from ._compose import create_server as create_server
from ._compose import fromfd as fromfd
from ._compose import has_dualstack_ipv6 as has_dualstack_ipv6
from ._compose import recv_fds as recv_fds
from ._compose import send_fds as send_fds
from ._compose import socketpair as socketpair
from ._rnet import UDP_GRO as UDP_GRO
from ._rnet import UDP_SEGMENT as UDP_SEGMENT
from ._rnet import (
    AF_DECnet as AF_DECnet,
)
from ._rnet import __version__ as __version__
from ._rnet import close as close
from ._rnet import dup as dup
from ._rnet import getdefaulttimeout as getdefaulttimeout
from ._rnet import gethostbyaddr as gethostbyaddr
from ._rnet import gethostbyname as gethostbyname
from ._rnet import gethostbyname_ex as gethostbyname_ex
from ._rnet import gethostname as gethostname
from ._rnet import getnameinfo as getnameinfo
from ._rnet import getprotobyname as getprotobyname
from ._rnet import getservbyname as getservbyname
from ._rnet import getservbyport as getservbyport
from ._rnet import has_ipv6 as has_ipv6
from ._rnet import htonl as htonl
from ._rnet import htons as htons
from ._rnet import if_indextoname as if_indextoname
from ._rnet import if_nameindex as if_nameindex
from ._rnet import if_nametoindex as if_nametoindex
from ._rnet import inet_aton as inet_aton
from ._rnet import inet_ntoa as inet_ntoa
from ._rnet import inet_ntop as inet_ntop
from ._rnet import inet_pton as inet_pton
from ._rnet import ntohl as ntohl
from ._rnet import ntohs as ntohs
from ._rnet import setdefaulttimeout as setdefaulttimeout
from ._rnet import sethostname as sethostname
from ._sock import SocketType as SocketType
from ._sock import socket as socket
from ._trace import Tracer

error = OSError

AF_ALG = AddressFamily.AF_ALG
AF_APPLETALK = AddressFamily.AF_APPLETALK
AF_ASH = AddressFamily.AF_ASH
AF_ATMPVC = AddressFamily.AF_ATMPVC
AF_ATMSVC = AddressFamily.AF_ATMSVC
AF_AX25 = AddressFamily.AF_AX25
AF_BRIDGE = AddressFamily.AF_BRIDGE
AF_CAN = AddressFamily.AF_CAN
AF_ECONET = AddressFamily.AF_ECONET
AF_INET = AddressFamily.AF_INET
AF_INET6 = AddressFamily.AF_INET6
AF_IPX = AddressFamily.AF_IPX
AF_IRDA = AddressFamily.AF_IRDA
AF_KEY = AddressFamily.AF_KEY
AF_LLC = AddressFamily.AF_LLC
AF_NETBEUI = AddressFamily.AF_NETBEUI
AF_NETLINK = AddressFamily.AF_NETLINK
AF_NETROM = AddressFamily.AF_NETROM
AF_PACKET = AddressFamily.AF_PACKET
AF_PPPOX = AddressFamily.AF_PPPOX
AF_QIPCRTR = AddressFamily.AF_QIPCRTR
AF_RDS = AddressFamily.AF_RDS
AF_ROSE = AddressFamily.AF_ROSE
AF_ROUTE = AddressFamily.AF_ROUTE
AF_SECURITY = AddressFamily.AF_SECURITY
AF_SNA = AddressFamily.AF_SNA
AF_TIPC = AddressFamily.AF_TIPC
AF_UNIX = AddressFamily.AF_UNIX
AF_UNSPEC = AddressFamily.AF_UNSPEC
AF_VSOCK = AddressFamily.AF_VSOCK
AF_WANPIPE = AddressFamily.AF_WANPIPE
AF_X25 = AddressFamily.AF_X25
AI_ADDRCONFIG = AddressInfo.AI_ADDRCONFIG
AI_ALL = AddressInfo.AI_ALL
AI_CANONNAME = AddressInfo.AI_CANONNAME
AI_NUMERICHOST = AddressInfo.AI_NUMERICHOST
AI_NUMERICSERV = AddressInfo.AI_NUMERICSERV
AI_PASSIVE = AddressInfo.AI_PASSIVE
AI_V4MAPPED = AddressInfo.AI_V4MAPPED
MSG_CMSG_CLOEXEC = MsgFlag.MSG_CMSG_CLOEXEC
MSG_CONFIRM = MsgFlag.MSG_CONFIRM
MSG_CTRUNC = MsgFlag.MSG_CTRUNC
MSG_DONTROUTE = MsgFlag.MSG_DONTROUTE
MSG_DONTWAIT = MsgFlag.MSG_DONTWAIT
MSG_EOR = MsgFlag.MSG_EOR
MSG_ERRQUEUE = MsgFlag.MSG_ERRQUEUE
MSG_FASTOPEN = MsgFlag.MSG_FASTOPEN
MSG_MORE = MsgFlag.MSG_MORE
MSG_NOSIGNAL = MsgFlag.MSG_NOSIGNAL
MSG_OOB = MsgFlag.MSG_OOB
MSG_PEEK = MsgFlag.MSG_PEEK
MSG_TRUNC = MsgFlag.MSG_TRUNC
MSG_WAITALL = MsgFlag.MSG_WAITALL
SOCK_CLOEXEC = SocketKind.SOCK_CLOEXEC
SOCK_DGRAM = SocketKind.SOCK_DGRAM
SOCK_NONBLOCK = SocketKind.SOCK_NONBLOCK
SOCK_RAW = SocketKind.SOCK_RAW
SOCK_RDM = SocketKind.SOCK_RDM
SOCK_SEQPACKET = SocketKind.SOCK_SEQPACKET
SOCK_STREAM = SocketKind.SOCK_STREAM

# Added by later CPython versions, present only on those (src/constants.rs).
if sys.version_info >= (3, 12):
    from ._rnet import (
        IP_ADD_SOURCE_MEMBERSHIP as IP_ADD_SOURCE_MEMBERSHIP,
    )
    from ._rnet import (
        IP_BLOCK_SOURCE as IP_BLOCK_SOURCE,
    )
    from ._rnet import (
        IP_DROP_SOURCE_MEMBERSHIP as IP_DROP_SOURCE_MEMBERSHIP,
    )
    from ._rnet import (
        IP_PKTINFO as IP_PKTINFO,
    )
    from ._rnet import (
        IP_UNBLOCK_SOURCE as IP_UNBLOCK_SOURCE,
    )
    from ._rnet import (
        TCP_CC_INFO as TCP_CC_INFO,
    )
    from ._rnet import (
        TCP_FASTOPEN_CONNECT as TCP_FASTOPEN_CONNECT,
    )
    from ._rnet import (
        TCP_FASTOPEN_KEY as TCP_FASTOPEN_KEY,
    )
    from ._rnet import (
        TCP_FASTOPEN_NO_COOKIE as TCP_FASTOPEN_NO_COOKIE,
    )
    from ._rnet import (
        TCP_INQ as TCP_INQ,
    )
    from ._rnet import (
        TCP_MD5SIG as TCP_MD5SIG,
    )
    from ._rnet import (
        TCP_MD5SIG_EXT as TCP_MD5SIG_EXT,
    )
    from ._rnet import (
        TCP_QUEUE_SEQ as TCP_QUEUE_SEQ,
    )
    from ._rnet import (
        TCP_REPAIR as TCP_REPAIR,
    )
    from ._rnet import (
        TCP_REPAIR_OPTIONS as TCP_REPAIR_OPTIONS,
    )
    from ._rnet import (
        TCP_REPAIR_QUEUE as TCP_REPAIR_QUEUE,
    )
    from ._rnet import (
        TCP_REPAIR_WINDOW as TCP_REPAIR_WINDOW,
    )
    from ._rnet import (
        TCP_SAVE_SYN as TCP_SAVE_SYN,
    )
    from ._rnet import (
        TCP_SAVED_SYN as TCP_SAVED_SYN,
    )
    from ._rnet import (
        TCP_THIN_DUPACK as TCP_THIN_DUPACK,
    )
    from ._rnet import (
        TCP_THIN_LINEAR_TIMEOUTS as TCP_THIN_LINEAR_TIMEOUTS,
    )
    from ._rnet import (
        TCP_TIMESTAMP as TCP_TIMESTAMP,
    )
    from ._rnet import (
        TCP_TX_DELAY as TCP_TX_DELAY,
    )
    from ._rnet import (
        TCP_ULP as TCP_ULP,
    )
    from ._rnet import (
        TCP_ZEROCOPY_RECEIVE as TCP_ZEROCOPY_RECEIVE,
    )
if sys.version_info >= (3, 13):
    from ._rnet import (
        NI_IDN as NI_IDN,
    )
    from ._rnet import (
        SO_BINDTOIFINDEX as SO_BINDTOIFINDEX,
    )
if sys.version_info >= (3, 14):
    from ._rnet import (
        IP_FREEBIND as IP_FREEBIND,
    )
    from ._rnet import (
        IP_RECVERR as IP_RECVERR,
    )
    from ._rnet import (
        IP_RECVORIGDSTADDR as IP_RECVORIGDSTADDR,
    )
    from ._rnet import (
        IP_RECVTTL as IP_RECVTTL,
    )
    from ._rnet import (
        IPV6_RECVERR as IPV6_RECVERR,
    )
    from ._rnet import (
        SO_ORIGINAL_DST as SO_ORIGINAL_DST,
    )
    from ._rnet import (
        VMADDR_CID_LOCAL as VMADDR_CID_LOCAL,
    )

# ===== rnet-only: not the stdlib's, not in __all__ but the UDP offload
# constants (src/mmsg.rs) =====

def settrace(
    enable: bool = True,
    *,
    stream: TextIO | None = ...,
    file: str | PathLike[str] | None = None,
    keep: bool = False,
) -> Tracer | None:
    """Turn tracing of rnet's socket calls on or off (rnet/_trace.py)."""

def gettrace() -> Tracer | None:
    """The active Tracer, or None when tracing is off."""

def tracing(
    *, stream: TextIO | None = None, file: str | PathLike[str] | None = None, keep: bool = True
) -> AbstractContextManager[Tracer]:
    """``with rnet.tracing() as t:`` traces the block's socket calls into ``t.events``."""

def set_notes(enabled: bool) -> bool:
    """Turn rnet's teaching notes on or off; return the previous setting."""

def notes_enabled() -> bool:
    """Whether rnet adds its teaching notes (PEP 678) to the exceptions it raises."""

# ===== Lookups of the Python layer (rnet/_names.py) =====

def getfqdn(name: str = "") -> str: ...

_GetAddrInfoResult: TypeAlias = list[
    tuple[Literal[AddressFamily.AF_INET], SocketKind, int, str, tuple[str, int]]
    | tuple[
        Literal[AddressFamily.AF_INET6],
        SocketKind,
        int,
        str,
        tuple[str, int, int, int] | tuple[int, bytes],
    ]
]

def getaddrinfo(
    host: bytes | str | None,
    port: bytes | str | int | None,
    family: int = 0,
    type: int = 0,
    proto: int = 0,
    flags: int = 0,
) -> _GetAddrInfoResult: ...
