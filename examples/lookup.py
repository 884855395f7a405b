"""The lecture's lookup program, on rnet: this host's name and address, and the
domain name service's port, looked up both ways.

The slide's program with ``from rnet import *`` where it has ``from socket import *``.
"""
# ruff: noqa: F403, F405

from rnet import *

hostname = gethostname()
print("the name of this host is", hostname)
address = gethostbyname(hostname)
print("its IP address is", address)

port = getservbyname("domain")
print("the domain name service uses port", port)
service = getservbyport(53)
print("port 53 is used by the service", service)
