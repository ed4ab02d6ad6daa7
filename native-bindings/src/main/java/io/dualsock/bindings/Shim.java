package io.dualsock.bindings;

import jnr.ffi.annotations.IgnoreError;

/**
 * {@code libdualsock.so} as Java calls it; see {@code c-shim/include/dualsock.h} for every
 * function's contract. Implemented by jnr-ffi from this interface and its annotations
 * ({@link JnrBinding}), or on Java 22+ by FFM downcall handles ({@code FfmShim}). Internal: use
 * {@code io.dualsock}.
 *
 * <p>Binding style, chosen for the hot path: every function is {@link IgnoreError} because
 * the shim returns {@code -errno} itself, so jnr-ffi never has to save errno after the call;
 * pointers cross as raw {@code long} addresses of direct memory that the Java side owns and
 * bounds-checks, so no {@code ByteBuffer} address lookup or array pinning happens per call.
 * No function takes more than five parameters (jnr-ffi issue 181, see the header).
 */
public interface Shim {
    @IgnoreError int ds_abi_version();

    @IgnoreError int ds_constant_count();

    @IgnoreError String ds_constant_name(int i);

    @IgnoreError long ds_constant_value(int i);

    @IgnoreError String ds_errno_name(int errnum);

    @IgnoreError int ds_strerror(int errnum, long buf, int buflen);

    @IgnoreError String ds_eai_name(int code);

    @IgnoreError String ds_gai_strerror(int code);

    @IgnoreError int ds_locale_info(int which, long buf, int buflen);

    @IgnoreError long ds_getaddrinfo(long host, long service, long hints, long buf, long buflen);

    @IgnoreError int ds_getnameinfo(long sa, int salen, long out, int outlen, int flags);

    @IgnoreError int ds_if_nametoindex(long name);

    @IgnoreError int ds_socket(int family, int type, int protocol);

    @IgnoreError int ds_close(int fd);

    @IgnoreError int ds_bind(int fd, long sa);

    @IgnoreError int ds_listen(int fd, int backlog);

    @IgnoreError int ds_accept(int fd, long holder);

    @IgnoreError int ds_connect(int fd, long sa);

    @IgnoreError int ds_connect_timeout(int fd, long sa, int timeoutMs);

    @IgnoreError int ds_shutdown(int fd, int how);

    @IgnoreError long ds_send(int fd, long buf, long len, int flags);

    @IgnoreError long ds_recv(int fd, long buf, long len, int flags);

    @IgnoreError long ds_sendto(int fd, long buf, long len, int flags, long sa);

    @IgnoreError long ds_recvfrom(int fd, long buf, long len, int flags, long holder);

    @IgnoreError int ds_getsockname(int fd, long holder);

    @IgnoreError int ds_getpeername(int fd, long holder);

    @IgnoreError int ds_getsockopt(int fd, int level, int name, long val, long lenPtr);

    @IgnoreError int ds_setsockopt(int fd, int level, int name, long val, int len);

    @IgnoreError int ds_set_nonblocking(int fd, int on);

    @IgnoreError int ds_get_nonblocking(int fd);

    @IgnoreError int ds_poll(int fd, int events, int timeoutMs);

    @IgnoreError int ds_poll_many(long fds, long events, long revents, int n, int timeoutMs);

    @IgnoreError int ds_eventfd();

    @IgnoreError int ds_eventfd_signal(int fd);

    @IgnoreError int ds_eventfd_drain(int fd);

    // ---- batch (ds_batch.c; contracts in the "batch" section of dualsock.h) ----

    @IgnoreError long ds_batch_bytes(int slots, int slotSize);

    @IgnoreError int ds_batch_init(long mem, long bytes, int slots, int slotSize);

    @IgnoreError long ds_batch_offset(long mem, int which);

    @IgnoreError int ds_batch_send(int fd, long batch, int first, int count, int flags);

    @IgnoreError int ds_batch_recv(int fd, long batch, int first, int count, int flags);

    @IgnoreError long ds_send_segmented(int fd, long buf, long len, int segmentSize, long sa);

    @IgnoreError int ds_udp_segment_supported(int fd);

    @IgnoreError long ds_batch_control_bytes(int slots, int slotSize, int controlSize);

    @IgnoreError int ds_batch_init_control(long mem, long bytes, int slots, int slotSize, int controlSize);

    // ---- messages (ds_msg.c; the "messages" section of dualsock.h): msg is a struct ds_msg ----

    @IgnoreError long ds_recvmsg(int fd, long msg, int flags);

    @IgnoreError long ds_sendmsg(int fd, long msg, int flags);
}
