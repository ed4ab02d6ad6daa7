/* ds_recvmsg/ds_sendmsg with control messages, and per-slot control data in a batch: what the
 * kernel delivers on loopback (IP_PKTINFO, IPV6_PKTINFO on a dual-stack socket, IP_TOS, UDP_GRO,
 * SO_TIMESTAMPNS), MSG_CTRUNC and MSG_TRUNC reported, bad input refused. Loopback only. */
#include "ds_test.h"
#include "dualsock.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void set_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static int32_t i32(const unsigned char *p) { int32_t v; memcpy(&v, p, 4); return v; }
static void set_i32(unsigned char *p, int32_t v) { memcpy(p, &v, 4); }
static int on(int fd, int level, int name) { int one = 1; return setsockopt(fd, level, name, &one, sizeof one); }

/* A UDP socket bound to 127.0.0.1 (AF_INET) or :: (AF_INET6, dual stack unless v6only). */
static int bound(int family, int v6only, struct sockaddr_storage *ss) {
    int fd = ds_socket(family, SOCK_DGRAM, 0);
    memset(ss, 0, sizeof *ss);
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)ss;
        s->sin_family = AF_INET;
        s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *s;
    } else {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
        s->sin6_family = AF_INET6;
        s->sin6_addr = in6addr_any;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
        len = sizeof *s;
    }
    CHECK_EQ(bind(fd, (struct sockaddr *)ss, len), 0);
    len = sizeof *ss;
    getsockname(fd, (struct sockaddr *)ss, &len);
    return fd;
}

/* A holder with an address in it. */
static void holder_of(unsigned char *h, const void *sa, socklen_t len) {
    memset(h, 0, DS_HOLDER_SIZE);
    memcpy(h, sa, len);
    set_u32(h + DS_HOLDER_LEN_OFFSET, len);
}

static struct sockaddr_in v4(const char *a, in_port_t port) {
    struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = port };
    inet_pton(AF_INET, a, &s.sin_addr);
    return s;
}

static struct sockaddr_in6 v6(const char *a, in_port_t port) {
    struct sockaddr_in6 s = { .sin6_family = AF_INET6, .sin6_port = port };
    inet_pton(AF_INET6, a, &s.sin6_addr);
    return s;
}

struct got {
    int64_t n;
    int flags, controllen;
    int ip_pktinfo, ipv6_pktinfo, tos, tclass, gro, stamp;
    struct in_pktinfo pi;
    struct in6_pktinfo pi6;
    int tos_value, tclass_value, gro_size;
    struct timespec ts;
};

/* One ds_recvmsg with a control buffer of cap bytes; the control messages decoded with libc's macros. */
static struct got receive(int fd, unsigned char *buf, int64_t len, int cap) {
    struct got g = { 0 };
    union { unsigned char b[512]; struct cmsghdr align; } control;
    unsigned char holder[DS_HOLDER_SIZE];
    struct ds_msg m = { .buf = (uintptr_t)buf, .len = len, .name = (uintptr_t)holder,
                        .control = (uintptr_t)control.b, .controllen = cap };
    g.n = ds_recvmsg(fd, &m, 0);
    if (g.n < 0) return g;
    g.flags = m.flags;
    g.controllen = m.controllen;
    struct msghdr h = { .msg_control = control.b, .msg_controllen = (size_t)m.controllen };
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            g.ip_pktinfo++;
            memcpy(&g.pi, CMSG_DATA(c), sizeof g.pi);
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            g.ipv6_pktinfo++;
            memcpy(&g.pi6, CMSG_DATA(c), sizeof g.pi6);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
            g.tos++;
            g.tos_value = *CMSG_DATA(c); /* one byte on receive */
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
            g.tclass++;
            memcpy(&g.tclass_value, CMSG_DATA(c), sizeof(int));
        } else if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
            g.gro++;
            memcpy(&g.gro_size, CMSG_DATA(c), sizeof(int));
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            g.stamp++;
            memcpy(&g.ts, CMSG_DATA(c), sizeof g.ts);
        }
    }
    return g;
}

/* ds_sendmsg of len bytes to sa with the control bytes given. */
static int64_t send_ctl(int fd, const void *sa, socklen_t salen, const void *buf, int64_t len, void *control,
                        int32_t controllen) {
    unsigned char holder[DS_HOLDER_SIZE];
    holder_of(holder, sa, salen);
    struct ds_msg m = { .buf = (uintptr_t)buf, .len = len, .name = (uintptr_t)holder,
                        .control = (uintptr_t)control, .controllen = controllen };
    return ds_sendmsg(fd, &m, 0);
}

/* An IP_TOS (or IPV6_TCLASS) control message of value v into control; returns its length. */
static int32_t tos_cmsg(void *control, int level, int type, int v) {
    struct msghdr h = { .msg_control = control, .msg_controllen = CMSG_SPACE(sizeof(int)) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = level;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &v, sizeof v);
    return (int32_t)CMSG_SPACE(sizeof(int));
}

static void test_ipv4_pktinfo_tos_timestamp(void) {
    struct sockaddr_storage rx_addr;
    int rx = bound(AF_INET, 0, &rx_addr);
    CHECK_EQ(on(rx, IPPROTO_IP, IP_PKTINFO), 0);
    CHECK_EQ(on(rx, IPPROTO_IP, IP_RECVTOS), 0);
    CHECK_EQ(on(rx, SOL_SOCKET, SO_TIMESTAMPNS), 0);
    int tx = ds_socket(AF_INET, SOCK_DGRAM, 0);
    union { unsigned char b[64]; struct cmsghdr align; } control;
    int32_t clen = tos_cmsg(control.b, IPPROTO_IP, IP_TOS, 0x2e << 2 | 1); /* DSCP EF, ECT(1) */
    struct timespec before;
    clock_gettime(CLOCK_REALTIME, &before);
    CHECK_EQ(send_ctl(tx, &rx_addr, sizeof(struct sockaddr_in), "hello", 5, control.b, clen), 5);
    unsigned char buf[64];
    struct got g = receive(rx, buf, sizeof buf, 512);
    CHECK_EQ(g.n, 5);
    CHECK_EQ(g.flags & (MSG_TRUNC | MSG_CTRUNC), 0);
    CHECK_EQ(g.ip_pktinfo, 1);
    CHECK_EQ(g.pi.ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
    CHECK_EQ(g.pi.ipi_ifindex, 1); /* lo */
    CHECK_EQ(g.tos, 1);
    CHECK_EQ(g.tos_value, 0x2e << 2 | 1);
    CHECK_EQ(g.stamp, 1);
    CHECK(g.ts.tv_sec >= before.tv_sec);

    /* room for less than all of them: MSG_CTRUNC, and what fitted is there */
    CHECK_EQ(send_ctl(tx, &rx_addr, sizeof(struct sockaddr_in), "x", 1, NULL, 0), 1);
    g = receive(rx, buf, sizeof buf, (int)CMSG_SPACE(sizeof(struct in_pktinfo)));
    CHECK_EQ(g.n, 1);
    CHECK(g.flags & MSG_CTRUNC);
    CHECK(g.controllen <= (int)CMSG_SPACE(sizeof(struct in_pktinfo)));
    /* data longer than the buffer: MSG_TRUNC */
    CHECK_EQ(send_ctl(tx, &rx_addr, sizeof(struct sockaddr_in), "0123456789", 10, NULL, 0), 10);
    g = receive(rx, buf, 4, 512);
    CHECK_EQ(g.n, 4);
    CHECK(g.flags & MSG_TRUNC);
    close(tx);
    close(rx);
}

/* The dual-stack facts: which PKTINFO an IPv4 and an IPv6 datagram bring to an AF_INET6 socket on ::. */
static void test_dual_stack_pktinfo(void) {
    for (int opts = 1; opts <= 3; opts++) { /* 1: IP_PKTINFO, 2: IPV6_RECVPKTINFO, 3: both */
        struct sockaddr_storage rx_addr;
        int rx = bound(AF_INET6, 0, &rx_addr);
        if (opts & 1) CHECK_EQ(on(rx, IPPROTO_IP, IP_PKTINFO), 0);
        if (opts & 2) CHECK_EQ(on(rx, IPPROTO_IPV6, IPV6_RECVPKTINFO), 0);
        in_port_t port = ((struct sockaddr_in6 *)&rx_addr)->sin6_port;
        int tx4 = ds_socket(AF_INET, SOCK_DGRAM, 0), tx6 = ds_socket(AF_INET6, SOCK_DGRAM, 0);
        struct sockaddr_in to4 = v4("127.0.0.1", port);
        struct sockaddr_in6 to6 = v6("::1", port);
        unsigned char buf[16];
        CHECK_EQ(send_ctl(tx4, &to4, sizeof to4, "4", 1, NULL, 0), 1);
        struct got g = receive(rx, buf, sizeof buf, 512);
        CHECK_EQ(g.n, 1);
        CHECK_EQ(g.ip_pktinfo, (opts & 1) ? 1 : 0);
        if (opts & 1) CHECK_EQ(g.pi.ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(g.ipv6_pktinfo, (opts & 2) ? 1 : 0);
        if (opts & 2) {
            struct in6_addr mapped;
            inet_pton(AF_INET6, "::ffff:127.0.0.1", &mapped);
            CHECK(memcmp(&g.pi6.ipi6_addr, &mapped, 16) == 0);
            CHECK_EQ(g.pi6.ipi6_ifindex, 1);
        }
        CHECK_EQ(send_ctl(tx6, &to6, sizeof to6, "6", 1, NULL, 0), 1);
        g = receive(rx, buf, sizeof buf, 512);
        CHECK_EQ(g.n, 1);
        CHECK_EQ(g.ip_pktinfo, 0); /* never for IPv6 */
        CHECK_EQ(g.ipv6_pktinfo, (opts & 2) ? 1 : 0);
        if (opts & 2) CHECK(memcmp(&g.pi6.ipi6_addr, &in6addr_loopback, 16) == 0);
        close(tx4);
        close(tx6);
        close(rx);
    }
}

/* Sending with a source address: IP_PKTINFO's ipi_spec_dst picks the source of an IPv4 datagram. */
static void test_send_pktinfo_source(void) {
    struct sockaddr_storage rx_addr;
    int rx = bound(AF_INET6, 0, &rx_addr);
    CHECK_EQ(on(rx, IPPROTO_IP, IP_PKTINFO), 0);
    in_port_t port = ((struct sockaddr_in6 *)&rx_addr)->sin6_port;
    int tx = ds_socket(AF_INET, SOCK_DGRAM, 0);
    union { unsigned char b[64]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct cmsghdr *c = (struct cmsghdr *)control.b;
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
    struct in_pktinfo pi = { 0 };
    inet_pton(AF_INET, "127.0.0.2", &pi.ipi_spec_dst);
    memcpy(CMSG_DATA(c), &pi, sizeof pi);
    struct sockaddr_in to = v4("127.0.0.1", port);
    CHECK_EQ(send_ctl(tx, &to, sizeof to, "s", 1, control.b, (int32_t)CMSG_SPACE(sizeof pi)), 1);
    unsigned char buf[8], holder[DS_HOLDER_SIZE];
    struct ds_msg m = { .buf = (uintptr_t)buf, .len = sizeof buf, .name = (uintptr_t)holder };
    CHECK_EQ(ds_recvmsg(rx, &m, 0), 1);
    struct sockaddr_in6 from;
    memcpy(&from, holder, sizeof from);
    char text[64];
    inet_ntop(AF_INET6, &from.sin6_addr, text, sizeof text);
    CHECK(strcmp(text, "::ffff:127.0.0.2") == 0);
    CHECK_EQ(i32(holder + DS_HOLDER_LEN_OFFSET), sizeof(struct sockaddr_in6));
    close(tx);
    close(rx);
}

/* UDP_GRO: 16 segments of 64 bytes from one UDP_SEGMENT send arrive as one receive of 1024 bytes. */
static void test_gro(void) {
    struct sockaddr_storage rx_addr;
    int rx = bound(AF_INET, 0, &rx_addr);
    int tx = ds_socket(AF_INET, SOCK_DGRAM, 0);
    if (on(rx, SOL_UDP, UDP_GRO) != 0 || ds_udp_segment_supported(tx) != 1) {
        printf("UDP_GRO/UDP_SEGMENT not supported here\n");
        close(tx);
        close(rx);
        return;
    }
    union { unsigned char b[64]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct cmsghdr *c = (struct cmsghdr *)control.b;
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    uint16_t seg = 64;
    memcpy(CMSG_DATA(c), &seg, sizeof seg);
    static unsigned char big[65536];
    memset(big, 'g', 1024);
    CHECK_EQ(send_ctl(tx, &rx_addr, sizeof(struct sockaddr_in), big, 1024, control.b,
                      (int32_t)CMSG_SPACE(sizeof(uint16_t))), 1024);
    struct got g = receive(rx, big, sizeof big, 512);
    CHECK_EQ(g.n, 1024);
    CHECK_EQ(g.gro, 1);
    CHECK_EQ(g.gro_size, 64);
    close(tx);
    close(rx);
}

static void test_bad_input(void) {
    int fd = ds_socket(AF_INET, SOCK_DGRAM, 0);
    unsigned char buf[8];
    union { unsigned char b[64]; struct cmsghdr align; } control;
    CHECK_EQ(ds_recvmsg(fd, NULL, 0), -EINVAL);
    CHECK_EQ(ds_sendmsg(fd, NULL, 0), -EINVAL);
    union { unsigned char b[48]; uint64_t align; } raw;
    CHECK_EQ(ds_recvmsg(fd, raw.b + 4, 0), -EINVAL); /* misaligned descriptor */
    struct ds_msg m = { .buf = (uintptr_t)buf, .len = -1 };
    CHECK_EQ(ds_recvmsg(fd, &m, 0), -EINVAL);
    m.len = sizeof buf;
    m.controllen = -1;
    CHECK_EQ(ds_recvmsg(fd, &m, 0), -EINVAL);
    m.controllen = 16; /* control NULL */
    CHECK_EQ(ds_sendmsg(fd, &m, 0), -EINVAL);
    m.control = (uintptr_t)(control.b + 4); /* misaligned control */
    CHECK_EQ(ds_recvmsg(fd, &m, 0), -EINVAL);
    m.buf = 0; /* data NULL with a length */
    m.control = 0;
    m.controllen = 0;
    CHECK_EQ(ds_sendmsg(fd, &m, 0), -EINVAL);
    /* a destination of no known family */
    unsigned char holder[DS_HOLDER_SIZE] = { 0 };
    struct ds_msg s = { .buf = (uintptr_t)buf, .len = 1, .name = (uintptr_t)holder };
    CHECK_EQ(ds_sendmsg(fd, &s, 0), -EAFNOSUPPORT);
    /* a control message the kernel refuses: cmsg_len beyond controllen */
    struct sockaddr_in to = v4("127.0.0.1", htons(9));
    struct cmsghdr *c = (struct cmsghdr *)control.b;
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_TOS;
    c->cmsg_len = 60;
    CHECK_EQ(send_ctl(fd, &to, sizeof to, buf, 1, control.b, 24), -EINVAL);
    CHECK_EQ(ds_recvmsg(-1, &(struct ds_msg){ .buf = (uintptr_t)buf, .len = 1 }, 0), -EBADF);
    close(fd);
    /* nothing queued, MSG_DONTWAIT: EAGAIN */
    struct sockaddr_storage a;
    int rx = bound(AF_INET, 0, &a);
    struct ds_msg r = { .buf = (uintptr_t)buf, .len = sizeof buf };
    CHECK_EQ(ds_recvmsg(rx, &r, MSG_DONTWAIT), -EAGAIN);
    close(rx);
}

/* A batch with control regions: per-slot IP_PKTINFO on receive, per-slot IP_TOS on send. */
static void test_batch_control(void) {
    CHECK_EQ(ds_batch_control_bytes(2, 64, -1), -EINVAL);
    CHECK_EQ(ds_batch_control_bytes(2, 64, DS_BATCH_MAX_CONTROL + 1), -EINVAL);
    CHECK_EQ(ds_batch_control_bytes(2, 64, 0), ds_batch_bytes(2, 64));
    int slots = 2, size = 64, csize = 100; /* not a multiple of 8: each region still aligned */
    int64_t n = ds_batch_control_bytes(slots, size, csize);
    unsigned char *b = aligned_alloc(8, (size_t)((n + 7) & ~7));
    CHECK_EQ(ds_batch_init_control(b, n, slots, size, csize), 0);
    int64_t coff = ds_batch_offset(b, DS_BATCH_OFF_CONTROL);
    CHECK(coff > 0 && coff % 8 == 0 && coff + 2 * 104 <= n);
    unsigned char *plain = aligned_alloc(8, (size_t)ds_batch_bytes(1, 8));
    ds_batch_init(plain, ds_batch_bytes(1, 8), 1, 8);
    CHECK_EQ(ds_batch_offset(plain, DS_BATCH_OFF_CONTROL), -EINVAL);
    free(plain);

    struct sockaddr_storage rx_addr;
    int rx = bound(AF_INET, 0, &rx_addr);
    CHECK_EQ(on(rx, IPPROTO_IP, IP_PKTINFO), 0);
    CHECK_EQ(on(rx, IPPROTO_IP, IP_RECVTOS), 0);
    int tx = ds_socket(AF_INET, SOCK_DGRAM, 0);
    unsigned char *slots_at = b + ds_batch_offset(b, DS_BATCH_OFF_SLOTS);
    for (int i = 0; i < slots; i++) {
        unsigned char *r = slots_at + i * DS_BATCH_SLOT_SIZE;
        holder_of(r, &rx_addr, sizeof(struct sockaddr_in));
        set_i32(r + DS_BATCH_LEN_OFFSET, 3);
        set_i32(r + DS_BATCH_CONTROL_LEN_OFFSET, tos_cmsg(b + coff + i * 104, IPPROTO_IP, IP_TOS, 4 * (i + 1)));
    }
    set_i32(slots_at + DS_BATCH_CONTROL_LEN_OFFSET, csize + 1);
    CHECK_EQ(ds_batch_send(tx, b, 0, 2, 0), -EINVAL); /* control length beyond the region */
    set_i32(slots_at + DS_BATCH_CONTROL_LEN_OFFSET, (int32_t)CMSG_SPACE(sizeof(int)));
    CHECK_EQ(ds_batch_send(tx, b, 0, 2, 0), 2);
    memset(b + coff, 0, 2 * 104);
    CHECK_EQ(ds_batch_recv(rx, b, 0, 2, 0), 2);
    for (int i = 0; i < slots; i++) {
        unsigned char *r = slots_at + i * DS_BATCH_SLOT_SIZE;
        struct msghdr h = { .msg_control = b + coff + i * 104,
                            .msg_controllen = (size_t)i32(r + DS_BATCH_CONTROL_LEN_OFFSET) };
        CHECK(h.msg_controllen > 0);
        CHECK_EQ(i32(r + DS_BATCH_FLAGS_OFFSET) & MSG_CTRUNC, 0);
        int pktinfo = 0, tos = -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) pktinfo++;
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) tos = *CMSG_DATA(c);
        }
        CHECK_EQ(pktinfo, 1);
        CHECK_EQ(tos, 4 * (i + 1));
    }
    close(tx);
    close(rx);
    free(b);
}

int main(void) {
    test_ipv4_pktinfo_tos_timestamp();
    test_dual_stack_pktinfo();
    test_send_pktinfo_source();
    test_gro();
    test_bad_input();
    test_batch_control();
    TEST_MAIN_END();
}
