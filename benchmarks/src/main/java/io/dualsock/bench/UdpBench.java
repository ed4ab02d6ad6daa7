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
    public static class Send extends Senders {
        @Setup
        public void setup() throws IOException {
            open();
        }

        @TearDown
        public void tearDown() throws IOException {
            close();
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

        /** Opens the receiver; returns its port. */
        abstract int open() throws IOException;

        /** The connected variants connect the receiver to the filler's port here. */
        void connectTo(int fillerPort) throws IOException {}

        abstract void close() throws IOException;

        @Setup(Level.Trial)
        public void start() throws IOException {
            filler = new Loopback.Filler(open());
            connectTo(filler.port());
        }

        @Setup(Level.Invocation)
        public void fill() throws IOException {
            filler.fill(N);
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            filler.close();
            close();
        }
    }

    /** dualsock's receiver: a dual-stack AF_INET6 socket on ::. */
    public abstract static class NativeQueue extends Queue {
        NativeSocket r;

        @Override
        int open() throws IOException {
            r = Loopback.receiver6();
            return Loopback.port(r);
        }

        @Override
        void close() {
            r.close();
        }
    }

    /** The JDK's receiver: an INET6 DatagramChannel on the wildcard address. */
    public abstract static class JdkQueue extends Queue {
        DatagramChannel r;

        @Override
        int open() throws IOException {
            r = jdkReceiver();
            return ((InetSocketAddress) r.getLocalAddress()).getPort();
        }

        @Override
        void close() throws IOException {
            r.close();
        }
    }

    @State(Scope.Thread)
    public static class RecvFrom6 extends NativeQueue {
        final SockAddrHolder from = new SockAddrHolder();
    }

    @State(Scope.Thread)
    public static class Recv6Connected extends NativeQueue {
        @Override
        void connectTo(int fillerPort) throws IOException {
            r.connect(Loopback.mapped(fillerPort));
        }
    }

    @State(Scope.Thread)
    public static class JdkReceive6 extends JdkQueue {}

    @State(Scope.Thread)
    public static class JdkRead6Connected extends JdkQueue {
        @Override
        void connectTo(int fillerPort) throws IOException {
            r.connect(new InetSocketAddress(Loopback.v4Loopback(), fillerPort));
        }
    }

    static DatagramChannel jdkReceiver() throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, Loopback.RCVBUF);
        ch.bind(new InetSocketAddress(0));
        ch.configureBlocking(false);
        return ch;
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
