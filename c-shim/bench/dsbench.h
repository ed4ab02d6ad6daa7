/* The entry points of libdsbench.so that code outside it calls by name: the FFI floor (cbench)
 * and the libc wrappers the tests and fuzz targets check dualsock against. Test and benchmark
 * code only; libdualsock.so exports none of these (c-shim/test/check_exports.sh). */
#ifndef DSBENCH_H
#define DSBENCH_H

#include <stdint.h>

/* sendto's argument shape in five parameters, does nothing, returns c (benchlib.c). */
int64_t dsb_noop5(int32_t a, const void *b, int64_t c, int32_t d, const void *e);

/* inet_pton(3): 1, 0 for text that is no address of the family, or -errno (dsb_libc.c). */
int32_t dsb_inet_pton(int32_t family, const char *src, void *dst16);
/* inet_ntop(3): the length of the text written (NUL-terminated) or -errno. */
int32_t dsb_inet_ntop(int32_t family, const void *src, char *dst, int32_t dstlen);
/* if_indextoname(3): the length of the name or -errno. */
int32_t dsb_if_indextoname(int32_t index, char *buf, int32_t buflen);

#endif
