/*
 * ds_if_nametoindex on fuzzed names and dsb_if_indextoname on fuzzed indexes and buffer
 * lengths, against libc's if_nametoindex/if_indextoname. Name and output buffer are
 * exactly-sized heap blocks.
 *
 * Input: u32 index, byte buffer length, then the name.
 */
#include "fuzz_common.h"
#include "dualsock.h"
#include "dsbench.h"
#include <net/if.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct ds_in in = { data, size };
    uint32_t index = in_u32(&in);
    int32_t buflen = in_u8(&in);
    char *name = in_cstr(&in);

    int32_t got = ds_if_nametoindex(name);
    errno = 0;
    unsigned ref = if_nametoindex(name);
    if (ref != 0 ? got != (int32_t)ref : got != -(errno ? errno : ENODEV)) abort();
    if (ds_if_nametoindex(NULL) != -EINVAL) abort();

    /* small indexes are the interesting ones: most fuzzed values name no interface */
    if (index & 0x80000000u) index &= 0xf;
    char *buf = malloc(buflen ? (size_t)buflen : 1);
    if (!buf) abort();
    int32_t rc = dsb_if_indextoname((int32_t)index, buf, buflen);
    if (buflen < IF_NAMESIZE) {
        if (rc != -EINVAL) abort();
    } else {
        char ref[IF_NAMESIZE];
        errno = 0;
        const char *r = if_indextoname(index, ref);
        if (r == NULL) {
            if (rc != -errno) abort();
        } else if (rc != (int32_t)strlen(ref) || strcmp(buf, ref) != 0) {
            abort();
        }
    }
    free(buf);
    free(name);
    return 0;
}
