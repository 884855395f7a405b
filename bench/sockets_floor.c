/* The kernel's floor for bench_sockets.py's per-call workloads: the same
 * loops in C, with a server process forked from the client, both on the CPU
 * the caller pinned them to. No binding can beat these rates, so
 * C/stdlib is the most any Python socket layer can gain on this kernel.
 * Built and run by `bench_sockets.py --floor`.
 *
 *   sockets_floor pingpong SECONDS   -> round trips/s (TCP 1 B, NODELAY)
 *   sockets_floor small_send SECONDS -> ns per send() of 16 B (Nagle on)
 *   sockets_floor udp SECONDS        -> round trips/s (UDP 64 B)
 *   sockets_floor churn SECONDS      -> connections/s (socket+connect+close,
 *                                       accept+close; at most 20 000)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 1000, MAX_BATCHES = 100000, CHURN_BATCH = 50, CHURN_MAX = 20000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* A hung call fails after 10 s instead of hanging the run. */
static void bound(int fd) {
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int listener(int type, struct sockaddr_in *a) {
    int fd = socket(AF_INET, type, 0), one = 1;
    socklen_t len = sizeof *a;
    *a = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(fd, (void *)a, sizeof *a) || getsockname(fd, (void *)a, &len))
        die("listener");
    if (type == SOCK_STREAM && listen(fd, 4096)) die("listen");
    return fd;
}

/* TCP: the server echoes each byte (pingpong) or drains into 1 MiB. */
static void tcp_server(int ls, int drain) {
    int c = accept(ls, NULL, NULL), one = 1;
    static char buf[1 << 20];
    if (c < 0) die("accept");
    bound(c);
    if (!drain) setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (long i = 0; i < (long)BATCH * MAX_BATCHES + 1; i++) {
        ssize_t n = recv(c, buf, drain ? sizeof buf : 1, 0);
        if (n <= 0) break;
        if (!drain && send(c, buf, 1, 0) != 1) break;
    }
    _exit(0);
}

static void udp_server(int s) {
    static char buf[2048];
    bound(s);
    for (long i = 0; i < (long)BATCH * MAX_BATCHES + 1; i++) {
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(s, buf, sizeof buf, 0, (void *)&from, &len);
        if (n != 64) break; /* the client's 1-byte stop datagram */
        sendto(s, buf, n, 0, (void *)&from, len);
    }
    _exit(0);
}

/* Accept and close until no client has come for 2 s (SO_RCVTIMEO). */
static void churn_server(int ls) {
    struct timeval tv = {.tv_sec = 2};
    setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (long i = 0; i < CHURN_MAX + 1; i++) {
        int c = accept(ls, NULL, NULL);
        if (c < 0) break;
        close(c);
    }
    _exit(0);
}

/* Python's churn client: the same calls, bounded like it by count and time. */
static int churn(double seconds) {
    struct sockaddr_in a;
    int ls = listener(SOCK_STREAM, &a);
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) churn_server(ls);
    close(ls);
    long n = 0;
    double t0 = now(), elapsed = 0;
    while (n < CHURN_MAX) {
        for (int i = 0; i < CHURN_BATCH; i++) {
            int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (s < 0 || connect(s, (void *)&a, sizeof a)) die("connect");
            close(s);
        }
        n += CHURN_BATCH;
        if ((elapsed = now() - t0) >= seconds) break;
    }
    waitpid(pid, NULL, 0);
    printf("%.1f\n", n / elapsed);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s pingpong|small_send|udp|churn SECONDS\n", argv[0]);
        return 2;
    }
    const char *what = argv[1];
    double seconds = atof(argv[2]);
    if (!strcmp(what, "churn")) return churn(seconds);
    int udp = !strcmp(what, "udp"), drain = !strcmp(what, "small_send");
    if (!udp && !drain && strcmp(what, "pingpong")) return fprintf(stderr, "unknown %s\n", what), 2;
    struct sockaddr_in a;
    int ls = listener(udp ? SOCK_DGRAM : SOCK_STREAM, &a);
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) udp ? udp_server(ls) : tcp_server(ls, drain);
    int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0), one = 1;
    if (s < 0) die("socket");
    bound(s);
    if (!udp && connect(s, (void *)&a, sizeof a)) die("connect");
    if (!udp && !drain) setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char msg[64] = {0}, in[2048];
    size_t size = udp ? 64 : drain ? 16 : 1;
    long n = 0;
    double t0 = now(), elapsed = 0;
    for (int b = 0; b < MAX_BATCHES; b++) {
        for (int i = 0; i < BATCH; i++) {
            ssize_t sent = udp ? sendto(s, msg, size, 0, (void *)&a, sizeof a) : send(s, msg, size, 0);
            if (sent != (ssize_t)size) die("send");
            if (drain) continue;
            if (recv(s, in, sizeof in, 0) <= 0) die("recv");
        }
        n += BATCH;
        if ((elapsed = now() - t0) >= seconds) break;
    }
    if (udp) sendto(s, "!", 1, 0, (void *)&a, sizeof a);
    close(s);
    waitpid(pid, NULL, 0);
    if (drain)
        printf("%.1f\n", elapsed * 1e9 / n);
    else
        printf("%.1f\n", n / elapsed);
    return 0;
}
