/*
 * Shared by the libFuzzer targets in this directory (and by replay_main.c, which runs the same
 * targets over saved inputs when libFuzzer is not available).
 *
 * Network safety. A fuzzer must never make this process send anything off the machine: no DNS
 * query for a fuzzed name, no reverse lookup, no SYN or datagram to a fuzzed address. Two
 * layers, both always on:
 *  1. the inputs are constrained: getaddrinfo always gets AI_NUMERICHOST, getnameinfo always
 *     NI_NUMERICHOST|NI_NUMERICSERV, so libc has no name to look up;
 *  2. the process moves into a private, empty network namespace first (ds_fuzz_isolate), where
 *     only a loopback device exists: even a lookup or a packet that slipped past layer 1 has no
 *     route out. Targets that create sockets and connect/send to fuzzed addresses REQUIRE it and
 *     exit with DS_FUZZ_SKIP (77) when the namespace cannot be made (not root); the resolver
 *     targets use it when they can and rely on layer 1 alone otherwise.
 */
#ifndef DS_FUZZ_COMMON_H
#define DS_FUZZ_COMMON_H

#define _GNU_SOURCE 1
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define DS_FUZZ_SKIP 77

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Brings lo up in the current namespace (a new one starts with it down). */
static inline int ds_fuzz_lo_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = 0;
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) rc = -errno;
    ifr.ifr_flags |= IFF_UP;
    if (rc == 0 && ioctl(s, SIOCSIFFLAGS, &ifr) < 0) rc = -errno;
    close(s);
    return rc;
}

/*
 * Moves this process into a fresh network namespace with only lo (up). Returns 1 when done,
 * 0 when not possible; with required != 0 a failure ends the process with DS_FUZZ_SKIP.
 */
static inline int ds_fuzz_isolate(const char *target, int required) {
    static int done = -1;
    if (done >= 0) return done;
    if (unshare(CLONE_NEWNET) == 0 && ds_fuzz_lo_up() == 0) {
        fprintf(stderr, "%s: running in a private network namespace (only lo)\n", target);
        return done = 1;
    }
    int err = errno;
    if (required) {
        fprintf(stderr, "%s: SKIP: needs a private network namespace (unshare(CLONE_NEWNET): %s; run as root)"
                " because it connects and sends to fuzzed addresses\n", target, strerror(err));
        exit(DS_FUZZ_SKIP);
    }
    fprintf(stderr, "%s: no private network namespace (%s): relying on numeric-only flags\n", target,
            strerror(err));
    return done = 0;
}

/*
 * n bytes (n <= 4096) ending exactly where an inaccessible page begins: libc reads past the
 * caller's block fault at once even though AddressSanitizer cannot see inside libc. One
 * block per process, reused by every input.
 */
static inline uint8_t *ds_guarded(size_t n) {
    static uint8_t *page;
    if (!page) {
        page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED || mprotect(page + 4096, 4096, PROT_NONE) != 0) abort();
    }
    if (n > 4096) abort();
    return page + 4096 - n;
}

/* A tiny reader over the fuzzer's bytes: reads past the end give zeros. */
struct ds_in {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t in_u8(struct ds_in *in) {
    if (in->n == 0) return 0;
    uint8_t v = *in->p++;
    in->n--;
    return v;
}

static inline uint32_t in_u32(struct ds_in *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | in_u8(in);
    return v;
}

/* Up to max bytes into a fresh exactly-sized heap buffer (so ASan sees any over-read). */
static inline uint8_t *in_bytes(struct ds_in *in, size_t want, size_t *got) {
    size_t n = want < in->n ? want : in->n;
    uint8_t *b = malloc(n ? n : 1);
    if (!b) abort();
    memcpy(b, in->p, n);
    in->p += n;
    in->n -= n;
    *got = n;
    return b;
}

/*
 * A NUL-terminated string of the next bytes up to (not including) a 0xff separator or the end;
 * interior NULs stay (C sees the string up to the first one, as a caller's would). Exactly
 * sized on the heap.
 */
static inline char *in_cstr(struct ds_in *in) {
    size_t n = 0;
    while (n < in->n && in->p[n] != 0xff) n++;
    char *s = malloc(n + 1);
    if (!s) abort();
    memcpy(s, in->p, n);
    s[n] = '\0';
    in->p += n;
    in->n -= n;
    if (in->n) { in->p++; in->n--; } /* the separator */
    return s;
}

#endif
