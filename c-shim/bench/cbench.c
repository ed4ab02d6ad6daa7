/*
 * C baselines for the JMH benchmarks (benchmarks/): the same loops, written as a C programmer
 * would write them, timed in iterations like JMH's (warmup, then measured iterations of a fixed
 * length), printed as JSON on stdout. Loopback only; every loop is bounded by its iteration time.
 *
 *   cbench [--warmup N] [--iterations N] [--time-ms MS] [--recv-batch N] [NAME_PREFIX...]
 *
 * Each benchmark's setup (sockets, sink, fill) matches the Java side's, see benchmarks/README.md.
 */
#define _GNU_SOURCE 1
#include "dualsock.h"
#include "dsbench.h"
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include "bench_gso.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD 64
#define BATCH 64

static int warmup = 3, iterations = 5, time_ms = 1000, recv_batch = 256;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Fixtures live until the end of main; kept here so they are freed (the ASan build runs cbench too). */
static void *owned[64];
static int n_owned;
static void *own(void *p) {
    if (p == NULL || n_owned == 64) { fprintf(stderr, "cbench: out of memory\n"); exit(2); }
    return owned[n_owned++] = p;
}
static void free_owned(void) {
    while (n_owned > 0) free(owned[--n_owned]);
}

static void die(const char *what) {
    fprintf(stderr, "cbench: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* A benchmark body runs `units` units and returns the nanoseconds it spent on the measured part;
 * *ops receives the operations done (datagrams, calls, connections). */
typedef int64_t (*body_fn)(void *ctx, int64_t units, int64_t *ops);

static volatile int64_t sink_value;
static int first_result = 1;

static void run(const char *name, const char *unit_label, body_fn body, void *ctx) {
    /* calibrate: how many units fill ~10 ms */
    int64_t units = 1, ops = 0, t = 0;
    for (;;) {
        t = body(ctx, units, &ops);
        if (t >= 10000000 || units >= (1LL << 40)) break;
        units *= t < 1000000 ? 8 : 2;
    }
    double per_iter[1000];
    int n = 0;
    for (int it = 0; it < warmup + iterations; it++) {
        int64_t spent = 0, done = 0, start = now_ns();
        /* the wall-clock bound includes setup such as refills, so no iteration runs away */
        while (spent < (int64_t)time_ms * 1000000 && now_ns() - start < 4LL * time_ms * 1000000) {
            int64_t o = 0;
            spent += body(ctx, units, &o);
            done += o;
        }
        if (it >= warmup && n < 1000) per_iter[n++] = (double)spent / (double)done;
    }
    double mean = 0, var = 0;
    for (int i = 0; i < n; i++) mean += per_iter[i];
    mean /= n;
    for (int i = 0; i < n; i++) var += (per_iter[i] - mean) * (per_iter[i] - mean);
    double sd = n > 1 ? sqrt(var / (n - 1)) : 0;
    printf("%s\n    {\"name\": \"%s\", \"unit\": \"ns/%s\", \"mean\": %.4f, \"stddev\": %.4f, \"iterations\": [",
           first_result ? "" : ",", name, unit_label, mean, sd);
    for (int i = 0; i < n; i++) printf("%s%.4f", i ? ", " : "", per_iter[i]);
    printf("]}");
    fflush(stdout);
    first_result = 0;
    fprintf(stderr, "cbench %-28s %12.2f ns/%s (sd %.2f)\n", name, mean, unit_label, sd);
}

/* ---- FFI floor: libdsbench's no-op through a function pointer, as jnr-ffi calls it ---- */
static int64_t (*volatile noop_ptr)(int32_t, const void *, int64_t, int32_t, const void *) = dsb_noop5;

static int64_t b_noop5(void *ctx, int64_t units, int64_t *ops) {
    int64_t (*f)(int32_t, const void *, int64_t, int32_t, const void *) = noop_ptr;
    char buf[8];
    int64_t acc = 0, t0 = now_ns();
    for (int64_t i = 0; i < units; i++) acc += f(3, buf, i, 0, buf);
    int64_t t = now_ns() - t0;
    sink_value = acc;
    *ops = units;
    return t;
}

/* ---- UDP ---- */
struct udp {
    int fd;
    struct sockaddr_storage dst;
    socklen_t dstlen;
    unsigned char buf[65536] __attribute__((aligned(64)));
    struct sockaddr_storage from;
    /* receive side */
    int filler;
    struct sockaddr_storage rx;
    socklen_t rxlen;
    struct mmsghdr fill_msgs[BATCH];
    struct iovec fill_iov[BATCH];
};

static socklen_t set_loop4(struct sockaddr_storage *ss, uint16_t port) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *s = (struct sockaddr_in *)ss;
    s->sin_family = AF_INET;
    s->sin_port = htons(port);
    s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *s;
}

static socklen_t set_mapped(struct sockaddr_storage *ss, uint16_t port) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(port);
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &s->sin6_addr);
    return sizeof *s;
}

static uint16_t port_of(int fd) {
    struct sockaddr_storage ss;
    socklen_t l = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0) die("getsockname");
    return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                         : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* The sink: an IPv4 UDP socket on 127.0.0.1 that nobody reads; once its queue is full the
 * kernel drops at the receiver, so a sender measures its own path at a steady state. */
static int sink_fd = -1;
static uint16_t sink_port(void) {
    if (sink_fd < 0) {
        sink_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct sockaddr_storage a;
        socklen_t l = set_loop4(&a, 0);
        if (bind(sink_fd, (struct sockaddr *)&a, l) < 0) die("bind sink");
    }
    return port_of(sink_fd);
}

static struct udp *udp_sender(int family, int connected) {
    struct udp *u = own(calloc(1, sizeof *u));
    u->fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (u->fd < 0) die("socket");
    u->dstlen = family == AF_INET ? set_loop4(&u->dst, sink_port()) : set_mapped(&u->dst, sink_port());
    if (connected && connect(u->fd, (struct sockaddr *)&u->dst, u->dstlen) < 0) die("connect");
    memset(u->buf, 'x', PAYLOAD);
    return u;
}

static int64_t b_sendto(void *ctx, int64_t units, int64_t *ops) {
    struct udp *u = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        if (sendto(u->fd, u->buf, PAYLOAD, MSG_NOSIGNAL, (struct sockaddr *)&u->dst, u->dstlen) != PAYLOAD) die("sendto");
    }
    *ops = units;
    return now_ns() - t0;
}

static int64_t b_send(void *ctx, int64_t units, int64_t *ops) {
    struct udp *u = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        if (send(u->fd, u->buf, PAYLOAD, MSG_NOSIGNAL) != PAYLOAD) die("send");
    }
    *ops = units;
    return now_ns() - t0;
}

/* Receivers: an IPv6 socket on :: (IPV6_V6ONLY off) with a queue that the filler (an IPv4
 * socket sending to 127.0.0.1) fills with recv_batch datagrams before each measured run, so
 * no receive ever waits; non-blocking, so a queue that ran dry is an error, never a wait. */
static struct udp *udp_receiver(int connected) {
    struct udp *u = own(calloc(1, sizeof *u));
    u->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    /* 4 MiB (the kernel doubles it): room for recv_batch datagrams. SO_RCVBUFFORCE passes
     * net.core.rmem_max when we may (CAP_NET_ADMIN), else SO_RCVBUF is capped by it. */
    int off = 0, big = 4 << 20;
    setsockopt(u->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (setsockopt(u->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
        setsockopt(u->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
    if (bind(u->fd, (struct sockaddr *)&any, sizeof any) < 0) die("bind receiver");
    u->filler = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_storage fa;
    socklen_t fl = set_loop4(&fa, 0);
    if (bind(u->filler, (struct sockaddr *)&fa, fl) < 0) die("bind filler");
    u->rxlen = set_loop4(&u->rx, port_of(u->fd));
    if (connected) {
        struct sockaddr_storage peer;
        socklen_t pl = set_mapped(&peer, port_of(u->filler));
        if (connect(u->fd, (struct sockaddr *)&peer, pl) < 0) die("connect receiver");
    }
    memset(u->buf, 'y', PAYLOAD);
    for (int i = 0; i < BATCH; i++) {
        u->fill_iov[i].iov_base = u->buf;
        u->fill_iov[i].iov_len = PAYLOAD;
        u->fill_msgs[i].msg_hdr.msg_name = &u->rx;
        u->fill_msgs[i].msg_hdr.msg_namelen = u->rxlen;
        u->fill_msgs[i].msg_hdr.msg_iov = &u->fill_iov[i];
        u->fill_msgs[i].msg_hdr.msg_iovlen = 1;
    }
    return u;
}

static void fill(struct udp *u, int n) {
    while (n > 0) {
        int k = n < BATCH ? n : BATCH;
        int rc = sendmmsg(u->filler, u->fill_msgs, (unsigned)k, 0);
        if (rc <= 0) die("sendmmsg fill");
        n -= rc;
    }
}

/* The receive loops of recvFrom6 and recv6Connected. with_source is a constant at both calls and
 * the function is always inlined, so each caller gets its own loop with no branch in it. */
static inline __attribute__((always_inline)) int64_t recv_queued(struct udp *u, int64_t units, int64_t *ops,
                                                                int with_source) {
    int64_t t = 0;
    for (int64_t r = 0; r < units; r++) {
        fill(u, recv_batch);
        int64_t t0 = now_ns();
        for (int i = 0; i < recv_batch; i++) {
            socklen_t fl = sizeof u->from;
            ssize_t n = with_source ? recvfrom(u->fd, u->buf, sizeof u->buf, 0, (struct sockaddr *)&u->from, &fl)
                                    : recv(u->fd, u->buf, sizeof u->buf, 0);
            if (n != PAYLOAD) die(with_source ? "recvfrom (queue ran dry?)" : "recv (queue ran dry?)");
        }
        t += now_ns() - t0;
    }
    *ops = units * recv_batch;
    return t;
}

static int64_t b_recvfrom(void *ctx, int64_t units, int64_t *ops) {
    return recv_queued(ctx, units, ops, 1);
}

static int64_t b_recv(void *ctx, int64_t units, int64_t *ops) {
    return recv_queued(ctx, units, ops, 0);
}

/* ---- batches: sendmmsg of BATCH datagrams, UDP_SEGMENT, recvmmsg ---- */
struct mm {
    struct udp *u;
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_storage names[BATCH];
};

static struct mm *mm_new(struct udp *u, int with_dst) {
    struct mm *m = own(calloc(1, sizeof *m));
    m->u = u;
    for (int i = 0; i < BATCH; i++) {
        m->iov[i].iov_base = u->buf + (size_t)i * PAYLOAD;
        m->iov[i].iov_len = PAYLOAD;
        if (with_dst) {
            m->names[i] = u->dst;
            m->msgs[i].msg_hdr.msg_name = &m->names[i];
            m->msgs[i].msg_hdr.msg_namelen = u->dstlen;
        }
        m->msgs[i].msg_hdr.msg_iov = &m->iov[i];
        m->msgs[i].msg_hdr.msg_iovlen = 1;
    }
    memset(u->buf, 'x', BATCH * PAYLOAD);
    return m;
}

static int64_t b_sendmmsg(void *ctx, int64_t units, int64_t *ops) {
    struct mm *m = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        if (sendmmsg(m->u->fd, m->msgs, BATCH, MSG_NOSIGNAL) != BATCH) die("sendmmsg");
    }
    *ops = units * BATCH;
    return now_ns() - t0;
}

static int64_t b_gso(void *ctx, int64_t units, int64_t *ops) {
    struct udp *u = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        char control[CMSG_SPACE(sizeof(uint16_t))] __attribute__((aligned(8))) = {0};
        struct iovec iov = { u->buf, BATCH * PAYLOAD };
        struct msghdr msg = { .msg_name = &u->dst, .msg_namelen = u->dstlen, .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = control, .msg_controllen = sizeof control };
        put_udp_segment(&msg, PAYLOAD);
        if (sendmsg(u->fd, &msg, MSG_NOSIGNAL) != BATCH * PAYLOAD) die("sendmsg UDP_SEGMENT");
    }
    *ops = units * BATCH;
    return now_ns() - t0;
}

static int64_t b_recvmmsg(void *ctx, int64_t units, int64_t *ops) {
    struct mm *m = ctx;
    int64_t t = 0;
    for (int64_t r = 0; r < units; r++) {
        fill(m->u, recv_batch);
        int64_t t0 = now_ns();
        for (int i = 0; i < recv_batch; i += BATCH) {
            for (int k = 0; k < BATCH; k++) {
                m->iov[k].iov_len = PAYLOAD * 4;
                m->msgs[k].msg_hdr.msg_name = &m->names[k];
                m->msgs[k].msg_hdr.msg_namelen = sizeof m->names[k];
            }
            if (recvmmsg(m->u->fd, m->msgs, BATCH, 0, NULL) != BATCH) die("recvmmsg (queue ran dry?)");
        }
        t += now_ns() - t0;
    }
    *ops = units * recv_batch;
    return t;
}

/* ---- TCP: connect + accept + close through a mapped address ---- */
struct tcp { int listener; struct sockaddr_storage dst; socklen_t dstlen; };

static int64_t b_tcp(void *ctx, int64_t units, int64_t *ops) {
    struct tcp *c = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        int s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0) die("socket");
        if (connect(s, (struct sockaddr *)&c->dst, c->dstlen) < 0) die("connect");
        int a = accept4(c->listener, NULL, NULL, SOCK_CLOEXEC);
        if (a < 0) die("accept");
        /* the server side closes first: TIME_WAIT lands there, not on an ephemeral port */
        close(a);
        close(s);
    }
    *ops = units;
    return now_ns() - t0;
}

/* ---- resolver ---- */
struct gai { const char *host; struct addrinfo hints; int32_t flat_hints[4]; unsigned char buf[4096]; };

static int64_t b_gai(void *ctx, int64_t units, int64_t *ops) {
    struct gai *g = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        struct addrinfo *res = NULL;
        int rc = getaddrinfo(g->host, NULL, &g->hints, &res);
        if (rc != 0) { fprintf(stderr, "getaddrinfo %s: %s\n", g->host, gai_strerror(rc)); exit(2); }
        sink_value += res->ai_family;
        freeaddrinfo(res);
    }
    *ops = units;
    return now_ns() - t0;
}

/* the shim's flattening call from C: what Java pays minus the FFI crossing and the decoding */
static int64_t b_gai_shim(void *ctx, int64_t units, int64_t *ops) {
    struct gai *g = ctx;
    int64_t t0 = now_ns();
    for (int64_t i = 0; i < units; i++) {
        int64_t need = ds_getaddrinfo(g->host, NULL, g->flat_hints, g->buf, sizeof g->buf);
        if (need < 16 || need > (int64_t)sizeof g->buf) die("ds_getaddrinfo");
    }
    *ops = units;
    return now_ns() - t0;
}

static struct gai *gai_new(const char *host, int family, int socktype, int flags) {
    struct gai *g = own(calloc(1, sizeof *g));
    g->host = host;
    g->hints.ai_family = family;
    g->hints.ai_socktype = socktype;
    g->hints.ai_flags = flags;
    g->flat_hints[0] = family;
    g->flat_hints[1] = socktype;
    g->flat_hints[3] = flags;
    return g;
}

static int selected(int argc, char **argv, int first, const char *name) {
    if (first >= argc) return 1;
    for (int i = first; i < argc; i++)
        if (strncmp(name, argv[i], strlen(argv[i])) == 0) return 1;
    return 0;
}

/* A group runs when an argument selects it or anything inside it. */
static int group_selected(int argc, char **argv, int first, const char *group) {
    if (first >= argc) return 1;
    for (int i = first; i < argc; i++) {
        size_t n = strlen(argv[i]) < strlen(group) ? strlen(argv[i]) : strlen(group);
        if (strncmp(group, argv[i], n) == 0) return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int a = 1;
    for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
        if (a + 1 >= argc) { fprintf(stderr, "cbench: %s needs a value\n", argv[a]); return 2; }
        int v = atoi(argv[a + 1]);
        if (!strcmp(argv[a], "--warmup")) warmup = v;
        else if (!strcmp(argv[a], "--iterations")) iterations = v;
        else if (!strcmp(argv[a], "--time-ms")) time_ms = v;
        else if (!strcmp(argv[a], "--recv-batch")) recv_batch = v;
        else { fprintf(stderr, "cbench: unknown option %s\n", argv[a]); return 2; }
        a++;
    }
    if (iterations < 1 || iterations > 1000 || warmup < 0 || time_ms < 1 || recv_batch < BATCH || recv_batch % BATCH) {
        fprintf(stderr, "cbench: bad options\n");
        return 2;
    }
    printf("{\"warmup\": %d, \"iterations\": %d, \"timeMs\": %d, \"recvBatch\": %d, \"payload\": %d, \"batch\": %d,\n"
           " \"results\": [", warmup, iterations, time_ms, recv_batch, PAYLOAD, BATCH);
#define RUN(name, unit, fn, ctx) do { if (selected(argc, argv, a, name)) run(name, unit, fn, ctx); } while (0)
    RUN("ffi.noop5", "op", b_noop5, NULL);
    if (group_selected(argc, argv, a, "udp.")) {
        RUN("udp.sendTo6Mapped", "op", b_sendto, udp_sender(AF_INET6, 0));
        RUN("udp.sendTo4", "op", b_sendto, udp_sender(AF_INET, 0));
        RUN("udp.send6Connected", "op", b_send, udp_sender(AF_INET6, 1));
        RUN("udp.recvFrom6", "op", b_recvfrom, udp_receiver(0));
        RUN("udp.recv6Connected", "op", b_recv, udp_receiver(1));
    }
    if (group_selected(argc, argv, a, "batch.")) {
        RUN("batch.sendmmsg4", "datagram", b_sendmmsg, mm_new(udp_sender(AF_INET, 0), 1));
        RUN("batch.sendSegmented4", "datagram", b_gso, udp_sender(AF_INET, 0));
        RUN("batch.recvmmsg6", "datagram", b_recvmmsg, mm_new(udp_receiver(0), 0));
    }
    if (group_selected(argc, argv, a, "tcp.")) {
        struct tcp *c = own(calloc(1, sizeof *c));
        c->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_storage la;
        socklen_t ll = set_loop4(&la, 0);
        int one = 1;
        setsockopt(c->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(c->listener, (struct sockaddr *)&la, ll) < 0 || listen(c->listener, 128) < 0) die("listen");
        c->dstlen = set_mapped(&c->dst, port_of(c->listener));
        RUN("tcp.connectAcceptClose6Mapped", "op", b_tcp, c);
    }
    /* numeric hosts and "localhost" only: /etc/hosts answers, no query leaves the machine */
    RUN("gai.numericV4Mapped", "op", b_gai, gai_new("198.51.100.7", AF_INET6, SOCK_STREAM, AI_V4MAPPED | AI_NUMERICHOST));
    RUN("gai.numericV4MappedShim", "op", b_gai_shim, gai_new("198.51.100.7", AF_INET6, SOCK_STREAM, AI_V4MAPPED | AI_NUMERICHOST));
    RUN("gai.localhost", "op", b_gai, gai_new("localhost", AF_UNSPEC, SOCK_STREAM, 0));
    RUN("gai.localhostShim", "op", b_gai_shim, gai_new("localhost", AF_UNSPEC, SOCK_STREAM, 0));
    printf("\n ]}\n");
    free_owned();
    return 0;
}
