# L-36 MCS 260 : tcp_server.py, the slide's Python 2 program as printed
# (test data for `python -m rnet run --py2`; tests/test_py2.py runs it on
# Python 2.7 as the oracle and on rnet, with 11267 swapped for a free port)

from socket import *

hostname = ''   # blank so any address can be used
number = 11267  # number for the port
buffer = 80     # size of the buffer

server_address = (hostname, number)
server = socket(AF_INET, SOCK_STREAM)
server.bind(server_address)
server.listen(1)

print 'server waits for connection'
client, client_address = server.accept()
print 'server accepted connection request from ', \
      client_address
print 'server waits for data'
data = client.recv(buffer)
print 'server received ', data
client.send(data)

client.close()
server.close()
