package io.dualsock;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * The system resolver: libc's {@code getaddrinfo(3)} and {@code getnameinfo(3)}, called as C
 * would call them. Every query goes to libc, numeric literals included (libc's own reading of
 * {@code 127.1} or {@code 0x7f.1} is part of the answer); nothing is cached, reordered or
 * de-duplicated here, and IPv4-mapped results stay IPv6.
 *
 * <p>Cost: one native call per query (libc's list is copied into a per-thread native scratch
 * buffer by the shim and freed there), plus a second call only when the result outgrows that
 * buffer. Thread-safe; glibc's getaddrinfo is MT-safe.
 */
public final class Resolver {
    private Resolver() {}

    /** Longest host or service accepted (bytes of UTF-8): far beyond any name (NI_MAXHOST is 1025). */
    public static final int MAX_NAME_BYTES = 65535;

    private static final int HINTS_AT = 0;
    private static final int STRINGS_AT = 16;

    private static final class Scratch {
        ByteBuffer args = ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder());
        long argsAddr = Native.address(args);
        ByteBuffer result = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
        long resultAddr = Native.address(result);

        /** Grows args to at least n bytes, keeping what is already written (the host, when the service grows it). */
        void ensureArgs(int n) {
            if (n > args.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(n, args.capacity() * 2)).order(ByteOrder.nativeOrder());
                bigger.put(0, args, 0, args.capacity());
                args = bigger;
                argsAddr = Native.address(args);
            }
        }

        void ensureResult(long n) {
            if (n > result.capacity()) {
                result = ByteBuffer.allocateDirect((int) Math.max(n, result.capacity() * 2L)).order(ByteOrder.nativeOrder());
                resultAddr = Native.address(result);
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Tests only: gives this thread a result buffer of the given size, to drive the retry path. */
    static void replaceScratchResultForTest(int bytes) {
        Scratch sc = SCRATCH.get();
        sc.result = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        sc.resultAddr = Native.address(sc.result);
    }

    /** Tests only: the size of this thread's result buffer. */
    static int scratchResultCapacityForTest() {
        return SCRATCH.get().result.capacity();
    }

    /**
     * {@code getaddrinfo(host, service, &hints, &res)}.
     *
     * @param host a name or numeric address, or null (as NULL in C: with {@code AI_PASSIVE} the
     *     wildcard address, otherwise loopback)
     * @param service a service name or port number, or null (port 0)
     * @param hints family, socket type, protocol and flags, passed unchanged
     * @return the results in libc's order (RFC 6724 sorting, {@code /etc/gai.conf}), duplicates
     *     kept; immutable; never empty
     * @throws ResolverException with the {@code EAI_*} code libc returned (both host and service
     *     null gives {@code EAI_NONAME}, as in C)
     * @throws NullPointerException when hints is null
     * @throws IllegalArgumentException when host or service contains a NUL character (C would
     *     silently cut the string there) or is longer than {@link #MAX_NAME_BYTES}
     */
    public static List<AddrInfo> getaddrinfo(String host, String service, Hints hints) throws ResolverException {
        Objects.requireNonNull(hints, "hints");
        Scratch sc = SCRATCH.get();
        int hostAt = STRINGS_AT;
        int hostLen = put(sc, "host", host, hostAt);
        int servAt = hostAt + (hostLen < 0 ? 0 : hostLen + 1);
        int servLen = put(sc, "service", service, servAt);
        ByteBuffer a = sc.args;
        a.putInt(HINTS_AT, hints.family());
        a.putInt(HINTS_AT + 4, hints.socktype());
        a.putInt(HINTS_AT + 8, hints.protocol());
        a.putInt(HINTS_AT + 12, hints.flags());
        Shim shim = Native.shim();
        long hostPtr = hostLen < 0 ? 0 : sc.argsAddr + hostAt;
        long servPtr = servLen < 0 ? 0 : sc.argsAddr + servAt;
        for (int attempt = 0; ; attempt++) {
            long need = shim.ds_getaddrinfo(hostPtr, servPtr, sc.argsAddr + HINTS_AT, sc.resultAddr, sc.result.capacity());
            Reference.reachabilityFence(sc.args);
            Reference.reachabilityFence(sc.result);
            if (need < 0) throw new IllegalStateException("ds_getaddrinfo rejected its arguments: " + need);
            ByteBuffer r = sc.result;
            int status = r.getInt(0);
            if (status != 0) {
                throw resolverError("getaddrinfo", describe(host, service, hints), status, r.getInt(4));
            }
            if (need <= r.capacity()) {
                return FlatAddrInfo.decode(r, (int) need, Platform.AF_INET, Platform.AF_INET6);
            }
            // The answer did not fit: grow and ask again (the answer may differ: loop, bounded).
            if (need > Integer.MAX_VALUE - 8 || attempt >= 8) {
                throw new IllegalStateException("getaddrinfo result keeps outgrowing the buffer (" + need + " bytes)");
            }
            sc.ensureResult(need);
        }
    }

    /**
     * {@code getnameinfo(sa, salen, host, NI_MAXHOST, serv, NI_MAXSERV, flags)}.
     *
     * @param flags {@code NI_*} bits, see {@link NiFlag#of}
     * @throws ResolverException with the {@code EAI_*} code (e.g. {@code EAI_NONAME} with
     *     {@code NI_NAMEREQD} for an address without a name)
     */
    public static NameInfo getnameinfo(SockAddr address, int flags) throws ResolverException {
        Objects.requireNonNull(address, "address");
        Scratch sc = SCRATCH.get();
        int saLen = SockAddrCodec.encode(address, sc.args, 0);
        sc.ensureResult(Platform.NI_OUT_SIZE);
        int rc = Native.shim().ds_getnameinfo(sc.argsAddr, saLen, sc.resultAddr, sc.result.capacity(), flags);
        Reference.reachabilityFence(sc.args);
        Reference.reachabilityFence(sc.result);
        ByteBuffer r = sc.result;
        if (rc != 0) throwNameInfoFailure(rc, address, flags, saLen, sc.result.capacity(), r.getInt(4));
        return new NameInfo(cString(r, Platform.NI_HOST_OFFSET, Platform.NI_MAXHOST),
                cString(r, Platform.NI_SERV_OFFSET, Platform.NI_OUT_SIZE - Platform.NI_SERV_OFFSET));
    }

    /**
     * ds_getnameinfo's non-zero return as an exception. -EINVAL means the shim refused the
     * arguments before calling libc (no EAI_* code equals it, see dualsock.h): the codec or the
     * scratch buffer is wrong, a dualsock bug and not the caller's. Anything else is libc's EAI_* code.
     */
    static void throwNameInfoFailure(int rc, SockAddr address, int flags, int saLen, int outLen, int sysErrno)
            throws ResolverException {
        if (rc == -Platform.EINVAL) {
            throw new IllegalStateException("ds_getnameinfo rejected its arguments (-EINVAL): sockaddr of " + saLen
                    + " bytes for " + address + ", result buffer of " + outLen + " bytes (needs "
                    + Platform.NI_OUT_SIZE + "); this is a dualsock bug");
        }
        throw resolverError("getnameinfo", address + ", flags=0x" + Integer.toHexString(flags), rc, sysErrno);
    }

    private static String cString(ByteBuffer b, int at, int max) {
        int n = 0;
        while (n < max && b.get(at + n) != 0) n++;
        byte[] bytes = new byte[n];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Writes s as a NUL-terminated UTF-8 string at args[at..]: straight from the chars when they
     * are all ASCII (no byte[] per call), else through {@link #encode}. Returns its length in
     * bytes, or -1 for null.
     */
    private static int put(Scratch sc, String what, String s, int at) {
        if (s == null) return -1;
        int n = s.length();
        if (n <= MAX_NAME_BYTES) {
            sc.ensureArgs(at + n + 1);
            ByteBuffer a = sc.args;
            int i = 0;
            for (; i < n; i++) {
                char ch = s.charAt(i);
                if (ch == 0 || ch >= 0x80) break;
                a.put(at + i, (byte) ch);
            }
            if (i == n) {
                a.put(at + n, (byte) 0);
                return n;
            }
        }
        byte[] b = encode(what, s);
        sc.ensureArgs(at + b.length + 1);
        sc.args.put(at, b);
        sc.args.put(at + b.length, (byte) 0);
        return b.length;
    }

    private static byte[] encode(String what, String s) {
        if (s == null) return null;
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character at index " + s.indexOf('\0')
                    + ": libc would see only " + quote(s.substring(0, s.indexOf('\0'))));
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " is " + b.length + " bytes, more than " + MAX_NAME_BYTES);
        }
        return b;
    }

    private static String describe(String host, String service, Hints hints) {
        return quote(host) + ", " + quote(service) + ", " + hints;
    }

    private static String quote(String s) {
        return InetText.quote(s, 100);
    }

    static ResolverException resolverError(String call, String args, int code, int errno) {
        boolean sys = code == Platform.EAI_SYSTEM;
        return new ResolverException(call, args, code, Errors.eaiName(code), Errors.gaiStrerror(code),
                sys ? errno : 0, sys ? Errors.errnoName(errno) : null, sys ? Errors.strerror(errno) : null);
    }
}
