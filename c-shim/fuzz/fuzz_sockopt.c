/*
 * ds_setsockopt and ds_getsockopt on fuzzed levels, names, values and lengths. The value is
 * an exactly-sized heap block of len bytes, so the shim (and libc's wrapper) reading or
 * writing past it is an AddressSanitizer report; getsockopt must never report a length
 * bigger than the one it was given.
 *
 * REQUIRES a private network namespace (exit 77 otherwise): options such as multicast
 * membership act on interfaces; in the namespace only lo exists.
 *
 * Options that reach outside the socket are never passed: netfilter table replacement
 * (IPT_SO_*, IP6T_SO_*), TCP_ULP (module loading) and BPF/filter attachment.
 *
 * Input: byte 0 = socket choice, byte 1 = level choice, byte 2 = option name,
 * byte 3 = value length, then the value.
 */
#include "fuzz_common.h"
#include "dualsock.h"
#include <netinet/in.h>
#include <netinet/tcp.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    ds_fuzz_isolate("fuzz_sockopt", 1);
    return 0;
}

static int refused(int level, int name) {
    if (level == IPPROTO_IP || level == IPPROTO_IPV6) return name >= 64 && name <= 71;
    if (level == IPPROTO_TCP) return name == 31; /* TCP_ULP */
    if (level == SOL_SOCKET)
        return name == SO_ATTACH_FILTER || name == SO_ATTACH_BPF || name == SO_ATTACH_REUSEPORT_CBPF ||
               name == SO_ATTACH_REUSEPORT_EBPF || name == SO_LOCK_FILTER || name == SO_DETACH_FILTER;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const int levels[] = { SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, -1 };
    struct ds_in in = { data, size };
    uint8_t sock = in_u8(&in);
    uint8_t lsel = in_u8(&in);
    int32_t name = in_u8(&in) % 80;
    uint32_t len = in_u8(&in);
    int32_t level = levels[lsel % 6] >= 0 ? levels[lsel % 6] : (int32_t)(lsel >> 3);
    if (refused(level, name)) return 0;
    size_t got;
    uint8_t *val = in_bytes(&in, len, &got);
    len = (uint32_t)got;

    int fd = ds_socket((sock & 1) ? AF_INET6 : AF_INET, (sock & 2) ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0) abort();
    int32_t rc = ds_setsockopt(fd, level, name, len ? val : NULL, len);
    if (rc > 0 || rc < -4095) abort();
    if (ds_setsockopt(fd, level, name, NULL, 4) != -EFAULT) abort();

    uint32_t glen = (uint32_t)in_u8(&in);
    uint8_t *out = malloc(glen ? glen : 1);
    if (!out) abort();
    uint32_t l = glen;
    rc = ds_getsockopt(fd, level, name, out, &l);
    if (rc > 0 || rc < -4095) abort();
    if (rc == 0 && l > glen) abort();
    if (ds_getsockopt(fd, level, name, NULL, &l) != -EFAULT) abort();
    if (ds_getsockopt(fd, level, name, out, NULL) != -EFAULT) abort();
    ds_close(fd);
    free(out);
    free(val);
    return 0;
}
