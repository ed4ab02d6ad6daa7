/* Functions that exist only to measure and check the FFI binding (benchmarks/, BindingCheck):
 * a six-parameter no-op and echoes that show which argument values arrive. Not in the shim. */
#include <stdint.h>

#define API __attribute__((visibility("default")))

/* sendto's full shape: six primitive parameters (the shim keeps to five, jnr-ffi issue 181). */
API int64_t dsb_noop6(int32_t fd, int64_t buf, int64_t len, int32_t flags, int64_t sa, int32_t salen) {
    (void)fd; (void)buf; (void)flags; (void)sa; (void)salen;
    return len;
}

/* Returns argument `which` (1-based) so a caller can see what arrived in each position. */
API int64_t dsb_echo6(int32_t a, int64_t b, int64_t c, int32_t d, int64_t e, int32_t f, int32_t which) {
    switch (which) {
    case 1: return a;
    case 2: return b;
    case 3: return c;
    case 4: return d;
    case 5: return e;
    default: return f;
    }
}

API int64_t dsb_sixth_i32(int32_t a, int64_t b, int64_t c, int32_t d, int64_t e, int32_t f) {
    (void)a; (void)b; (void)c; (void)d; (void)e;
    return f;
}

API int64_t dsb_sixth_i64(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) {
    (void)a; (void)b; (void)c; (void)d; (void)e;
    return f;
}

API int64_t dsb_fifth_i32(int32_t a, int64_t b, int64_t c, int32_t d, int32_t e) {
    (void)a; (void)b; (void)c; (void)d;
    return e;
}
