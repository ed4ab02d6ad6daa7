/*
 * dualsock C shim: the small C ABI that the Java bindings call through jnr-ffi.
 *
 * Conventions (every function):
 *  - symbols are prefixed ds_ and exported with DS_EXPORT; everything else is hidden. The
 *    library exports exactly the functions below (a ctest reads its dynamic symbol table):
 *    helpers that only tests and benchmarks need live in their own code and in libdsbench.so;
 *  - integer results are >= 0 on success and -errno on failure, so the caller never has to
 *    fetch the thread-local errno afterwards. The two resolver calls differ only where libc's
 *    answer is not an errno: ds_getaddrinfo returns the bytes its result needs and puts the
 *    EAI_* status into the result; ds_getnameinfo returns the EAI_* status. Both write the
 *    errno of EAI_SYSTEM next to the status, and both return -EINVAL, before calling libc,
 *    for arguments they cannot use;
 *  - lookups in the shim's own tables (constants, errno and EAI names and texts) cannot fail:
 *    they return NULL, or 0 from ds_constant_value, for an index or code they do not know;
 *  - no function keeps memory that the caller must free: results go into caller buffers;
 *  - at most five parameters each: jnr-ffi 2.2.17 has been seen to pass a garbage sixth
 *    argument when all six are primitives (upstream jnr-ffi issue 181).
 *
 * Socket addresses cross the boundary as the kernel's own struct sockaddr_in/sockaddr_in6
 * bytes; Java writes and reads them using the sizes and offsets that ds_constant_* reports.
 * A "sockaddr holder" is DS_HOLDER_SIZE bytes: a struct sockaddr_storage followed by a
 * uint32 length (offset DS_HOLDER_LEN_OFFSET) that the shim fills on output.
 *
 * EINTR: retried here, in the shim, for every blocking call except close() (never retried
 * on Linux: the descriptor is gone either way) and connect() (an interrupted connect goes on
 * in the background; the shim waits for it with poll() and reads SO_ERROR). Java never
 * sees EINTR from these calls.
 */
#ifndef DUALSOCK_H
#define DUALSOCK_H

#include <stdint.h>
#include <stddef.h>

#if defined(__GNUC__)
#define DS_EXPORT __attribute__((visibility("default")))
#else
#define DS_EXPORT
#endif

/* Bumped whenever a signature, a return convention or a buffer layout below changes; the Java
 * loader refuses a library of any other version. 2: ds_getnameinfo's refused arguments give
 * -EINVAL (was 1), ds_if_nametoindex fails with -errno (was 0), ds_noop5 and ds_is_socket gone.
 * 3: ds_recvmsg/ds_sendmsg and their message descriptor; per-slot control data in a batch (the
 * header's reserved word and first pad word hold the control size and offset, and slot offset
 * DS_BATCH_CONTROL_LEN_OFFSET its length); ds_inet_pton, ds_inet_ntop and ds_if_indextoname gone
 * (only tests called them: now dsb_ in libdsbench.so, c-shim/bench/dsbench.h).
 * A name added to the ds_constant table is not a change: Java asks for each by name, and an older
 * library without it fails that lookup naming the constant (as with CLONE_NEWNET, the rtnetlink set). */
#define DS_ABI_VERSION 3

/*
 * Layout numbers. They are plain literals so that this header needs no system header;
 * ds_constants.c holds each one to the system's own sizes at compile time, and Java reads them
 * from the ds_constant_* table by these names instead of typing them in.
 */
/* sockaddr holder: a struct sockaddr_storage, then the uint32 length (padded to 8 bytes). */
#define DS_HOLDER_LEN_OFFSET 128 /* sizeof(struct sockaddr_storage) */
#define DS_HOLDER_SIZE 136

#ifdef __cplusplus
extern "C" {
#endif

DS_EXPORT int32_t ds_abi_version(void);

/* ---- platform constants: name/value table read from the system headers ---- */
DS_EXPORT int32_t ds_constant_count(void);
/* Name of constant i (0 <= i < count), or NULL when out of range. Static storage. */
DS_EXPORT const char *ds_constant_name(int32_t i);
/* Value of constant i, 0 when out of range. */
DS_EXPORT int64_t ds_constant_value(int32_t i);

/* ---- errors ---- */
/* Symbolic name of an errno value ("ECONNREFUSED"), or NULL when the headers define none. */
DS_EXPORT const char *ds_errno_name(int32_t errnum);
/* strerror_r text for errnum into buf (always NUL-terminated); returns length or -errno. */
DS_EXPORT int32_t ds_strerror(int32_t errnum, char *buf, int32_t buflen);
/* Symbolic name of an EAI_* code ("EAI_NONAME"), or NULL when unknown. */
DS_EXPORT const char *ds_eai_name(int32_t code);
/* gai_strerror text (static storage in libc). */
DS_EXPORT const char *ds_gai_strerror(int32_t code);

/* ---- locale ---- */
/*
 * The locale libc converts multibyte text with in this process: AI_IDN reads the host name in
 * its character set (and AI_CANONIDN writes the canonical name in it), so the same bytes can
 * give different answers in different locales. The JVM sets the locale from the environment at
 * start-up (setlocale(LC_ALL, "")).
 *   which = DS_LOCALE_CTYPE:   setlocale(LC_CTYPE, NULL), the locale's name ("C.UTF-8", "C");
 *   which = DS_LOCALE_CODESET: nl_langinfo(CODESET), its character set ("UTF-8",
 *                              "ANSI_X3.4-1968").
 * Copies the text, NUL-terminated, into buf and returns its length; -ERANGE when buflen is too
 * small for it, -EINVAL for a NULL buf, buflen <= 0 or an unknown which. Reads the locale and
 * never changes it.
 */
#define DS_LOCALE_CTYPE 0
#define DS_LOCALE_CODESET 1
DS_EXPORT int32_t ds_locale_info(int32_t which, char *buf, int32_t buflen);

/* ---- resolver ---- */
/*
 * Flat getaddrinfo result format (native byte order, every entry 8-byte aligned):
 *
 *   header, DS_GAI_HEADER_SIZE (16) bytes:
 *     int32  status     0 or the EAI_* code getaddrinfo returned
 *     int32  sys_errno  errno when status == EAI_SYSTEM, else 0
 *     int32  count      number of entries that follow (0 unless status == 0)
 *     int32  reserved   0
 *   entry, DS_GAI_ENTRY_FIXED (48) bytes + canonical name:
 *     off  0 int32  ai_family
 *     off  4 int32  ai_socktype
 *     off  8 int32  ai_protocol
 *     off 12 int32  ai_flags        (as libc left it in the result)
 *     off 16 uint16 port            host byte order
 *     off 18 uint16 addr_len        4 (AF_INET), 16 (AF_INET6), 0 (anything else)
 *     off 20 uint32 flowinfo        host byte order (IPv6 only)
 *     off 24 uint32 scope_id        (IPv6 only)
 *     off 28 int32  canon_len       bytes of ai_canonname without NUL, -1 when NULL
 *     off 32 uint8  addr[16]        network byte order, first addr_len bytes valid
 *     off 48 char   canon[canon_len] followed by one NUL, then zero padding to 8 bytes
 *
 * hints points at four int32: family, socktype, protocol, flags (passed to libc unchanged).
 * host and service may be NULL exactly as for getaddrinfo(3).
 *
 * Returns the number of bytes the complete result needs (>= 16). When that is <= buflen
 * the buffer holds it; otherwise only the header's status is valid, count is 0, and the
 * caller retries with a buffer of at least the returned size (never a truncated list).
 * Returns -EINVAL when buf is NULL, hints is NULL or buflen < DS_GAI_HEADER_SIZE.
 * The libc list is always freed before returning.
 */
DS_EXPORT int64_t ds_getaddrinfo(const char *host, const char *service, const int32_t *hints,
                                 void *buf, int64_t buflen);
#define DS_GAI_HEADER_SIZE 16
#define DS_GAI_ENTRY_FIXED 48

/*
 * getnameinfo(3) on a kernel-format sockaddr of salen bytes.
 * out layout: int32 status, int32 sys_errno, char host[NI_MAXHOST], char serv[NI_MAXSERV]
 * (offsets DS_NI_HOST_OFFSET / DS_NI_SERV_OFFSET, total DS_NI_OUT_SIZE; outlen must be at
 * least that); host and serv are empty unless status is 0.
 *
 * Returns getnameinfo's status, also written to out: 0 or an EAI_* code. glibc's EAI_* codes
 * are negative, so test for a failure with != 0, never with < 0.
 * Returns -EINVAL, before libc is called and with out untouched, when the arguments are unusable:
 * sa or out NULL, salen outside 1..sizeof(struct sockaddr_storage), outlen < DS_NI_OUT_SIZE.
 * -EINVAL (-22 on Linux) is no EAI_* code; the build fails on a platform where it is one.
 */
DS_EXPORT int32_t ds_getnameinfo(const void *sa, int32_t salen, void *out, int32_t outlen,
                                 int32_t flags);
#define DS_NI_HOST_OFFSET 8
#define DS_NI_SERV_OFFSET (DS_NI_HOST_OFFSET + 1025) /* + NI_MAXHOST */
#define DS_NI_OUT_SIZE (DS_NI_SERV_OFFSET + 32)       /* + NI_MAXSERV */

/* if_nametoindex(3): the index (> 0) or -errno, -ENODEV for an unknown name. */
DS_EXPORT int32_t ds_if_nametoindex(const char *name);

/* ---- sockets (all return >= 0 or -errno) ---- */
/* socket(2) with SOCK_CLOEXEC added. */
DS_EXPORT int32_t ds_socket(int32_t family, int32_t type, int32_t protocol);
DS_EXPORT int32_t ds_close(int32_t fd);
/* sa is a kernel-format sockaddr; its length is taken from its family (sockaddr_in/in6). */
DS_EXPORT int32_t ds_bind(int32_t fd, const void *sa);
DS_EXPORT int32_t ds_listen(int32_t fd, int32_t backlog);
/* accept4(2) with SOCK_CLOEXEC; peer written into holder (may be NULL). */
DS_EXPORT int32_t ds_accept(int32_t fd, void *holder);
DS_EXPORT int32_t ds_connect(int32_t fd, const void *sa);
/*
 * Connect with a timeout: the socket is switched to non-blocking, connect() started, poll()
 * waits up to timeout_ms for writability, SO_ERROR read, and the previous blocking mode
 * restored on every path. Timeout gives -ETIMEDOUT.
 */
DS_EXPORT int32_t ds_connect_timeout(int32_t fd, const void *sa, int32_t timeout_ms);
DS_EXPORT int32_t ds_shutdown(int32_t fd, int32_t how);
/* send(2)/sendto(2) always add MSG_NOSIGNAL: a reset peer gives -EPIPE, never SIGPIPE. */
DS_EXPORT int64_t ds_send(int32_t fd, const void *buf, int64_t len, int32_t flags);
DS_EXPORT int64_t ds_recv(int32_t fd, void *buf, int64_t len, int32_t flags);
/* sa may be NULL (connected socket); otherwise its length comes from its family. */
DS_EXPORT int64_t ds_sendto(int32_t fd, const void *buf, int64_t len, int32_t flags, const void *sa);
/* Source address into holder (may be NULL). */
DS_EXPORT int64_t ds_recvfrom(int32_t fd, void *buf, int64_t len, int32_t flags, void *holder);
DS_EXPORT int32_t ds_getsockname(int32_t fd, void *holder);
DS_EXPORT int32_t ds_getpeername(int32_t fd, void *holder);
/* getsockopt(2): *len is in/out (bytes). */
DS_EXPORT int32_t ds_getsockopt(int32_t fd, int32_t level, int32_t name, void *val, uint32_t *len);
DS_EXPORT int32_t ds_setsockopt(int32_t fd, int32_t level, int32_t name, const void *val, uint32_t len);
/* O_NONBLOCK via fcntl(2): set (1/0) returns 0; get returns 1 or 0. */
DS_EXPORT int32_t ds_set_nonblocking(int32_t fd, int32_t on);
DS_EXPORT int32_t ds_get_nonblocking(int32_t fd);
/* poll(2) on one descriptor: returns revents (0 on timeout). timeout_ms < 0 waits forever. */
DS_EXPORT int32_t ds_poll(int32_t fd, int32_t events, int32_t timeout_ms);
/*
 * poll(2) on n descriptors (1..DS_POLL_MAX) given as three parallel int32 arrays, so no
 * struct pollfd layout crosses the boundary: fds[i] and events[i] in, revents[i] out.
 * Returns how many have events, 0 on timeout; EINTR is retried with the time left.
 */
#define DS_POLL_MAX 1024
DS_EXPORT int32_t ds_poll_many(const int32_t *fds, const int32_t *events, int32_t *revents, int32_t n,
                               int32_t timeout_ms);
/* eventfd(2) with EFD_CLOEXEC | EFD_NONBLOCK: a wake-up a waiting ds_poll_many can include. */
DS_EXPORT int32_t ds_eventfd(void);
/* Adds 1 to an eventfd's counter (it becomes readable); returns 0. */
DS_EXPORT int32_t ds_eventfd_signal(int32_t fd);
/* Reads and resets an eventfd's counter: returns it (at most INT32_MAX), 0 when it was zero. */
DS_EXPORT int32_t ds_eventfd_drain(int32_t fd);

/* ======================================================================================
 * batch: many datagrams per system call (sendmmsg/recvmmsg) and UDP segmentation offload.
 * Implemented in ds_batch.c.
 *
 * A batch is one block of caller memory (8-byte aligned, ds_batch_bytes(slots, slot_size)
 * bytes) that ds_batch_init lays out once and that is then reused for every call:
 *
 *   header   DS_BATCH_HEADER_SIZE bytes: uint32 magic, int32 slots, int32 slot_size, int32 0,
 *            then int64 offsets (from the block's start) of the slot records, the data
 *            region and two private arrays (struct mmsghdr[slots], struct iovec[slots]);
 *            the offsets are also reported by ds_batch_offset(DS_BATCH_OFF_*).
 *   slot i   DS_BATCH_SLOT_SIZE bytes at slots_off + i * DS_BATCH_SLOT_SIZE:
 *              off 0                     a sockaddr holder (sockaddr_storage + uint32 length):
 *                                        send: the destination, length 0 = none (connected
 *                                        socket); recv: the source as the kernel wrote it
 *              off DS_BATCH_LEN_OFFSET   int32 length: send: bytes to send (in);
 *                                        recv: bytes received (out)
 *              off DS_BATCH_RES_OFFSET   int32 msg_len the kernel reported (out)
 *              off DS_BATCH_FLAGS_OFFSET int32 msg_flags (recv, out: e.g. MSG_TRUNC, MSG_CTRUNC)
 *              off DS_BATCH_CONTROL_LEN_OFFSET int32 control bytes: send: bytes of control
 *                                        messages in the slot's control region (in, 0: none);
 *                                        recv: bytes the kernel wrote there (out)
 *   data     slot i's payload at data_off + i * slot_size, slot_size bytes.
 *   control  slot i's control region (only in a batch made with ds_batch_init_control and a
 *            control_size > 0) at control_off + i * align8(control_size), control_size bytes,
 *            8-byte aligned, in the kernel's cmsg format (see "messages" below).
 *
 * Every call works on slots [first, first + count). The shim rebuilds the private arrays from
 * the slot records on each call (so a corrupted record can only produce an error, never a
 * pointer outside the block) and checks every record before the system call.
 * ====================================================================================== */
#define DS_BATCH_HEADER_SIZE 80
#define DS_BATCH_LEN_OFFSET DS_HOLDER_SIZE
#define DS_BATCH_RES_OFFSET (DS_HOLDER_SIZE + 4)
#define DS_BATCH_FLAGS_OFFSET (DS_HOLDER_SIZE + 8)
#define DS_BATCH_CONTROL_LEN_OFFSET (DS_HOLDER_SIZE + 12)
#define DS_BATCH_SLOT_SIZE (DS_HOLDER_SIZE + 16)
#define DS_BATCH_MAX_SLOTS 1024 /* UIO_MAXIOV: the kernel's cap on vlen */
#define DS_BATCH_MAX_SLOT_SIZE 65535

/* Bytes a batch of this shape needs, or -EINVAL when slots/slot_size are out of range. */
DS_EXPORT int64_t ds_batch_bytes(int32_t slots, int32_t slot_size);
/* Lays out a batch in mem (bytes long, 8-byte aligned): returns 0 or -EINVAL. Zeroes it. */
DS_EXPORT int32_t ds_batch_init(void *mem, int64_t bytes, int32_t slots, int32_t slot_size);
/* Offset of the named region (DS_BATCH_OFF_SLOTS, _DATA) in an initialised batch, or -EINVAL. */
DS_EXPORT int64_t ds_batch_offset(const void *mem, int32_t which);
#define DS_BATCH_OFF_SLOTS 0
#define DS_BATCH_OFF_DATA 1
#define DS_BATCH_OFF_CONTROL 2 /* -EINVAL for a batch without control regions */
#define DS_BATCH_MAX_CONTROL 4096
/* The same with a control region of control_size bytes (0..DS_BATCH_MAX_CONTROL) per slot:
 * ds_batch_bytes/ds_batch_init are these with control_size 0. A receive then passes each slot's
 * region as msg_control (MSG_CTRUNC in the slot's flags when it was too small), a send passes
 * as many bytes of it as the slot's control length (DS_BATCH_CONTROL_LEN_OFFSET) says. */
DS_EXPORT int64_t ds_batch_control_bytes(int32_t slots, int32_t slot_size, int32_t control_size);
DS_EXPORT int32_t ds_batch_init_control(void *mem, int64_t bytes, int32_t slots, int32_t slot_size,
                                        int32_t control_size);

/*
 * sendmmsg(2) of slots [first, first + count) with flags | MSG_NOSIGNAL. Returns the number of
 * messages the kernel took (it stops at the first failure after at least one success: the
 * caller sends the rest again and then sees the error), or -errno when none was sent.
 * A slot whose length is outside [0, slot_size] or whose destination family is neither
 * AF_INET nor AF_INET6, or whose control length is outside [0, control_size], ends the batch
 * before it (-EMSGSIZE / -EAFNOSUPPORT / -EINVAL when it is the first). EINTR before any message is retried.
 */
DS_EXPORT int32_t ds_batch_send(int32_t fd, void *batch, int32_t first, int32_t count, int32_t flags);
/*
 * recvmmsg(2) into slots [first, first + count), no timeout. Without MSG_WAITFORONE in flags
 * a blocking socket waits until count datagrams arrived. Writes each received slot's source
 * holder, length, msg_len and msg_flags. Returns the number received or -errno.
 */
DS_EXPORT int32_t ds_batch_recv(int32_t fd, void *batch, int32_t first, int32_t count, int32_t flags);

/*
 * UDP generic segmentation offload: one sendmsg(2) of len bytes at buf with a UDP_SEGMENT
 * control message of segment_size; the kernel cuts it into len / segment_size datagrams (the
 * last one shorter). sa as for ds_sendto (NULL when connected). Returns bytes sent or -errno;
 * -ENOPROTOOPT when this build or kernel has no UDP_SEGMENT.
 */
DS_EXPORT int64_t ds_send_segmented(int32_t fd, const void *buf, int64_t len, int32_t segment_size,
                                    const void *sa);
/* 1 when the kernel accepts UDP_SEGMENT on this socket, 0 when it does not (ENOPROTOOPT,
 * EINVAL, EOPNOTSUPP), -errno for anything else (EBADF, ENOTSOCK). */
DS_EXPORT int32_t ds_udp_segment_supported(int32_t fd);
/* ==================================== end of batch ==================================== */

/* ======================================================================================
 * messages: recvmsg(2)/sendmsg(2) with control messages (ancillary data, cmsg(3)).
 * Implemented in ds_msg.c.
 *
 * A call takes a message descriptor, struct ds_msg in caller memory (8-byte aligned; Java
 * reads its size and offsets as "sizeof(struct ds_msg)", "offsetof(struct ds_msg,len)", ...):
 *   buf         address of the data
 *   len         data length in bytes (in)
 *   name        send: the destination, a kernel sockaddr whose length comes from its family (as
 *               for ds_sendto), 0 for none (the connected peer); recv: a sockaddr holder for the
 *               source, written with the length the kernel gave, 0 when not wanted
 *   control     address of the control buffer (8-byte aligned, as struct cmsghdr needs), 0 for none
 *   controllen  send: bytes of control messages at control (in); recv: the buffer's capacity
 *               (in), then the bytes the kernel wrote (out)
 *   flags       recv: msg_flags (out): MSG_TRUNC (data cut to len), MSG_CTRUNC (control messages
 *               dropped for want of room); send: unused
 * Control data is the kernel's own format (struct cmsghdr + CMSG_ALIGN padding, in native byte
 * order); Java reads and writes it with the layout ds_constant_* reports (cmsghdr, in_pktinfo,
 * in6_pktinfo, timespec, CMSG_ALIGN(1), CMSG_LEN(0), CMSG_SPACE(...)). The shim does not look
 * into it: the kernel checks every message it is given (EINVAL).
 * ====================================================================================== */
struct ds_msg {
    uint64_t buf;
    int64_t len;
    uint64_t name;
    uint64_t control;
    int32_t controllen;
    int32_t flags;
};

/*
 * recvmsg(2): one datagram into buf, its source into name, control messages into control.
 * Returns the bytes received (with MSG_TRUNC in flags: the datagram's real length) or -errno;
 * -EINVAL, before the system call, for a NULL or unaligned msg, len < 0, controllen < 0,
 * a control buffer that is NULL with controllen > 0 or not 8-byte aligned. EINTR is retried.
 */
DS_EXPORT int64_t ds_recvmsg(int32_t fd, void *msg, int32_t flags);
/*
 * sendmsg(2) with flags | MSG_NOSIGNAL: len bytes of buf to name (or the connected peer) with
 * the control messages at control. Returns bytes sent or -errno: -EINVAL as for ds_recvmsg,
 * -EAFNOSUPPORT for a destination of another family than AF_INET/AF_INET6. EINTR retried.
 */
DS_EXPORT int64_t ds_sendmsg(int32_t fd, const void *msg, int32_t flags);
/* ==================================== end of messages ================================= */

#ifdef __cplusplus
}
#endif

#endif
