"""The lecture's TCP client, on rnet: send one typed message, print the echo.

The slide's program with ``from rnet import *`` where it has ``from socket import *``
(input() for raw_input(), and the message encoded to bytes). Usage: python
tcp_client.py [HOST [PORT]]: host and port from the command line, else RNET_HOST
and RNET_PORT, else the slide's 'localhost' and 11267.
"""
# ruff: noqa: F403, F405

import os
import sys

from rnet import *

# HOST and PORT: the command line, else RNET_HOST/RNET_PORT, else the slide's.
args = sys.argv[1:]
hostname = args[0] if args else os.environ.get("RNET_HOST", "localhost")  # on same host
number = int(args[1] if len(args) > 1 else os.environ.get("RNET_PORT", "11267"))
buffer = 80  # size of the buffer

server_address = (hostname, number)
client = socket(AF_INET, SOCK_STREAM)
client.connect(server_address)

data = input("Give message : ")
client.send(data.encode())
reply = client.recv(buffer)
print("client received ", reply)

client.close()
