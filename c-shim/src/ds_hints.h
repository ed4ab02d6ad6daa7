/*
 * The int32[4] hints of dualsock.h (family, socktype, protocol, flags) as a struct addrinfo.
 * static inline, so nothing is exported: shared by ds_getaddrinfo and the benchmark library's
 * plain-getaddrinfo loop, which must ask libc the same question.
 */
#ifndef DS_HINTS_H
#define DS_HINTS_H
#include <netdb.h>
#include <stdint.h>
#include <string.h>

static inline void ds_hints_from_i32(struct addrinfo *hints, const int32_t *in) {
    memset(hints, 0, sizeof *hints);
    hints->ai_family = in[0];
    hints->ai_socktype = in[1];
    hints->ai_protocol = in[2];
    hints->ai_flags = in[3];
}
#endif
