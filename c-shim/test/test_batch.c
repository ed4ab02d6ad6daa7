/* ds_batch_*: layout, sendmmsg/recvmmsg over loopback, source addresses, partial sends, bad
 * input; ds_send_segmented (UDP_SEGMENT) where the kernel has it. Loopback only. */
#include "ds_test.h"
#include "dualsock.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char *rec(void *b, int i) {
    return (unsigned char *)b + ds_batch_offset(b, DS_BATCH_OFF_SLOTS) + (int64_t)i * DS_BATCH_SLOT_SIZE;
}
static unsigned char *data(void *b, int i, int slot_size) {
    return (unsigned char *)b + ds_batch_offset(b, DS_BATCH_OFF_DATA) + (int64_t)i * slot_size;
}
static int32_t i32(const unsigned char *p) { int32_t v; memcpy(&v, p, 4); return v; }
static void set_i32(unsigned char *p, int32_t v) { memcpy(p, &v, 4); }
static void set_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

static void *new_batch(int slots, int slot_size) {
    int64_t n = ds_batch_bytes(slots, slot_size);
    if (n <= 0) return NULL;
    void *b = aligned_alloc(8, (size_t)((n + 7) & ~7));
    if (b && ds_batch_init(b, n, slots, slot_size) != 0) { free(b); return NULL; }
    return b;
}

/* A UDP socket bound to loopback; its address (with the kernel-chosen port) into ss. */
static int bound(int family, struct sockaddr_storage *ss) {
    int fd = ds_socket(family, SOCK_DGRAM, 0);
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)ss;
        s->sin_family = AF_INET;
        s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
        s->sin6_family = AF_INET6;
        s->sin6_addr = in6addr_any; /* dual stack: v4 senders show up as ::ffff:a.b.c.d */
        int off = 0;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    }
    /* bind(2) itself: these tests are about the batch calls */
    CHECK_EQ(bind(fd, (struct sockaddr *)ss, family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)), 0);
    socklen_t len = sizeof *ss;
    getsockname(fd, (struct sockaddr *)ss, &len);
    return fd;
}

static void put_dest(void *b, int i, const void *sa, socklen_t len) {
    memcpy(rec(b, i), sa, len);
    set_u32(rec(b, i) + DS_HOLDER_LEN_OFFSET, len);
}

/* A new batch whose every slot sends len bytes to sa. */
static void *new_dest_batch(int slots, int size, const void *sa, socklen_t salen, int32_t len) {
    void *b = new_batch(slots, size);
    for (int i = 0; i < slots; i++) {
        put_dest(b, i, sa, salen);
        set_i32(rec(b, i) + DS_BATCH_LEN_OFFSET, len);
    }
    return b;
}

static void test_layout_and_bad_shapes(void) {
    CHECK_EQ(ds_batch_bytes(0, 64), -EINVAL);
    CHECK_EQ(ds_batch_bytes(DS_BATCH_MAX_SLOTS + 1, 64), -EINVAL);
    CHECK_EQ(ds_batch_bytes(-1, 64), -EINVAL);
    CHECK_EQ(ds_batch_bytes(4, 0), -EINVAL);
    CHECK_EQ(ds_batch_bytes(4, DS_BATCH_MAX_SLOT_SIZE + 1), -EINVAL);
    CHECK(ds_batch_bytes(DS_BATCH_MAX_SLOTS, DS_BATCH_MAX_SLOT_SIZE) > (int64_t)DS_BATCH_MAX_SLOTS * DS_BATCH_MAX_SLOT_SIZE);
    int64_t n = ds_batch_bytes(4, 100);
    unsigned char *m = aligned_alloc(8, (size_t)n);
    CHECK_EQ(ds_batch_init(m, n - 1, 4, 100), -EINVAL);
    CHECK_EQ(ds_batch_init(m + 1, n - 8, 1, 1), -EINVAL);
    CHECK_EQ(ds_batch_init(NULL, n, 4, 100), -EINVAL);
    CHECK_EQ(ds_batch_init(m, n, 4, 100), 0);
    CHECK(ds_batch_offset(m, DS_BATCH_OFF_DATA) + 4 * 100 <= n);
    CHECK_EQ(ds_batch_offset(m, DS_BATCH_OFF_SLOTS), DS_BATCH_HEADER_SIZE);
    CHECK_EQ(ds_batch_offset(m, 7), -EINVAL);
    int fd = ds_socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(ds_batch_send(fd, m, 0, 0, 0), -EINVAL);
    CHECK_EQ(ds_batch_send(fd, m, 3, 2, 0), -EINVAL);
    CHECK_EQ(ds_batch_send(fd, m, -1, 1, 0), -EINVAL);
    CHECK_EQ(ds_batch_recv(fd, m, 0, 5, 0), -EINVAL);
    /* A scribbled header is refused instead of followed. */
    int64_t bogus = 1 << 20;
    memcpy(m + 16, &bogus, sizeof bogus);
    CHECK_EQ(ds_batch_send(fd, m, 0, 1, 0), -EINVAL);
    CHECK_EQ(ds_batch_offset(m, DS_BATCH_OFF_SLOTS), -EINVAL);
    ds_close(fd);
    free(m);
}

static void test_roundtrip_sources(void) {
    struct sockaddr_storage rx_addr, a4, a6;
    int rx = bound(AF_INET6, &rx_addr);
    int tx4 = bound(AF_INET, &a4);
    int tx6 = ds_socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    CHECK_EQ(bind(tx6, (struct sockaddr *)&any6, sizeof any6), 0);
    socklen_t l6 = sizeof a6;
    getsockname(tx6, (struct sockaddr *)&a6, &l6);
    uint16_t port = ((struct sockaddr_in6 *)&rx_addr)->sin6_port;

    const int slots = 8, size = 256;
    void *tb = new_batch(slots, size);
    void *rb = new_batch(slots, size);
    CHECK(tb && rb);
    /* IPv4 socket to 127.0.0.1: the receiver sees ::ffff:127.0.0.1 */
    struct sockaddr_in d4 = { .sin_family = AF_INET, .sin_port = port, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    for (int i = 0; i < 3; i++) {
        put_dest(tb, i, &d4, sizeof d4);
        memset(data(tb, i, size), 'a' + i, (size_t)(10 + i));
        set_i32(rec(tb, i) + DS_BATCH_LEN_OFFSET, 10 + i);
    }
    CHECK_EQ(ds_batch_send(tx4, tb, 0, 3, 0), 3);
    CHECK_EQ(i32(rec(tb, 2) + DS_BATCH_RES_OFFSET), 12);
    /* IPv6 socket to ::1 */
    struct sockaddr_in6 d6 = { .sin6_family = AF_INET6, .sin6_port = port, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    put_dest(tb, 3, &d6, sizeof d6);
    set_i32(rec(tb, 3) + DS_BATCH_LEN_OFFSET, 0); /* empty datagrams are datagrams */
    CHECK_EQ(ds_batch_send(tx6, tb, 3, 1, 0), 1);

    int got = ds_batch_recv(rx, rb, 0, slots, MSG_WAITFORONE);
    /* loopback delivers synchronously: all four are queued before recvmmsg */
    CHECK_EQ(got, 4);
    for (int i = 0; i < 4 && i < got; i++) {
        unsigned char *r = rec(rb, i);
        const struct sockaddr_in6 *src = (const struct sockaddr_in6 *)r;
        uint32_t alen;
        memcpy(&alen, r + DS_HOLDER_LEN_OFFSET, 4);
        CHECK_EQ(alen, sizeof(struct sockaddr_in6));
        CHECK_EQ(src->sin6_family, AF_INET6);
        if (i < 3) {
            CHECK(IN6_IS_ADDR_V4MAPPED(&src->sin6_addr));
            CHECK_EQ(src->sin6_addr.s6_addr[15], 1);
            CHECK_EQ(src->sin6_port, ((struct sockaddr_in *)&a4)->sin_port);
            CHECK_EQ(i32(r + DS_BATCH_LEN_OFFSET), 10 + i);
            CHECK_EQ(data(rb, i, size)[0], 'a' + i);
        } else {
            CHECK(IN6_IS_ADDR_LOOPBACK(&src->sin6_addr));
            CHECK_EQ(src->sin6_port, ((struct sockaddr_in6 *)&a6)->sin6_port);
            CHECK_EQ(i32(r + DS_BATCH_LEN_OFFSET), 0);
        }
        CHECK_EQ(i32(r + DS_BATCH_FLAGS_OFFSET) & MSG_TRUNC, 0);
    }
    /* A datagram longer than the slot: cut to slot_size, MSG_TRUNC in flags, msg_len the full
     * length when MSG_TRUNC is asked for. */
    unsigned char big[300];
    memset(big, 'z', sizeof big);
    CHECK_EQ(ds_sendto(tx4, big, sizeof big, 0, &d4), (int64_t)sizeof big);
    CHECK_EQ(ds_batch_recv(rx, rb, 5, 1, MSG_TRUNC), 1);
    CHECK_EQ(i32(rec(rb, 5) + DS_BATCH_LEN_OFFSET), size);
    CHECK_EQ(i32(rec(rb, 5) + DS_BATCH_RES_OFFSET), (int)sizeof big);
    CHECK(i32(rec(rb, 5) + DS_BATCH_FLAGS_OFFSET) & MSG_TRUNC);
    /* Nothing queued and non-blocking: -EAGAIN */
    CHECK_EQ(ds_batch_recv(rx, rb, 0, 2, MSG_DONTWAIT), -EAGAIN);
    ds_close(rx); ds_close(tx4); ds_close(tx6);
    free(tb); free(rb);
}

static void test_partial_and_bad_slots(void) {
    struct sockaddr_storage rx_addr, a4;
    int rx = bound(AF_INET, &rx_addr);
    int tx = bound(AF_INET, &a4);
    const int size = DS_BATCH_MAX_SLOT_SIZE;
    void *b = new_dest_batch(4, size, &rx_addr, sizeof(struct sockaddr_in), 64);
    /* The kernel refuses slot 2 (65535 bytes > IPv4's 65507): 2 sent, then the error. */
    set_i32(rec(b, 2) + DS_BATCH_LEN_OFFSET, 65535);
    CHECK_EQ(ds_batch_send(tx, b, 0, 4, 0), 2);
    CHECK_EQ(ds_batch_send(tx, b, 2, 2, 0), -EMSGSIZE);
    CHECK_EQ(ds_batch_send(tx, b, 3, 1, 0), 1);

    /* A length past the slot size stops the batch before that slot, in the shim. */
    void *s = new_dest_batch(3, 64, &rx_addr, sizeof(struct sockaddr_in), 8);
    set_i32(rec(s, 1) + DS_BATCH_LEN_OFFSET, 65);
    CHECK_EQ(ds_batch_send(tx, s, 0, 3, 0), 1);
    CHECK_EQ(ds_batch_send(tx, s, 1, 2, 0), -EMSGSIZE);
    set_i32(rec(s, 1) + DS_BATCH_LEN_OFFSET, -1);
    CHECK_EQ(ds_batch_send(tx, s, 1, 2, 0), -EMSGSIZE);
    set_i32(rec(s, 1) + DS_BATCH_LEN_OFFSET, 8);
    /* Unknown family in the destination: stopped by the shim. */
    uint16_t fam = AF_UNIX;
    memcpy(rec(s, 2), &fam, sizeof fam);
    CHECK_EQ(ds_batch_send(tx, s, 1, 2, 0), 1);
    CHECK_EQ(ds_batch_send(tx, s, 2, 1, 0), -EAFNOSUPPORT);
    /* An IPv6 destination on an IPv4 socket: the kernel's EAFNOSUPPORT. */
    struct sockaddr_in6 d6 = { .sin6_family = AF_INET6, .sin6_port = 9, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    put_dest(s, 2, &d6, sizeof d6);
    CHECK_EQ(ds_batch_send(tx, s, 0, 3, 0), 2);
    CHECK_EQ(ds_batch_send(tx, s, 2, 1, 0), -EAFNOSUPPORT);
    /* No destination on an unconnected socket */
    set_u32(rec(s, 0) + DS_HOLDER_LEN_OFFSET, 0);
    CHECK_EQ(ds_batch_send(tx, s, 0, 1, 0), -EDESTADDRREQ);
    /* ... and on a connected one it goes to the peer */
    CHECK_EQ(connect(tx, (struct sockaddr *)&rx_addr, sizeof(struct sockaddr_in)), 0);
    CHECK_EQ(ds_batch_send(tx, s, 0, 1, 0), 1);
    CHECK_EQ(ds_batch_send(-1, s, 0, 1, 0), -EBADF);
    ds_close(rx); ds_close(tx);
    free(b); free(s);
}

static void test_segmented(void) {
    struct sockaddr_storage rx_addr, a4;
    int rx = bound(AF_INET, &rx_addr);
    int tx = bound(AF_INET, &a4);
    int sup = ds_udp_segment_supported(tx);
    CHECK(sup == 0 || sup == 1);
    CHECK_EQ(ds_udp_segment_supported(-1), -EBADF);
    unsigned char buf[64 * 10];
    for (int i = 0; i < 10; i++) memset(buf + i * 64, '0' + i, 64);
    int64_t rc = ds_send_segmented(tx, buf, 64 * 9 + 10, 64, &rx_addr);
    CHECK_EQ(ds_send_segmented(tx, buf, 64, 0, &rx_addr), -EINVAL);
    if (sup == 1) {
        CHECK_EQ(rc, 64 * 9 + 10);
        void *rb = new_batch(16, 128);
        int got = 0;
        while (got < 10) {
            int n = ds_batch_recv(rx, rb, got, 16 - got, MSG_DONTWAIT);
            if (n <= 0) break;
            got += n;
        }
        CHECK_EQ(got, 10);
        for (int i = 0; i < got; i++) {
            CHECK_EQ(i32(rec(rb, i) + DS_BATCH_LEN_OFFSET), i < 9 ? 64 : 10);
            CHECK_EQ(data(rb, i, 128)[0], '0' + i);
        }
        free(rb);
    } else {
        printf("UDP_SEGMENT not supported here (ds_send_segmented: %lld)\n", (long long)rc);
        CHECK(rc < 0);
    }
    ds_close(rx); ds_close(tx);
}

int main(void) {
    test_layout_and_bad_shapes();
    test_roundtrip_sources();
    test_partial_and_bad_slots();
    test_segmented();
    TEST_MAIN_END();
}
