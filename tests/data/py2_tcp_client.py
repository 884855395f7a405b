# L-36 MCS 260 : tcp_client.py, the slide's Python 2 program as printed
# (test data for `python -m rnet run --py2`; see py2_tcp_server.py)

from socket import *

hostname = 'localhost'  # on same host
number = 11267          # same port number
buffer = 80             # size of the buffer

server_address = (hostname, number)
client = socket(AF_INET, SOCK_STREAM)
client.connect(server_address)

print 'client is connected'
data = raw_input('Give message : ')
client.send(data)
reply = client.recv(buffer)
print 'client received ', reply

client.close()
