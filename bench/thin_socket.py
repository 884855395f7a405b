"""The stdlib's socket constants with thin_binding's socket type (bench only).

``bench_sockets.py --floor`` runs its workloads on this module as a third
contender. Its socket is thin_binding.c's: each call the least a binding can
do, so its ratio to the stdlib is the most any socket layer called from
Python can reach.
"""

from socket import *  # noqa: F403  (the constants, as the workloads use them)

from thin_binding import socket  # noqa: F401
