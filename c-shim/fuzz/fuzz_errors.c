/*
 * The table and text entry points on fuzzed integers and buffer lengths: ds_errno_name,
 * ds_strerror (exactly-sized heap output buffer), ds_eai_name, ds_gai_strerror,
 * ds_constant_name/value. Checked: NUL-terminated output inside the buffer, the length
 * returned equals strlen, the text is a prefix of libc's strerror text, names only for
 * known values, constants only for indexes in range.
 *
 * Input: u32 errnum, u32 eai code, u32 constant index, byte buffer length.
 */
#include "fuzz_common.h"
#include "dualsock.h"
#include <netdb.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct ds_in in = { data, size };
    int32_t errnum = (int32_t)in_u32(&in);
    int32_t eai = (int32_t)in_u32(&in);
    int32_t ci = (int32_t)in_u32(&in);
    int32_t buflen = in_u8(&in);
    if (in_u8(&in) & 1) errnum &= 0xff; /* half the time a plausible errno */
    if (in_u8(&in) & 1) eai = -(eai & 0x7f);
    if (in_u8(&in) & 1) ci &= 0x1ff;

    const char *name = ds_errno_name(errnum);
    if (name != NULL && (name[0] != 'E' || strlen(name) > 32)) abort();

    char *buf = malloc(buflen ? (size_t)buflen : 1);
    if (!buf) abort();
    int32_t n = ds_strerror(errnum, buf, buflen);
    if (buflen <= 0) {
        if (n != -EINVAL) abort();
    } else {
        if (n < 0 || n >= buflen || buf[n] != '\0' || (size_t)n != strlen(buf)) abort();
        char full[1024];
        const char *s = strerror_r(errnum, full, sizeof full);
        if (strncmp(s, buf, (size_t)n) != 0) abort();
    }
    free(buf);

    const char *en = ds_eai_name(eai);
    if (en != NULL && strncmp(en, "EAI_", 4) != 0) abort();
    const char *gs = ds_gai_strerror(eai);
    if (gs == NULL || strlen(gs) > 1024) abort();

    int32_t count = ds_constant_count();
    const char *cn = ds_constant_name(ci);
    if ((ci >= 0 && ci < count) != (cn != NULL)) abort();
    if (cn == NULL && ds_constant_value(ci) != 0) abort();
    if (cn != NULL && strlen(cn) == 0) abort();
    return 0;
}
