package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;

/**
 * Per-thread native memory for {@link NativeSocket}: an encoded address, a holder for returned
 * addresses, option values and heap-buffer copies. Reachable through the thread-local for the
 * thread's whole life, so calls passing its addresses need no reachability fence (only the
 * one-off buffers {@link #data(int)} returns above {@link #MAX_COPY} do).
 */
final class Scratch {
    /** Most bytes copied per call between a heap buffer and the kernel on a stream socket. */
    static final int MAX_COPY = 1 << 20;
    /** Where an option value starts in {@link #opt}; the {@code socklen_t} length is at 0. */
    static final int OPT_VALUE_AT = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    final ByteBuffer sa = ByteBuffer.allocateDirect(Platform.HOLDER_SIZE).order(ByteOrder.nativeOrder());
    final long saAddr = Native.address(sa);
    final SockAddrHolder holder = new SockAddrHolder();
    final ByteBuffer opt = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    final long optAddr = Native.address(opt);
    /** A {@code struct ds_msg} for {@link MessageCalls} (8-byte aligned, as the shim requires). */
    final ByteBuffer msg = ByteBuffer.allocateDirect(MessageCalls.MSG_SIZE + 16).alignedSlice(8).order(ByteOrder.nativeOrder());
    final long msgAddr = Native.address(msg);
    private ByteBuffer data = ByteBuffer.allocateDirect(16 * 1024);
    private long dataAddr = Native.address(data);

    private Scratch() {}

    /** This thread's scratch memory. */
    static Scratch get() {
        return SCRATCH.get();
    }

    /** A direct buffer of at least n bytes: the cached one, grown up to 1 MiB, else a one-off. */
    ByteBuffer data(int n) {
        if (n <= data.capacity()) return data;
        if (n > MAX_COPY) return ByteBuffer.allocateDirect(n);
        data = ByteBuffer.allocateDirect(Math.max(n, Math.min(MAX_COPY, data.capacity() * 2)));
        dataAddr = Native.address(data);
        return data;
    }

    /** The address of a buffer {@link #data(int)} returned: kept for the cached one, not read per call. */
    long addressOf(ByteBuffer fromData) {
        return fromData == data ? dataAddr : Native.address(fromData);
    }
}
