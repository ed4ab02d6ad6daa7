/* Batched datagrams: sendmmsg/recvmmsg over a caller-owned slot block, and UDP_SEGMENT.
 * Layout and contracts: the "batch" section of dualsock.h. */
#include "ds_internal.h"
#include "dualsock.h"
#include <errno.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/uio.h>

#define BATCH_MAGIC 0x64734231u /* "dsB1" */

struct batch_header {
    uint32_t magic;
    int32_t slots;
    int32_t slot_size;
    int32_t control_size; /* per slot, 0: none */
    int64_t slots_off;
    int64_t data_off;
    int64_t mmsg_off;
    int64_t iov_off;
    int64_t total;
    int64_t control_off;
    int64_t pad[2];
};
_Static_assert(sizeof(struct batch_header) == DS_BATCH_HEADER_SIZE, "batch header size");

static int64_t align8(int64_t n) { return (n + 7) & ~(int64_t)7; }

struct layout { int64_t slots_off, mmsg_off, iov_off, data_off, control_off, total; };

static int plan(int32_t slots, int32_t slot_size, int32_t control_size, struct layout *l) {
    if (slots < 1 || slots > DS_BATCH_MAX_SLOTS || slot_size < 1 || slot_size > DS_BATCH_MAX_SLOT_SIZE)
        return -EINVAL;
    if (control_size < 0 || control_size > DS_BATCH_MAX_CONTROL) return -EINVAL;
    l->slots_off = DS_BATCH_HEADER_SIZE;
    l->mmsg_off = align8(l->slots_off + (int64_t)slots * DS_BATCH_SLOT_SIZE);
    l->iov_off = align8(l->mmsg_off + (int64_t)slots * (int64_t)sizeof(struct mmsghdr));
    l->data_off = align8(l->iov_off + (int64_t)slots * (int64_t)sizeof(struct iovec));
    /* each slot's control region 8-byte aligned: struct cmsghdr holds a size_t */
    l->control_off = align8(l->data_off + (int64_t)slots * slot_size);
    l->total = l->control_off + (int64_t)slots * align8(control_size);
    return 0;
}

int64_t ds_batch_control_bytes(int32_t slots, int32_t slot_size, int32_t control_size) {
    struct layout l;
    int rc = plan(slots, slot_size, control_size, &l);
    return rc < 0 ? rc : l.total;
}

int64_t ds_batch_bytes(int32_t slots, int32_t slot_size) {
    return ds_batch_control_bytes(slots, slot_size, 0);
}

int32_t ds_batch_init(void *mem, int64_t bytes, int32_t slots, int32_t slot_size) {
    return ds_batch_init_control(mem, bytes, slots, slot_size, 0);
}

int32_t ds_batch_init_control(void *mem, int64_t bytes, int32_t slots, int32_t slot_size, int32_t control_size) {
    struct layout l;
    if (mem == NULL || ((uintptr_t)mem & 7u) != 0) return -EINVAL;
    if (plan(slots, slot_size, control_size, &l) < 0 || bytes < l.total) return -EINVAL;
    memset(mem, 0, (size_t)l.total);
    struct batch_header *h = mem;
    h->magic = BATCH_MAGIC;
    h->slots = slots;
    h->slot_size = slot_size;
    h->control_size = control_size;
    h->control_off = l.control_off;
    h->slots_off = l.slots_off;
    h->data_off = l.data_off;
    h->mmsg_off = l.mmsg_off;
    h->iov_off = l.iov_off;
    h->total = l.total;
    return 0;
}

/* The header, when mem holds an initialised batch whose header still says what init wrote. */
static const struct batch_header *header(const void *mem) {
    if (mem == NULL || ((uintptr_t)mem & 7u) != 0) return NULL;
    const struct batch_header *h = mem;
    struct layout l;
    if (h->magic != BATCH_MAGIC || plan(h->slots, h->slot_size, h->control_size, &l) < 0) return NULL;
    /* Offsets are recomputed, not trusted: a scribbled header cannot point outside the block. */
    if (h->slots_off != l.slots_off || h->data_off != l.data_off || h->mmsg_off != l.mmsg_off ||
        h->iov_off != l.iov_off || h->control_off != l.control_off || h->total != l.total)
        return NULL;
    return h;
}

int64_t ds_batch_offset(const void *mem, int32_t which) {
    const struct batch_header *h = header(mem);
    if (h == NULL) return -EINVAL;
    switch (which) {
    case DS_BATCH_OFF_SLOTS: return h->slots_off;
    case DS_BATCH_OFF_DATA: return h->data_off;
    case DS_BATCH_OFF_CONTROL: return h->control_size > 0 ? h->control_off : -EINVAL;
    default: return -EINVAL;
    }
}

static unsigned char *slot_rec(const struct batch_header *h, int32_t i) {
    return (unsigned char *)h + h->slots_off + (int64_t)i * DS_BATCH_SLOT_SIZE;
}

static int32_t get_i32(const unsigned char *p) { int32_t v; memcpy(&v, p, 4); return v; }
static void put_i32(unsigned char *p, int32_t v) { memcpy(p, &v, 4); }

static int check_range(const struct batch_header *h, int32_t first, int32_t count) {
    if (h == NULL || first < 0 || count < 1 || first > h->slots || count > h->slots - first) return -EINVAL;
    return 0;
}

static struct mmsghdr *batch_mmsg(const struct batch_header *h) {
    return (struct mmsghdr *)((unsigned char *)h + h->mmsg_off);
}

static unsigned char *slot_control(const struct batch_header *h, int32_t i) {
    return (unsigned char *)h + h->control_off + (int64_t)i * align8(h->control_size);
}

/* Message n of a call: one iovec over slot i's data (len bytes), address name/namelen, and
 * controllen bytes of slot i's control region (none when 0). */
static void set_msg(const struct batch_header *h, int32_t n, int32_t i, size_t len, void *name,
                    socklen_t namelen, int32_t controllen) {
    struct mmsghdr *m = batch_mmsg(h) + n;
    struct iovec *iov = (struct iovec *)((unsigned char *)h + h->iov_off) + n;
    iov->iov_base = (unsigned char *)h + h->data_off + (int64_t)i * h->slot_size;
    iov->iov_len = len;
    memset(m, 0, sizeof *m);
    m->msg_hdr.msg_name = name;
    m->msg_hdr.msg_namelen = namelen;
    m->msg_hdr.msg_iov = iov;
    m->msg_hdr.msg_iovlen = 1;
    if (controllen > 0) {
        m->msg_hdr.msg_control = slot_control(h, i);
        m->msg_hdr.msg_controllen = (size_t)controllen;
    }
}

#define RETRY(expr) ({ __typeof__(expr) r_; do r_ = (expr); while (r_ < 0 && errno == EINTR); r_; })

int32_t ds_batch_send(int32_t fd, void *batch, int32_t first, int32_t count, int32_t flags) {
    const struct batch_header *h = header(batch);
    if (check_range(h, first, count) < 0) return -EINVAL;
    struct mmsghdr *mm = batch_mmsg(h);
    int32_t n = 0;
    for (; n < count; n++) {
        int32_t i = first + n;
        unsigned char *rec = slot_rec(h, i);
        int32_t len = get_i32(rec + DS_BATCH_LEN_OFFSET);
        uint32_t alen;
        memcpy(&alen, rec + DS_HOLDER_LEN_OFFSET, sizeof alen);
        socklen_t salen = 0;
        int bad = 0;
        int32_t clen = get_i32(rec + DS_BATCH_CONTROL_LEN_OFFSET);
        if (len < 0 || len > h->slot_size) bad = -EMSGSIZE;
        else if (clen < 0 || clen > h->control_size) bad = -EINVAL;
        else if (alen != 0 && (salen = ds_sockaddr_len(rec)) == 0) bad = -EAFNOSUPPORT;
        if (bad) {
            if (n == 0) return bad;
            break; /* send the good prefix; the next call starting here reports the error */
        }
        put_i32(rec + DS_BATCH_RES_OFFSET, 0);
        set_msg(h, n, i, (size_t)len, alen ? rec : NULL, salen, clen);
    }
    int rc = RETRY(sendmmsg(fd, mm, (unsigned)n, flags | MSG_NOSIGNAL));
    if (rc < 0) return -errno;
    for (int k = 0; k < rc; k++) put_i32(slot_rec(h, first + k) + DS_BATCH_RES_OFFSET, (int32_t)mm[k].msg_len);
    return rc;
}

int32_t ds_batch_recv(int32_t fd, void *batch, int32_t first, int32_t count, int32_t flags) {
    const struct batch_header *h = header(batch);
    if (check_range(h, first, count) < 0) return -EINVAL;
    struct mmsghdr *mm = batch_mmsg(h);
    for (int32_t n = 0; n < count; n++) {
        int32_t i = first + n;
        set_msg(h, n, i, (size_t)h->slot_size, slot_rec(h, i), sizeof(struct sockaddr_storage), h->control_size);
    }
    int rc = RETRY(recvmmsg(fd, mm, (unsigned)count, flags, NULL));
    if (rc < 0) return -errno;
    for (int k = 0; k < rc; k++) {
        unsigned char *rec = slot_rec(h, first + k);
        uint32_t alen = mm[k].msg_hdr.msg_namelen;
        memcpy(rec + DS_HOLDER_LEN_OFFSET, &alen, sizeof alen);
        /* msg_len is the datagram's full length only with MSG_TRUNC; the copy is at most slot_size */
        int32_t got = (int32_t)mm[k].msg_len;
        put_i32(rec + DS_BATCH_RES_OFFSET, got);
        put_i32(rec + DS_BATCH_LEN_OFFSET, got > h->slot_size ? h->slot_size : got);
        put_i32(rec + DS_BATCH_FLAGS_OFFSET, mm[k].msg_hdr.msg_flags);
        /* the bytes used, at most the control_size passed in */
        put_i32(rec + DS_BATCH_CONTROL_LEN_OFFSET, (int32_t)mm[k].msg_hdr.msg_controllen);
    }
    return rc;
}

int64_t ds_send_segmented(int32_t fd, const void *buf, int64_t len, int32_t segment_size, const void *sa) {
#ifdef UDP_SEGMENT
    if (len < 0 || segment_size < 1 || segment_size > UINT16_MAX) return -EINVAL;
    socklen_t salen = 0;
    if (sa) {
        salen = ds_sockaddr_len(sa);
        if (salen == 0) return -EAFNOSUPPORT;
    }
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = (size_t)len };
    union { char buf[CMSG_SPACE(sizeof(uint16_t))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {
        .msg_name = (void *)sa, .msg_namelen = salen, .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof control.buf,
    };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    uint16_t gso = (uint16_t)segment_size;
    memcpy(CMSG_DATA(cm), &gso, sizeof gso);
    ssize_t rc = RETRY(sendmsg(fd, &msg, MSG_NOSIGNAL));
    return rc < 0 ? -errno : rc;
#else
    return -ENOPROTOOPT;
#endif
}

int32_t ds_udp_segment_supported(int32_t fd) {
#ifdef UDP_SEGMENT
    int v = 0;
    socklen_t l = sizeof v;
    if (getsockopt(fd, SOL_UDP, UDP_SEGMENT, &v, &l) == 0) return 1;
    if (errno == ENOPROTOOPT || errno == EINVAL || errno == EOPNOTSUPP) return 0;
    return -errno;
#else
    return 0;
#endif
}
