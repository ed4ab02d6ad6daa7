package io.dualsock;

import java.time.Duration;
import java.util.List;

/**
 * The typed socket options, grouped by level and named after the C option, for
 * {@link NativeSocket#getOption} and {@link NativeSocket#setOption}. Anything not here is
 * reachable with {@link NativeSocket#getIntOption(int, int)} and
 * {@link NativeSocket#setIntOption(int, int, int)}. Values are exactly what the kernel reports;
 * socket(7), ip(7), ipv6(7) and tcp(7) describe them.
 */
public final class SocketOptions {
    private SocketOptions() {}

    /**
     * {@code struct linger}.
     *
     * @param onoff {@code l_onoff}
     * @param seconds {@code l_linger}; with onoff false the kernel keeps (and reports) the
     *     previous value. {@code setOption} refuses a negative value (the kernel would read it
     *     as unsigned, i.e. "forever")
     */
    public record Linger(boolean onoff, int seconds) {}

    /** Level {@code SOL_SOCKET}. */
    public static final class SolSocket {
        private SolSocket() {}

        /** {@code SO_REUSEADDR}: bind to a port with connections in TIME_WAIT. */
        public static final SocketOption<Boolean> SO_REUSEADDR = SocketOption.bool("SOL_SOCKET", "SO_REUSEADDR");
        /** {@code SO_REUSEPORT}: several sockets bound to one port, load-balanced by the kernel. */
        public static final SocketOption<Boolean> SO_REUSEPORT = SocketOption.bool("SOL_SOCKET", "SO_REUSEPORT");
        /**
         * Receive buffer size in bytes. Linux doubles the value given to {@code setsockopt}
         * (room for its bookkeeping, socket(7)) after capping it at
         * {@code net.core.rmem_max}, and {@code getsockopt} returns the doubled value: set
         * 65536, read 131072. dualsock shows that number as is; so does the JDK
         * ({@code Socket.getReceiveBufferSize()} returns the same doubled value, nothing is
         * hidden there either). Negative values are refused before the call.
         */
        public static final SocketOption<Integer> SO_RCVBUF = SocketOption.integer("SOL_SOCKET", "SO_RCVBUF", 0);
        /** Send buffer size; doubled by the kernel exactly like {@link #SO_RCVBUF} ({@code net.core.wmem_max}). */
        public static final SocketOption<Integer> SO_SNDBUF = SocketOption.integer("SOL_SOCKET", "SO_SNDBUF", 0);
        /**
         * Receive timeout ({@code struct timeval}); {@link Duration#ZERO} means none. A blocking
         * receive that times out fails with {@code EAGAIN}. The kernel keeps it in jiffies, so
         * the value read back is rounded up to the kernel's tick; sub-microsecond parts are
         * rounded up to 1 µs here (never down to zero, which would mean "no timeout").
         */
        public static final SocketOption<Duration> SO_RCVTIMEO = SocketOption.timeval("SOL_SOCKET", "SO_RCVTIMEO");
        /** Send timeout, as {@link #SO_RCVTIMEO}. */
        public static final SocketOption<Duration> SO_SNDTIMEO = SocketOption.timeval("SOL_SOCKET", "SO_SNDTIMEO");
        /** {@code SO_KEEPALIVE}: TCP keepalive probes on an idle connection. */
        public static final SocketOption<Boolean> SO_KEEPALIVE = SocketOption.bool("SOL_SOCKET", "SO_KEEPALIVE");
        /** {@code struct linger}: how {@code close(2)} treats unsent data. */
        public static final SocketOption<Linger> SO_LINGER = SocketOption.linger("SOL_SOCKET", "SO_LINGER");
        /** {@code SO_BROADCAST}: allow sending to a broadcast address. */
        public static final SocketOption<Boolean> SO_BROADCAST = SocketOption.bool("SOL_SOCKET", "SO_BROADCAST");
        /** The pending socket error (an errno value, 0 for none), cleared by reading it. Get only. */
        public static final SocketOption<Integer> SO_ERROR = SocketOption.intReadOnly("SOL_SOCKET", "SO_ERROR");
        /** {@code SOCK_STREAM}, {@code SOCK_DGRAM}, ... Get only. */
        public static final SocketOption<Integer> SO_TYPE = SocketOption.intReadOnly("SOL_SOCKET", "SO_TYPE");
        /** {@code AF_INET} or {@code AF_INET6}. Get only. */
        public static final SocketOption<Integer> SO_DOMAIN = SocketOption.intReadOnly("SOL_SOCKET", "SO_DOMAIN");
        /** {@code IPPROTO_TCP}, {@code IPPROTO_UDP}, ... Get only. */
        public static final SocketOption<Integer> SO_PROTOCOL = SocketOption.intReadOnly("SOL_SOCKET", "SO_PROTOCOL");
        /** True once {@code listen(2)} was called. Get only. */
        public static final SocketOption<Boolean> SO_ACCEPTCONN = SocketOption.boolReadOnly("SOL_SOCKET", "SO_ACCEPTCONN");
        /** {@code SO_TIMESTAMPNS}: each receive brings the kernel's receive time ({@link ControlMessages#timestampNanos()}). */
        public static final SocketOption<Boolean> SO_TIMESTAMPNS = SocketOption.bool("SOL_SOCKET", "SO_TIMESTAMPNS");
    }

    /** Level {@code IPPROTO_IP} (IPv4; on an {@code AF_INET6} socket they apply to IPv4-mapped traffic). */
    public static final class IpprotoIp {
        private IpprotoIp() {}

        /** {@code IP_TTL}: the TTL of unicast IPv4 packets. */
        public static final SocketOption<Integer> IP_TTL = SocketOption.integer("IPPROTO_IP", "IP_TTL", Integer.MIN_VALUE);
        /** {@code IP_TOS}: the TOS/DSCP byte of IPv4 packets. */
        public static final SocketOption<Integer> IP_TOS = SocketOption.integer("IPPROTO_IP", "IP_TOS", Integer.MIN_VALUE);
        /**
         * {@code IP_PKTINFO}: each IPv4 datagram received brings its destination address and
         * interface ({@link ControlMessages#hasIpPktinfo()}); also on a dual-stack {@code AF_INET6} socket.
         */
        public static final SocketOption<Boolean> IP_PKTINFO = SocketOption.bool("IPPROTO_IP", "IP_PKTINFO");
        /** {@code IP_RECVTOS}: each IPv4 datagram received brings its TOS byte ({@link ControlMessages#ipTos()}). */
        public static final SocketOption<Boolean> IP_RECVTOS = SocketOption.bool("IPPROTO_IP", "IP_RECVTOS");
    }

    /** Level {@code IPPROTO_IPV6} ({@code AF_INET6} sockets). */
    public static final class IpprotoIpv6 {
        private IpprotoIpv6() {}

        /**
         * True: the socket talks IPv6 only, and IPv4 peers cannot reach it (refused for TCP,
         * dropped for UDP). False: IPv4 peers appear as {@code ::ffff:a.b.c.d}. The default
         * comes from {@code net.ipv6.bindv6only}; set it before {@code bind(2)}.
         */
        public static final SocketOption<Boolean> IPV6_V6ONLY = SocketOption.bool("IPPROTO_IPV6", "IPV6_V6ONLY");
        /** {@code IPV6_UNICAST_HOPS}: the hop limit of unicast IPv6 packets (-1: the route default). */
        public static final SocketOption<Integer> IPV6_UNICAST_HOPS = SocketOption.integer("IPPROTO_IPV6", "IPV6_UNICAST_HOPS", Integer.MIN_VALUE);
        /** {@code IPV6_TCLASS}: the traffic class of IPv6 packets. */
        public static final SocketOption<Integer> IPV6_TCLASS = SocketOption.integer("IPPROTO_IPV6", "IPV6_TCLASS", Integer.MIN_VALUE);
        /**
         * {@code IPV6_RECVPKTINFO}: each datagram received brings {@code IPV6_PKTINFO}, its
         * destination address and interface (an IPv4 one on a dual-stack socket as {@code ::ffff:a.b.c.d}).
         */
        public static final SocketOption<Boolean> IPV6_RECVPKTINFO = SocketOption.bool("IPPROTO_IPV6", "IPV6_RECVPKTINFO");
        /** {@code IPV6_RECVTCLASS}: each IPv6 datagram received brings its traffic class ({@link ControlMessages#ipv6Tclass()}). */
        public static final SocketOption<Boolean> IPV6_RECVTCLASS = SocketOption.bool("IPPROTO_IPV6", "IPV6_RECVTCLASS");
    }

    /** Level {@code IPPROTO_UDP} ({@code SOCK_DGRAM} sockets; needs a kernel and headers with UDP GRO, Linux 5.0+). */
    public static final class IpprotoUdp {
        private IpprotoUdp() {}

        /**
         * {@code UDP_GRO}: the kernel may hand several datagrams of one flow to one receive, with
         * a {@code UDP_GRO} control message giving the segment size ({@link ControlMessages#groSegmentSize()}).
         */
        public static final SocketOption<Boolean> UDP_GRO = SocketOption.bool("IPPROTO_UDP", "UDP_GRO");
    }

    /** Level {@code IPPROTO_TCP} ({@code SOCK_STREAM} sockets). */
    public static final class IpprotoTcp {
        private IpprotoTcp() {}

        /** True disables Nagle's algorithm. */
        public static final SocketOption<Boolean> TCP_NODELAY = SocketOption.bool("IPPROTO_TCP", "TCP_NODELAY");
        /** Seconds of idleness before keepalive probes (with {@code SO_KEEPALIVE}). */
        public static final SocketOption<Integer> TCP_KEEPIDLE = SocketOption.integer("IPPROTO_TCP", "TCP_KEEPIDLE", Integer.MIN_VALUE);
        /** Seconds between keepalive probes. */
        public static final SocketOption<Integer> TCP_KEEPINTVL = SocketOption.integer("IPPROTO_TCP", "TCP_KEEPINTVL", Integer.MIN_VALUE);
        /** Probes before the connection is dropped. */
        public static final SocketOption<Integer> TCP_KEEPCNT = SocketOption.integer("IPPROTO_TCP", "TCP_KEEPCNT", Integer.MIN_VALUE);
    }

    /** Every option above, level by level (for listings such as the CLI's). */
    public static List<SocketOption<?>> all() {
        return List.of(SolSocket.SO_REUSEADDR, SolSocket.SO_REUSEPORT, SolSocket.SO_RCVBUF, SolSocket.SO_SNDBUF,
                SolSocket.SO_RCVTIMEO, SolSocket.SO_SNDTIMEO, SolSocket.SO_KEEPALIVE, SolSocket.SO_LINGER,
                SolSocket.SO_BROADCAST, SolSocket.SO_ERROR, SolSocket.SO_TYPE, SolSocket.SO_DOMAIN,
                SolSocket.SO_PROTOCOL, SolSocket.SO_ACCEPTCONN,
                IpprotoIp.IP_TTL, IpprotoIp.IP_TOS,
                IpprotoIpv6.IPV6_V6ONLY, IpprotoIpv6.IPV6_UNICAST_HOPS, IpprotoIpv6.IPV6_TCLASS,
                IpprotoTcp.TCP_NODELAY, IpprotoTcp.TCP_KEEPIDLE, IpprotoTcp.TCP_KEEPINTVL, IpprotoTcp.TCP_KEEPCNT);
    }
}
