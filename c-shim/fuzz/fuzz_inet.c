/*
 * dsb_inet_pton and dsb_inet_ntop on fuzzed text, bytes and buffer sizes.
 * Checked: the same answer as libc's inet_pton; an accepted address prints (dsb_inet_ntop) to
 * text that parses back to the same bytes and prints again to the same text; dsb_inet_ntop
 * into an exactly-sized heap buffer of any length either fits (NUL-terminated, the length
 * returned, the same text as with a big buffer) or says -ENOSPC, and never writes past it.
 *
 * Input: byte 0 = family choice (0 AF_INET, 1 AF_INET6, else the raw u32 that follows),
 * byte 1 = ntop buffer length, u32 raw family, 16 address bytes, then the text.
 */
#include "fuzz_common.h"
#include "dsbench.h"
#include <arpa/inet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct ds_in in = { data, size };
    uint8_t fsel = in_u8(&in);
    int32_t dstlen = in_u8(&in);
    int32_t raw = (int32_t)in_u32(&in);
    int32_t family = fsel % 3 == 0 ? AF_INET : fsel % 3 == 1 ? AF_INET6 : raw;
    uint8_t addr[16];
    for (int i = 0; i < 16; i++) addr[i] = in_u8(&in);
    char *text = in_cstr(&in);

    /* pton, against libc */
    uint8_t *dst = calloc(1, 16);
    uint8_t ref[16] = { 0 };
    if (!dst) abort();
    int32_t rc = dsb_inet_pton(family, text, dst);
    errno = 0;
    int want = inet_pton(family, text, ref);
    if (want < 0 ? rc != -errno : rc != want) abort();
    if (rc == 1) {
        size_t n = family == AF_INET ? 4 : 16;
        if (memcmp(dst, ref, n) != 0) abort();
        char printed[INET6_ADDRSTRLEN];
        int32_t len = dsb_inet_ntop(family, dst, printed, sizeof printed);
        if (len <= 0 || (size_t)len != strlen(printed)) abort();
        uint8_t back[16] = { 0 };
        if (dsb_inet_pton(family, printed, back) != 1 || memcmp(back, dst, n) != 0) abort();
        char again[INET6_ADDRSTRLEN];
        if (dsb_inet_ntop(family, back, again, sizeof again) != len || strcmp(again, printed) != 0) abort();
    }
    free(dst);

    /* ntop of arbitrary bytes into a buffer of arbitrary size */
    if (family == AF_INET || family == AF_INET6) {
        char full[INET6_ADDRSTRLEN];
        if (inet_ntop(family, addr, full, sizeof full) == NULL) abort();
        char *out = malloc(dstlen ? (size_t)dstlen : 1);
        if (!out) abort();
        int32_t n = dsb_inet_ntop(family, addr, out, dstlen);
        if (dstlen <= 0) {
            if (n != -EINVAL) abort();
        } else if (n >= 0) {
            if (n >= dstlen || out[n] != '\0' || strcmp(out, full) != 0) abort();
        } else if (n != -ENOSPC || (size_t)dstlen > strlen(full)) {
            abort();
        }
        free(out);
    } else {
        char out[INET6_ADDRSTRLEN];
        if (dsb_inet_ntop(family, addr, out, sizeof out) != -EAFNOSUPPORT) abort();
    }
    free(text);
    return 0;
}
