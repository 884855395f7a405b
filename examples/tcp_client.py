"""The lecture's TCP client, on rnet: send one typed message, print the echo.

The slide's program with ``from rnet import *`` where it has ``from socket import *``
(input() for raw_input(), and the message encoded to bytes). Host and port come
from RNET_HOST and RNET_PORT (defaults: the slide's 'localhost' and 11267).
"""
# ruff: noqa: F403, F405

import os

from rnet import *

hostname = os.environ.get("RNET_HOST", "localhost")  # on same host
number = int(os.environ.get("RNET_PORT", "11267"))  # same port number
buffer = 80  # size of the buffer

server_address = (hostname, number)
client = socket(AF_INET, SOCK_STREAM)
client.connect(server_address)

data = input("Give message : ")
client.send(data.encode())
reply = client.recv(buffer)
print("client received ", reply)

client.close()
