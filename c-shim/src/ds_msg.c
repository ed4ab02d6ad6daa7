/* recvmsg/sendmsg with control messages over a caller-owned message descriptor.
 * Layout and contracts: the "messages" section of dualsock.h. */
#include "ds_internal.h"
#include "dualsock.h"
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

_Static_assert(sizeof(struct ds_msg) == 40, "ds_msg: five 8-byte words");

#define RETRY(expr) ({ __typeof__(expr) r_; do r_ = (expr); while (r_ < 0 && errno == EINTR); r_; })

static int misaligned(uint64_t p) { return (p & 7u) != 0; }

/* The checks both calls share; 0 or -EINVAL. */
static int check(const struct ds_msg *m) {
    if (m == NULL || misaligned((uint64_t)(uintptr_t)m)) return -EINVAL;
    if (m->len < 0 || m->controllen < 0) return -EINVAL;
    if (m->buf == 0 && m->len > 0) return -EINVAL;
    /* struct cmsghdr holds a size_t: CMSG_FIRSTHDR/CMSG_NXTHDR assume its alignment */
    if (m->controllen > 0 && (m->control == 0 || misaligned(m->control))) return -EINVAL;
    return 0;
}

int64_t ds_recvmsg(int32_t fd, void *msgp, int32_t flags) {
    struct ds_msg *m = msgp;
    int bad = check(m);
    if (bad) return bad;
    struct iovec iov = { .iov_base = (void *)(uintptr_t)m->buf, .iov_len = (size_t)m->len };
    struct msghdr h = {
        .msg_name = (void *)(uintptr_t)m->name,
        .msg_namelen = m->name ? sizeof(struct sockaddr_storage) : 0,
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = m->controllen ? (void *)(uintptr_t)m->control : NULL,
        .msg_controllen = (size_t)m->controllen,
    };
    ssize_t rc = RETRY(recvmsg(fd, &h, flags));
    if (rc < 0) return -errno;
    if (m->name) {
        uint32_t alen = h.msg_namelen;
        memcpy((unsigned char *)(uintptr_t)m->name + DS_HOLDER_LEN_OFFSET, &alen, sizeof alen);
    }
    /* msg_controllen is the bytes used, at most the capacity passed in (an int32) */
    m->controllen = (int32_t)h.msg_controllen;
    m->flags = h.msg_flags;
    return rc;
}

int64_t ds_sendmsg(int32_t fd, const void *msgp, int32_t flags) {
    const struct ds_msg *m = msgp;
    int bad = check(m);
    if (bad) return bad;
    socklen_t salen = 0;
    void *name = (void *)(uintptr_t)m->name;
    if (name) {
        salen = ds_sockaddr_len(name);
        if (salen == 0) return -EAFNOSUPPORT;
    }
    struct iovec iov = { .iov_base = (void *)(uintptr_t)m->buf, .iov_len = (size_t)m->len };
    struct msghdr h = {
        .msg_name = name,
        .msg_namelen = salen,
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = m->controllen ? (void *)(uintptr_t)m->control : NULL,
        .msg_controllen = (size_t)m->controllen,
    };
    ssize_t rc = RETRY(sendmsg(fd, &h, flags | MSG_NOSIGNAL));
    return rc < 0 ? -errno : rc;
}
