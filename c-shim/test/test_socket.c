/*
 * Every ds_ socket wrapper on loopback: results, -errno returns, holder layout, the blocking
 * mode around ds_connect_timeout, the EINTR policy, and that shutdown(SHUT_RDWR) wakes a
 * thread blocked in recvfrom/accept (NativeSocket.close() relies on that). The threads that
 * shut down or signal act only once /proc shows the other thread inside the system call.
 */
#include "ds_test.h"
#include "dualsock.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms) {
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* The calling thread's kernel id (glibc before 2.30 has no gettid wrapper). */
static pid_t thread_id(void) {
    return (pid_t)syscall(SYS_gettid);
}

/* The system call ds_poll blocks in: glibc's poll() uses poll where the kernel has it, else ppoll. */
#ifdef SYS_poll
#define POLL_SYSCALL SYS_poll
#else
#define POLL_SYSCALL SYS_ppoll
#endif

/* Waits (up to 10 s) until thread *tid is inside system call nr as the kernel shows it in
 * /proc/self/task/<tid>/syscall (the first field: the number; "running" when not in one).
 * Returns 1 when seen, 0 when not: a test then acts on a call that really blocks. */
static int await_in_syscall(volatile pid_t *tid, long nr) {
    for (int i = 0; i < 10000; i++) {
        pid_t t = *tid;
        if (t != 0) {
            char path[64];
            snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)t);
            FILE *f = fopen(path, "r");
            if (f != NULL) {
                long got = -1;
                int n = fscanf(f, "%ld", &got);
                fclose(f);
                if (n == 1 && got == nr) return 1;
            }
        }
        sleep_ms(1);
    }
    return 0;
}

/* The initialisers zero every other field. */
static struct sockaddr_in sin4(const char *text, uint16_t port) {
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, text, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 sin6(const char *text, uint16_t port) {
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
    inet_pton(AF_INET6, text, &a.sin6_addr);
    return a;
}

static uint32_t holder_len(const unsigned char *holder) {
    uint32_t v;
    memcpy(&v, holder + DS_HOLDER_LEN_OFFSET, sizeof v);
    return v;
}

/* Port of a bound socket, through ds_getsockname. */
static uint16_t local_port(int fd) {
    unsigned char h[DS_HOLDER_SIZE];
    if (ds_getsockname(fd, h) != 0) return 0;
    struct sockaddr_storage ss;
    memcpy(&ss, h, sizeof ss);
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int int_opt(int fd, int level, int name) {
    int v = -12345;
    uint32_t len = sizeof v;
    int rc = ds_getsockopt(fd, level, name, &v, &len);
    return rc < 0 ? rc : v;
}

static int tcp_listener4(void) {
    int s = ds_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4("127.0.0.1", 0);
    CHECK_EQ(ds_bind(s, &a), 0);
    CHECK_EQ(ds_listen(s, 16), 0);
    return s;
}

static void test_socket_cloexec_and_close(void) {
    int s = ds_socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    CHECK(fcntl(s, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(int_opt(s, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    CHECK_EQ(int_opt(s, SOL_SOCKET, SO_DOMAIN), AF_INET);
    CHECK_EQ(ds_close(s), 0);
    CHECK_EQ(ds_close(s), -EBADF);
    CHECK_EQ(ds_socket(12345, SOCK_STREAM, 0), -EAFNOSUPPORT);
    CHECK_EQ(ds_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), -EPROTONOSUPPORT);
}

static void test_tcp4(void) {
    int l = tcp_listener4();
    uint16_t port = local_port(l);
    CHECK(port != 0);
    int c = ds_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = sin4("127.0.0.1", port);
    CHECK_EQ(ds_connect(c, &to), 0);
    unsigned char h[DS_HOLDER_SIZE];
    memset(h, 0xAA, sizeof h);
    int a = ds_accept(l, h);
    CHECK(a >= 0);
    CHECK(fcntl(a, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(holder_len(h), sizeof(struct sockaddr_in));
    struct sockaddr_in peer;
    memcpy(&peer, h, sizeof peer);
    CHECK_EQ(peer.sin_family, AF_INET);
    CHECK_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    CHECK_EQ(ntohs(peer.sin_port), local_port(c));

    unsigned char ph[DS_HOLDER_SIZE];
    CHECK_EQ(ds_getpeername(c, ph), 0);
    CHECK_EQ(holder_len(ph), sizeof(struct sockaddr_in));
    CHECK_EQ(ntohs(((struct sockaddr_in *)ph)->sin_port), port);

    CHECK_EQ(ds_send(c, "hello", 5, 0), 5);
    char buf[16];
    CHECK_EQ(ds_recv(a, buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    /* recvfrom on TCP: the kernel leaves the address length at 0. */
    CHECK_EQ(ds_send(a, "x", 1, 0), 1);
    memset(h, 0xAA, sizeof h);
    CHECK_EQ(ds_recvfrom(c, buf, sizeof buf, 0, h), 1);
    CHECK_EQ(holder_len(h), 0);
    /* sendto with NULL address on a connected socket is send. */
    CHECK_EQ(ds_sendto(c, "yz", 2, 0, NULL), 2);
    CHECK_EQ(ds_recvfrom(a, buf, sizeof buf, 0, NULL), 2);

    CHECK_EQ(ds_shutdown(c, SHUT_WR), 0);
    CHECK_EQ(ds_recv(a, buf, sizeof buf, 0), 0); /* EOF */
    /* MSG_NOSIGNAL: writing to a reset peer is -EPIPE, never SIGPIPE (which would kill us). */
    CHECK_EQ(ds_send(c, "late", 4, 0), -EPIPE);
    CHECK_EQ(ds_shutdown(c, 12345), -EINVAL);
    ds_close(a);
    ds_close(c);

    /* accept with a NULL holder */
    c = ds_socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(ds_connect(c, &to), 0);
    a = ds_accept(l, NULL);
    CHECK(a >= 0);
    ds_close(a);
    ds_close(c);
    ds_close(l);

    /* nobody listening any more */
    c = ds_socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(ds_connect(c, &to), -ECONNREFUSED);
    CHECK_EQ(ds_getpeername(c, ph), -ENOTCONN);
    ds_close(c);
}

static void test_dual_stack(void) {
    /* IPv4 client, AF_INET6 server on :: with IPV6_V6ONLY off: the peer is ::ffff:127.0.0.1. */
    int l = ds_socket(AF_INET6, SOCK_STREAM, 0);
    int off = 0, on = 1;
    CHECK_EQ(ds_setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off), 0);
    struct sockaddr_in6 any = sin6("::", 0);
    CHECK_EQ(ds_bind(l, &any), 0);
    CHECK_EQ(ds_listen(l, 4), 0);
    uint16_t port = local_port(l);
    int c = ds_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = sin4("127.0.0.1", port);
    CHECK_EQ(ds_connect(c, &to), 0);
    unsigned char h[DS_HOLDER_SIZE];
    int a = ds_accept(l, h);
    CHECK(a >= 0);
    CHECK_EQ(holder_len(h), sizeof(struct sockaddr_in6));
    struct sockaddr_in6 peer;
    memcpy(&peer, h, sizeof peer);
    CHECK_EQ(peer.sin6_family, AF_INET6);
    CHECK(IN6_IS_ADDR_V4MAPPED(&peer.sin6_addr));
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof text);
    CHECK(strcmp(text, "::ffff:127.0.0.1") == 0);
    ds_close(a);
    ds_close(c);
    ds_close(l);

    /* IPV6_V6ONLY on: the IPv4 client is refused. */
    l = ds_socket(AF_INET6, SOCK_STREAM, 0);
    CHECK_EQ(ds_setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on), 0);
    CHECK_EQ(int_opt(l, IPPROTO_IPV6, IPV6_V6ONLY), 1);
    CHECK_EQ(ds_bind(l, &any), 0);
    CHECK_EQ(ds_listen(l, 4), 0);
    port = local_port(l);
    c = ds_socket(AF_INET, SOCK_STREAM, 0);
    to = sin4("127.0.0.1", port);
    CHECK_EQ(ds_connect(c, &to), -ECONNREFUSED);
    ds_close(c);
    ds_close(l);

    /* IPv6 client to ::ffff:127.0.0.1, AF_INET server: the server sees plain 127.0.0.1. */
    l = tcp_listener4();
    port = local_port(l);
    c = ds_socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 mapped = sin6("::ffff:127.0.0.1", port);
    CHECK_EQ(ds_connect(c, &mapped), 0);
    a = ds_accept(l, h);
    CHECK(a >= 0);
    CHECK_EQ(holder_len(h), sizeof(struct sockaddr_in));
    unsigned char ph[DS_HOLDER_SIZE];
    CHECK_EQ(ds_getpeername(c, ph), 0);
    CHECK_EQ(holder_len(ph), sizeof(struct sockaddr_in6));
    CHECK(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)ph)->sin6_addr));
    ds_close(a);
    ds_close(c);
    ds_close(l);
}

static void test_udp(void) {
    int r = ds_socket(AF_INET6, SOCK_DGRAM, 0);
    int off = 0;
    CHECK_EQ(ds_setsockopt(r, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off), 0);
    struct sockaddr_in6 any = sin6("::", 0);
    CHECK_EQ(ds_bind(r, &any), 0);
    uint16_t port = local_port(r);
    int s = ds_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = sin4("127.0.0.1", port);
    CHECK_EQ(ds_sendto(s, "ping", 4, 0, &to), 4);
    unsigned char h[DS_HOLDER_SIZE];
    char buf[64];
    CHECK_EQ(ds_recvfrom(r, buf, sizeof buf, 0, h), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_EQ(holder_len(h), sizeof(struct sockaddr_in6));
    CHECK(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)h)->sin6_addr));
    CHECK_EQ(ntohs(((struct sockaddr_in6 *)h)->sin6_port), local_port(s));
    /* The holder is a valid destination as it stands: reply to the mapped source. */
    CHECK_EQ(ds_sendto(r, "pong", 4, 0, h), 4);
    CHECK_EQ(ds_recvfrom(s, buf, sizeof buf, 0, NULL), 4);

    /* zero-length datagram */
    CHECK_EQ(ds_sendto(s, buf, 0, 0, &to), 0);
    memset(h, 0, sizeof h);
    CHECK_EQ(ds_recvfrom(r, buf, sizeof buf, 0, h), 0);
    CHECK_EQ(holder_len(h), sizeof(struct sockaddr_in6)); /* a real datagram has a source */

    /* truncation: recv returns the bytes copied, MSG_TRUNC the real length */
    CHECK_EQ(ds_sendto(s, "0123456789", 10, 0, &to), 10);
    CHECK_EQ(ds_recvfrom(r, buf, 3, MSG_TRUNC, h), 10);
    CHECK_EQ(ds_sendto(s, "0123456789", 10, 0, &to), 10);
    CHECK_EQ(ds_recv(r, buf, 3, 0), 3);

    /* oversized for IPv4 */
    static char big[70000];
    CHECK_EQ(ds_sendto(s, big, sizeof big, 0, &to), -EMSGSIZE);

    /* connected UDP: send/recv */
    CHECK_EQ(ds_connect(s, &to), 0);
    CHECK_EQ(ds_send(s, "abc", 3, 0), 3);
    CHECK_EQ(ds_recv(r, buf, sizeof buf, 0), 3);

    /* wrong-size address for the socket's family */
    struct sockaddr_in6 v6 = sin6("::1", port);
    int s4 = ds_socket(AF_INET, SOCK_DGRAM, 0);
    int rc = (int)ds_sendto(s4, "x", 1, 0, &v6);
    CHECK(rc == -EAFNOSUPPORT || rc == -EINVAL);
    ds_close(s4);
    ds_close(s);
    ds_close(r);

    /* IPV6_V6ONLY on: the IPv4 datagram is not delivered */
    r = ds_socket(AF_INET6, SOCK_DGRAM, 0);
    int on = 1;
    CHECK_EQ(ds_setsockopt(r, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on), 0);
    CHECK_EQ(ds_bind(r, &any), 0);
    port = local_port(r);
    s = ds_socket(AF_INET, SOCK_DGRAM, 0);
    to = sin4("127.0.0.1", port);
    CHECK_EQ(ds_sendto(s, "lost", 4, 0, &to), 4);
    CHECK_EQ(ds_poll(r, POLLIN, 100), 0);
    ds_close(s);
    ds_close(r);
}

static void test_bad_arguments(void) {
    char buf[8];
    unsigned char h[DS_HOLDER_SIZE];
    struct sockaddr_in a = sin4("127.0.0.1", 9);
    int bad = 1 << 20; /* far above any open descriptor */
    CHECK_EQ(ds_bind(bad, &a), -EBADF);
    CHECK_EQ(ds_listen(bad, 1), -EBADF);
    CHECK_EQ(ds_accept(bad, h), -EBADF);
    CHECK_EQ(ds_connect(bad, &a), -EBADF);
    CHECK_EQ(ds_connect_timeout(bad, &a, 10), -EBADF);
    CHECK_EQ(ds_shutdown(bad, SHUT_RDWR), -EBADF);
    CHECK_EQ(ds_send(bad, buf, 1, 0), -EBADF);
    CHECK_EQ(ds_recv(bad, buf, 1, 0), -EBADF);
    CHECK_EQ(ds_sendto(bad, buf, 1, 0, &a), -EBADF);
    CHECK_EQ(ds_recvfrom(bad, buf, 1, 0, h), -EBADF);
    CHECK_EQ(ds_getsockname(bad, h), -EBADF);
    CHECK_EQ(ds_getpeername(bad, h), -EBADF);
    int v = 1;
    uint32_t len = sizeof v;
    CHECK_EQ(ds_getsockopt(bad, SOL_SOCKET, SO_TYPE, &v, &len), -EBADF);
    CHECK_EQ(ds_setsockopt(bad, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v), -EBADF);
    CHECK_EQ(ds_set_nonblocking(bad, 1), -EBADF);
    CHECK_EQ(ds_get_nonblocking(bad), -EBADF);
    CHECK_EQ(ds_poll(bad, POLLIN, 0), POLLNVAL);

    int s = ds_socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(ds_bind(s, NULL), -EFAULT);
    CHECK_EQ(ds_connect(s, NULL), -EFAULT);
    CHECK_EQ(ds_connect_timeout(s, NULL, 10), -EFAULT);
    CHECK_EQ(ds_connect_timeout(s, &a, -1), -EINVAL);
    struct sockaddr_storage odd;
    memset(&odd, 0, sizeof odd);
    odd.ss_family = AF_UNIX;
    CHECK_EQ(ds_bind(s, &odd), -EAFNOSUPPORT);
    CHECK_EQ(ds_connect(s, &odd), -EAFNOSUPPORT);
    CHECK_EQ(ds_connect_timeout(s, &odd, 10), -EAFNOSUPPORT);
    CHECK_EQ(ds_sendto(s, buf, 1, 0, &odd), -EAFNOSUPPORT);
    CHECK_EQ(ds_send(s, buf, -1, 0), -EINVAL);
    CHECK_EQ(ds_recv(s, buf, -1, 0), -EINVAL);
    CHECK_EQ(ds_sendto(s, buf, -1, 0, &a), -EINVAL);
    CHECK_EQ(ds_recvfrom(s, buf, -1, 0, h), -EINVAL);
    CHECK_EQ(ds_getsockname(s, NULL), -EFAULT);
    CHECK_EQ(ds_getpeername(s, NULL), -EFAULT);
    CHECK_EQ(ds_getsockopt(s, SOL_SOCKET, SO_TYPE, NULL, &len), -EFAULT);
    CHECK_EQ(ds_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, NULL), -EFAULT);
    CHECK_EQ(ds_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, NULL, 4), -EFAULT);
    CHECK_EQ(ds_setsockopt(s, SOL_SOCKET, 0x7fff, &v, sizeof v), -ENOPROTOOPT);
    CHECK_EQ(ds_listen(s, 1), -EOPNOTSUPP);
    CHECK_EQ(ds_accept(s, h), -EOPNOTSUPP);
    /* an address that is not ours */
    struct sockaddr_in foreign = sin4("198.51.100.1", 0);
    CHECK_EQ(ds_bind(s, &foreign), -EADDRNOTAVAIL);
    ds_close(s);
}

static void test_options(void) {
    int s = ds_socket(AF_INET, SOCK_STREAM, 0);
    /* socket(7): the kernel doubles SO_RCVBUF/SO_SNDBUF on set (bookkeeping overhead). */
    int v = 65536;
    CHECK_EQ(ds_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v), 0);
    CHECK_EQ(int_opt(s, SOL_SOCKET, SO_RCVBUF), 2 * 65536);
    CHECK_EQ(ds_setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v), 0);
    CHECK_EQ(int_opt(s, SOL_SOCKET, SO_SNDBUF), 2 * 65536);
    v = 1;
    CHECK_EQ(ds_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v), 0);
    CHECK_EQ(int_opt(s, IPPROTO_TCP, TCP_NODELAY), 1);
    struct timeval tv = { 1, 500000 }, back;
    CHECK_EQ(ds_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    uint32_t len = sizeof back;
    CHECK_EQ(ds_getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &back, &len), 0);
    CHECK_EQ(len, sizeof back);
    CHECK_EQ(back.tv_sec, 1);
    CHECK_EQ(back.tv_usec, 500000);
    struct linger lg = { 1, 7 }, lgb;
    CHECK_EQ(ds_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    len = sizeof lgb;
    CHECK_EQ(ds_getsockopt(s, SOL_SOCKET, SO_LINGER, &lgb, &len), 0);
    CHECK_EQ(lgb.l_onoff, 1);
    CHECK_EQ(lgb.l_linger, 7);
    /* getsockopt reports how many bytes it wrote */
    char small = 0;
    len = 1;
    CHECK_EQ(ds_getsockopt(s, SOL_SOCKET, SO_TYPE, &small, &len), 0);
    CHECK(len <= 1);
    ds_close(s);
}

static void test_nonblocking_and_poll(void) {
    int s = ds_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4("127.0.0.1", 0);
    CHECK_EQ(ds_bind(s, &a), 0);
    CHECK_EQ(ds_get_nonblocking(s), 0);
    CHECK_EQ(ds_set_nonblocking(s, 1), 0);
    CHECK_EQ(ds_get_nonblocking(s), 1);
    char buf[8];
    CHECK_EQ(ds_recv(s, buf, sizeof buf, 0), -EAGAIN);
    CHECK_EQ(ds_recvfrom(s, buf, sizeof buf, 0, NULL), -EAGAIN);
    CHECK_EQ(ds_set_nonblocking(s, 0), 0);
    CHECK_EQ(ds_get_nonblocking(s), 0);
    CHECK_EQ(ds_recv(s, buf, sizeof buf, MSG_DONTWAIT), -EAGAIN);
    CHECK_EQ(ds_poll(s, POLLIN, 0), 0);
    CHECK_EQ(ds_poll(s, POLLOUT, 0), POLLOUT);
    struct sockaddr_in to = sin4("127.0.0.1", local_port(s));
    CHECK_EQ(ds_sendto(s, "me", 2, 0, &to), 2);
    CHECK_EQ(ds_poll(s, POLLIN, -1), POLLIN);
    CHECK_EQ(ds_recv(s, buf, sizeof buf, 0), 2);
    ds_close(s);
}

static void test_connect_timeout(void) {
    int l = tcp_listener4();
    uint16_t port = local_port(l);
    struct sockaddr_in to = sin4("127.0.0.1", port);

    /* success: blocking mode restored */
    int c = ds_socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(ds_connect_timeout(c, &to, 5000), 0);
    CHECK_EQ(ds_get_nonblocking(c), 0);
    unsigned char ph[DS_HOLDER_SIZE];
    CHECK_EQ(ds_getpeername(c, ph), 0);
    ds_close(c);
    /* a non-blocking socket stays non-blocking */
    c = ds_socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(ds_set_nonblocking(c, 1), 0);
    CHECK_EQ(ds_connect_timeout(c, &to, 5000), 0);
    CHECK_EQ(ds_get_nonblocking(c), 1);
    ds_close(c);
    ds_close(l);

    /* refused: the error comes back through SO_ERROR (or at once), mode restored */
    c = ds_socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(ds_connect_timeout(c, &to, 5000), -ECONNREFUSED);
    CHECK_EQ(ds_get_nonblocking(c), 0);
    ds_close(c);

    /*
     * Timeout: a listener that never accepts, with backlog 0, holds one connection in its
     * accept queue; Linux then drops further SYNs (tcp_conn_request: accept queue full), so
     * a later connect stays in SYN_SENT until our timeout.
     */
    l = ds_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = sin4("127.0.0.1", 0);
    CHECK_EQ(ds_bind(l, &any), 0);
    CHECK_EQ(ds_listen(l, 0), 0);
    to = sin4("127.0.0.1", local_port(l));
    int fill[4];
    int timed_out = 0;
    for (int i = 0; i < 4; i++) {
        fill[i] = ds_socket(AF_INET, SOCK_STREAM, 0);
        int rc = ds_connect_timeout(fill[i], &to, 200);
        CHECK_EQ(ds_get_nonblocking(fill[i]), 0);
        if (rc == -ETIMEDOUT) { timed_out = 1; break; }
        CHECK_EQ(rc, 0);
    }
    CHECK(timed_out);
    for (int i = 0; i < 4; i++) if (fill[i] >= 0) ds_close(fill[i]);
    ds_close(l);
}

/* ---- shutdown(SHUT_RDWR) from another thread wakes blocked calls ---- */

struct blocked {
    int fd;
    int64_t rc;
    uint32_t holder_len;
    volatile pid_t tid;
};

static void *blocked_recvfrom(void *arg) {
    struct blocked *b = arg;
    char buf[16];
    unsigned char h[DS_HOLDER_SIZE];
    memset(h, 0, sizeof h);
    b->tid = thread_id();
    b->rc = ds_recvfrom(b->fd, buf, sizeof buf, 0, h);
    b->holder_len = holder_len(h);
    return NULL;
}

static void *blocked_accept(void *arg) {
    struct blocked *b = arg;
    b->tid = thread_id();
    b->rc = ds_accept(b->fd, NULL);
    return NULL;
}

static void *blocked_poll(void *arg) {
    struct blocked *b = arg;
    b->tid = thread_id();
    b->rc = ds_poll(b->fd, POLLIN, -1);
    return NULL;
}

static void test_shutdown_wakes_blocked_calls(void) {
    /* Unconnected UDP: shutdown() says ENOTCONN but still marks the socket and wakes the reader,
     * which sees 0 bytes and no source address (no datagram has a zero-length source). */
    int u = ds_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4("127.0.0.1", 0);
    CHECK_EQ(ds_bind(u, &a), 0);
    struct blocked b = { u, -999, 999, 0 };
    pthread_t t;
    pthread_create(&t, NULL, blocked_recvfrom, &b);
    CHECK(await_in_syscall(&b.tid, SYS_recvfrom)); /* blocked, not yet to come */
    CHECK_EQ(ds_shutdown(u, SHUT_RDWR), -ENOTCONN);
    pthread_join(t, NULL);
    CHECK_EQ(b.rc, 0);
    CHECK_EQ(b.holder_len, 0);
    ds_close(u);

    /* Listening TCP: accept() returns EINVAL once the listener is shut down. */
    int l = tcp_listener4();
    struct blocked bl = { l, -999, 0, 0 };
    pthread_create(&t, NULL, blocked_accept, &bl);
    CHECK(await_in_syscall(&bl.tid, SYS_accept4));
    CHECK_EQ(ds_shutdown(l, SHUT_RDWR), 0);
    pthread_join(t, NULL);
    CHECK_EQ(bl.rc, -EINVAL);
    ds_close(l);

    /* poll() on a UDP socket: woken with POLLIN|POLLHUP. */
    u = ds_socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(ds_bind(u, &a), 0);
    struct blocked bp = { u, -999, 0, 0 };
    pthread_create(&t, NULL, blocked_poll, &bp);
    CHECK(await_in_syscall(&bp.tid, POLL_SYSCALL));
    ds_shutdown(u, SHUT_RDWR);
    pthread_join(t, NULL);
    CHECK(bp.rc > 0 && (bp.rc & POLLHUP));
    ds_close(u);
}

/* ---- EINTR: a signal without SA_RESTART does not surface from the shim ---- */

static volatile sig_atomic_t signals_seen;
static void on_signal(int sig) { (void)sig; signals_seen++; }

struct interrupter {
    pthread_t target;
    volatile pid_t tid; /* the target's kernel id */
    long nr;            /* the system call it blocks in */
    int fd;
    struct sockaddr_in to;
    int blocked_before, blocked_after; /* seen in the call before the signal, and again after it */
};

/* Signals the target only once it is blocked in the call, and sends the datagram only once the
 * handler ran and the shim went back into the call: the control the Java SignalInterruptionTest has. */
static void *interrupt_then_send(void *arg) {
    struct interrupter *in = arg;
    in->blocked_before = await_in_syscall(&in->tid, in->nr);
    pthread_kill(in->target, SIGUSR1);
    for (int i = 0; i < 10000 && signals_seen == 0; i++) sleep_ms(1);
    in->blocked_after = signals_seen == 1 && await_in_syscall(&in->tid, in->nr);
    int s = ds_socket(AF_INET, SOCK_DGRAM, 0);
    ds_sendto(s, "late", 4, 0, &in->to);
    ds_close(s);
    return NULL;
}

static void test_eintr_retried(void) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: the kernel returns EINTR to the caller */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &old);

    int r = ds_socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4("127.0.0.1", 0);
    CHECK_EQ(ds_bind(r, &a), 0);
    struct interrupter in = { pthread_self(), thread_id(), SYS_recvfrom, r, sin4("127.0.0.1", local_port(r)), 0, 0 };
    pthread_t t;
    signals_seen = 0;
    pthread_create(&t, NULL, interrupt_then_send, &in);
    char buf[8];
    CHECK_EQ(ds_recvfrom(r, buf, sizeof buf, 0, NULL), 4);
    pthread_join(t, NULL);
    CHECK_EQ(signals_seen, 1);
    CHECK(in.blocked_before);
    CHECK(in.blocked_after);

    /* ds_poll keeps its deadline across EINTR and still reports the datagram */
    signals_seen = 0;
    in.nr = POLL_SYSCALL;
    in.blocked_before = in.blocked_after = 0;
    pthread_create(&t, NULL, interrupt_then_send, &in);
    CHECK_EQ(ds_poll(r, POLLIN, 10000), POLLIN);
    pthread_join(t, NULL);
    CHECK_EQ(signals_seen, 1);
    CHECK(in.blocked_before);
    CHECK(in.blocked_after);
    ds_close(r);
    sigaction(SIGUSR1, &old, NULL);
}

static void test_poll_many_and_eventfd(void) {
    int l = tcp_listener4();
    int e = ds_eventfd();
    CHECK(e >= 0);
    int32_t fds[2] = { l, e }, ev[2] = { POLLIN, POLLIN }, rev[2] = { -1, -1 };
    CHECK_EQ(ds_poll_many(fds, ev, rev, 2, 0), 0);
    CHECK_EQ(rev[0], 0);
    CHECK_EQ(rev[1], 0);
    CHECK_EQ(ds_eventfd_drain(e), 0);
    CHECK_EQ(ds_eventfd_signal(e), 0);
    CHECK_EQ(ds_eventfd_signal(e), 0);
    CHECK_EQ(ds_poll_many(fds, ev, rev, 2, -1), 1);
    CHECK_EQ(rev[0], 0);
    CHECK_EQ(rev[1], POLLIN);
    CHECK_EQ(ds_eventfd_drain(e), 2);
    CHECK_EQ(ds_poll_many(fds, ev, rev, 2, 0), 0);
    /* a non-blocking connect completing shows as POLLOUT beside the quiet eventfd */
    int c = ds_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in to = sin4("127.0.0.1", local_port(l));
    int rc = ds_connect(c, &to);
    CHECK(rc == 0 || rc == -EINPROGRESS);
    fds[0] = c;
    ev[0] = POLLOUT;
    CHECK_EQ(ds_poll_many(fds, ev, rev, 2, 1000), 1);
    CHECK_EQ(rev[0], POLLOUT);
    CHECK_EQ(rev[1], 0);
    CHECK_EQ(ds_poll_many(fds, ev, rev, 0, 0), -EINVAL);
    CHECK_EQ(ds_poll_many(fds, ev, rev, DS_POLL_MAX + 1, 0), -EINVAL);
    CHECK_EQ(ds_poll_many(NULL, ev, rev, 1, 0), -EFAULT);
    int bad = 1 << 20;
    CHECK_EQ(ds_eventfd_signal(bad), -EBADF);
    CHECK_EQ(ds_eventfd_drain(bad), -EBADF);
    fds[0] = bad;
    CHECK_EQ(ds_poll_many(fds, ev, rev, 1, 0), 1);
    CHECK_EQ(rev[0], POLLNVAL);
    ds_close(c);
    ds_close(e);
    ds_close(l);
}

int main(void) {
    signal(SIGPIPE, SIG_DFL); /* a missing MSG_NOSIGNAL must fail this test loudly */
    test_socket_cloexec_and_close();
    test_tcp4();
    test_dual_stack();
    test_udp();
    test_bad_arguments();
    test_options();
    test_nonblocking_and_poll();
    test_connect_timeout();
    test_poll_many_and_eventfd();
    test_shutdown_wakes_blocked_calls();
    test_eintr_retried();
    TEST_MAIN_END();
}
