package io.dualsock.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@link Shim} through FFM downcall handles, one per shim function (two behind one guard where a call may or may
 * not block).
 *
 * <p>A record because HotSpot trusts a record's final fields as constants: with the shim held in a
 * {@code static final}, every {@code invokeExact} below inlines to the downcall stub, as a
 * {@code static final} handle would, while each loaded library keeps its own handles.
 *
 * <p>Pointers cross as {@code long} ({@code JAVA_LONG}), as in the jnr binding: on the LP64 ABIs
 * the shim is built for (x86_64, aarch64) a pointer and a 64-bit integer go in the same register.
 *
 * <p>{@code Linker.Option.critical} (no thread-state transition, so no safepoint can happen
 * during the call) is used only for calls that cannot block: the shim's pure helpers, option and
 * name calls, {@code getaddrinfo} with {@code AI_NUMERICHOST} (and no service lookup),
 * {@code getnameinfo} with {@code NI_NUMERICHOST|NI_NUMERICSERV}, and sends and receives with
 * {@code MSG_DONTWAIT} (which java-api adds on the sockets it made non-blocking). Everything else keeps the normal transition, so a thread blocked in the
 * kernel never holds up the garbage collector.
 */
record FfmShim(
        MethodHandle abiVersion, MethodHandle constantCount, MethodHandle constantName,
        MethodHandle constantValue, MethodHandle errnoName, MethodHandle strerror, MethodHandle eaiName,
        MethodHandle gaiStrerror, MethodHandle localeInfo,
        MethodHandle getaddrinfo, MethodHandle getaddrinfoNumeric,
        MethodHandle getnameinfo, MethodHandle getnameinfoNumeric,
        MethodHandle ifNametoindex,
        MethodHandle socket, MethodHandle close, MethodHandle bind, MethodHandle listen, MethodHandle accept,
        MethodHandle connect, MethodHandle connectTimeout, MethodHandle shutdown,
        MethodHandle send, MethodHandle recv, MethodHandle sendto, MethodHandle recvfrom,
        MethodHandle getsockname, MethodHandle getpeername, MethodHandle getsockopt, MethodHandle setsockopt,
        MethodHandle setNonblocking, MethodHandle getNonblocking, MethodHandle poll,
        MethodHandle pollMany, MethodHandle eventfd, MethodHandle eventfdSignal, MethodHandle eventfdDrain,
        MethodHandle batchBytes, MethodHandle batchInit, MethodHandle batchOffset,
        MethodHandle batchSend, MethodHandle batchRecv,
        MethodHandle sendSegmented, MethodHandle udpSegmentSupported,
        MethodHandle batchControlBytes, MethodHandle batchInitControl,
        MethodHandle recvmsg, MethodHandle sendmsg,
        int aiNumericHost, int aiNumericServ, int aiCanonName, int niNumeric)
        implements Shim {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout I = JAVA_INT;
    private static final MemoryLayout L = JAVA_LONG;
    /** Offset of the flags in ds_getaddrinfo's hints (four int32: family, socktype, protocol, flags). */
    private static final long HINT_FLAGS = 12;
    private static final MethodHandle ANY_SET;

    static {
        try {
            ANY_SET = MethodHandles.lookup().findStatic(FfmShim.class, "anySet",
                    MethodType.methodType(boolean.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Binds every function of the library; the ABI version is checked by the loader. */
    static FfmShim bind(SymbolLookup lib) {
        Handles h = new Handles(lib);
        MethodHandle count = h.fast("ds_constant_count", I);
        MethodHandle name = h.fast("ds_constant_name", ADDRESS, I);
        MethodHandle value = h.fast("ds_constant_value", L, I);
        Constants c = new Constants(count, name, value);
        int dontwait = c.get("MSG_DONTWAIT");
        return new FfmShim(
                h.fast("ds_abi_version", I), count, name, value,
                h.fast("ds_errno_name", ADDRESS, I), h.fast("ds_strerror", I, I, L, I),
                h.fast("ds_eai_name", ADDRESS, I), h.fast("ds_gai_strerror", ADDRESS, I),
                h.fast("ds_locale_info", I, I, L, I),
                h.slow("ds_getaddrinfo", L, L, L, L, L, L), h.fast("ds_getaddrinfo", L, L, L, L, L, L),
                h.slow("ds_getnameinfo", I, L, I, L, I, I), h.fast("ds_getnameinfo", I, L, I, L, I, I),
                h.fast("ds_if_nametoindex", I, L),
                h.slow("ds_socket", I, I, I, I), h.slow("ds_close", I, I), h.slow("ds_bind", I, I, L),
                h.slow("ds_listen", I, I, I), h.slow("ds_accept", I, I, L), h.slow("ds_connect", I, I, L),
                h.slow("ds_connect_timeout", I, I, L, I), h.slow("ds_shutdown", I, I, I),
                h.byFlags(3, dontwait, "ds_send", L, I, L, L, I),
                h.byFlags(3, dontwait, "ds_recv", L, I, L, L, I),
                h.byFlags(3, dontwait, "ds_sendto", L, I, L, L, I, L),
                h.byFlags(3, dontwait, "ds_recvfrom", L, I, L, L, I, L),
                h.fast("ds_getsockname", I, I, L), h.fast("ds_getpeername", I, I, L),
                h.fast("ds_getsockopt", I, I, I, I, L, L), h.fast("ds_setsockopt", I, I, I, I, L, I),
                h.fast("ds_set_nonblocking", I, I, I), h.fast("ds_get_nonblocking", I, I),
                h.slow("ds_poll", I, I, I, I),
                h.slow("ds_poll_many", I, L, L, L, I, I), h.fast("ds_eventfd", I),
                h.slow("ds_eventfd_signal", I, I), h.slow("ds_eventfd_drain", I, I),
                h.fast("ds_batch_bytes", L, I, I), h.fast("ds_batch_init", I, L, L, I, I),
                h.fast("ds_batch_offset", L, L, I),
                h.byFlags(4, dontwait, "ds_batch_send", I, I, L, I, I, I),
                h.byFlags(4, dontwait, "ds_batch_recv", I, I, L, I, I, I),
                h.slow("ds_send_segmented", L, I, L, L, I, L), h.fast("ds_udp_segment_supported", I, I),
                h.fast("ds_batch_control_bytes", L, I, I, I), h.fast("ds_batch_init_control", I, L, L, I, I, I),
                h.byFlags(2, dontwait, "ds_recvmsg", L, I, L, I),
                h.byFlags(2, dontwait, "ds_sendmsg", L, I, L, I),
                c.get("AI_NUMERICHOST"), c.get("AI_NUMERICSERV"), c.get("AI_CANONNAME"),
                c.get("NI_NUMERICHOST") | c.get("NI_NUMERICSERV"));
    }

    /** Downcall handles from one library: {@code slow} with the normal transition, {@code fast} critical. */
    private record Handles(SymbolLookup lib) {
        MethodHandle slow(String name, MemoryLayout ret, MemoryLayout... args) {
            return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args));
        }

        MethodHandle fast(String name, MemoryLayout ret, MemoryLayout... args) {
            return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), Linker.Option.critical(false));
        }

        /**
         * One handle for a call that blocks unless its flags (argument {@code flagsAt}) hold
         * {@code dontwait}: the critical downcall when they do, the normal one otherwise
         * ({@code guardWithTest} of two constant handles, which the JIT inlines as it would the
         * two calls and a branch).
         */
        MethodHandle byFlags(int flagsAt, int dontwait, String name, MemoryLayout ret, MemoryLayout... args) {
            MethodHandle critical = fast(name, ret, args);
            MethodHandle test = MethodHandles.insertArguments(ANY_SET, 1, dontwait);
            test = MethodHandles.dropArguments(test, 0, critical.type().parameterList().subList(0, flagsAt));
            return MethodHandles.guardWithTest(test, critical, slow(name, ret, args));
        }

        private MemorySegment symbol(String name) {
            return lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libdualsock has no symbol " + name));
        }
    }

    /** The few platform constants this binding needs to pick a handle, read from the shim being bound. */
    private record Constants(MethodHandle count, MethodHandle name, MethodHandle value) {
        int get(String wanted) {
            try {
                int n = (int) count.invokeExact();
                for (int i = 0; i < n; i++) {
                    if (wanted.equals(FfmBinding.string((MemorySegment) name.invokeExact(i)))) {
                        return Math.toIntExact((long) value.invokeExact(i));
                    }
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            throw new UnsatisfiedLinkError("libdualsock exports no constant " + wanted);
        }
    }

    /** {@code (flags & mask) != 0}, the test of {@link Handles#byFlags}. */
    private static boolean anySet(int flags, int mask) {
        return (flags & mask) != 0;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }

    // ---- shim helpers, names and the resolver ----

    @Override public int ds_abi_version() {
        try { return (int) abiVersion.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_constant_count() {
        try { return (int) constantCount.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public String ds_constant_name(int i) {
        try { return FfmBinding.string((MemorySegment) constantName.invokeExact(i)); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_constant_value(int i) {
        try { return (long) constantValue.invokeExact(i); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public String ds_errno_name(int errnum) {
        try { return FfmBinding.string((MemorySegment) errnoName.invokeExact(errnum)); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_strerror(int errnum, long buf, int buflen) {
        try { return (int) strerror.invokeExact(errnum, buf, buflen); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public String ds_eai_name(int code) {
        try { return FfmBinding.string((MemorySegment) eaiName.invokeExact(code)); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public String ds_gai_strerror(int code) {
        try { return FfmBinding.string((MemorySegment) gaiStrerror.invokeExact(code)); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_locale_info(int which, long buf, int buflen) {
        try { return (int) localeInfo.invokeExact(which, buf, buflen); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Critical only for a numeric host and no service lookup: nothing then reads files or asks DNS. */
    @Override public long ds_getaddrinfo(long host, long service, long hints, long buf, long buflen) {
        int flags = hints == 0 ? 0 : FfmBinding.EVERYTHING.get(JAVA_INT, hints + HINT_FLAGS);
        boolean numeric = host != 0 && (flags & aiNumericHost) != 0 && (flags & aiCanonName) == 0
                && (service == 0 || (flags & aiNumericServ) != 0);
        try {
            return numeric ? (long) getaddrinfoNumeric.invokeExact(host, service, hints, buf, buflen)
                    : (long) getaddrinfo.invokeExact(host, service, hints, buf, buflen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override public int ds_getnameinfo(long sa, int salen, long out, int outlen, int flags) {
        try {
            return (flags & niNumeric) == niNumeric ? (int) getnameinfoNumeric.invokeExact(sa, salen, out, outlen, flags)
                    : (int) getnameinfo.invokeExact(sa, salen, out, outlen, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override public int ds_if_nametoindex(long name) {
        try { return (int) ifNametoindex.invokeExact(name); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- sockets ----

    @Override public int ds_socket(int family, int type, int protocol) {
        try { return (int) socket.invokeExact(family, type, protocol); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Normal transition: close can wait (SO_LINGER). */
    @Override public int ds_close(int fd) {
        try { return (int) close.invokeExact(fd); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_bind(int fd, long sa) {
        try { return (int) bind.invokeExact(fd, sa); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_listen(int fd, int backlog) {
        try { return (int) listen.invokeExact(fd, backlog); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_accept(int fd, long holder) {
        try { return (int) accept.invokeExact(fd, holder); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_connect(int fd, long sa) {
        try { return (int) connect.invokeExact(fd, sa); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_connect_timeout(int fd, long sa, int timeoutMs) {
        try { return (int) connectTimeout.invokeExact(fd, sa, timeoutMs); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_shutdown(int fd, int how) {
        try { return (int) shutdown.invokeExact(fd, how); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_send(int fd, long buf, long len, int flags) {
        try { return (long) send.invokeExact(fd, buf, len, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_recv(int fd, long buf, long len, int flags) {
        try { return (long) recv.invokeExact(fd, buf, len, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_sendto(int fd, long buf, long len, int flags, long sa) {
        try { return (long) sendto.invokeExact(fd, buf, len, flags, sa); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_recvfrom(int fd, long buf, long len, int flags, long holder) {
        try { return (long) recvfrom.invokeExact(fd, buf, len, flags, holder); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_getsockname(int fd, long holder) {
        try { return (int) getsockname.invokeExact(fd, holder); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_getpeername(int fd, long holder) {
        try { return (int) getpeername.invokeExact(fd, holder); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_getsockopt(int fd, int level, int name, long val, long lenPtr) {
        try { return (int) getsockopt.invokeExact(fd, level, name, val, lenPtr); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_setsockopt(int fd, int level, int name, long val, int len) {
        try { return (int) setsockopt.invokeExact(fd, level, name, val, len); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_set_nonblocking(int fd, int on) {
        try { return (int) setNonblocking.invokeExact(fd, on); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_get_nonblocking(int fd) {
        try { return (int) getNonblocking.invokeExact(fd); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_poll(int fd, int events, int timeoutMs) {
        try { return (int) poll.invokeExact(fd, events, timeoutMs); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_poll_many(long fds, long events, long revents, int n, int timeoutMs) {
        try { return (int) pollMany.invokeExact(fds, events, revents, n, timeoutMs); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_eventfd() {
        try { return (int) eventfd.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_eventfd_signal(int fd) {
        try { return (int) eventfdSignal.invokeExact(fd); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_eventfd_drain(int fd) {
        try { return (int) eventfdDrain.invokeExact(fd); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- batch ----

    @Override public long ds_batch_bytes(int slots, int slotSize) {
        try { return (long) batchBytes.invokeExact(slots, slotSize); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_batch_init(long mem, long bytes, int slots, int slotSize) {
        try { return (int) batchInit.invokeExact(mem, bytes, slots, slotSize); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_batch_offset(long mem, int which) {
        try { return (long) batchOffset.invokeExact(mem, which); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_batch_send(int fd, long batch, int first, int count, int flags) {
        try { return (int) batchSend.invokeExact(fd, batch, first, count, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_batch_recv(int fd, long batch, int first, int count, int flags) {
        try { return (int) batchRecv.invokeExact(fd, batch, first, count, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_send_segmented(int fd, long buf, long len, int segmentSize, long sa) {
        try { return (long) sendSegmented.invokeExact(fd, buf, len, segmentSize, sa); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_udp_segment_supported(int fd) {
        try { return (int) udpSegmentSupported.invokeExact(fd); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_batch_control_bytes(int slots, int slotSize, int controlSize) {
        try { return (long) batchControlBytes.invokeExact(slots, slotSize, controlSize); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public int ds_batch_init_control(long mem, long bytes, int slots, int slotSize, int controlSize) {
        try {
            return (int) batchInitControl.invokeExact(mem, bytes, slots, slotSize, controlSize);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- messages ----

    @Override public long ds_recvmsg(int fd, long msg, int flags) {
        try { return (long) recvmsg.invokeExact(fd, msg, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    @Override public long ds_sendmsg(int fd, long msg, int flags) {
        try { return (long) sendmsg.invokeExact(fd, msg, flags); } catch (Throwable t) { throw rethrow(t); }
    }
}
