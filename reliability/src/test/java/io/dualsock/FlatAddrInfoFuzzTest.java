package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.dualsock.bindings.Platform;

/**
 * The decoder of the shim's flat getaddrinfo buffer on arbitrary bytes: it returns entries or
 * throws {@link IllegalArgumentException}, nothing else, and reads nothing outside
 * {@code [0, length)} (checked by decoding the same bytes once in a buffer of exactly
 * {@code length} bytes and once followed by junk: the outcome must be the same).
 */
class FlatAddrInfoFuzzTest {

    /** Outcome of one decode: the entries, or the exception's class and message. */
    private static Object outcome(ByteBuffer b, int length) {
        try {
            return FlatAddrInfo.decode(b, length, Platform.AF_INET, Platform.AF_INET6);
        } catch (IllegalArgumentException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
        // anything else (IndexOutOfBounds, BufferUnderflow, NegativeArraySize, ...) fails the test
    }

    @FuzzTest
    void arbitraryBytes(byte[] data) {
        ByteBuffer exact = ByteBuffer.allocate(data.length).order(ByteOrder.nativeOrder());
        exact.put(0, data);
        ByteBuffer padded = ByteBuffer.allocate(data.length + 256).order(ByteOrder.nativeOrder());
        padded.put(0, data);
        for (int i = data.length; i < padded.capacity(); i++) padded.put(i, (byte) (0x5a ^ i));
        Object a = outcome(exact, data.length);
        Object b = outcome(padded, data.length);
        assertEquals(a, b, "the decoder read past length");
        // a length beyond the buffer is refused, not read
        Object c = outcome(exact, data.length + 1);
        assertEquals(String.class, c.getClass());
        // and with the header forced to success, the entry parser gets arbitrary bytes too
        if (data.length >= FlatAddrInfo.HEADER) {
            exact.putInt(0, 0);
            padded.putInt(0, 0);
            assertEquals(outcome(exact, data.length), outcome(padded, data.length), "the decoder read past length");
        }
    }

    /**
     * Well-formed buffers built from fuzzed entries (the shim's layout, written here
     * independently) decode to exactly those entries.
     */
    @FuzzTest
    void wellFormedRoundTrip(FuzzedDataProvider in) {
        int n = in.consumeInt(0, 8);
        List<AddrInfo> want = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocate(16 + 8 * (48 + 1024 + 8)).order(ByteOrder.nativeOrder());
        int p = FlatAddrInfo.HEADER;
        for (int i = 0; i < n; i++) {
            int kind = in.consumeInt(0, 2);
            int family = kind == 0 ? Platform.AF_INET : kind == 1 ? Platform.AF_INET6 : in.consumeInt();
            if (kind == 2 && (family == Platform.AF_INET || family == Platform.AF_INET6)) family = 12345;
            int socktype = in.consumeInt(), protocol = in.consumeInt(), flags = in.consumeInt();
            int port = in.consumeInt(0, 65535), flow = in.consumeInt(), scope = in.consumeInt();
            String canon = in.consumeBoolean() ? in.consumeAsciiString(1000).replace('\0', '_') : null;
            byte[] addr = in.consumeBytes(kind == 0 ? 4 : 16);
            addr = java.util.Arrays.copyOf(addr, kind == 0 ? 4 : 16);
            SockAddr sa = kind == 0 ? new Inet4SockAddr(addr, port) : kind == 1 ? new Inet6SockAddr(addr, port, flow, scope) : null;
            want.add(new AddrInfo(family, socktype, protocol, flags, sa, canon));
            b.putInt(p, family).putInt(p + 4, socktype).putInt(p + 8, protocol).putInt(p + 12, flags);
            b.putShort(p + 16, (short) (kind == 2 ? 0 : port)).putShort(p + 18, (short) (kind == 0 ? 4 : kind == 1 ? 16 : 0));
            b.putInt(p + 20, kind == 1 ? flow : 0).putInt(p + 24, kind == 1 ? scope : 0);
            if (kind != 2) b.put(p + 32, addr);
            int size = 48;
            if (canon == null) {
                b.putInt(p + 28, -1);
            } else {
                byte[] c = canon.getBytes(StandardCharsets.UTF_8);
                b.putInt(p + 28, c.length).put(p + 48, c).put(p + 48 + c.length, (byte) 0);
                size += c.length + 1;
            }
            p += (size + 7) & ~7;
        }
        b.putInt(0, 0).putInt(4, 0).putInt(8, n);
        List<AddrInfo> got = FlatAddrInfo.decode(b, p, Platform.AF_INET, Platform.AF_INET6);
        assertEquals(want, got);
    }
}
