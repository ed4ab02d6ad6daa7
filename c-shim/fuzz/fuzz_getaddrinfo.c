/*
 * ds_getaddrinfo with fuzzed host, service, hints and buffer size, checked against libc's own
 * getaddrinfo called directly: same status, and the flat buffer holds exactly libc's list
 * (family, socktype, protocol, flags, address, port, flowinfo, scope, canonical name), in
 * libc's order, at the documented offsets. The result buffer is an exactly-sized heap block,
 * so a write past buflen is an AddressSanitizer report.
 *
 * AI_NUMERICHOST is always set: a fuzzed host must never become a DNS query (see fuzz_common.h).
 *
 * Input: byte 0 = selector (bit0 host NULL, bit1 service NULL, bits2-3 family choice,
 * bits4-5 socktype choice, bit6 raw protocol), byte 1 = buffer size choice (bits0-1), then
 * family/socktype/protocol/flags as big-endian u32, then host and service separated by 0xff.
 */
#include "fuzz_common.h"
#include "dualsock.h"
#include <arpa/inet.h>
#include <netdb.h>

static int32_t rd_i32(const uint8_t *p) { int32_t v; memcpy(&v, p, 4); return v; }
static uint32_t rd_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    ds_fuzz_isolate("fuzz_getaddrinfo", 0);
    return 0;
}

/* Checks the flat buffer (need bytes, status 0) against libc's list, entry by entry. */
static void compare(const uint8_t *buf, int64_t need, const struct addrinfo *res) {
    int32_t count = rd_i32(buf + 8);
    const uint8_t *e = buf + DS_GAI_HEADER_SIZE;
    int32_t i = 0;
    for (const struct addrinfo *ai = res; ai; ai = ai->ai_next, i++) {
        if (i >= count) abort();
        if (e + DS_GAI_ENTRY_FIXED > buf + need) abort();
        if (rd_i32(e) != ai->ai_family || rd_i32(e + 4) != ai->ai_socktype ||
            rd_i32(e + 8) != ai->ai_protocol || rd_i32(e + 12) != ai->ai_flags)
            abort();
        uint16_t alen = rd_u16(e + 18);
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *s = (const struct sockaddr_in *)ai->ai_addr;
            if (alen != 4 || rd_u16(e + 16) != ntohs(s->sin_port) || memcmp(e + 32, &s->sin_addr, 4) != 0)
                abort();
        } else if (ai->ai_family == AF_INET6) {
            const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ai->ai_addr;
            if (alen != 16 || rd_u16(e + 16) != ntohs(s->sin6_port) ||
                rd_u32(e + 20) != ntohl(s->sin6_flowinfo) || rd_u32(e + 24) != s->sin6_scope_id ||
                memcmp(e + 32, &s->sin6_addr, 16) != 0)
                abort();
        } else if (alen != 0) {
            abort();
        }
        int32_t clen = rd_i32(e + 28);
        size_t size = DS_GAI_ENTRY_FIXED;
        if (ai->ai_canonname) {
            size_t n = strlen(ai->ai_canonname);
            if (clen != (int32_t)n || e + DS_GAI_ENTRY_FIXED + n + 1 > buf + need) abort();
            if (memcmp(e + DS_GAI_ENTRY_FIXED, ai->ai_canonname, n + 1) != 0) abort();
            size += n + 1;
        } else if (clen != -1) {
            abort();
        }
        e += (size + 7) & ~(size_t)7;
    }
    if (i != count || e != buf + need) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const int families[] = { AF_UNSPEC, AF_INET, AF_INET6, -1 };
    static const int socktypes[] = { 0, SOCK_STREAM, SOCK_DGRAM, -1 };
    static const int64_t sizes[] = { DS_GAI_HEADER_SIZE, 64, 4096, -1 };
    struct ds_in in = { data, size };
    uint8_t sel = in_u8(&in);
    uint8_t sel2 = in_u8(&in);
    int32_t hints[4];
    uint32_t rf = in_u32(&in), rs = in_u32(&in), rp = in_u32(&in), fl = in_u32(&in);
    hints[0] = families[(sel >> 2) & 3] >= 0 ? families[(sel >> 2) & 3] : (int32_t)rf;
    hints[1] = socktypes[(sel >> 4) & 3] >= 0 ? socktypes[(sel >> 4) & 3] : (int32_t)rs;
    hints[2] = (sel & 0x40) ? (int32_t)rp : 0;
    hints[3] = (int32_t)fl | AI_NUMERICHOST;
    char *host = in_cstr(&in);
    char *serv = in_cstr(&in);
    const char *h = (sel & 1) ? NULL : host;
    const char *s = (sel & 2) ? NULL : serv;
    int64_t buflen = sizes[sel2 & 3];
    if (buflen < 0) buflen = DS_GAI_HEADER_SIZE + (rp & 0x3ff);

    uint8_t *buf = malloc((size_t)buflen);
    if (!buf) abort();
    int64_t need = ds_getaddrinfo(h, s, hints, buf, buflen);

    struct addrinfo ref_hints;
    memset(&ref_hints, 0, sizeof ref_hints);
    ref_hints.ai_family = hints[0];
    ref_hints.ai_socktype = hints[1];
    ref_hints.ai_protocol = hints[2];
    ref_hints.ai_flags = hints[3];
    struct addrinfo *res = NULL;
    int ref = getaddrinfo(h, s, &ref_hints, &res);

    if (need < DS_GAI_HEADER_SIZE) abort();
    if (rd_i32(buf) != ref) abort();
    if (ref != 0) {
        if (need != DS_GAI_HEADER_SIZE || rd_i32(buf + 8) != 0) abort();
    } else {
        if (need > buflen) {
            /* too small: nothing claimed; the size asked for must then be enough */
            if (rd_i32(buf + 8) != 0) abort();
            free(buf);
            buflen = need;
            buf = malloc((size_t)buflen);
            if (!buf) abort();
            int64_t again = ds_getaddrinfo(h, s, hints, buf, buflen);
            if (again != need || rd_i32(buf) != 0) abort();
        }
        compare(buf, need, res);
        freeaddrinfo(res);
    }
    free(buf);
    free(host);
    free(serv);
    return 0;
}
