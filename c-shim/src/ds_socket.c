/* Socket system calls returning -errno. EINTR policy: see dualsock.h. */
#include "ds_internal.h"
#include "dualsock.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

socklen_t ds_sockaddr_len(const void *sa) {
    sa_family_t family;
    memcpy(&family, (const char *)sa + offsetof(struct sockaddr, sa_family), sizeof family);
    switch (family) {
    case AF_INET: return sizeof(struct sockaddr_in);
    case AF_INET6: return sizeof(struct sockaddr_in6);
    default: return 0;
    }
}

#define RETRY(expr) ({ __typeof__(expr) r_; do r_ = (expr); while (r_ < 0 && errno == EINTR); r_; })
/* Evaluates its argument once: NEG(bind(..)) must not call bind twice. */
#define NEG(expr) ({ __typeof__(expr) n_ = (expr); n_ < 0 ? -errno : n_; })

static void set_holder_len(void *holder, socklen_t len) {
    uint32_t v = len;
    memcpy((char *)holder + DS_HOLDER_LEN_OFFSET, &v, sizeof v);
}

int32_t ds_socket(int32_t family, int32_t type, int32_t protocol) {
    int fd = socket(family, type | SOCK_CLOEXEC, protocol);
    return NEG(fd);
}

int32_t ds_close(int32_t fd) {
    /* Linux releases the descriptor even when close() reports EINTR: never retry. */
    int rc = close(fd);
    return rc < 0 && errno != EINTR ? -errno : 0;
}

int32_t ds_bind(int32_t fd, const void *sa) {
    if (sa == NULL) return -EFAULT;
    socklen_t len = ds_sockaddr_len(sa);
    if (len == 0) return -EAFNOSUPPORT;
    return NEG(bind(fd, (const struct sockaddr *)sa, len));
}

int32_t ds_listen(int32_t fd, int32_t backlog) { return NEG(listen(fd, backlog)); }

int32_t ds_accept(int32_t fd, void *holder) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int rc = RETRY(accept4(fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC));
    if (rc < 0) return -errno;
    if (holder) {
        memcpy(holder, &ss, sizeof ss);
        set_holder_len(holder, len);
    }
    return rc;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for a connect in progress to finish; timeout_ms < 0 waits forever. */
static int finish_connect(int fd, int32_t timeout_ms) {
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            if (left < 0) left = 0;
            wait = (int)left;
        }
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        int rc = poll(&p, 1, wait);
        if (rc < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        if (rc == 0) return -ETIMEDOUT;
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
        return err ? -err : 0;
    }
}

int32_t ds_connect(int32_t fd, const void *sa) {
    if (sa == NULL) return -EFAULT;
    socklen_t len = ds_sockaddr_len(sa);
    if (len == 0) return -EAFNOSUPPORT;
    if (connect(fd, (const struct sockaddr *)sa, len) == 0) return 0;
    /* An interrupted connect() goes on in the background; retrying would give EALREADY. */
    if (errno == EINTR) return finish_connect(fd, -1);
    return -errno;
}

int32_t ds_connect_timeout(int32_t fd, const void *sa, int32_t timeout_ms) {
    if (sa == NULL) return -EFAULT;
    if (timeout_ms < 0) return -EINVAL;
    socklen_t len = ds_sockaddr_len(sa);
    if (len == 0) return -EAFNOSUPPORT;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -errno;
    if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -errno;
    int result;
    if (connect(fd, (const struct sockaddr *)sa, len) == 0) {
        result = 0;
    } else if (errno == EINPROGRESS || errno == EINTR) {
        result = finish_connect(fd, timeout_ms);
    } else {
        result = -errno;
    }
    if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags) < 0 && result == 0) result = -errno;
    return result;
}

int32_t ds_shutdown(int32_t fd, int32_t how) { return NEG(shutdown(fd, how)); }

int64_t ds_send(int32_t fd, const void *buf, int64_t len, int32_t flags) {
    if (len < 0) return -EINVAL;
    ssize_t rc = RETRY(send(fd, buf, (size_t)len, flags | MSG_NOSIGNAL));
    return rc < 0 ? -errno : rc;
}

int64_t ds_recv(int32_t fd, void *buf, int64_t len, int32_t flags) {
    if (len < 0) return -EINVAL;
    ssize_t rc = RETRY(recv(fd, buf, (size_t)len, flags));
    return rc < 0 ? -errno : rc;
}

int64_t ds_sendto(int32_t fd, const void *buf, int64_t len, int32_t flags, const void *sa) {
    if (len < 0) return -EINVAL;
    socklen_t salen = 0;
    if (sa) {
        salen = ds_sockaddr_len(sa);
        if (salen == 0) return -EAFNOSUPPORT;
    }
    ssize_t rc = RETRY(sendto(fd, buf, (size_t)len, flags | MSG_NOSIGNAL,
                              (const struct sockaddr *)sa, salen));
    return rc < 0 ? -errno : rc;
}

int64_t ds_recvfrom(int32_t fd, void *buf, int64_t len, int32_t flags, void *holder) {
    if (len < 0) return -EINVAL;
    socklen_t salen = sizeof(struct sockaddr_storage);
    ssize_t rc = RETRY(recvfrom(fd, buf, (size_t)len, flags, (struct sockaddr *)holder,
                                holder ? &salen : NULL));
    if (rc < 0) return -errno;
    if (holder) set_holder_len(holder, salen);
    return rc;
}

/* getsockname or getpeername (peer != 0) into a holder. */
static int32_t holder_name(int32_t fd, void *holder, int peer) {
    if (holder == NULL) return -EFAULT;
    socklen_t len = sizeof(struct sockaddr_storage);
    int rc = peer ? getpeername(fd, (struct sockaddr *)holder, &len)
                  : getsockname(fd, (struct sockaddr *)holder, &len);
    if (rc < 0) return -errno;
    set_holder_len(holder, len);
    return 0;
}

int32_t ds_getsockname(int32_t fd, void *holder) { return holder_name(fd, holder, 0); }

int32_t ds_getpeername(int32_t fd, void *holder) { return holder_name(fd, holder, 1); }

int32_t ds_getsockopt(int32_t fd, int32_t level, int32_t name, void *val, uint32_t *len) {
    if (val == NULL || len == NULL) return -EFAULT;
    socklen_t l = *len;
    if (getsockopt(fd, level, name, val, &l) < 0) return -errno;
    *len = l;
    return 0;
}

int32_t ds_setsockopt(int32_t fd, int32_t level, int32_t name, const void *val, uint32_t len) {
    if (val == NULL && len != 0) return -EFAULT;
    return NEG(setsockopt(fd, level, name, val, len));
}

int32_t ds_set_nonblocking(int32_t fd, int32_t on) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -errno;
    int want = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (want != flags && fcntl(fd, F_SETFL, want) < 0) return -errno;
    return 0;
}

int32_t ds_get_nonblocking(int32_t fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -errno;
    return (flags & O_NONBLOCK) ? 1 : 0;
}

/* poll() retried on EINTR against one deadline (timeout_ms < 0: none): the count or -errno. */
static int poll_until(struct pollfd *p, nfds_t n, int32_t timeout_ms) {
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            wait = left < 0 ? 0 : (int)left;
        }
        int rc = poll(p, n, wait);
        if (rc < 0 && errno == EINTR) continue;
        return rc < 0 ? -errno : rc;
    }
}

int32_t ds_poll(int32_t fd, int32_t events, int32_t timeout_ms) {
    struct pollfd p = { .fd = fd, .events = (short)events };
    int rc = poll_until(&p, 1, timeout_ms);
    return rc <= 0 ? rc : (p.revents & 0xffff);
}

int32_t ds_poll_many(const int32_t *fds, const int32_t *events, int32_t *revents, int32_t n,
                     int32_t timeout_ms) {
    if (n < 1 || n > DS_POLL_MAX) return -EINVAL;
    if (fds == NULL || events == NULL || revents == NULL) return -EFAULT;
    struct pollfd p[DS_POLL_MAX];
    for (int32_t i = 0; i < n; i++) p[i] = (struct pollfd){ .fd = fds[i], .events = (short)events[i] };
    int rc = poll_until(p, (nfds_t)n, timeout_ms);
    if (rc < 0) return rc;
    for (int32_t i = 0; i < n; i++) revents[i] = p[i].revents & 0xffff;
    return rc;
}

int32_t ds_eventfd(void) { return NEG(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)); }

int32_t ds_eventfd_signal(int32_t fd) {
    uint64_t one = 1;
    ssize_t rc = RETRY(write(fd, &one, sizeof one));
    /* EAGAIN: the counter is at its maximum, so the descriptor is readable already */
    if (rc < 0) return errno == EAGAIN ? 0 : -errno;
    return 0;
}

int32_t ds_eventfd_drain(int32_t fd) {
    uint64_t v = 0;
    ssize_t rc = RETRY(read(fd, &v, sizeof v));
    if (rc < 0) return errno == EAGAIN ? 0 : -errno;
    return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}
