"""The lecture's TCP server, on rnet: one client, one message, echoed back.

The slide's program with ``from rnet import *`` where it has ``from socket import *``
(and Python 3's print()). It waits for one connection, receives at most 80 bytes,
sends them back and closes. Usage: python tcp_server.py [HOST [PORT]]: host
and port from the command line, else RNET_HOST and RNET_PORT, else the slide's
'' and 11267.
"""
# ruff: noqa: F403, F405

import os
import sys

from rnet import *

# HOST and PORT: the command line, else RNET_HOST/RNET_PORT, else the slide's.
args = sys.argv[1:]
hostname = args[0] if args else os.environ.get("RNET_HOST", "")  # blank so any address can be used
number = int(args[1] if len(args) > 1 else os.environ.get("RNET_PORT", "11267"))
buffer = 80  # size of the buffer

server_address = (hostname, number)
server = socket(AF_INET, SOCK_STREAM)
server.bind(server_address)
server.listen(1)

print("server waits for connection")
client, client_address = server.accept()
print("server accepted connection request from ", client_address)
print("server waits for data")
data = client.recv(buffer)
print("server received ", data)
client.send(data)

client.close()
server.close()
