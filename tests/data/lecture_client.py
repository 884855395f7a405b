"""Test data: the lecture's TCP client as students write it, on the stdlib socket.

Run by tests/test_main.py through ``python -m rnet run``; nothing here knows
about rnet. The last line reports which module the socket class came from.
Environment: RNET_HOST, RNET_PORT (defaults 'localhost' and 11267).
"""
# ruff: noqa: F403, F405

import os
from socket import *

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
print("socket class from module", type(client).__module__)
