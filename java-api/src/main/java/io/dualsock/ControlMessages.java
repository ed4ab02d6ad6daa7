package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;

/**
 * A caller-owned buffer of control messages (ancillary data, {@code cmsg(3)}) in direct memory,
 * in the kernel's own format: what {@code recvmsg(2)} wrote ({@link NativeSocket#receiveMessage}),
 * or what {@code sendmsg(2)} is to send ({@link NativeSocket#sendMessage}); one per slot in a
 * {@link DatagramBatch} made with control room. Every size and offset is the C headers'
 * ({@code struct cmsghdr}, {@code in_pktinfo}, {@code in6_pktinfo}, {@code CMSG_ALIGN}), read
 * from the shim.
 *
 * <p>After a receive, the typed accessors read the messages in place and allocate nothing
 * (except those returning a {@link SockAddr}): {@code IP_PKTINFO} and {@code IPV6_PKTINFO}
 * (after {@code IP_PKTINFO}/{@code IPV6_RECVPKTINFO} are on: the address the datagram was sent
 * to and the interface it came in on), {@code IP_TOS}/{@code IPV6_TCLASS} (after
 * {@code IP_RECVTOS}/{@code IPV6_RECVTCLASS}), {@code UDP_GRO} (the segment size of a coalesced
 * receive), {@code SCM_TIMESTAMPNS} (after {@code SO_TIMESTAMPNS}); {@link #count()},
 * {@link #level}, {@link #type} and {@link #copyData} give the raw bytes of every message. The
 * receive's {@code msg_flags} are kept: {@link #isControlTruncated()} ({@code MSG_CTRUNC}: the
 * buffer was too small and the kernel dropped messages) and {@link #isDataTruncated()}
 * ({@code MSG_TRUNC}).
 *
 * <p>For a send, {@link #clear()} and the {@code add...} methods build the messages. Not
 * thread-safe. Details and the dual-stack facts: docs/sockets.md, "Control messages".
 */
public final class ControlMessages {
    /** {@code CMSG_SPACE} of each message a receive can bring here: enough room for all of them. */
    public static final int RECEIVE_SPACE;
    private static final int ALIGN = Constants.i("CMSG_ALIGN(1)");
    private static final int HDR = Constants.i("sizeof(struct cmsghdr)");
    private static final int LEN_AT = Constants.i("offsetof(struct cmsghdr,cmsg_len)");
    private static final int LEN_SIZE = Constants.i("sizeof(struct cmsghdr.cmsg_len)");
    private static final int LEVEL_AT = Constants.i("offsetof(struct cmsghdr,cmsg_level)");
    private static final int TYPE_AT = Constants.i("offsetof(struct cmsghdr,cmsg_type)");
    private static final int DATA_AT = Constants.i("CMSG_LEN(0)");
    static final int IPPROTO_IP = Constants.i("IPPROTO_IP");
    static final int IPPROTO_IPV6 = Constants.i("IPPROTO_IPV6");
    private static final int SOL_SOCKET = Constants.i("SOL_SOCKET");
    private static final int SOL_UDP = Constants.i("SOL_UDP");
    static final int IP_PKTINFO = Constants.i("IP_PKTINFO");
    static final int IPV6_PKTINFO = Constants.i("IPV6_PKTINFO");
    static final int IP_TOS = Constants.i("IP_TOS");
    static final int IPV6_TCLASS = Constants.i("IPV6_TCLASS");
    private static final int SCM_TIMESTAMPNS = Constants.i("SCM_TIMESTAMPNS");
    /** -1 where the headers have no UDP_GRO/UDP_SEGMENT: no message ever has that type then. */
    private static final int UDP_GRO = (int) Constants.find("UDP_GRO").orElse(-1);
    private static final int UDP_SEGMENT = (int) Constants.find("UDP_SEGMENT").orElse(-1);
    private static final int IPI_IFINDEX = Constants.i("offsetof(struct in_pktinfo,ipi_ifindex)");
    private static final int IPI_SPEC_DST = Constants.i("offsetof(struct in_pktinfo,ipi_spec_dst)");
    private static final int IPI_ADDR = Constants.i("offsetof(struct in_pktinfo,ipi_addr)");
    private static final int SIZEOF_IN_PKTINFO = Constants.i("sizeof(struct in_pktinfo)");
    private static final int IPI6_ADDR = Constants.i("offsetof(struct in6_pktinfo,ipi6_addr)");
    private static final int IPI6_IFINDEX = Constants.i("offsetof(struct in6_pktinfo,ipi6_ifindex)");
    private static final int SIZEOF_IN6_PKTINFO = Constants.i("sizeof(struct in6_pktinfo)");
    private static final int SIZEOF_TIMESPEC = Constants.i("sizeof(struct timespec)");
    private static final int TV_SEC = Constants.i("offsetof(struct timespec,tv_sec)");
    private static final int TV_NSEC = Constants.i("offsetof(struct timespec,tv_nsec)");
    private static final int TV_SEC_SIZE = Constants.i("sizeof(struct timespec.tv_sec)");
    private static final int TV_NSEC_SIZE = Constants.i("sizeof(struct timespec.tv_nsec)");
    private static final int MSG_TRUNC = Constants.i("MSG_TRUNC");
    private static final int MSG_CTRUNC = Constants.i("MSG_CTRUNC");

    static {
        RECEIVE_SPACE = Constants.i("CMSG_SPACE(sizeof(struct in_pktinfo))")
                + Constants.i("CMSG_SPACE(sizeof(struct in6_pktinfo))") + 3 * Constants.i("CMSG_SPACE(sizeof(int))")
                + Constants.i("CMSG_SPACE(sizeof(struct timespec))");
    }

    private final ByteBuffer nat;
    final long address;
    private final int capacity;
    private int length;
    private int msgFlags;
    /** Data offsets of the first message of each known kind in the last receive, -1 when absent. */
    private int ipPktinfo = -1, ipv6Pktinfo = -1, ipTos = -1, ipv6Tclass = -1, gro = -1, stamp = -1;
    private int ipTosLen;
    private int count;

    private ControlMessages(ByteBuffer nat) {
        this.nat = nat.order(ByteOrder.nativeOrder());
        this.capacity = nat.capacity();
        this.address = capacity == 0 ? 0 : Native.address(this.nat);
    }

    /**
     * An empty buffer of {@code capacity} bytes in direct memory (aligned as {@code struct
     * cmsghdr} needs). 0 is allowed: a receive then only reports its flags.
     *
     * @throws IllegalArgumentException for a negative capacity
     */
    public static ControlMessages allocate(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        return new ControlMessages(ByteBuffer.allocateDirect(capacity + 2 * ALIGN).alignedSlice(ALIGN).limit(capacity).slice());
    }

    /** Over a region of a batch (already aligned and sized by the shim). */
    static ControlMessages over(ByteBuffer region) {
        return new ControlMessages(region);
    }

    /** Bytes this buffer holds at most. */
    public int capacity() {
        return capacity;
    }

    /** Bytes of control messages: what the last receive wrote, or what was added for a send. */
    public int length() {
        return length;
    }

    ByteBuffer memory() {
        return nat;
    }

    // ---- receive ----

    /** Records what the kernel wrote (length bytes, msg_flags) and finds the known messages. */
    void received(int bytes, int flags) {
        length = Math.max(0, Math.min(bytes, capacity));
        msgFlags = flags;
        ipPktinfo = ipv6Pktinfo = ipTos = ipv6Tclass = gro = stamp = -1;
        count = 0;
        for (long at = 0; valid(at); at += align(len((int) at))) {
            count++;
            int level = nat.getInt((int) at + LEVEL_AT);
            int type = nat.getInt((int) at + TYPE_AT);
            int data = (int) at + DATA_AT;
            int dlen = (int) len((int) at) - DATA_AT;
            if (level == IPPROTO_IP && type == IP_PKTINFO && dlen >= SIZEOF_IN_PKTINFO && ipPktinfo < 0) ipPktinfo = data;
            else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && dlen >= SIZEOF_IN6_PKTINFO && ipv6Pktinfo < 0) {
                ipv6Pktinfo = data;
            } else if (level == IPPROTO_IP && type == IP_TOS && dlen >= 1 && ipTos < 0) {
                ipTos = data;
                ipTosLen = dlen;
            } else if (level == IPPROTO_IPV6 && type == IPV6_TCLASS && dlen >= 4 && ipv6Tclass < 0) ipv6Tclass = data;
            else if (level == SOL_UDP && type == UDP_GRO && dlen >= 4 && gro < 0) gro = data;
            else if (level == SOL_SOCKET && type == SCM_TIMESTAMPNS && dlen >= SIZEOF_TIMESPEC && stamp < 0) stamp = data;
        }
    }

    /** cmsg_len of the message at at. */
    private long len(int at) {
        return LEN_SIZE == 8 ? nat.getLong(at + LEN_AT) : nat.getInt(at + LEN_AT) & 0xffffffffL;
    }

    /** Whether a whole message starts at at: CMSG_FIRSTHDR/CMSG_NXTHDR's checks, and its data inside length. */
    private boolean valid(long at) {
        if (at + HDR > length) return false;
        long l = len((int) at);
        return l >= HDR && at + l <= length;
    }

    private static long align(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    /** The msg_flags of the last receive ({@code MSG_TRUNC}, {@code MSG_CTRUNC}, ...). */
    public int messageFlags() {
        return msgFlags;
    }

    /** {@code MSG_CTRUNC}: the control messages did not fit and the kernel dropped some (this buffer is too small). */
    public boolean isControlTruncated() {
        return (msgFlags & MSG_CTRUNC) != 0;
    }

    /** {@code MSG_TRUNC}: the datagram was longer than the data buffer and was cut. */
    public boolean isDataTruncated() {
        return (msgFlags & MSG_TRUNC) != 0;
    }

    /** Number of control messages in the buffer. */
    public int count() {
        return count;
    }

    private int at(int index) {
        Objects.checkIndex(index, count);
        int at = 0;
        for (int i = 0; i < index; i++) at += (int) align(len(at));
        return at;
    }

    /** {@code cmsg_level} of message index (0 ≤ index &lt; {@link #count()}). */
    public int level(int index) {
        return nat.getInt(at(index) + LEVEL_AT);
    }

    /** {@code cmsg_type} of message index. */
    public int type(int index) {
        return nat.getInt(at(index) + TYPE_AT);
    }

    /** The name of message index: {@code IP_PKTINFO}, {@code UDP_GRO}, ..., or "level L type T" for another kind. */
    public String name(int index) {
        int at = at(index);
        return cmsgName(nat.getInt(at + LEVEL_AT), nat.getInt(at + TYPE_AT));
    }

    /** Data bytes of message index ({@code cmsg_len - CMSG_LEN(0)}). */
    public int dataLength(int index) {
        return (int) len(at(index)) - DATA_AT;
    }

    /** Copies message index's data to the start of dst; returns the bytes copied. */
    public int copyData(int index, byte[] dst) {
        Objects.requireNonNull(dst, "dst");
        int at = at(index);
        int n = (int) len(at) - DATA_AT;
        Objects.checkFromIndexSize(0, n, dst.length);
        nat.get(at + DATA_AT, dst, 0, n);
        return n;
    }

    /** The offset of a message found by the last receive. @throws IllegalStateException when absent */
    private static int present(int at, String what, String option) {
        if (at < 0) throw new IllegalStateException("no " + what + " control message in the last receive (is " + option + " on?)");
        return at;
    }

    /** True when the last receive brought an {@code IP_PKTINFO} (IPv4 datagrams, after {@code IP_PKTINFO} is set). */
    public boolean hasIpPktinfo() {
        return ipPktinfo >= 0;
    }

    /** {@code ipi_ifindex}: the interface the datagram arrived on. @throws IllegalStateException when absent */
    public int ipPktinfoIfindex() {
        return nat.getInt(present(ipPktinfo, "IP_PKTINFO", "IP_PKTINFO") + IPI_IFINDEX);
    }

    /** {@code ipi_addr}, the header's destination address (port 0). Allocates. @throws IllegalStateException when absent */
    public Inet4SockAddr ipPktinfoAddress() {
        return ipv4At(IPI_ADDR);
    }

    /** {@code ipi_spec_dst}, the local address the kernel would answer from (port 0). Allocates. */
    public Inet4SockAddr ipPktinfoSpecDst() {
        return ipv4At(IPI_SPEC_DST);
    }

    private Inet4SockAddr ipv4At(int field) {
        int at = present(ipPktinfo, "IP_PKTINFO", "IP_PKTINFO");
        byte[] a = new byte[4];
        nat.get(at + field, a);
        return Inet4SockAddr.ofOwned(a, 0);
    }

    /** Writes {@code ipi_addr} (port 0) into a holder, without allocating; false when there is no IP_PKTINFO. */
    public boolean copyIpPktinfoAddress(SockAddrHolder into) {
        return copyAddress(into, false, ipPktinfo, IPI_ADDR);
    }

    private boolean copyAddress(SockAddrHolder into, boolean v6, int pktinfo, int field) {
        Objects.requireNonNull(into, "into");
        if (pktinfo < 0) return false;
        into.setAddress(v6, nat, pktinfo + field, 0, 0);
        return true;
    }

    /** True when the last receive brought an {@code IPV6_PKTINFO} (after {@code IPV6_RECVPKTINFO} is set). */
    public boolean hasIpv6Pktinfo() {
        return ipv6Pktinfo >= 0;
    }

    /** {@code ipi6_ifindex}. @throws IllegalStateException when absent */
    public int ipv6PktinfoIfindex() {
        return nat.getInt(present(ipv6Pktinfo, "IPV6_PKTINFO", "IPV6_RECVPKTINFO") + IPI6_IFINDEX);
    }

    /**
     * {@code ipi6_addr}, the destination ({@code ::ffff:a.b.c.d} for IPv4 on a dual-stack socket), port 0,
     * scope id 0. Allocates. @throws IllegalStateException when absent
     */
    public Inet6SockAddr ipv6PktinfoAddress() {
        int at = present(ipv6Pktinfo, "IPV6_PKTINFO", "IPV6_RECVPKTINFO");
        byte[] a = new byte[16];
        nat.get(at + IPI6_ADDR, a);
        return Inet6SockAddr.ofOwned(a, 0, 0, 0);
    }

    /** Writes {@code ipi6_addr} (port 0) into a holder, without allocating; false when there is no IPV6_PKTINFO. */
    public boolean copyIpv6PktinfoAddress(SockAddrHolder into) {
        return copyAddress(into, true, ipv6Pktinfo, IPI6_ADDR);
    }

    /** The TOS byte of an IPv4 datagram ({@code IP_TOS}, after {@code IP_RECVTOS}: DSCP and ECN), -1 when absent. */
    public int ipTos() {
        if (ipTos < 0) return -1;
        return ipTosLen >= 4 ? nat.getInt(ipTos) : nat.get(ipTos) & 0xff; // one byte on receive, an int if sent back
    }

    /** The traffic class of an IPv6 datagram ({@code IPV6_TCLASS}, after {@code IPV6_RECVTCLASS}), -1 when absent. */
    public int ipv6Tclass() {
        return ipv6Tclass < 0 ? -1 : nat.getInt(ipv6Tclass);
    }

    /** {@code UDP_GRO}: the segment size of a coalesced receive (after {@code UDP_GRO} is on), -1 when absent. */
    public int groSegmentSize() {
        return gro < 0 ? -1 : nat.getInt(gro);
    }

    /** True when the last receive brought {@code SCM_TIMESTAMPNS} (after {@code SO_TIMESTAMPNS} is on). */
    public boolean hasTimestamp() {
        return stamp >= 0;
    }

    /** The kernel's receive time, {@code CLOCK_REALTIME} nanoseconds since the epoch. @throws IllegalStateException when absent */
    public long timestampNanos() {
        int at = present(stamp, "SCM_TIMESTAMPNS", "SO_TIMESTAMPNS");
        return word(at + TV_SEC, TV_SEC_SIZE) * 1_000_000_000L + word(at + TV_NSEC, TV_NSEC_SIZE);
    }

    private long word(int at, int size) {
        return size == 8 ? nat.getLong(at) : nat.getInt(at);
    }

    // ---- send ----

    /** Empties the buffer (for building the messages of the next send). */
    public ControlMessages clear() {
        length = 0;
        msgFlags = 0;
        count = 0;
        ipPktinfo = ipv6Pktinfo = ipTos = ipv6Tclass = gro = stamp = -1;
        return this;
    }

    /** Appends a message header; returns its data offset. @throws IllegalStateException when it does not fit */
    private int append(int level, int type, int dataLength, String what) {
        long space = DATA_AT + align(dataLength);
        if (length + space > capacity) {
            throw new IllegalStateException(what + " needs " + space + " bytes (CMSG_SPACE), " + (capacity - length)
                    + " of " + capacity + " left in this control buffer");
        }
        int at = length;
        for (int i = 0; i < space; i++) nat.put(at + i, (byte) 0);
        if (LEN_SIZE == 8) nat.putLong(at + LEN_AT, DATA_AT + dataLength);
        else nat.putInt(at + LEN_AT, DATA_AT + dataLength);
        nat.putInt(at + LEVEL_AT, level);
        nat.putInt(at + TYPE_AT, type);
        length += (int) space;
        count++;
        return at + DATA_AT;
    }

    /**
     * {@code IP_PKTINFO} for an IPv4 datagram (also to {@code ::ffff:a.b.c.d} from an
     * {@code AF_INET6} socket): sent from {@code source} ({@code ipi_spec_dst}; must be a local
     * address), out of interface {@code ifindex} (0: as routing decides).
     */
    public ControlMessages addIpPktinfo(Inet4SockAddr source, int ifindex) {
        Objects.requireNonNull(source, "source");
        int d = append(IPPROTO_IP, IP_PKTINFO, SIZEOF_IN_PKTINFO, "IP_PKTINFO");
        nat.putInt(d + IPI_IFINDEX, ifindex);
        nat.put(d + IPI_SPEC_DST, source.rawBytes());
        return this;
    }

    /**
     * {@code IPV6_PKTINFO}: sent from {@code source} ({@code ipi6_addr}; {@code ::ffff:a.b.c.d}
     * for an IPv4 datagram from a dual-stack socket), out of {@code ifindex} (0: routing decides).
     */
    public ControlMessages addIpv6Pktinfo(Inet6SockAddr source, int ifindex) {
        Objects.requireNonNull(source, "source");
        int d = append(IPPROTO_IPV6, IPV6_PKTINFO, SIZEOF_IN6_PKTINFO, "IPV6_PKTINFO");
        nat.put(d + IPI6_ADDR, source.rawBytes());
        nat.putInt(d + IPI6_IFINDEX, ifindex);
        return this;
    }

    /**
     * The source of a reply to what {@code received} holds, without allocating: its
     * {@code IPV6_PKTINFO} address when it has one, else its {@code IP_PKTINFO} {@code ipi_addr}
     * (the address the datagram was sent to); interface 0, so routing picks the way out (the
     * received interface for an IPv6 link-local address, which needs it).
     *
     * @throws IllegalStateException when received holds neither (turn on {@code IP_PKTINFO} or
     *     {@code IPV6_RECVPKTINFO})
     */
    public ControlMessages addReplySource(ControlMessages received) {
        Objects.requireNonNull(received, "received");
        ByteBuffer r = received.nat;
        if (received.ipv6Pktinfo >= 0) {
            int s = received.ipv6Pktinfo;
            boolean linkLocal = (r.get(s + IPI6_ADDR) & 0xff) == 0xfe && (r.get(s + IPI6_ADDR + 1) & 0xc0) == 0x80;
            int d = append(IPPROTO_IPV6, IPV6_PKTINFO, SIZEOF_IN6_PKTINFO, "IPV6_PKTINFO");
            nat.put(d + IPI6_ADDR, r, s + IPI6_ADDR, 16);
            nat.putInt(d + IPI6_IFINDEX, linkLocal ? r.getInt(s + IPI6_IFINDEX) : 0);
        } else if (received.ipPktinfo >= 0) {
            int d = append(IPPROTO_IP, IP_PKTINFO, SIZEOF_IN_PKTINFO, "IP_PKTINFO");
            nat.put(d + IPI_SPEC_DST, r, received.ipPktinfo + IPI_ADDR, 4);
        } else {
            throw new IllegalStateException("no IP_PKTINFO or IPV6_PKTINFO in the received control messages: "
                    + "turn on IP_PKTINFO (IPv4) or IPV6_RECVPKTINFO (IPv6, and IPv4 on a dual-stack socket)");
        }
        return this;
    }

    /** {@code IP_TOS} of this IPv4 datagram (DSCP and ECN bits), 0..255. */
    public ControlMessages addIpTos(int tos) {
        checkByte("IP_TOS", tos);
        nat.putInt(append(IPPROTO_IP, IP_TOS, 4, "IP_TOS"), tos);
        return this;
    }

    /** {@code IPV6_TCLASS} of this IPv6 datagram, 0..255. */
    public ControlMessages addIpv6Tclass(int tclass) {
        checkByte("IPV6_TCLASS", tclass);
        nat.putInt(append(IPPROTO_IPV6, IPV6_TCLASS, 4, "IPV6_TCLASS"), tclass);
        return this;
    }

    private static void checkByte(String what, int v) {
        if (v < 0 || v > 255) throw new IllegalArgumentException(what + " must be 0..255, got " + v);
    }

    /** {@code UDP_SEGMENT}: the kernel cuts the datagram into segments of this size (1..65535). */
    public ControlMessages addUdpSegment(int segmentSize) {
        if (UDP_SEGMENT < 0) throw new UnsupportedOperationException("UDP_SEGMENT is not defined on this platform");
        if (segmentSize < 1 || segmentSize > 65535) {
            throw new IllegalArgumentException("segment size must be 1..65535, got " + segmentSize);
        }
        nat.putShort(append(SOL_UDP, UDP_SEGMENT, 2, "UDP_SEGMENT"), (short) segmentSize);
        return this;
    }

    /** Any message: level, type and data as given (the kernel checks it: {@code EINVAL}). */
    public ControlMessages add(int level, int type, byte[] data) {
        Objects.requireNonNull(data, "data");
        nat.put(append(level, type, data.length, "a message of " + data.length + " bytes"), data);
        return this;
    }

    /**
     * The name of the first message the kernel would ignore on a datagram of family v6 (true:
     * IPv6, false: IPv4 or {@code ::ffff:a.b.c.d}) from a socket of family inet6, or null:
     * {@code IPPROTO_IP} messages on IPv6 datagrams, {@code IPPROTO_IPV6} ones on IPv4 datagrams
     * except {@code IPV6_PKTINFO} from an {@code AF_INET6} socket.
     */
    String misfit(boolean v6, boolean inet6) {
        for (int at = 0, i = 0; i < count; i++, at += (int) align(len(at))) {
            int level = nat.getInt(at + LEVEL_AT);
            int type = nat.getInt(at + TYPE_AT);
            if (v6 && level == IPPROTO_IP) return cmsgName(level, type);
            if (!v6 && level == IPPROTO_IPV6 && (type != IPV6_PKTINFO || !inet6)) return cmsgName(level, type);
        }
        return null;
    }

    /** "IP_PKTINFO", "UDP_GRO", ... for the messages this class knows, else "level L type T". */
    static String cmsgName(int level, int type) {
        if (level == IPPROTO_IP && type == IP_PKTINFO) return "IP_PKTINFO";
        if (level == IPPROTO_IP && type == IP_TOS) return "IP_TOS";
        if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO) return "IPV6_PKTINFO";
        if (level == IPPROTO_IPV6 && type == IPV6_TCLASS) return "IPV6_TCLASS";
        if (level == SOL_UDP && type == UDP_GRO) return "UDP_GRO";
        if (level == SOL_UDP && type == UDP_SEGMENT) return "UDP_SEGMENT";
        if (level == SOL_SOCKET && type == SCM_TIMESTAMPNS) return "SCM_TIMESTAMPNS";
        return "level " + level + " type " + type;
    }

    /** All messages on one line, e.g. {@code IP_PKTINFO{addr 127.0.0.1, spec_dst 127.0.0.1, ifindex 1}}. Allocates. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (isControlTruncated()) b.append("MSG_CTRUNC ");
        if (isDataTruncated()) b.append("MSG_TRUNC ");
        for (int i = 0, at = 0; i < count; i++, at += (int) align(len(at))) {
            if (i > 0) b.append(' ');
            int level = nat.getInt(at + LEVEL_AT);
            int type = nat.getInt(at + TYPE_AT);
            int d = at + DATA_AT;
            b.append(cmsgName(level, type));
            if (d == ipPktinfo) {
                b.append("{addr ").append(ipPktinfoAddress().address()).append(", spec_dst ")
                        .append(ipPktinfoSpecDst().address()).append(", ifindex ").append(ipPktinfoIfindex()).append('}');
            } else if (d == ipv6Pktinfo) {
                b.append("{addr ").append(ipv6PktinfoAddress().address()).append(", ifindex ")
                        .append(ipv6PktinfoIfindex()).append('}');
            } else if (d == ipTos) {
                b.append(String.format("{0x%02x}", ipTos()));
            } else if (d == ipv6Tclass) {
                b.append(String.format("{0x%02x}", ipv6Tclass()));
            } else if (d == gro) {
                b.append('{').append(groSegmentSize()).append('}');
            } else if (d == stamp) {
                b.append('{').append(timestampNanos()).append(" ns}");
            } else {
                b.append('{').append((int) len(at) - DATA_AT).append(" bytes}");
            }
        }
        return b.length() == 0 ? "(none)" : b.toString();
    }
}
