package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Decoder of the shim's flat getaddrinfo format (layout in {@code c-shim/include/dualsock.h}).
 * Pure Java and defensive: any inconsistency in the bytes gives an
 * {@link IllegalArgumentException}, never a read outside {@code [0, length)}.
 */
final class FlatAddrInfo {
    static final int HEADER = 16;
    static final int FIXED = 48;

    private FlatAddrInfo() {}

    /** Header fields. */
    record Header(int status, int sysErrno, int count) {}

    static Header header(ByteBuffer b, int length) {
        // absolute reads are bounded by the limit, not the capacity
        if (length < HEADER) {
            throw new IllegalArgumentException("result of " + length + " bytes is shorter than the 16-byte header");
        }
        if (length > b.limit()) {
            throw new IllegalArgumentException("result of " + length + " bytes is longer than the buffer's " + b.limit());
        }
        ByteBuffer d = b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
        return new Header(d.getInt(0), d.getInt(4), d.getInt(8));
    }

    /**
     * Decodes entries from {@code b[0, length)}.
     *
     * @param afInet this platform's AF_INET
     * @param afInet6 this platform's AF_INET6
     */
    static List<AddrInfo> decode(ByteBuffer b, int length, int afInet, int afInet6) {
        Header h = header(b, length);
        if (h.status() != 0) throw new IllegalArgumentException("result holds an error, not entries: " + h.status());
        if (h.count() < 0) throw new IllegalArgumentException("negative count " + h.count());
        // Each entry takes at least FIXED bytes: a count that cannot fit is corrupt.
        if (h.count() > (length - HEADER) / FIXED) {
            throw new IllegalArgumentException("count " + h.count() + " does not fit in " + length + " bytes");
        }
        // The resolver's scratch buffer is already in native order: no view to make per call.
        ByteBuffer d = b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
        AddrInfo[] out = new AddrInfo[h.count()];
        int p = HEADER;
        for (int i = 0; i < h.count(); i++) {
            if (p > length - FIXED) throw new IllegalArgumentException("entry " + i + " runs past the end at " + p);
            int family = d.getInt(p);
            int socktype = d.getInt(p + 4);
            int protocol = d.getInt(p + 8);
            int flags = d.getInt(p + 12);
            int port = d.getShort(p + 16) & 0xffff;
            int addrLen = d.getShort(p + 18) & 0xffff;
            int flowinfo = d.getInt(p + 20);
            int scope = d.getInt(p + 24);
            int canonLen = d.getInt(p + 28);
            SockAddr addr;
            if (addrLen == 4 && family == afInet) {
                byte[] a = new byte[4];
                d.get(p + 32, a);
                addr = Inet4SockAddr.ofOwned(a, port);
            } else if (addrLen == 16 && family == afInet6) {
                byte[] a = new byte[16];
                d.get(p + 32, a);
                addr = Inet6SockAddr.ofOwned(a, port, flowinfo, scope);
            } else if (addrLen == 0 && family != afInet && family != afInet6) {
                addr = null;
            } else {
                throw new IllegalArgumentException("entry " + i + ": address length " + addrLen + " for family " + family);
            }
            String canon = null;
            int size = FIXED;
            if (canonLen != -1) {
                if (canonLen < 0 || canonLen > length - p - FIXED - 1) {
                    throw new IllegalArgumentException("entry " + i + ": canonical name length " + canonLen + " out of bounds");
                }
                byte[] c = new byte[canonLen];
                d.get(p + FIXED, c);
                if (d.get(p + FIXED + canonLen) != 0) {
                    throw new IllegalArgumentException("entry " + i + ": canonical name not NUL-terminated");
                }
                canon = new String(c, StandardCharsets.UTF_8);
                size += canonLen + 1;
            }
            p += (size + 7) & ~7;
            if (p > length && i < h.count() - 1) {
                throw new IllegalArgumentException("entry " + i + " runs past the end");
            }
            out[i] = new AddrInfo(family, socktype, protocol, flags, addr, canon);
        }
        // The smallest immutable lists for the common one- and two-entry answers.
        return switch (out.length) {
            case 1 -> List.of(out[0]);
            case 2 -> List.of(out[0], out[1]);
            default -> Collections.unmodifiableList(Arrays.asList(out));
        };
    }
}
