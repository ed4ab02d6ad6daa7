/*
 * ds_getnameinfo on fuzzed sockaddr bytes (any family, any length), checked against libc's
 * getnameinfo called directly on a copy: same status, same host and service text. The
 * sockaddr is salen bytes that end where an inaccessible page begins, so reading past salen
 * faults, in the shim or in libc behind it (AddressSanitizer does not see inside libc).
 *
 * NI_NUMERICHOST|NI_NUMERICSERV are always set: no reverse DNS for a fuzzed address.
 *
 * Input: byte 0 = salen choice (0..255; values past sizeof(sockaddr_storage) test the
 * argument check), byte 1 = outlen choice, then flags (big-endian u32), then the sockaddr bytes.
 */
#include "fuzz_common.h"
#include "dualsock.h"
#include <netdb.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    ds_fuzz_isolate("fuzz_getnameinfo", 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const int32_t out_size = DS_NI_OUT_SIZE;
    struct ds_in in = { data, size };
    int32_t salen = in_u8(&in);
    uint8_t outsel = in_u8(&in);
    int32_t flags = (int32_t)in_u32(&in) | NI_NUMERICHOST | NI_NUMERICSERV;
    int32_t outlen = outsel == 1 ? out_size - 1 : outsel == 2 ? 0 : out_size;

    size_t got;
    uint8_t *bytes = in_bytes(&in, (size_t)salen, &got);
    /* the sockaddr block is exactly salen bytes: pad with zeros when the input ran short */
    uint8_t *sa = ds_guarded((size_t)salen);
    memset(sa, 0, (size_t)salen);
    memcpy(sa, bytes, got);
    free(bytes);
    uint8_t *out = malloc(outlen ? (size_t)outlen : 1);
    if (!out) abort();

    int32_t rc = ds_getnameinfo(sa, salen, out, outlen, flags);
    if (salen <= 0 || salen > (int32_t)sizeof(struct sockaddr_storage) || outlen < out_size) {
        if (rc != -EINVAL) abort(); /* unusable arguments are refused before libc sees them */
    } else {
        int32_t status;
        memcpy(&status, out, 4);
        if (status != rc) abort();
        char host[NI_MAXHOST], serv[NI_MAXSERV];
        /* the reference call gets the sockaddr in a zeroed, NUL-terminated sockaddr_storage:
         * glibc reads an AF_UNIX sun_path as a C string whatever salen says */
        union { struct sockaddr_storage ss; char raw[sizeof(struct sockaddr_storage) + 1]; } copy;
        memset(&copy, 0, sizeof copy);
        memcpy(&copy, sa, (size_t)salen);
        int ref = getnameinfo((const struct sockaddr *)&copy, (socklen_t)salen, host, sizeof host,
                              serv, sizeof serv, flags);
        if (ref != rc) abort();
        const char *h = (const char *)out + DS_NI_HOST_OFFSET;
        const char *s = (const char *)out + DS_NI_SERV_OFFSET;
        if (memchr(h, 0, NI_MAXHOST) == NULL || memchr(s, 0, NI_MAXSERV) == NULL) abort();
        if (rc == 0 && (strcmp(h, host) != 0 || strcmp(s, serv) != 0)) abort();
        if (rc != 0 && (h[0] != 0 || s[0] != 0)) abort();
    }
    free(out);
    return 0;
}
