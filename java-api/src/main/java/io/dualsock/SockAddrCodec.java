package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.dualsock.bindings.Platform;

/**
 * Writes and reads the kernel's own {@code struct sockaddr_in}/{@code sockaddr_in6} bytes,
 * using the sizes and offsets the shim took from the headers. Port and the IPv4 address are
 * in network byte order, {@code sin6_flowinfo} too; {@code sin6_scope_id} and the family in
 * host byte order, as in C.
 */
final class SockAddrCodec {
    private SockAddrCodec() {}

    /**
     * Refuses an address that a socket of the given family cannot take, before any system call.
     *
     * @param call the system call, for the message
     * @throws IllegalArgumentException naming the conversion to use instead
     */
    static void checkFamily(String call, int socketFamily, SockAddr a) {
        if (a.family() == socketFamily) return;
        if (socketFamily == Platform.AF_INET) {
            Inet6SockAddr a6 = (Inet6SockAddr) a;
            throw new IllegalArgumentException(call + ": an AF_INET socket cannot take the IPv6 address " + a
                    + ": struct sockaddr_in has room for 4 address bytes, not 16 (Linux would answer EAFNOSUPPORT,"
                    + " as `dualsock demo` shows through the raw shim)" + (a6.isV4Mapped() ? "; " + a + ".v4() is " + a6.v4() : "; use an AF_INET6 socket"));
        }
        Inet4SockAddr a4 = (Inet4SockAddr) a;
        throw new IllegalArgumentException(call + ": an AF_INET6 socket takes a struct sockaddr_in6, and " + a
                + " is IPv4. dualsock does not map it silently: pass " + a + ".toMapped(), i.e. " + a4.toMapped()
                + ", to reach IPv4 through this socket, or use an AF_INET socket");
    }

    /** Bytes {@link #encode} writes for this address. */
    static int length(SockAddr a) {
        return a instanceof Inet4SockAddr ? Platform.SIZEOF_SOCKADDR_IN : Platform.SIZEOF_SOCKADDR_IN6;
    }

    /** Writes a at b[off .. off+length(a)), zeroing the padding; returns the length. */
    static int encode(SockAddr a, ByteBuffer b, int off) {
        int len = length(a);
        if (off < 0 || off > b.capacity() - len) throw new IndexOutOfBoundsException("sockaddr does not fit at " + off);
        ByteBuffer d = b.duplicate().order(ByteOrder.nativeOrder());
        for (int i = 0; i < len; i++) d.put(off + i, (byte) 0);
        if (a instanceof Inet4SockAddr a4) {
            putFamily(d, off + Platform.SIN_FAMILY, Platform.AF_INET);
            d.order(ByteOrder.BIG_ENDIAN).putShort(off + Platform.SIN_PORT, (short) a4.port());
            d.put(off + Platform.SIN_ADDR, a4.rawBytes());
        } else {
            Inet6SockAddr a6 = (Inet6SockAddr) a;
            putFamily(d, off + Platform.SIN6_FAMILY, Platform.AF_INET6);
            d.order(ByteOrder.nativeOrder()).putInt(off + Platform.SIN6_SCOPE_ID, a6.scopeId());
            d.order(ByteOrder.BIG_ENDIAN).putShort(off + Platform.SIN6_PORT, (short) a6.port());
            d.putInt(off + Platform.SIN6_FLOWINFO, a6.flowinfo());
            d.put(off + Platform.SIN6_ADDR, a6.rawBytes());
        }
        return len;
    }

    private static void putFamily(ByteBuffer d, int at, int family) {
        if (Platform.SIZEOF_SA_FAMILY == 2) d.putShort(at, (short) family);
        else d.putInt(at, family);
    }

    /** The family field of the sockaddr at off (any byte order of b). */
    static int family(ByteBuffer b, int off) {
        ByteBuffer d = b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
        return getFamily(d, off + Platform.SIN_FAMILY);
    }

    private static int getFamily(ByteBuffer d, int at) {
        return Platform.SIZEOF_SA_FAMILY == 2 ? d.getShort(at) & 0xffff : d.getInt(at);
    }

    /**
     * Reads a sockaddr of len bytes at off.
     *
     * @return the address, or null when len is 0 (no address: an unnamed or unconnected peer)
     * @throws IllegalArgumentException for another family or a length that does not match it
     */
    static SockAddr decode(ByteBuffer b, int off, int len) {
        if (len == 0) return null;
        if (len < Platform.SIZEOF_SA_FAMILY || off < 0 || off > b.capacity() - len) {
            throw new IllegalArgumentException("sockaddr length " + len + " out of range");
        }
        ByteBuffer d = b.duplicate().order(ByteOrder.nativeOrder());
        int family = getFamily(d, off + Platform.SIN_FAMILY);
        if (family == Platform.AF_INET && len >= Platform.SIZEOF_SOCKADDR_IN) {
            byte[] a = new byte[4];
            d.get(off + Platform.SIN_ADDR, a);
            int port = d.order(ByteOrder.BIG_ENDIAN).getShort(off + Platform.SIN_PORT) & 0xffff;
            return new Inet4SockAddr(a, port);
        }
        if (family == Platform.AF_INET6 && len >= Platform.SIZEOF_SOCKADDR_IN6) {
            byte[] a = new byte[16];
            d.get(off + Platform.SIN6_ADDR, a);
            int scope = d.getInt(off + Platform.SIN6_SCOPE_ID);
            d.order(ByteOrder.BIG_ENDIAN);
            int port = d.getShort(off + Platform.SIN6_PORT) & 0xffff;
            int flow = d.getInt(off + Platform.SIN6_FLOWINFO);
            return new Inet6SockAddr(a, port, flow, scope);
        }
        throw new IllegalArgumentException("unsupported sockaddr: family " + Names.family(family) + ", length " + len);
    }
}
