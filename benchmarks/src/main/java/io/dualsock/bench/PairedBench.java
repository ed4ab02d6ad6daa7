package io.dualsock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

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
 * dualsock and one through the JDK, in rotating order, on the same sockets and queue, and adds
 * each slice's nanoseconds to its own counter. Load that comes and goes hits all three alike, so
 * the ratios of the sums hold where separate runs drift apart. The primary score (time of a whole
 * invocation) means nothing here; the report reads the counters.
 */
@Measurement(iterations = 8, time = 1)
public class PairedBench extends BenchDefaults {
    static final Bindings.BenchLib C = Bindings.benchLib();
    static final Shim SHIM = Native.shim();
    static final int K = 64;
    static final int SEGMENTS = 64;

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

        /** The first of the three to run in this invocation: rotates, so no side always goes first. */
        int first() {
            return turn++ % 3;
        }

        int first(int sides) {
            return turn++ % sides;
        }

        void add(int who, long nanos) {
            switch (who) {
                case 0 -> cNanos += nanos;
                case 1 -> dualsockNanos += nanos;
                case 2 -> jdkNanos += nanos;
                default -> rawShimNanos += nanos;
            }
        }
    }

    static void check(long rc, String what) {
        if (rc < 0) throw new IllegalStateException(what + " failed: " + rc);
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
    public long noop5(Times t) {
        int n = 100 * K;
        long acc = 0;
        int first = t.first();
        for (int k = 0; k < 2; k++) {
            int w = (first + k) % 2;
            long t0 = System.nanoTime();
            if (w == 0) {
                acc += C.dsb_loop_noop5(n);
            } else {
                for (int i = 0; i < n; i++) acc += SHIM.ds_noop5(3, 64, i, 0, 64);
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += n;
        return acc;
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

    @Benchmark
    public long sendTo6Mapped(Send s, Times t) throws IOException {
        long sum = 0;
        int first = t.first(4);
        long sa = Native.address(s.saMapped);
        for (int k = 0; k < 4; k++) {
            int w = (first + k) % 4;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_sendto(s.s6.fd(), s.bufAddr, Loopback.PAYLOAD, sa, K), "sendto");
            } else if (w == 1) {
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.s6.sendTo(s.buf, s.toMapped);
                }
            } else if (w == 2) {
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.j6.send(s.buf, s.jTo);
                }
            } else {
                int fd = s.s6.fd();
                for (int i = 0; i < K; i++) sum += SHIM.ds_sendto(fd, s.bufAddr, Loopback.PAYLOAD, 0, sa);
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += K;
        return sum;
    }

    @Benchmark
    public long sendTo4(Send s, Times t) throws IOException {
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 3; k++) {
            int w = (first + k) % 3;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_sendto(s.s4.fd(), s.bufAddr, Loopback.PAYLOAD, Native.address(s.sa4), K), "sendto");
            } else if (w == 1) {
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.s4.sendTo(s.buf, s.to4);
                }
            } else {
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.j4.send(s.buf, s.jTo);
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += K;
        return sum;
    }

    @Benchmark
    public long send6Connected(Send s, Times t) throws IOException {
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 3; k++) {
            int w = (first + k) % 3;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_send(s.c6.fd(), s.bufAddr, Loopback.PAYLOAD, K), "send");
            } else if (w == 1) {
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.c6.send(s.buf);
                }
            } else {
                for (int i = 0; i < K; i++) {
                    s.buf.clear();
                    sum += s.jc6.write(s.buf);
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += K;
        return sum;
    }

    /** Per datagram: C sendmmsg of 64, DatagramBatch.send of 64, the JDK one send each. */
    @Benchmark
    public long sendBatch4(Send s, Times t) throws IOException {
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 3; k++) {
            int w = (first + k) % 3;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_sendmmsg(s.s4.fd(), s.segmentsAddr, Native.address(s.sa4), SEGMENTS, 1), "sendmmsg");
            } else if (w == 1) {
                for (int sent = 0; sent < SEGMENTS; ) sent += s.batch.send(s.s4, sent, SEGMENTS - sent);
            } else {
                for (int i = 0; i < SEGMENTS; i++) {
                    s.buf.clear();
                    sum += s.j4.send(s.buf, s.jTo);
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += SEGMENTS;
        return sum;
    }

    /** Per datagram: one UDP_SEGMENT sendmsg of 64 segments (C and dualsock), the JDK one send each. */
    @Benchmark
    public long sendSegmented4(Send s, Times t) throws IOException {
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 3; k++) {
            int w = (first + k) % 3;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_gso(s.s4.fd(), s.segmentsAddr, Native.address(s.sa4), SEGMENTS, 1), "sendmsg UDP_SEGMENT");
            } else if (w == 1) {
                s.segments.clear();
                sum += DatagramBatch.sendSegmented(s.s4, s.segments, Loopback.PAYLOAD, s.to4);
            } else {
                for (int i = 0; i < SEGMENTS; i++) {
                    s.buf.clear();
                    sum += s.j4.send(s.buf, s.jTo);
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += SEGMENTS;
        return sum;
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

    @Benchmark
    public long recvFrom6(Recv r, Times t) throws IOException {
        r.f6.fill(3 * K);
        r.fj6.fill(K);
        long sum = 0;
        int first = t.first(4);
        for (int k = 0; k < 4; k++) {
            int w = (first + k) % 4;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_recvfrom(r.r6.fd(), r.bufAddr, 2048, K), "recvfrom");
            } else if (w == 1) {
                for (int i = 0; i < K; i++) {
                    r.buf.clear();
                    sum += r.r6.recvFrom(r.buf, r.from);
                }
            } else if (w == 2) {
                for (int i = 0; i < K; i++) {
                    r.buf.clear();
                    if (r.j6.receive(r.buf) == null) throw new IllegalStateException("queue ran dry");
                }
            } else {
                int fd = r.r6.fd();
                for (int i = 0; i < K; i++) {
                    long n = SHIM.ds_recvfrom(fd, r.bufAddr, 2048, 0, r.holderAddr);
                    if (n < 0) throw new IllegalStateException("recvfrom: " + n);
                    sum += n;
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += K;
        return sum;
    }

    @Benchmark
    public long recv6Connected(Recv r, Times t) throws IOException {
        r.fc6.fill(2 * K);
        r.fjc6.fill(K);
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 3; k++) {
            int w = (first + k) % 3;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_recv(r.rc6.fd(), r.bufAddr, 2048, K), "recv");
            } else if (w == 1) {
                for (int i = 0; i < K; i++) {
                    r.buf.clear();
                    sum += r.rc6.recv(r.buf);
                }
            } else {
                for (int i = 0; i < K; i++) {
                    r.buf.clear();
                    if (r.jc6.read(r.buf) <= 0) throw new IllegalStateException("queue ran dry");
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += K;
        return sum;
    }

    /** Per datagram: recvmmsg of 64 (C and DatagramBatch), the JDK one receive each. */
    @Benchmark
    public long recvBatch6(Recv r, Times t) throws IOException {
        r.f6.fill(2 * SEGMENTS);
        r.fj6.fill(SEGMENTS);
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 3; k++) {
            int w = (first + k) % 3;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_recvmmsg(r.r6.fd(), r.bufAddr, SEGMENTS, 1), "recvmmsg");
            } else if (w == 1) {
                for (int got = 0; got < SEGMENTS; ) got += r.batch.receive(r.r6, got, SEGMENTS - got, 0);
            } else {
                for (int i = 0; i < SEGMENTS; i++) {
                    r.buf.clear();
                    if (r.j6.receive(r.buf) == null) throw new IllegalStateException("queue ran dry");
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += SEGMENTS;
        return sum;
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

    private static long gai(Gai g, Times t, ByteBuffer host, ByteBuffer hints, String name, Hints h, int n) throws IOException {
        long sum = 0;
        int first = t.first();
        for (int k = 0; k < 2; k++) {
            int w = (first + k) % 2;
            long t0 = System.nanoTime();
            if (w == 0) {
                check(C.dsb_loop_gai(Native.address(host), Native.address(hints), n), "getaddrinfo");
            } else {
                for (int i = 0; i < n; i++) {
                    java.util.List<AddrInfo> r = Resolver.getaddrinfo(name, null, h);
                    sum += r.size();
                }
            }
            t.add(w, System.nanoTime() - t0);
        }
        t.ops += n;
        return sum;
    }

    @Benchmark
    public long gaiNumericV4Mapped(Gai g, Times t) throws IOException {
        return gai(g, t, g.numericHost, g.numericFlat, ResolverBench.NUMERIC, g.numericHints, 4 * K);
    }

    @Benchmark
    public long gaiLocalhost(Gai g, Times t) throws IOException {
        return gai(g, t, g.localHost, g.localFlat, ResolverBench.LOCALHOST, g.localHints, 8);
    }
}
