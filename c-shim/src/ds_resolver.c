/* getaddrinfo/getnameinfo flattened into caller buffers; see dualsock.h for the layout. */
#include "ds_internal.h"
#include "dualsock.h"
#include "ds_hints.h"
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <string.h>

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

static size_t entry_size(const struct addrinfo *ai) {
    size_t canon = ai->ai_canonname ? strlen(ai->ai_canonname) + 1 : 0;
    return align8(DS_GAI_ENTRY_FIXED + canon);
}

static void put_i32(unsigned char *p, int32_t v) { memcpy(p, &v, 4); }
static void put_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put_u16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }

static void write_entry(unsigned char *e, const struct addrinfo *ai) {
    memset(e, 0, entry_size(ai));
    put_i32(e + 0, ai->ai_family);
    put_i32(e + 4, ai->ai_socktype);
    put_i32(e + 8, ai->ai_protocol);
    put_i32(e + 12, ai->ai_flags);
    if (ai->ai_family == AF_INET && ai->ai_addr && ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
        put_u16(e + 16, ntohs(sin->sin_port));
        put_u16(e + 18, 4);
        memcpy(e + 32, &sin->sin_addr, 4);
    } else if (ai->ai_family == AF_INET6 && ai->ai_addr &&
               ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
        put_u16(e + 16, ntohs(sin6->sin6_port));
        put_u16(e + 18, 16);
        put_u32(e + 20, ntohl(sin6->sin6_flowinfo));
        put_u32(e + 24, sin6->sin6_scope_id);
        memcpy(e + 32, &sin6->sin6_addr, 16);
    }
    if (ai->ai_canonname) {
        size_t n = strlen(ai->ai_canonname);
        put_i32(e + 28, (int32_t)n);
        memcpy(e + DS_GAI_ENTRY_FIXED, ai->ai_canonname, n + 1);
    } else {
        put_i32(e + 28, -1);
    }
}

int64_t ds_getaddrinfo(const char *host, const char *service, const int32_t *hints_in,
                       void *buf, int64_t buflen) {
    if (buf == NULL || hints_in == NULL || buflen < DS_GAI_HEADER_SIZE) return -EINVAL;
    unsigned char *out = buf;
    struct addrinfo hints;
    ds_hints_from_i32(&hints, hints_in);

    struct addrinfo *res = NULL;
    errno = 0;
    int rc = getaddrinfo(host, service, &hints, &res);
    int saved_errno = errno;
    memset(out, 0, DS_GAI_HEADER_SIZE);
    put_i32(out + 0, rc);
    if (rc != 0) {
        put_i32(out + 4, rc == EAI_SYSTEM ? saved_errno : 0);
        return DS_GAI_HEADER_SIZE; /* res is unspecified on failure: never freed */
    }
    size_t need = DS_GAI_HEADER_SIZE;
    int32_t count = 0;
    for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        need += entry_size(ai);
        count++;
    }
    if ((uint64_t)need <= (uint64_t)buflen) {
        unsigned char *p = out + DS_GAI_HEADER_SIZE;
        for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            write_entry(p, ai);
            p += entry_size(ai);
        }
        put_i32(out + 8, count);
    }
    freeaddrinfo(res);
    return (int64_t)need;
}

/* ds_getnameinfo returns EAI_* codes and -EINVAL side by side, and glibc's EAI codes are negative
 * too (-1 .. -12, -100 .. -105): the two sets must stay apart on every platform that builds this. */
#define NOT_EINVAL(code) _Static_assert((code) != -EINVAL, #code " equals -EINVAL");
DS_EAI_CODES(NOT_EINVAL)

int32_t ds_getnameinfo(const void *sa, int32_t salen, void *out, int32_t outlen, int32_t flags) {
    const int32_t need = DS_NI_OUT_SIZE;
    if (sa == NULL || out == NULL || outlen < need || salen <= 0 ||
        salen > (int32_t)sizeof(struct sockaddr_storage))
        return -EINVAL;
    unsigned char *o = out;
    memset(o, 0, (size_t)need);
    char *host = (char *)o + DS_NI_HOST_OFFSET;
    char *serv = (char *)o + DS_NI_SERV_OFFSET;
    /* glibc reads an AF_UNIX sun_path as a C string, past salen when it holds no NUL (found
     * by c-shim/fuzz/fuzz_getnameinfo): hand libc a zero-padded copy instead. */
    union { struct sockaddr_storage ss; char bytes[sizeof(struct sockaddr_storage) + 1]; } copy;
    memset(&copy, 0, sizeof copy);
    memcpy(&copy, sa, (size_t)salen);
    errno = 0;
    int rc = getnameinfo((const struct sockaddr *)&copy, (socklen_t)salen, host, NI_MAXHOST, serv,
                         NI_MAXSERV, flags);
    int saved_errno = errno;
    put_i32(o, rc);
    put_i32(o + 4, rc == EAI_SYSTEM ? saved_errno : 0);
    if (rc != 0) {
        host[0] = '\0';
        serv[0] = '\0';
    }
    return rc;
}

int32_t ds_if_nametoindex(const char *name) {
    if (name == NULL) return -EINVAL;
    errno = 0;
    unsigned index = if_nametoindex(name);
    /* 0 is also what a failed socket() inside glibc gives (EMFILE...): keep its errno */
    if (index == 0) return errno ? -errno : -ENODEV;
    return (int32_t)index;
}
