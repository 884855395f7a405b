/* The kernel's floor for bench_mmsg.py's batch64 workload: the same loop
 * (64 datagrams of 64 bytes on 127.0.0.1, send then receive) in C, once with
 * send()+recvfrom() per datagram and once with one sendmmsg()+recvmmsg() per
 * batch. No binding can beat these rates; their ratio is what batching alone
 * saves on this kernel. Built and run by `bench_mmsg.py --floor`. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum { BATCH = 64, SIZE = 64, SLOT = 2048, ROUNDS = 5000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int big = 1 << 20;
    struct timeval tv = {.tv_sec = 10}; /* a lost datagram fails instead of hanging */
    if (rx < 0 || tx < 0 || bind(rx, (void *)&a, sizeof a) || getsockname(rx, (void *)&a, &len) ||
        connect(tx, (void *)&a, sizeof a)) {
        perror("setup");
        return 1;
    }
    setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    static char buf[BATCH * SLOT], msg[SIZE];
    static struct mmsghdr out[BATCH], in[BATCH];
    static struct iovec oiov[BATCH], iiov[BATCH];
    static struct sockaddr_in names[BATCH];
    for (int i = 0; i < BATCH; i++) {
        oiov[i] = (struct iovec){msg, SIZE};
        out[i].msg_hdr.msg_iov = &oiov[i];
        out[i].msg_hdr.msg_iovlen = 1;
        iiov[i] = (struct iovec){buf + i * SLOT, SLOT};
        in[i].msg_hdr.msg_iov = &iiov[i];
        in[i].msg_hdr.msg_iovlen = 1;
        in[i].msg_hdr.msg_name = &names[i];
    }
    for (int batched = 0; batched < 2; batched++) {
        double start = now();
        for (int r = 0; r < ROUNDS; r++) {
            if (batched) {
                if (sendmmsg(tx, out, BATCH, 0) != BATCH) return perror("sendmmsg"), 1;
                for (int got = 0; got < BATCH;) {
                    for (int i = 0; i < BATCH; i++) in[i].msg_hdr.msg_namelen = sizeof names[0];
                    int n = recvmmsg(rx, in, BATCH, MSG_WAITFORONE, NULL);
                    if (n <= 0) return perror("recvmmsg"), 1;
                    got += n;
                }
            } else {
                for (int i = 0; i < BATCH; i++)
                    if (send(tx, msg, SIZE, 0) != SIZE) return perror("send"), 1;
                for (int i = 0; i < BATCH; i++) {
                    len = sizeof a;
                    if (recvfrom(rx, buf, SLOT, 0, (void *)&a, &len) != SIZE)
                        return perror("recvfrom"), 1;
                }
            }
        }
        double rate = (double)ROUNDS * BATCH / (now() - start);
        printf("%s %.0f\n", batched ? "mmsg" : "loop", rate);
    }
    return 0;
}
