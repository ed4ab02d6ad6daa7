package io.dualsock;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import io.dualsock.bindings.Constants;

/**
 * One typed socket option: the {@code level} and {@code optname} of {@code getsockopt(2)} /
 * {@code setsockopt(2)}, named after the C option, and how its value is laid out in memory
 * ({@code int}, boolean as {@code int}, {@code struct timeval}, {@code struct linger}), with
 * sizes and offsets from the C headers. The instances are in {@link SocketOptions}, grouped by
 * level; use them with {@link NativeSocket#getOption} and {@link NativeSocket#setOption}.
 *
 * <p>Values are what the kernel reports, unchanged: nothing is halved, rounded or cached
 * (see {@link SocketOptions.SolSocket#SO_RCVBUF}).
 *
 * @param <T> {@link Boolean}, {@link Integer}, {@link Duration} or {@link SocketOptions.Linger}
 */
public final class SocketOption<T> {
    enum Kind { BOOLEAN, INT, TIMEVAL, LINGER }

    private static final class Layout {
        static final int SIZEOF_INT = Constants.i("sizeof(int)");
        static final int TIMEVAL = Constants.i("sizeof(struct timeval)");
        static final int TV_SEC = Constants.i("offsetof(struct timeval,tv_sec)");
        static final int TV_SEC_SIZE = Constants.i("sizeof(struct timeval.tv_sec)");
        static final int TV_USEC = Constants.i("offsetof(struct timeval,tv_usec)");
        static final int TV_USEC_SIZE = Constants.i("sizeof(struct timeval.tv_usec)");
        static final int LINGER = Constants.i("sizeof(struct linger)");
        static final int L_ONOFF = Constants.i("offsetof(struct linger,l_onoff)");
        static final int L_LINGER = Constants.i("offsetof(struct linger,l_linger)");
    }

    private final String levelName;
    private final int level;
    private final String name;
    private final int optname;
    private final Kind kind;
    private final Class<T> type;
    private final boolean readOnly;
    private final int min;

    private SocketOption(String levelName, String name, Kind kind, Class<T> type, boolean readOnly, int min) {
        this.levelName = levelName;
        this.level = Constants.i(levelName);
        this.name = name;
        this.optname = Constants.i(name);
        this.kind = kind;
        this.type = type;
        this.readOnly = readOnly;
        this.min = min;
    }

    static SocketOption<Boolean> bool(String level, String name) {
        return new SocketOption<>(level, name, Kind.BOOLEAN, Boolean.class, false, 0);
    }

    static SocketOption<Boolean> boolReadOnly(String level, String name) {
        return new SocketOption<>(level, name, Kind.BOOLEAN, Boolean.class, true, 0);
    }

    /** An int option; set refuses values below min before the call. */
    static SocketOption<Integer> integer(String level, String name, int min) {
        return new SocketOption<>(level, name, Kind.INT, Integer.class, false, min);
    }

    static SocketOption<Integer> intReadOnly(String level, String name) {
        return new SocketOption<>(level, name, Kind.INT, Integer.class, true, Integer.MIN_VALUE);
    }

    static SocketOption<Duration> timeval(String level, String name) {
        return new SocketOption<>(level, name, Kind.TIMEVAL, Duration.class, false, 0);
    }

    static SocketOption<SocketOptions.Linger> linger(String level, String name) {
        return new SocketOption<>(level, name, Kind.LINGER, SocketOptions.Linger.class, false, 0);
    }

    /** The C name, e.g. {@code SO_RCVBUF}. */
    public String name() { return name; }

    /** The C name of the level, e.g. {@code SOL_SOCKET}, {@code IPPROTO_IPV6}. */
    public String levelName() { return levelName; }

    /** The level's value on this platform. */
    public int level() { return level; }

    /** The option's value ({@code optname}) on this platform. */
    public int optname() { return optname; }

    /** The Java type of the value. */
    public Class<T> type() { return type; }

    /** True for options that {@code setsockopt} does not accept ({@code SO_ERROR}, {@code SO_TYPE}, ...). */
    public boolean isReadOnly() { return readOnly; }

    /** Bytes of the C value. */
    int size() {
        switch (kind) {
            case TIMEVAL: return Layout.TIMEVAL;
            case LINGER: return Layout.LINGER;
            default: return Layout.SIZEOF_INT;
        }
    }

    /**
     * Checks value and writes the C value at b[at..at+size()).
     *
     * @throws IllegalArgumentException for a value the option cannot take (negative durations,
     *     buffer sizes or linger times)
     */
    void encode(T value, ByteBuffer b, int at) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < size(); i++) b.put(at + i, (byte) 0);
        switch (kind) {
            case BOOLEAN:
                b.putInt(at, ((Boolean) value) ? 1 : 0);
                break;
            case INT: {
                int v = (Integer) value;
                if (v < min) throw new IllegalArgumentException(name + " must be at least " + min + ", got " + v);
                b.putInt(at, v);
                break;
            }
            case TIMEVAL: {
                Duration d = (Duration) value;
                if (d.isNegative()) {
                    throw new IllegalArgumentException(name + " cannot be negative (setsockopt would answer EDOM): " + d);
                }
                long sec = d.getSeconds();
                // Round sub-microsecond parts up: a 1 ns timeout must not become {0, 0}, which means "no timeout".
                long usec = (d.getNano() + 999) / 1000;
                if (usec == 1_000_000) {
                    sec = Math.addExact(sec, 1);
                    usec = 0;
                }
                putSized(b, at + Layout.TV_SEC, Layout.TV_SEC_SIZE, sec, "tv_sec");
                putSized(b, at + Layout.TV_USEC, Layout.TV_USEC_SIZE, usec, "tv_usec");
                break;
            }
            case LINGER: {
                SocketOptions.Linger l = (SocketOptions.Linger) value;
                if (l.seconds() < 0) {
                    throw new IllegalArgumentException(name + " l_linger cannot be negative (the kernel would read it as"
                            + " unsigned): " + l.seconds());
                }
                b.putInt(at + Layout.L_ONOFF, l.onoff() ? 1 : 0);
                b.putInt(at + Layout.L_LINGER, l.seconds());
                break;
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /** Reads the C value the kernel wrote ({@code len} bytes, as getsockopt reported). */
    T decode(ByteBuffer b, int at, int len) {
        switch (kind) {
            case BOOLEAN:
                return type.cast(readInt(b, at, len) != 0);
            case INT:
                return type.cast(readInt(b, at, len));
            case TIMEVAL: {
                checkLen(len, Layout.TIMEVAL);
                long sec = getSized(b, at + Layout.TV_SEC, Layout.TV_SEC_SIZE);
                long usec = getSized(b, at + Layout.TV_USEC, Layout.TV_USEC_SIZE);
                return type.cast(Duration.ofSeconds(sec, usec * 1000));
            }
            case LINGER:
                checkLen(len, Layout.LINGER);
                return type.cast(new SocketOptions.Linger(b.getInt(at + Layout.L_ONOFF) != 0, b.getInt(at + Layout.L_LINGER)));
            default:
                throw new AssertionError(kind);
        }
    }

    private int readInt(ByteBuffer b, int at, int len) {
        if (len == Layout.SIZEOF_INT) return b.getInt(at);
        if (len == 1) return b.get(at) & 0xff; // a few options (IP_MULTICAST_LOOP) may answer with one byte
        throw new IllegalStateException("getsockopt " + this + " returned " + len + " bytes, expected " + Layout.SIZEOF_INT);
    }

    private void checkLen(int len, int want) {
        if (len != want) throw new IllegalStateException("getsockopt " + this + " returned " + len + " bytes, expected " + want);
    }

    private static void putSized(ByteBuffer b, int at, int size, long v, String field) {
        if (size == 8) {
            b.putLong(at, v);
        } else if (size == 4) {
            if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(field + " does not fit 32 bits: " + v);
            b.putInt(at, (int) v);
        } else {
            throw new IllegalStateException(field + " has unsupported size " + size);
        }
    }

    private static long getSized(ByteBuffer b, int at, int size) {
        return size == 8 ? b.getLong(at) : b.getInt(at);
    }

    /** {@code SOL_SOCKET/SO_RCVBUF}. */
    @Override
    public String toString() {
        return levelName + "/" + name;
    }
}
