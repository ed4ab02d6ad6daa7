/* Functions that exist only to measure and check the FFI binding (benchmarks/, BindingCheck):
 * no-ops and echoes that show what a call costs and which argument values arrive. Not in the
 * shim, so that libdualsock.so exports only what the Java API uses. */
#include "dsbench.h"
#include <stdint.h>

#define API __attribute__((visibility("default")))

/* sendto's argument shape in five parameters, the shim's own limit: the FFI floor that FfiBench,
 * PairedBench and cbench measure (it lived in libdualsock.so as ds_noop5 until ABI 2). */
API int64_t dsb_noop5(int32_t a, const void *b, int64_t c, int32_t d, const void *e) {
    (void)a; (void)b; (void)d; (void)e;
    return c;
}

/* sendto's full shape: six primitive parameters (the shim keeps to five, jnr-ffi issue 181). */
API int64_t dsb_noop6(int32_t fd, int64_t buf, int64_t len, int32_t flags, int64_t sa, int32_t salen) {
    (void)fd; (void)buf; (void)flags; (void)sa; (void)salen;
    return len;
}

/* Returns argument `which` (1-based) so a caller can see what arrived in each position. */
API int64_t dsb_echo6(int32_t a, int64_t b, int64_t c, int32_t d, int64_t e, int32_t f, int32_t which) {
    switch (which) {
    case 1: return a;
    case 2: return b;
    case 3: return c;
    case 4: return d;
    case 5: return e;
    default: return f;
    }
}

API int64_t dsb_sixth_i32(int32_t a, int64_t b, int64_t c, int32_t d, int64_t e, int32_t f) {
    (void)a; (void)b; (void)c; (void)d; (void)e;
    return f;
}

API int64_t dsb_sixth_i64(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) {
    (void)a; (void)b; (void)c; (void)d; (void)e;
    return f;
}

API int64_t dsb_fifth_i32(int32_t a, int64_t b, int64_t c, int32_t d, int32_t e) {
    (void)a; (void)b; (void)c; (void)d;
    return e;
}

/* ---- C loops for the paired benchmarks (benchmarks/PairedBench): the same loops as cbench,
 * called once per slice of n operations so that Java can time C, dualsock and the JDK in
 * alternating slices on the same socket. Each returns n, or -errno at the first failure.
 * At most five parameters (see above); buffers and addresses are raw addresses. ---- */
#include <errno.h>
#include <netdb.h>
#include "ds_hints.h" /* c-shim/src: a static inline helper, no link to the shim */
#include <netinet/in.h>
#include <netinet/udp.h>
#include "bench_gso.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SEG 64

__attribute__((noinline)) static int64_t local_noop5(int32_t a, const void *b, int64_t c, int32_t d, const void *e) {
    (void)a; (void)b; (void)d; (void)e;
    return c;
}
static int64_t (*volatile noop_fn)(int32_t, const void *, int64_t, int32_t, const void *) = local_noop5;

static socklen_t salen_of(const void *sa) {
    sa_family_t f;
    memcpy(&f, sa, sizeof f);
    return f == AF_INET ? sizeof(struct sockaddr_in) : f == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
}

/* dsb_noop5's body, called through a function pointer n times */
API int64_t dsb_loop_noop5(int64_t n) {
    int64_t (*f)(int32_t, const void *, int64_t, int32_t, const void *) = noop_fn;
    char buf[8];
    int64_t acc = 0;
    for (int64_t i = 0; i < n; i++) acc += f(3, buf, i, 0, buf);
    return acc == -1 ? -1 : n;
}

API int64_t dsb_loop_sendto(int32_t fd, int64_t buf, int64_t len, int64_t sa, int64_t n) {
    const void *addr = (const void *)(intptr_t)sa;
    socklen_t sl = salen_of(addr);
    for (int64_t i = 0; i < n; i++)
        if (sendto(fd, (const void *)(intptr_t)buf, (size_t)len, MSG_NOSIGNAL, addr, sl) < 0) return -errno;
    return n;
}

API int64_t dsb_loop_send(int32_t fd, int64_t buf, int64_t len, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (send(fd, (const void *)(intptr_t)buf, (size_t)len, MSG_NOSIGNAL) < 0) return -errno;
    return n;
}

API int64_t dsb_loop_recvfrom(int32_t fd, int64_t buf, int64_t len, int64_t n) {
    struct sockaddr_storage from;
    for (int64_t i = 0; i < n; i++) {
        socklen_t fl = sizeof from;
        if (recvfrom(fd, (void *)(intptr_t)buf, (size_t)len, 0, (struct sockaddr *)&from, &fl) < 0) return -errno;
    }
    return n;
}

API int64_t dsb_loop_recv(int32_t fd, int64_t buf, int64_t len, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (recv(fd, (void *)(intptr_t)buf, (size_t)len, 0) < 0) return -errno;
    return n;
}

/* getaddrinfo + freeaddrinfo n times; hints4 points at int32 family, socktype, protocol, flags */
API int64_t dsb_loop_gai(int64_t host, int64_t hints4, int64_t n) {
    const int32_t *h = (const int32_t *)(intptr_t)hints4;
    struct addrinfo hints;
    ds_hints_from_i32(&hints, h);
    for (int64_t i = 0; i < n; i++) {
        struct addrinfo *res = NULL;
        int rc = getaddrinfo((const char *)(intptr_t)host, NULL, &hints, &res);
        if (rc != 0) return -1000 - (rc < 0 ? -rc : rc);
        freeaddrinfo(res);
    }
    return n;
}

/* sendmmsg of vlen (<= 64) datagrams of SEG bytes from buf[vlen * SEG] to sa, n times */
API int64_t dsb_loop_sendmmsg(int32_t fd, int64_t buf, int64_t sa, int32_t vlen, int64_t n) {
    struct mmsghdr m[64];
    struct iovec iov[64];
    if (vlen < 1 || vlen > 64) return -EINVAL;
    memset(m, 0, sizeof m);
    for (int i = 0; i < vlen; i++) {
        iov[i].iov_base = (char *)(intptr_t)buf + (size_t)i * SEG;
        iov[i].iov_len = SEG;
        m[i].msg_hdr.msg_name = (void *)(intptr_t)sa;
        m[i].msg_hdr.msg_namelen = salen_of((const void *)(intptr_t)sa);
        m[i].msg_hdr.msg_iov = &iov[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    for (int64_t k = 0; k < n; k++) {
        int sent = 0;
        while (sent < vlen) {
            int rc = sendmmsg(fd, m + sent, (unsigned)(vlen - sent), MSG_NOSIGNAL);
            if (rc < 0) return -errno;
            sent += rc;
        }
    }
    return n;
}

/* one sendmsg with UDP_SEGMENT (segments of SEG bytes) of segs * SEG bytes, n times */
API int64_t dsb_loop_gso(int32_t fd, int64_t buf, int64_t sa, int32_t segs, int64_t n) {
#ifdef UDP_SEGMENT
    for (int64_t k = 0; k < n; k++) {
        union { char b[CMSG_SPACE(sizeof(uint16_t))]; struct cmsghdr align; } control;
        memset(&control, 0, sizeof control);
        struct iovec iov = { (void *)(intptr_t)buf, (size_t)segs * SEG };
        struct msghdr msg = { .msg_name = (void *)(intptr_t)sa, .msg_namelen = salen_of((const void *)(intptr_t)sa),
                              .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b,
                              .msg_controllen = sizeof control.b };
        put_udp_segment(&msg, SEG);
        if (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0) return -errno;
    }
    return n;
#else
    return -ENOPROTOOPT;
#endif
}

/* recvmmsg of vlen (<= 64) datagrams into buf[vlen * 256], sources into a local array, n times */
API int64_t dsb_loop_recvmmsg(int32_t fd, int64_t buf, int32_t vlen, int64_t n) {
    struct mmsghdr m[64];
    struct iovec iov[64];
    struct sockaddr_storage names[64];
    if (vlen < 1 || vlen > 64) return -EINVAL;
    for (int64_t k = 0; k < n; k++) {
        int got = 0;
        while (got < vlen) {
            for (int i = 0; i < vlen - got; i++) {
                iov[i].iov_base = (char *)(intptr_t)buf + (size_t)i * 256;
                iov[i].iov_len = 256;
                memset(&m[i], 0, sizeof m[i]);
                m[i].msg_hdr.msg_name = &names[i];
                m[i].msg_hdr.msg_namelen = sizeof names[i];
                m[i].msg_hdr.msg_iov = &iov[i];
                m[i].msg_hdr.msg_iovlen = 1;
            }
            int rc = recvmmsg(fd, m, (unsigned)(vlen - got), 0, NULL);
            if (rc < 0) return -errno;
            got += rc;
        }
    }
    return n;
}

/* recvmsg with the source and a control buffer, reading the IPV6_PKTINFO interface index, n
 * times: the C floor of NativeSocket.receiveMessage with IPV6_RECVPKTINFO on (MessageBench).
 * Returns n, -errno, or -EPROTO when a datagram came without IPV6_PKTINFO. */
API int64_t dsb_loop_recvmsg_pktinfo(int32_t fd, int64_t buf, int64_t len, int64_t n) {
    struct sockaddr_storage from;
    union { char b[256]; struct cmsghdr align; } control;
    int64_t ifsum = 0;
    for (int64_t i = 0; i < n; i++) {
        struct iovec iov = { (void *)(intptr_t)buf, (size_t)len };
        struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = control.b, .msg_controllen = sizeof control.b };
        if (recvmsg(fd, &msg, 0) < 0) return -errno;
        int found = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
                struct in6_pktinfo pi;
                memcpy(&pi, CMSG_DATA(c), sizeof pi);
                ifsum += pi.ipi6_ifindex;
                found = 1;
            }
        }
        if (!found) return -EPROTO;
    }
    return ifsum > 0 ? n : -EPROTO;
}

/* recvmsg of coalesced receives on a UDP_GRO socket until `datagrams` datagrams (counted from
 * each UDP_GRO segment size; 1 for a receive without one) have arrived. Returns the number of
 * recvmsg calls, or -errno (MessageBench's GRO floor). */
API int64_t dsb_loop_recvmsg_gro(int32_t fd, int64_t buf, int64_t len, int64_t datagrams) {
#ifdef UDP_GRO
    union { char b[64]; struct cmsghdr align; } control;
    int64_t got = 0, calls = 0;
    while (got < datagrams) {
        struct iovec iov = { (void *)(intptr_t)buf, (size_t)len };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b,
                              .msg_controllen = sizeof control.b };
        ssize_t rc = recvmsg(fd, &msg, 0);
        if (rc < 0) return -errno;
        calls++;
        int seg = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) memcpy(&seg, CMSG_DATA(c), sizeof seg);
        got += seg > 0 && rc > seg ? (rc + seg - 1) / seg : 1;
    }
    return calls;
#else
    return -ENOPROTOOPT;
#endif
}
