/* libc's own text codecs and interface names behind the shim's conventions (-errno, lengths):
 * the references the Java tests (test-support's LibcText), the ctest and the fuzz targets
 * compare dualsock against. Part of libdsbench.so, never of libdualsock.so. */
#include "dsbench.h"
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

#define API __attribute__((visibility("default")))

API int32_t dsb_inet_pton(int32_t family, const char *src, void *dst16) {
    if (src == NULL || dst16 == NULL) return -EINVAL;
    int rc = inet_pton(family, src, dst16);
    return rc < 0 ? -errno : rc;
}

API int32_t dsb_inet_ntop(int32_t family, const void *src, char *dst, int32_t dstlen) {
    if (src == NULL || dst == NULL || dstlen <= 0) return -EINVAL;
    if (inet_ntop(family, src, dst, (socklen_t)dstlen) == NULL) return -errno;
    return (int32_t)strlen(dst);
}

API int32_t dsb_if_indextoname(int32_t index, char *buf, int32_t buflen) {
    if (buf == NULL || buflen < IF_NAMESIZE) return -EINVAL;
    if (if_indextoname((unsigned)index, buf) == NULL) return -errno;
    return (int32_t)strlen(buf);
}
