package io.dualsock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.dualsock.EncodedSockAddr;
import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SockAddrHolder;

/**
 * 64-byte datagrams on loopback: dualsock's hot path (direct buffer, pre-encoded destination,
 * caller-owned source holder) against C (cbench udp.*) and DatagramChannel (direct buffer,
 * reused InetSocketAddress; connected write/read).
 */
public class UdpBench extends BenchDefaults {
    /** Receives per invocation (a constant for OperationsPerInvocation), queued before each. */
    static final int N = Loopback.RECV_BATCH;

    @State(Scope.Thread)
    public static class Send {
        NativeSocket sink;
        NativeSocket s6;
        NativeSocket s4;
        NativeSocket c6;
        EncodedSockAddr toMapped;
        EncodedSockAddr to4;
        ByteBuffer buf;
        DatagramChannel j6;
        DatagramChannel j4;
        DatagramChannel jc6;
        InetSocketAddress jTo;

        @Setup
        public void setup() throws IOException {
            sink = Loopback.sink();
            int port = Loopback.port(sink);
            toMapped = EncodedSockAddr.of(Loopback.mapped(port));
            to4 = EncodedSockAddr.of(Inet4SockAddr.loopback(port));
            s6 = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM);
            s4 = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
            c6 = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM);
            c6.connect(Loopback.mapped(port));
            buf = Loopback.payload();
            jTo = new InetSocketAddress(Loopback.v4Loopback(), port);
            // An INET6 channel sends to an IPv4 address as ::ffff:127.0.0.1, as the AF_INET6 rows do.
            j6 = DatagramChannel.open(StandardProtocolFamily.INET6);
            j4 = DatagramChannel.open(StandardProtocolFamily.INET);
            jc6 = DatagramChannel.open(StandardProtocolFamily.INET6);
            jc6.connect(jTo);
        }

        @TearDown
        public void tearDown() throws IOException {
            for (AutoCloseable c : new AutoCloseable[] {s6, s4, c6, sink, j6, j4, jc6}) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }

    @Benchmark
    public int sendTo6Mapped(Send s) throws IOException {
        s.buf.clear();
        return s.s6.sendTo(s.buf, s.toMapped);
    }

    @Benchmark
    public int sendTo4(Send s) throws IOException {
        s.buf.clear();
        return s.s4.sendTo(s.buf, s.to4);
    }

    @Benchmark
    public int send6Connected(Send s) throws IOException {
        s.buf.clear();
        return s.c6.send(s.buf);
    }

    @Benchmark
    public int jdkSendTo6Mapped(Send s) throws IOException {
        s.buf.clear();
        return s.j6.send(s.buf, s.jTo);
    }

    @Benchmark
    public int jdkSendTo4(Send s) throws IOException {
        s.buf.clear();
        return s.j4.send(s.buf, s.jTo);
    }

    @Benchmark
    public int jdkWrite6Connected(Send s) throws IOException {
        s.buf.clear();
        return s.jc6.write(s.buf);
    }

    /** A receiver of each kind, each with its own filler; every invocation starts with N datagrams queued. */
    public abstract static class Queue {
        Loopback.Filler filler;
        final ByteBuffer buf = ByteBuffer.allocateDirect(2048);

        abstract int port() throws IOException;

        void start() throws IOException {
            filler = new Loopback.Filler(port());
        }

        @Setup(Level.Invocation)
        public void fill() throws IOException {
            filler.fill(N);
        }

        @TearDown(Level.Trial)
        public void closeFiller() {
            filler.close();
        }
    }

    @State(Scope.Thread)
    public static class RecvFrom6 extends Queue {
        NativeSocket r;
        final SockAddrHolder from = new SockAddrHolder();

        @Override
        int port() throws IOException {
            return Loopback.port(r);
        }

        @Setup(Level.Trial)
        public void setup() throws IOException {
            r = Loopback.receiver6();
            start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }

    @State(Scope.Thread)
    public static class Recv6Connected extends Queue {
        NativeSocket r;

        @Override
        int port() throws IOException {
            return Loopback.port(r);
        }

        @Setup(Level.Trial)
        public void setup() throws IOException {
            r = Loopback.receiver6();
            start();
            r.connect(Loopback.mapped(filler.port()));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }

    static DatagramChannel jdkReceiver() throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, Loopback.RCVBUF);
        ch.bind(new InetSocketAddress(0));
        ch.configureBlocking(false);
        return ch;
    }

    @State(Scope.Thread)
    public static class JdkReceive6 extends Queue {
        DatagramChannel r;

        @Override
        int port() throws IOException {
            return ((InetSocketAddress) r.getLocalAddress()).getPort();
        }

        @Setup(Level.Trial)
        public void setup() throws IOException {
            r = jdkReceiver();
            start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            r.close();
        }
    }

    @State(Scope.Thread)
    public static class JdkRead6Connected extends Queue {
        DatagramChannel r;

        @Override
        int port() throws IOException {
            return ((InetSocketAddress) r.getLocalAddress()).getPort();
        }

        @Setup(Level.Trial)
        public void setup() throws IOException {
            r = jdkReceiver();
            start();
            r.connect(new InetSocketAddress(Loopback.v4Loopback(), filler.port()));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            r.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int recvFrom6(RecvFrom6 q) throws IOException {
        int sum = 0;
        for (int i = 0; i < N; i++) {
            q.buf.clear();
            sum += q.r.recvFrom(q.buf, q.from);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int recv6Connected(Recv6Connected q) throws IOException {
        int sum = 0;
        for (int i = 0; i < N; i++) {
            q.buf.clear();
            sum += q.r.recv(q.buf);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int jdkReceive6(JdkReceive6 q) throws IOException {
        int sum = 0;
        for (int i = 0; i < N; i++) {
            q.buf.clear();
            SocketAddress a = q.r.receive(q.buf);
            if (a == null) throw new IllegalStateException("receive queue ran dry");
            sum += q.buf.position();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int jdkRead6Connected(JdkRead6Connected q) throws IOException {
        int sum = 0;
        for (int i = 0; i < N; i++) {
            q.buf.clear();
            int n = q.r.read(q.buf);
            if (n <= 0) throw new IllegalStateException("receive queue ran dry");
            sum += n;
        }
        return sum;
    }
}
