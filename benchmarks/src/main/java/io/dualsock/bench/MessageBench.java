package io.dualsock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.dualsock.ControlMessages;
import io.dualsock.DatagramBatch;
import io.dualsock.EncodedSockAddr;
import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.SocketOptions.IpprotoUdp;
import io.dualsock.bindings.Native;

/**
 * Paired receives with control messages, timed in rotating slices like {@link PairedBench} and
 * into its {@link PairedBench.Times} counters, which here hold:
 * <ul>
 * <li>{@code recvmsgPktinfo6}: {@code cNanos} the C recvmsg loop reading IPV6_PKTINFO
 * ({@code dsb_loop_recvmsg_pktinfo}), {@code dualsockNanos} {@code NativeSocket.receiveMessage}
 * with IPV6_RECVPKTINFO reading the interface index, {@code jdkNanos} the JDK's
 * {@code DatagramChannel.receive}, {@code rawShimNanos} dualsock's {@code recvFrom} (no control
 * messages) — K datagrams of 64 bytes each;
 * <li>{@code recvGro4}: {@code cNanos} the C recvmsg loop on a UDP_GRO socket
 * ({@code dsb_loop_recvmsg_gro}), {@code dualsockNanos} {@code DatagramBatch.receiveCoalesced},
 * {@code jdkNanos} {@code DatagramChannel.receive} one datagram at a time, {@code rawShimNanos}
 * {@code DatagramBatch.receive} (recvmmsg of 64, no GRO) — 64 datagrams of 64 bytes per slice,
 * every queue filled by the same UDP_SEGMENT sends (one sendmsg of 64 segments).
 * </ul>
 */
@Measurement(iterations = 8, time = 1)
public class MessageBench extends BenchDefaults {
    static final Bindings.BenchLib C = PairedBench.C;
    static final int K = PairedBench.K;
    static final int SEGMENTS = PairedBench.SEGMENTS;

    @State(Scope.Thread)
    public static class Pktinfo {
        NativeSocket pkt6;
        NativeSocket plain6;
        DatagramChannel j6;
        Loopback.Filler fPkt;
        Loopback.Filler fPlain;
        Loopback.Filler fJdk;
        final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        long bufAddr;
        final SockAddrHolder from = new SockAddrHolder();
        final ControlMessages control = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);

        @Setup
        public void setup() throws IOException {
            bufAddr = Native.address(buf);
            pkt6 = Loopback.receiver6();
            pkt6.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, true);
            plain6 = Loopback.receiver6();
            j6 = UdpBench.jdkReceiver();
            fPkt = new Loopback.Filler(Loopback.port(pkt6));
            fPlain = new Loopback.Filler(Loopback.port(plain6));
            fJdk = new Loopback.Filler(((InetSocketAddress) j6.getLocalAddress()).getPort());
        }

        @TearDown
        public void tearDown() throws IOException {
            for (Loopback.Filler f : new Loopback.Filler[] {fPkt, fPlain, fJdk}) f.close();
            pkt6.close();
            plain6.close();
            j6.close();
        }
    }

    private static long jdkReceives(DatagramChannel ch, ByteBuffer b, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            b.clear();
            if (ch.receive(b) == null) throw new IllegalStateException("queue ran dry");
        }
        return 0;
    }

    @Benchmark
    public long recvmsgPktinfo6(Pktinfo p, PairedBench.Times t) throws IOException {
        p.fPkt.fill(2 * K);
        p.fPlain.fill(K);
        p.fJdk.fill(K);
        return t.rotate(4, K, side -> {
            long sum = 0;
            switch (side) {
                case PairedBench.C_SIDE -> PairedBench.check(C.dsb_loop_recvmsg_pktinfo(p.pkt6.fd(), p.bufAddr, 2048, K),
                        "recvmsg IPV6_PKTINFO");
                case PairedBench.DUALSOCK -> {
                    for (int i = 0; i < K; i++) {
                        p.buf.clear();
                        sum += p.pkt6.receiveMessage(p.buf, p.from, p.control, 0);
                        sum += p.control.ipv6PktinfoIfindex();
                    }
                }
                case PairedBench.JDK -> jdkReceives(p.j6, p.buf, K);
                default -> {
                    for (int i = 0; i < K; i++) {
                        p.buf.clear();
                        sum += p.plain6.recvFrom(p.buf, p.from);
                    }
                }
            }
            return sum;
        });
    }

    @State(Scope.Thread)
    public static class Gro {
        NativeSocket groC;
        NativeSocket groDs;
        NativeSocket plain;
        DatagramChannel j4;
        NativeSocket sender;
        ByteBuffer segments;
        EncodedSockAddr toGroC;
        EncodedSockAddr toGroDs;
        EncodedSockAddr toPlain;
        EncodedSockAddr toJdk;
        final ByteBuffer big = ByteBuffer.allocateDirect(65536);
        long bigAddr;
        DatagramBatch coalesced;
        DatagramBatch batch;

        @Setup
        public void setup() throws IOException {
            groC = receiver(true);
            groDs = receiver(true);
            plain = receiver(false);
            j4 = UdpBench.jdkReceiver();
            sender = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
            sender.bind(Inet4SockAddr.loopback(0));
            segments = ByteBuffer.allocateDirect(SEGMENTS * Loopback.PAYLOAD);
            toGroC = EncodedSockAddr.of(groC.localAddress());
            toGroDs = EncodedSockAddr.of(groDs.localAddress());
            toPlain = EncodedSockAddr.of(plain.localAddress());
            toJdk = EncodedSockAddr.of(Inet4SockAddr.loopback(((InetSocketAddress) j4.getLocalAddress()).getPort()));
            bigAddr = Native.address(big);
            coalesced = DatagramBatch.allocate(4, 65535, ControlMessages.RECEIVE_SPACE);
            batch = DatagramBatch.allocate(SEGMENTS, 256);
        }

        static NativeSocket receiver(boolean gro) throws IOException {
            NativeSocket r = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
            Loopback.bigQueue(r);
            if (gro) r.setOption(IpprotoUdp.UDP_GRO, true);
            r.bind(Inet4SockAddr.loopback(0));
            r.setBlocking(false);
            return r;
        }

        /** One UDP_SEGMENT sendmsg of SEGMENTS datagrams of 64 bytes to each queue. */
        void fill() throws IOException {
            for (EncodedSockAddr to : new EncodedSockAddr[] {toGroC, toGroDs, toPlain, toJdk}) {
                segments.clear();
                DatagramBatch.sendSegmented(sender, segments, Loopback.PAYLOAD, to);
            }
        }

        @TearDown
        public void tearDown() throws IOException {
            groC.close();
            groDs.close();
            plain.close();
            j4.close();
            sender.close();
        }
    }

    /** Per datagram: SEGMENTS datagrams per slice; GRO hands them over in one receive on loopback. */
    @Benchmark
    public long recvGro4(Gro g, PairedBench.Times t) throws IOException {
        g.fill();
        return t.rotate(4, SEGMENTS, side -> switch (side) {
            case PairedBench.C_SIDE -> PairedBench.check(C.dsb_loop_recvmsg_gro(g.groC.fd(), g.bigAddr, 65536, SEGMENTS),
                    "recvmsg UDP_GRO");
            case PairedBench.DUALSOCK -> {
                int got = 0;
                while (got < SEGMENTS) got += g.coalesced.receiveCoalesced(g.groDs, 0, 4, 0);
                yield got;
            }
            case PairedBench.JDK -> jdkReceives(g.j4, g.big, SEGMENTS);
            default -> {
                int got = 0;
                while (got < SEGMENTS) got += g.batch.receive(g.plain, got, SEGMENTS - got, 0);
                yield got;
            }
        });
    }
}
