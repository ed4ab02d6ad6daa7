/* ds_getaddrinfo flat format, buffer sizing, errors; ds_getnameinfo; inet_pton/ntop. */
#include "ds_test.h"
#include "dualsock.h"
#include "ds_internal.h"
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
    CHECK_EQ(ds_getnameinfo(&s6, sizeof s6, out, 10, 0), 1);
    CHECK_EQ(ds_getnameinfo(NULL, sizeof s6, out, sizeof out, 0), 1);
    CHECK_EQ(ds_getnameinfo(&s6, 100000, out, sizeof out, 0), 1);
}

static void test_pton_ntop(void) {
    unsigned char a[16];
    char text[64];
    CHECK_EQ(ds_inet_pton(AF_INET6, "::ffff:198.51.100.1", a), 1);
    CHECK(ds_inet_ntop(AF_INET6, a, text, sizeof text) > 0);
    CHECK(strcmp(text, "::ffff:198.51.100.1") == 0);
    CHECK_EQ(ds_inet_pton(AF_INET, "127.1", a), 0);
    CHECK_EQ(ds_inet_pton(12345, "1.2.3.4", a), -EAFNOSUPPORT);
    CHECK_EQ(ds_inet_ntop(AF_INET6, a, text, 2), -ENOSPC);
    CHECK_EQ(ds_if_nametoindex("lo"), 1);
    CHECK_EQ(ds_if_indextoname(1, text, sizeof text), 2);
}

int main(void) {
    test_numeric_v4mapped();
    test_too_small_then_retry();
    test_errors();
    test_getnameinfo();
    test_pton_ntop();
    TEST_MAIN_END();
}
