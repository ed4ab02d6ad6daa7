/*
 * The entry points that take a caller's sockaddr or data buffer: ds_bind, ds_connect,
 * ds_connect_timeout, ds_sendto, ds_send, ds_recvfrom, ds_recv, ds_getsockname,
 * ds_getpeername, on fuzzed address bytes (any family), payloads and lengths.
 * Checked: every return is >= 0 or a negative errno (never another value, never a crash);
 * an unknown family is -EAFNOSUPPORT before the kernel sees it; a holder's length never
 * exceeds sizeof(struct sockaddr_storage); a datagram sent whole is reported whole; and no
 * descriptor is left behind by any input (the lowest free descriptor is the same before and
 * after).
 *
 * REQUIRES a private network namespace (exit 77 otherwise): the addresses are fuzzed, so
 * connect and sendto may name any host; in the namespace only lo exists.
 *
 * Input: byte 0 = socket choice (bit0 IPv6, bit1 stream, bit2 blocking), byte 1 = operation,
 * byte 2 = payload length, byte 3 = timeout ms, then the sockaddr (up to 28 bytes), then payload.
 */
#include "fuzz_common.h"
#include "dualsock.h"
#include "ds_internal.h"
#include <fcntl.h>
#include <poll.h>

static int receiver4 = -1, receiver6 = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    ds_fuzz_isolate("fuzz_sockaddr", 1);
    /* a datagram receiver on each loopback, so that some fuzzed sends arrive somewhere */
    struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(9) };
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    receiver4 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    receiver6 = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (receiver4 < 0 || receiver6 < 0 || bind(receiver4, (struct sockaddr *)&a4, sizeof a4) < 0 ||
        bind(receiver6, (struct sockaddr *)&a6, sizeof a6) < 0) {
        perror("fuzz_sockaddr: receivers");
        abort();
    }
    return 0;
}

static int lowest_free_fd(void) {
    int fd = dup(0);
    if (fd < 0) abort();
    close(fd);
    return fd;
}

static void check_rc(int64_t rc) {
    if (rc < -4095) abort();
}

static void check_holder(const uint8_t *holder) {
    uint32_t len;
    memcpy(&len, holder + DS_HOLDER_LEN_OFFSET, 4);
    if (len > sizeof(struct sockaddr_storage)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int before = lowest_free_fd();
    struct ds_in in = { data, size };
    uint8_t sock = in_u8(&in), op = in_u8(&in);
    size_t paylen = in_u8(&in);
    int32_t timeout = in_u8(&in) % 8;
    size_t salen;
    uint8_t *raw = in_bytes(&in, sizeof(struct sockaddr_in6), &salen);
    /* The shim takes the length from the family: the caller's block must hold that much.
     * Make it exactly that big (or just the family field for unknown families). */
    uint8_t tmp[sizeof(struct sockaddr_in6)] = { 0 };
    memcpy(tmp, raw, salen);
    free(raw);
    socklen_t need = ds_sockaddr_len(tmp);
    size_t block = need ? need : sizeof(sa_family_t);
    uint8_t *sa = malloc(block);
    if (!sa) abort();
    memcpy(sa, tmp, block);
    size_t got;
    uint8_t *payload = in_bytes(&in, paylen, &got);

    int family = (sock & 1) ? AF_INET6 : AF_INET;
    int type = (sock & 2) ? SOCK_STREAM : SOCK_DGRAM;
    int fd = ds_socket(family, type | ((sock & 4) ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0) abort();
    uint8_t *holder = calloc(1, DS_HOLDER_SIZE);
    uint8_t *rbuf = malloc(256);
    if (!holder || !rbuf) abort();
    int64_t rc;
    switch (op % 6) {
    case 0:
        rc = ds_bind(fd, sa);
        check_rc(rc);
        if (!need && rc != -EAFNOSUPPORT) abort();
        if (rc == 0) {
            if (ds_getsockname(fd, holder) != 0) abort();
            check_holder(holder);
        }
        break;
    case 1:
        /* a blocking stream connect inside the namespace ends at once: refused or unreachable */
        rc = ds_connect(fd, sa);
        check_rc(rc);
        if (!need && rc != -EAFNOSUPPORT) abort();
        if (ds_getpeername(fd, holder) == 0) check_holder(holder);
        break;
    case 2:
        rc = ds_connect_timeout(fd, sa, timeout);
        check_rc(rc);
        if (!need && rc != -EAFNOSUPPORT) abort();
        /* the blocking mode the socket had is restored on every path */
        if (ds_get_nonblocking(fd) != !(sock & 4)) abort();
        break;
    case 3:
        rc = ds_sendto(fd, payload, (int64_t)got, 0, sa);
        check_rc(rc);
        if (!need && rc != -EAFNOSUPPORT) abort();
        if (rc >= 0 && type == SOCK_DGRAM && rc != (int64_t)got) abort();
        break;
    case 4:
        rc = ds_sendto(fd, payload, (int64_t)got, 0, NULL);
        check_rc(rc);
        rc = ds_send(fd, payload, -(int64_t)got - 1, 0);
        if (rc != -EINVAL) abort();
        break;
    default:
        /* drain what earlier inputs sent to the receivers */
        for (int r = 0; r < 2; r++) {
            int rfd = r ? receiver6 : receiver4;
            rc = ds_recvfrom(rfd, rbuf, 256, 0, holder);
            check_rc(rc);
            if (rc >= 0) check_holder(holder);
            rc = ds_recv(rfd, rbuf, (int64_t)(paylen % 257), MSG_DONTWAIT);
            check_rc(rc);
        }
        if (ds_recvfrom(fd, rbuf, -1, 0, holder) != -EINVAL) abort();
        break;
    }
    if (ds_bind(fd, NULL) != -EFAULT || ds_connect(fd, NULL) != -EFAULT) abort();
    if (ds_close(fd) != 0) abort();
    free(rbuf);
    free(holder);
    free(payload);
    free(sa);
    if (lowest_free_fd() != before) abort();
    return 0;
}
