package io.dualsock;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code getsockopt(2)}/{@code setsockopt(2)} for {@link NativeSocket}, through the per-thread
 * option memory of {@link Scratch}: the {@code socklen_t} length at 0, the value at
 * {@link Scratch#OPT_VALUE_AT}.
 */
final class OptionCalls {
    private static final int AT = Scratch.OPT_VALUE_AT;

    private OptionCalls() {}

    static <T> T get(Descriptor fd, Object owner, SocketOption<T> option) throws NativeSocketException {
        Objects.requireNonNull(option, "option");
        Scratch sc = Scratch.get();
        int len = getsockopt(fd, owner, sc, option.level(), option.optname(), option.size(), option);
        return option.decode(sc.opt, AT, len);
    }

    static <T> void set(Descriptor fd, Object owner, SocketOption<T> option, T value) throws NativeSocketException {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        if (option.isReadOnly()) {
            throw new IllegalArgumentException(option + " is read-only: getsockopt only (setsockopt would answer ENOPROTOOPT)");
        }
        Scratch sc = Scratch.get();
        option.encode(value, sc.opt, AT);
        fd.call(owner, Syscall.SETSOCKOPT, sc.optAddr + AT, option.size(), option.level(), option.optname(), option);
    }

    static int getInt(Descriptor fd, Object owner, int level, int name) throws NativeSocketException {
        Scratch sc = Scratch.get();
        int len = getsockopt(fd, owner, sc, level, name, 4, null);
        if (len == 4) return sc.opt.getInt(AT);
        if (len == 1) return sc.opt.get(AT) & 0xff;
        throw new IllegalStateException("getsockopt(" + level + ", " + name + ") returned " + len + " bytes, not an int");
    }

    static void setInt(Descriptor fd, Object owner, int level, int name, int value) throws NativeSocketException {
        Scratch sc = Scratch.get();
        sc.opt.putInt(AT, value);
        fd.call(owner, Syscall.SETSOCKOPT, sc.optAddr + AT, 4, level, name, null);
    }

    /** getsockopt with the value zeroed first; returns the length the kernel set. */
    private static int getsockopt(Descriptor fd, Object owner, Scratch sc, int level, int name, int size,
            SocketOption<?> option) throws NativeSocketException {
        ByteBuffer b = sc.opt;
        for (int i = 0; i < size; i++) b.put(AT + i, (byte) 0);
        b.putInt(0, size);
        fd.call(owner, Syscall.GETSOCKOPT, sc.optAddr + AT, sc.optAddr, level, name, option);
        return b.getInt(0);
    }
}
