package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hot loop allocates nothing: sendTo(direct buffer, EncodedSockAddr) and
 * recvFrom(direct buffer, SockAddrHolder), measured with the JVM's per-thread allocation
 * counter over 20,000 UDP round trips on loopback after a warm-up of the same size.
 */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class NativeSocketAllocationTest {
    private static final int ROUND_TRIPS = 20_000;
    /** Fixed allowance for one-off JVM activity inside the window (a TLAB refill, a deopt). */
    private static final long SLACK_BYTES = 2_048;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void counter() {
        var mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    /** Runs body twice (warm-up, measured) and returns bytes allocated by this thread in the second run. */
    private static long measure(Loop body) throws IOException {
        body.run(ROUND_TRIPS);
        long before = threads.getCurrentThreadAllocatedBytes();
        body.run(ROUND_TRIPS);
        long after = threads.getCurrentThreadAllocatedBytes();
        return after - before;
    }

    interface Loop {
        void run(int n) throws IOException;
    }

    private static void report(String what, long bytes, int calls) {
        double perCall = (double) bytes / calls;
        System.out.printf("[allocation] %s: %d bytes over %d calls = %.4f bytes/call%n", what, bytes, calls, perCall);
        assertTrue(bytes <= SLACK_BYTES + calls - 1L, what + ": " + bytes + " bytes for " + calls + " calls");
        assertTrue(Math.max(0, bytes - SLACK_BYTES) / (double) calls < 1.0, what + ": " + perCall + " bytes per call");
    }

    private static void udpRoundTrips(int family, SockAddr loopback) throws IOException {
        try (NativeSocket a = NativeSocket.open(family, SOCK_DGRAM); NativeSocket b = NativeSocket.open(family, SOCK_DGRAM)) {
            a.bind(loopback);
            b.bind(loopback);
            EncodedSockAddr toB = EncodedSockAddr.of(b.localAddress());
            EncodedSockAddr toA = EncodedSockAddr.of(a.localAddress());
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            SockAddrHolder from = new SockAddrHolder();
            int aPort = a.localAddress().port();
            long bytes = measure(n -> {
                for (int i = 0; i < n; i++) {
                    out.clear();
                    out.putInt(0, i).limit(32);
                    if (a.sendTo(out, toB) != 32) throw new AssertionError("short send");
                    in.clear();
                    if (b.recvFrom(in, from) != 32 || in.getInt(0) != i) throw new AssertionError("wrong datagram");
                    // the holder's accessors are part of the loop: they must not allocate either
                    if (from.port() != aPort || !from.matches(toA) || from.isV4Mapped()) throw new AssertionError("source");
                    in.flip();
                    if (b.sendTo(in, from) != 32) throw new AssertionError("short echo");
                    in.clear();
                    if (a.recvFrom(in, from) != 32) throw new AssertionError("no echo");
                }
            });
            report(Names.family(family) + " UDP sendTo/recvFrom round trip (4 calls)", bytes, 4 * ROUND_TRIPS);
        }
    }

    @Test
    void udpIpv4HotLoopAllocatesNothing() throws IOException {
        udpRoundTrips(AF_INET, Inet4SockAddr.loopback(0));
    }

    @Test
    void udpIpv6HotLoopAllocatesNothing() throws IOException {
        udpRoundTrips(AF_INET6, Inet6SockAddr.loopback(0));
    }

    @Test
    void mappedSourceOnDualStackSocketAllocatesNothing() throws IOException {
        try (NativeSocket server = NativeSocketTest.dualStack(SOCK_DGRAM, false);
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            EncodedSockAddr to = EncodedSockAddr.of(Inet4SockAddr.loopback(server.localAddress().port()));
            ByteBuffer out = ByteBuffer.allocateDirect(16);
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            SockAddrHolder from = new SockAddrHolder();
            long bytes = measure(n -> {
                for (int i = 0; i < n; i++) {
                    out.clear();
                    client.sendTo(out, to);
                    in.clear();
                    server.recvFrom(in, from);
                    if (!from.isV4Mapped()) throw new AssertionError("expected ::ffff:127.0.0.1");
                }
            });
            report("IPv4 client -> dual-stack AF_INET6 (mapped source)", bytes, 2 * ROUND_TRIPS);
            assertEquals("::ffff:127.0.0.1", from.sockAddr().address());
        }
    }

    /**
     * receiveMessage with IP_PKTINFO and IP_RECVTOS, the typed accessors, and a reply from the
     * arrival address with sendMessage: the hot path of a multi-homed UDP server.
     */
    @Test
    void messageCallsWithControlDataAllocateNothing() throws IOException {
        try (NativeSocket server = NativeSocketTest.dualStack(SOCK_DGRAM, false);
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            server.setOption(SocketOptions.IpprotoIp.IP_PKTINFO, true);
            server.setOption(SocketOptions.IpprotoIpv6.IPV6_RECVPKTINFO, true);
            server.setOption(SocketOptions.IpprotoIp.IP_RECVTOS, true);
            EncodedSockAddr to = EncodedSockAddr.of(Inet4SockAddr.loopback(server.localAddress().port()));
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            SockAddrHolder from = new SockAddrHolder();
            SockAddrHolder dst = new SockAddrHolder();
            ControlMessages send = ControlMessages.allocate(64);
            ControlMessages got = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            ControlMessages reply = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            long bytes = measure(n -> {
                for (int i = 0; i < n; i++) {
                    out.clear().limit(32);
                    client.sendMessage(out, to, send.clear().addIpTos(0x10), 0);
                    in.clear();
                    if (server.receiveMessage(in, from, got, 0) != 32) throw new AssertionError("short receive");
                    if (got.ipTos() != 0x10 || got.ipPktinfoIfindex() <= 0 || !got.copyIpv6PktinfoAddress(dst)
                            || !dst.isV4Mapped() || got.isControlTruncated()) {
                        throw new AssertionError("control messages");
                    }
                    in.flip();
                    server.sendMessage(in, from, reply.clear().addReplySource(got), 0);
                    in.clear();
                    client.recv(in);
                }
            });
            report("sendMessage/receiveMessage with IP_TOS, PKTINFO and a reply source", bytes, 4 * ROUND_TRIPS);
        }
    }

    /** Calls through Descriptor.call pass an enum constant, not a capturing lambda: nothing allocated either. */
    @Test
    void helperCallsAllocateNothing() throws IOException {
        int solSocket = io.dualsock.bindings.Constants.i("SOL_SOCKET");
        int soRcvbuf = io.dualsock.bindings.Constants.i("SO_RCVBUF");
        try (NativeSocket s = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            long bytes = measure(n -> {
                for (int i = 0; i < n; i++) {
                    if (s.poll(NativeSocket.POLLOUT, 0) == 0) throw new AssertionError("not writable");
                    s.setIntOption(solSocket, soRcvbuf, 8192);
                    if (s.getIntOption(solSocket, soRcvbuf) <= 0) throw new AssertionError("SO_RCVBUF");
                    s.setBlocking(true);
                    if (!s.isBlocking()) throw new AssertionError("blocking");
                }
            });
            report("poll, set/getIntOption, setBlocking/isBlocking", bytes, 5 * ROUND_TRIPS);
        }
    }

    /** Not required by the API contract, but measured: heap buffers go through per-thread scratch memory. */
    @Test
    void heapBuffersAndStreamsAllocateNothingInSteadyState() throws IOException {
        try (NativeSocket l = NativeSocketTest.bound(AF_INET, SOCK_STREAM, Inet4SockAddr.loopback(0));
             NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            l.listen(1);
            c.connect(l.localAddress());
            try (NativeSocket conn = l.accept().socket()) {
                ByteBuffer out = ByteBuffer.allocate(100);
                ByteBuffer in = ByteBuffer.allocate(100);
                long bytes = measure(n -> {
                    for (int i = 0; i < n; i++) {
                        out.clear();
                        c.send(out);
                        in.clear();
                        while (in.hasRemaining()) conn.recv(in);
                    }
                });
                report("TCP send/recv with heap ByteBuffers", bytes, 2 * ROUND_TRIPS);
            }
        }
    }
}
