package io.dualsock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.DatagramBatch;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.Resolver;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * Paired measurement, for a machine shared with other work: every invocation times one slice of
 * K operations in C (the cbench loop, in libdsbench.so, one FFI call per slice), one through
 * dualsock and one through the JDK (and, for two cases, one calling the shim directly), in
 * rotating order, on the same sockets and queue, and adds each slice's nanoseconds to its own
 * counter. Load that comes and goes hits all sides alike, so the ratios of the sums hold where
 * separate runs drift apart. The primary score (time of a whole invocation) means nothing here;
 * the report reads the counters.
 */
@Measurement(iterations = 8, time = 1)
public class PairedBench extends BenchDefaults {
    static final Bindings.BenchLib C = Bindings.benchLib();
    static final Shim SHIM = Native.shim();
    static final int K = 64;
    static final int SEGMENTS = 64;

    /** The sides of a paired case, in the order of the counters. */
    static final int C_SIDE = 0, DUALSOCK = 1, JDK = 2, SHIM_DIRECT = 3;

    /** One side's slice of a case: runs it, returns a checksum so that the work is not optimized away. */
    @FunctionalInterface
    interface Slice {
        long run(int side) throws IOException;
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long cNanos;
        public long dualsockNanos;
        public long jdkNanos;
        /** The shim called directly (no NativeSocket around it): dualsock minus this is the Java layer. */
        public long rawShimNanos;
        public long ops;
        private int turn;

        @Setup(Level.Iteration)
        public void reset() {
            cNanos = 0;
            dualsockNanos = 0;
            jdkNanos = 0;
            rawShimNanos = 0;
            ops = 0;
        }

        /**
         * Runs one slice of each of the first {@code sides} sides, timing each into its counter,
         * starting with a different side each invocation so that none always goes first (two-sided
         * cases start from turn % 3, as they always have: C first in two invocations of three),
         * and counts ops operations.
         */
        long rotate(int sides, int ops, Slice slice) throws IOException {
            long sum = 0;
            int first = turn++ % Math.max(sides, 3);
            for (int k = 0; k < sides; k++) {
                int side = (first + k) % sides;
                long t0 = System.nanoTime();
                sum += slice.run(side);
                long nanos = System.nanoTime() - t0;
                switch (side) {
                    case C_SIDE -> cNanos += nanos;
                    case DUALSOCK -> dualsockNanos += nanos;
                    case JDK -> jdkNanos += nanos;
                    default -> rawShimNanos += nanos;
                }
            }
            this.ops += ops;
            return sum;
        }
    }

    static long check(long rc, String what) {
        if (rc < 0) throw new IllegalStateException(what + " failed: " + rc);
        return 0;
    }

    /** The kernel's sockaddr for a, in direct memory, for the C loops. */
    static ByteBuffer sockaddr(SockAddr a) {
        ByteBuffer b = ByteBuffer.allocateDirect(Platform.SIZEOF_SOCKADDR_STORAGE).order(ByteOrder.nativeOrder());
        if (a instanceof Inet4SockAddr a4) {
            b.putShort(Platform.SIN_FAMILY, (short) Platform.AF_INET);
            b.order(ByteOrder.BIG_ENDIAN).putShort(Platform.SIN_PORT, (short) a4.port());
            b.put(Platform.SIN_ADDR, a4.addressBytes());
        } else {
            Inet6SockAddr a6 = (Inet6SockAddr) a;
            b.putShort(Platform.SIN6_FAMILY, (short) Platform.AF_INET6);
            b.order(ByteOrder.BIG_ENDIAN).putShort(Platform.SIN6_PORT, (short) a6.port());
            b.put(Platform.SIN6_ADDR, a6.addressBytes());
        }
        return b;
    }

    // ---- FFI floor ----

    @Benchmark
    public long noop5(Times t) throws IOException {
        int n = 100 * K;
        return t.rotate(2, n, side -> {
            if (side == C_SIDE) return C.dsb_loop_noop5(n);
            long acc = 0;
            for (int i = 0; i < n; i++) acc += C.dsb_noop5(3, 64, i, 0, 64);
            return acc;
        });
    }

    // ---- datagram sends ----

    @State(Scope.Thread)
    public static class Send extends Senders {
        ByteBuffer saMapped;
        ByteBuffer sa4;
        long bufAddr;
        DatagramBatch batch;
        ByteBuffer segments;
        long segmentsAddr;

        @Setup
        public void setup() throws IOException {
            open();
            saMapped = sockaddr(Loopback.mapped(port));
            sa4 = sockaddr(Inet4SockAddr.loopback(port));
            bufAddr = Native.address(buf);
            batch = Loopback.batchTo(to4, SEGMENTS, Loopback.PAYLOAD);
            segments = ByteBuffer.allocateDirect(SEGMENTS * Loopback.PAYLOAD);
            segmentsAddr = Native.address(segments);
        }

        @TearDown
        public void tearDown() throws IOException {
            close();
        }
    }

    /** n datagrams of s.buf through an unconnected JDK channel: the JDK side of the sendto cases. */
    private static long jdkSends(DatagramChannel ch, Send s, int n) throws IOException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            s.buf.clear();
            sum += ch.send(s.buf, s.jTo);
        }
        return sum;
    }

    @Benchmark
    public long sendTo6Mapped(Send s, Times t) throws IOException {
        long sa = Native.address(s.saMapped);
        return t.rotate(4, K, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_sendto(s.s6.fd(), s.bufAddr, Loopback.PAYLOAD, sa, K), "sendto");
            case DUALSOCK -> {
                long sum = 0;
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.s6.sendTo(s.buf, s.toMapped);
                }
                yield sum;
            }
            case JDK -> jdkSends(s.j6, s, K);
            default -> {
                int fd = s.s6.fd();
                long sum = 0;
                for (int i = 0; i < K; i++) sum += SHIM.ds_sendto(fd, s.bufAddr, Loopback.PAYLOAD, 0, sa);
                yield sum;
            }
        });
    }

    @Benchmark
    public long sendTo4(Send s, Times t) throws IOException {
        return t.rotate(3, K, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_sendto(s.s4.fd(), s.bufAddr, Loopback.PAYLOAD, Native.address(s.sa4), K), "sendto");
            case DUALSOCK -> {
                long sum = 0;
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.s4.sendTo(s.buf, s.to4);
                }
                yield sum;
            }
            default -> jdkSends(s.j4, s, K);
        });
    }

    /** n datagrams of s.buf through the JDK's connected channel. */
    private static long jdkWrites(Send s, int n) throws IOException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            s.buf.clear();
            sum += s.jc6.write(s.buf);
        }
        return sum;
    }

    @Benchmark
    public long send6Connected(Send s, Times t) throws IOException {
        return t.rotate(3, K, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_send(s.c6.fd(), s.bufAddr, Loopback.PAYLOAD, K), "send");
            case DUALSOCK -> {
                long sum = 0;
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.c6.send(s.buf);
                }
                yield sum;
            }
            default -> jdkWrites(s, K);
        });
    }

    /** Per datagram: C sendmmsg of 64, DatagramBatch.send of 64, the JDK one send each. */
    @Benchmark
    public long sendBatch4(Send s, Times t) throws IOException {
        return t.rotate(3, SEGMENTS, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_sendmmsg(s.s4.fd(), s.segmentsAddr, Native.address(s.sa4), SEGMENTS, 1), "sendmmsg");
            case DUALSOCK -> {
                int sent = 0;
                while (sent < SEGMENTS) sent += s.batch.send(s.s4, sent, SEGMENTS - sent);
                yield 0;
            }
            default -> jdkSends(s.j4, s, SEGMENTS);
        });
    }

    /** Per datagram: one UDP_SEGMENT sendmsg of 64 segments (C and dualsock), the JDK one send each. */
    @Benchmark
    public long sendSegmented4(Send s, Times t) throws IOException {
        return t.rotate(3, SEGMENTS, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_gso(s.s4.fd(), s.segmentsAddr, Native.address(s.sa4), SEGMENTS, 1), "sendmsg UDP_SEGMENT");
            case DUALSOCK -> DatagramBatch.sendSegmented(s.s4, s.segments.clear(), Loopback.PAYLOAD, s.to4);
            default -> jdkSends(s.j4, s, SEGMENTS);
        });
    }

    // ---- datagram receives: C and dualsock take K each from one queue of 2K, the JDK K from its own ----

    @State(Scope.Thread)
    public static class Recv {
        NativeSocket r6;
        NativeSocket rc6;
        DatagramChannel j6;
        DatagramChannel jc6;
        Loopback.Filler f6;
        Loopback.Filler fc6;
        Loopback.Filler fj6;
        Loopback.Filler fjc6;
        final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 256);
        long bufAddr;
        final SockAddrHolder from = new SockAddrHolder();
        final ByteBuffer holder = ByteBuffer.allocateDirect(Platform.HOLDER_SIZE);
        long holderAddr;
        DatagramBatch batch;

        @Setup
        public void setup() throws IOException {
            bufAddr = Native.address(buf);
            holderAddr = Native.address(holder);
            r6 = Loopback.receiver6();
            rc6 = Loopback.receiver6();
            j6 = UdpBench.jdkReceiver();
            jc6 = UdpBench.jdkReceiver();
            f6 = new Loopback.Filler(Loopback.port(r6));
            fc6 = new Loopback.Filler(Loopback.port(rc6));
            rc6.connect(Loopback.mapped(fc6.port()));
            fj6 = new Loopback.Filler(((InetSocketAddress) j6.getLocalAddress()).getPort());
            fjc6 = new Loopback.Filler(((InetSocketAddress) jc6.getLocalAddress()).getPort());
            jc6.connect(new InetSocketAddress(Loopback.v4Loopback(), fjc6.port()));
            batch = DatagramBatch.allocate(SEGMENTS, 256);
        }

        @TearDown
        public void tearDown() throws IOException {
            for (Loopback.Filler f : new Loopback.Filler[] {f6, fc6, fj6, fjc6}) f.close();
            r6.close();
            rc6.close();
            j6.close();
            jc6.close();
        }
    }

    /** n datagrams from the JDK's unconnected channel: the JDK side of recvFrom6 and recvBatch6. */
    private static long jdkReceives(Recv r, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            r.buf.clear();
            if (r.j6.receive(r.buf) == null) throw new IllegalStateException("queue ran dry");
        }
        return 0;
    }

    @Benchmark
    public long recvFrom6(Recv r, Times t) throws IOException {
        r.f6.fill(3 * K);
        r.fj6.fill(K);
        return t.rotate(4, K, side -> {
            long sum = 0;
            switch (side) {
                case C_SIDE -> check(C.dsb_loop_recvfrom(r.r6.fd(), r.bufAddr, 2048, K), "recvfrom");
                case DUALSOCK -> {
                    for (int i = 0; i < K; i++) {
                        r.buf.clear();
                        sum += r.r6.recvFrom(r.buf, r.from);
                    }
                }
                case JDK -> jdkReceives(r, K);
                default -> {
                    int fd = r.r6.fd();
                    for (int i = 0; i < K; i++) {
                        long n = SHIM.ds_recvfrom(fd, r.bufAddr, 2048, 0, r.holderAddr);
                        if (n < 0) throw new IllegalStateException("recvfrom: " + n);
                        sum += n;
                    }
                }
            }
            return sum;
        });
    }

    /** n datagrams from the JDK's connected channel. */
    private static long jdkReads(Recv r, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            r.buf.clear();
            if (r.jc6.read(r.buf) <= 0) throw new IllegalStateException("queue ran dry");
        }
        return 0;
    }

    @Benchmark
    public long recv6Connected(Recv r, Times t) throws IOException {
        r.fc6.fill(2 * K);
        r.fjc6.fill(K);
        return t.rotate(3, K, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_recv(r.rc6.fd(), r.bufAddr, 2048, K), "recv");
            case DUALSOCK -> {
                long sum = 0;
                for (int i = 0; i < K; i++) {
                    r.buf.clear();
                    sum += r.rc6.recv(r.buf);
                }
                yield sum;
            }
            default -> jdkReads(r, K);
        });
    }

    /** Per datagram: recvmmsg of 64 (C and DatagramBatch), the JDK one receive each. */
    @Benchmark
    public long recvBatch6(Recv r, Times t) throws IOException {
        r.f6.fill(2 * SEGMENTS);
        r.fj6.fill(SEGMENTS);
        return t.rotate(3, SEGMENTS, side -> switch (side) {
            case C_SIDE -> check(C.dsb_loop_recvmmsg(r.r6.fd(), r.bufAddr, SEGMENTS, 1), "recvmmsg");
            case DUALSOCK -> {
                int got = 0;
                while (got < SEGMENTS) got += r.batch.receive(r.r6, got, SEGMENTS - got, 0);
                yield 0;
            }
            default -> jdkReceives(r, SEGMENTS);
        });
    }

    // ---- resolver: C getaddrinfo+freeaddrinfo vs Resolver.getaddrinfo (no JDK slice: see ResolverBench) ----

    @State(Scope.Thread)
    public static class Gai {
        final ByteBuffer numericHost = cString(ResolverBench.NUMERIC);
        final ByteBuffer localHost = cString(ResolverBench.LOCALHOST);
        final Hints numericHints = Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.NUMERICHOST).build();
        final Hints localHints = Hints.builder().unspec().stream().build();
        final ByteBuffer numericFlat = flat(numericHints);
        final ByteBuffer localFlat = flat(localHints);

        static ByteBuffer cString(String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer d = ByteBuffer.allocateDirect(b.length + 1);
            d.put(0, b);
            return d;
        }

        static ByteBuffer flat(Hints h) {
            ByteBuffer d = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            d.putInt(0, h.family()).putInt(4, h.socktype()).putInt(8, h.protocol()).putInt(12, h.flags());
            return d;
        }
    }

    private static long gai(Times t, ByteBuffer host, ByteBuffer hints, String name, Hints h, int n) throws IOException {
        return t.rotate(2, n, side -> {
            if (side == C_SIDE) return check(C.dsb_loop_gai(Native.address(host), Native.address(hints), n), "getaddrinfo");
            long sum = 0;
            for (int i = 0; i < n; i++) {
                List<AddrInfo> r = Resolver.getaddrinfo(name, null, h);
                sum += r.size();
            }
            return sum;
        });
    }

    @Benchmark
    public long gaiNumericV4Mapped(Gai g, Times t) throws IOException {
        return gai(t, g.numericHost, g.numericFlat, ResolverBench.NUMERIC, g.numericHints, 4 * K);
    }

    @Benchmark
    public long gaiLocalhost(Gai g, Times t) throws IOException {
        return gai(t, g.localHost, g.localFlat, ResolverBench.LOCALHOST, g.localHints, 8);
    }
}
