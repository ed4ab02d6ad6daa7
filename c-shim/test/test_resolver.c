/* ds_getaddrinfo flat format, buffer sizing, errors; ds_getnameinfo; ds_if_nametoindex. */
#include "ds_test.h"
#include "dualsock.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int32_t i32(const unsigned char *p) { int32_t v; memcpy(&v, p, 4); return v; }
static uint16_t u16(const unsigned char *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static void test_numeric_v4mapped(void) {
    unsigned char buf[4096];
    int32_t hints[4] = { AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED | AI_NUMERICHOST };
    int64_t need = ds_getaddrinfo("198.51.100.7", "80", hints, buf, sizeof buf);
    CHECK(need > DS_GAI_HEADER_SIZE && need <= (int64_t)sizeof buf);
    CHECK_EQ(i32(buf), 0);
    CHECK_EQ(i32(buf + 8), 1);
    const unsigned char *e = buf + DS_GAI_HEADER_SIZE;
    CHECK_EQ(i32(e), AF_INET6);
    CHECK_EQ(i32(e + 4), SOCK_STREAM);
    CHECK_EQ(i32(e + 8), IPPROTO_TCP);
    CHECK_EQ(u16(e + 16), 80);
    CHECK_EQ(u16(e + 18), 16);
    CHECK_EQ(i32(e + 28), -1);
    unsigned char want[16] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, 198,51,100,7 };
    CHECK(memcmp(e + 32, want, 16) == 0);
    CHECK_EQ(need, DS_GAI_HEADER_SIZE + DS_GAI_ENTRY_FIXED);
}

static void test_too_small_then_retry(void) {
    int32_t hints[4] = { AF_UNSPEC, 0, 0, AI_NUMERICHOST | AI_CANONNAME };
    unsigned char small[DS_GAI_HEADER_SIZE];
    int64_t need = ds_getaddrinfo("::1", "443", hints, small, sizeof small);
    CHECK(need > DS_GAI_HEADER_SIZE);
    CHECK_EQ(i32(small), 0);
    CHECK_EQ(i32(small + 8), 0); /* nothing claimed when it does not fit */
    unsigned char *big = malloc((size_t)need);
    int64_t again = ds_getaddrinfo("::1", "443", hints, big, need);
    CHECK_EQ(again, need);
    int32_t count = i32(big + 8);
    CHECK_EQ(count, 3); /* stream, dgram, raw */
    const unsigned char *e = big + DS_GAI_HEADER_SIZE;
    /* AI_CANONNAME puts the name on the first entry only: the literal itself here. */
    CHECK_EQ(i32(e + 28), 3);
    CHECK(strcmp((const char *)e + DS_GAI_ENTRY_FIXED, "::1") == 0);
    free(big);
}

static void test_errors(void) {
    unsigned char buf[256];
    int32_t bad_flags[4] = { AF_UNSPEC, 0, 0, 0x7fff0000 };
    ds_getaddrinfo("localhost", NULL, bad_flags, buf, sizeof buf);
    CHECK_EQ(i32(buf), EAI_BADFLAGS);
    int32_t fam[4] = { 12345, 0, 0, 0 };
    ds_getaddrinfo("localhost", NULL, fam, buf, sizeof buf);
    CHECK_EQ(i32(buf), EAI_FAMILY);
    int32_t num[4] = { AF_INET, 0, 0, AI_NUMERICHOST };
    ds_getaddrinfo("not-a-number", NULL, num, buf, sizeof buf);
    CHECK_EQ(i32(buf), EAI_NONAME);
    int32_t serv[4] = { AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST };
    ds_getaddrinfo("127.0.0.1", "no-such-service-xyz", serv, buf, sizeof buf);
    CHECK_EQ(i32(buf), EAI_SERVICE);
    int32_t none[4] = { AF_UNSPEC, 0, 0, 0 };
    CHECK_EQ(ds_getaddrinfo("x", NULL, none, NULL, 100), -EINVAL);
    CHECK_EQ(ds_getaddrinfo("x", NULL, NULL, buf, sizeof buf), -EINVAL);
    CHECK_EQ(ds_getaddrinfo("x", NULL, none, buf, 8), -EINVAL);
    CHECK(strcmp(ds_eai_name(EAI_NONAME), "EAI_NONAME") == 0);
    CHECK(ds_gai_strerror(EAI_NONAME) != NULL);
}

static void test_getnameinfo(void) {
    struct sockaddr_in6 s6;
    memset(&s6, 0, sizeof s6);
    s6.sin6_family = AF_INET6;
    s6.sin6_port = htons(8080);
    inet_pton(AF_INET6, "::ffff:198.51.100.9", &s6.sin6_addr);
    unsigned char out[8 + NI_MAXHOST + NI_MAXSERV];
    int rc = ds_getnameinfo(&s6, sizeof s6, out, sizeof out, NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(rc, 0);
    CHECK(strcmp((char *)out + 8, "::ffff:198.51.100.9") == 0);
    CHECK(strcmp((char *)out + 8 + NI_MAXHOST, "8080") == 0);
    CHECK_EQ(sizeof out, DS_NI_OUT_SIZE);

    /* unusable arguments: -EINVAL, libc not called, out untouched */
    memset(out, 0xa5, sizeof out);
    CHECK_EQ(ds_getnameinfo(&s6, sizeof s6, out, DS_NI_OUT_SIZE - 1, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(&s6, sizeof s6, out, 0, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(&s6, sizeof s6, NULL, sizeof out, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(NULL, sizeof s6, out, sizeof out, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(&s6, 0, out, sizeof out, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(&s6, -1, out, sizeof out, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(&s6, sizeof(struct sockaddr_storage) + 1, out, sizeof out, 0), -EINVAL);
    CHECK_EQ(ds_getnameinfo(&s6, 100000, out, sizeof out, 0), -EINVAL);
    int untouched = 1;
    for (size_t i = 0; i < sizeof out; i++) untouched &= out[i] == 0xa5;
    CHECK(untouched);

    /* libc's own failures come back as its EAI_* code, in the return value and in out */
    struct sockaddr_in6 short6 = s6;
    rc = ds_getnameinfo(&short6, sizeof(struct sockaddr_in), out, sizeof out, NI_NUMERICHOST);
    CHECK_EQ(rc, EAI_FAMILY);
    CHECK_EQ(i32(out), EAI_FAMILY);
    CHECK_EQ(out[DS_NI_HOST_OFFSET], 0);
    CHECK_EQ(ds_getnameinfo(&s6, sizeof s6, out, sizeof out, 0x40000000), EAI_BADFLAGS);

    /* -EINVAL can never be mistaken for one of those: no EAI_* code the shim knows equals it */
    for (int32_t i = 0; i < ds_constant_count(); i++)
        if (strncmp(ds_constant_name(i), "EAI_", 4) == 0) CHECK(ds_constant_value(i) != -EINVAL);
    CHECK(ds_eai_name(-EINVAL) == NULL);
}

static void test_if_nametoindex(void) {
    CHECK_EQ(ds_if_nametoindex("lo"), 1);
    CHECK_EQ(ds_if_nametoindex("no-such-if0"), -ENODEV);
    CHECK_EQ(ds_if_nametoindex("a-name-longer-than-IFNAMSIZ"), -ENODEV);
    CHECK_EQ(ds_if_nametoindex(NULL), -EINVAL);
}

static uint32_t u32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/*
 * Calls ds_getaddrinfo into a canary-filled buffer and getaddrinfo directly, and checks the
 * flat result entry by entry against libc's list: every field, 8-byte alignment, the NUL and
 * zero padding after each canonical name, nothing written past the returned size.
 */
static void check_against_libc(const char *host, const char *serv, int family, int socktype, int flags,
                               int want_count) {
    int32_t hints[4] = { family, socktype, 0, flags };
    size_t cap = 200000;
    unsigned char *buf = malloc(cap);
    memset(buf, 0xa5, cap);
    int64_t need = ds_getaddrinfo(host, serv, hints, buf, (int64_t)cap);
    CHECK(need >= DS_GAI_HEADER_SIZE && need <= (int64_t)cap);
    CHECK_EQ(i32(buf), 0);
    CHECK_EQ(i32(buf + 4), 0);
    CHECK_EQ(i32(buf + 12), 0);
    for (size_t i = (size_t)need; i < cap; i++) {
        if (buf[i] != 0xa5) { CHECK(!"byte written past the returned size"); break; }
    }
    struct addrinfo h, *res = NULL;
    memset(&h, 0, sizeof h);
    h.ai_family = family;
    h.ai_socktype = socktype;
    h.ai_flags = flags;
    CHECK_EQ(getaddrinfo(host, serv, &h, &res), 0);
    int n = 0;
    size_t off = DS_GAI_HEADER_SIZE;
    for (const struct addrinfo *ai = res; ai; ai = ai->ai_next, n++) {
        const unsigned char *e = buf + off;
        CHECK_EQ(off % 8, 0);
        CHECK_EQ(i32(e), ai->ai_family);
        CHECK_EQ(i32(e + 4), ai->ai_socktype);
        CHECK_EQ(i32(e + 8), ai->ai_protocol);
        CHECK_EQ(i32(e + 12), ai->ai_flags);
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
            CHECK_EQ(u16(e + 16), ntohs(sin->sin_port));
            CHECK_EQ(u16(e + 18), 4);
            CHECK(memcmp(e + 32, &sin->sin_addr, 4) == 0);
            CHECK_EQ(u32(e + 20), 0);
            CHECK_EQ(u32(e + 24), 0);
            for (int i = 36; i < 48; i++) CHECK_EQ(e[i], 0);
        } else {
            const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ai->ai_addr;
            CHECK_EQ(u16(e + 16), ntohs(s6->sin6_port));
            CHECK_EQ(u16(e + 18), 16);
            CHECK_EQ(u32(e + 20), ntohl(s6->sin6_flowinfo));
            CHECK_EQ(u32(e + 24), s6->sin6_scope_id);
            CHECK(memcmp(e + 32, &s6->sin6_addr, 16) == 0);
        }
        size_t size = DS_GAI_ENTRY_FIXED;
        if (ai->ai_canonname) {
            size_t len = strlen(ai->ai_canonname);
            CHECK_EQ(i32(e + 28), (int64_t)len);
            CHECK(memcmp(e + DS_GAI_ENTRY_FIXED, ai->ai_canonname, len) == 0);
            CHECK_EQ(e[DS_GAI_ENTRY_FIXED + len], 0);
            size += len + 1;
            for (size_t i = size; i < align8(size); i++) CHECK_EQ(e[i], 0); /* padding is zero */
        } else {
            CHECK_EQ(i32(e + 28), -1);
        }
        off += align8(size);
    }
    freeaddrinfo(res);
    CHECK_EQ(i32(buf + 8), n);
    CHECK_EQ(off, (size_t)need);
    if (want_count > 0) CHECK_EQ(n, want_count);
    free(buf);
}

static void test_matches_libc(void) {
    check_against_libc("::1", "443", AF_UNSPEC, 0, AI_NUMERICHOST | AI_CANONNAME, 3);
    check_against_libc("127.0.0.1", NULL, AF_UNSPEC, 0, AI_NUMERICHOST, 3);
    check_against_libc("198.51.100.7", "65535", AF_INET6, 0, AI_NUMERICHOST | AI_V4MAPPED, 3);
    check_against_libc("fe80::1%1", "22", AF_INET6, SOCK_STREAM, AI_NUMERICHOST, 1);
    check_against_libc(NULL, "8080", AF_UNSPEC, 0, AI_PASSIVE, 6);
    check_against_libc(NULL, "0", AF_UNSPEC, SOCK_DGRAM, 0, 2);
    /* canonical names of every length modulo 8, so every padding from 0 to 7 bytes */
    char host[64];
    for (int zeros = 1; zeros <= 9; zeros++) {
        snprintf(host, sizeof host, "127.%.*s1", zeros, "000000000");
        check_against_libc(host, "80", AF_UNSPEC, 0, AI_NUMERICHOST | AI_CANONNAME, 3);
    }
}

/* A canonical name far longer than any first buffer (libc copies a numeric host as is). */
static void test_long_canonical_name(void) {
    size_t zeros = 70000;
    char *host = malloc(zeros + 6);
    memcpy(host, "127.", 4);
    memset(host + 4, '0', zeros);
    memcpy(host + 4 + zeros, "1", 2);
    int32_t hints[4] = { AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST | AI_CANONNAME };
    unsigned char first[4096];
    int64_t need = ds_getaddrinfo(host, NULL, hints, first, sizeof first);
    CHECK_EQ(need, DS_GAI_HEADER_SIZE + (int64_t)align8(DS_GAI_ENTRY_FIXED + strlen(host) + 1));
    CHECK_EQ(i32(first), 0);
    CHECK_EQ(i32(first + 8), 0);
    check_against_libc(host, NULL, AF_INET, SOCK_STREAM, AI_NUMERICHOST | AI_CANONNAME, 1);
    free(host);
}

/* Every size below the need: the size is returned, count is 0, nothing past the header is written. */
static void test_every_small_size(void) {
    int32_t hints[4] = { AF_UNSPEC, 0, 0, AI_NUMERICHOST | AI_CANONNAME };
    unsigned char ref[1024];
    int64_t need = ds_getaddrinfo("2001:db8::1", "80", hints, ref, sizeof ref);
    CHECK_EQ(need, DS_GAI_HEADER_SIZE + 64 + 2 * 48); /* "2001:db8::1": 48 + 12 -> 64 */
    unsigned char buf[1024];
    for (int64_t len = DS_GAI_HEADER_SIZE; len <= need; len++) {
        memset(buf, 0xa5, sizeof buf);
        CHECK_EQ(ds_getaddrinfo("2001:db8::1", "80", hints, buf, len), need);
        CHECK_EQ(i32(buf), 0);
        if (len < need) {
            CHECK_EQ(i32(buf + 8), 0);
            for (size_t i = DS_GAI_HEADER_SIZE; i < sizeof buf; i++) {
                if (buf[i] != 0xa5) { CHECK(!"written past the header of a too-small buffer"); break; }
            }
        } else {
            CHECK_EQ(i32(buf + 8), 3);
            CHECK(memcmp(buf, ref, (size_t)need) == 0);
            CHECK_EQ(buf[need], 0xa5);
        }
    }
    /* errors fit the header whatever the buffer */
    int32_t num[4] = { AF_UNSPEC, 0, 0, AI_NUMERICHOST };
    memset(buf, 0xa5, sizeof buf);
    CHECK_EQ(ds_getaddrinfo("nope", NULL, num, buf, DS_GAI_HEADER_SIZE), DS_GAI_HEADER_SIZE);
    CHECK_EQ(i32(buf), EAI_NONAME);
    CHECK_EQ(i32(buf + 4), 0);
    CHECK_EQ(i32(buf + 8), 0);
    CHECK_EQ(buf[DS_GAI_HEADER_SIZE], 0xa5);
}

int main(void) {
    test_numeric_v4mapped();
    test_too_small_then_retry();
    test_matches_libc();
    test_long_canonical_name();
    test_every_small_size();
    test_errors();
    test_getnameinfo();
    test_if_nametoindex();
    TEST_MAIN_END();
}
