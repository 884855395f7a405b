"""The lecture's assignment, client side, on rnet: send a password, print the verdict.

The client asks for a password, sends it, and prints the server's answer
(``access granted`` or ``access denied``).
Usage: python password_client.py [HOST [PORT]].
Environment: RNET_HOST (used without HOST; default 'localhost'), RNET_PORT (11267).
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

password = input("Give password : ")
client.send(password.encode())
reply = client.recv(buffer)
print(reply.decode())

client.close()
