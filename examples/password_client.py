"""The lecture's assignment, client side, on rnet: send a password, print the verdict.

The client asks for a password, sends it, and prints the server's answer
(``access granted`` or ``access denied``).
Environment: RNET_HOST (default 'localhost'), RNET_PORT (11267).
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

password = input("Give password : ")
client.send(password.encode())
reply = client.recv(buffer)
print(reply.decode())

client.close()
