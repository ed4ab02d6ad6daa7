package io.dualsock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;

/**
 * One TCP connection on loopback per operation: an AF_INET6 client connects to
 * {@code ::ffff:127.0.0.1} (an IPv4 listener on 127.0.0.1, UNP §12.3), the listener accepts,
 * both close (the accepted side first, so TIME_WAIT stays on the server side and ephemeral
 * ports are not used up). Against C (cbench tcp.*) and SocketChannel/ServerSocketChannel.
 */
@State(Scope.Thread)
public class TcpBench extends BenchDefaults {
    NativeSocket listener;
    Inet6SockAddr target;
    ServerSocketChannel jListener;
    InetSocketAddress jTarget;

    @Setup
    public void setup() throws IOException {
        listener = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
        listener.bind(Inet4SockAddr.loopback(0));
        listener.listen(128);
        target = Loopback.mapped(listener.localAddress().port());
        jListener = ServerSocketChannel.open();
        jListener.bind(new InetSocketAddress(Loopback.v4Loopback(), 0), 128);
        jTarget = new InetSocketAddress(Loopback.v4Loopback(), ((InetSocketAddress) jListener.getLocalAddress()).getPort());
    }

    @TearDown
    public void tearDown() throws IOException {
        listener.close();
        jListener.close();
    }

    @Benchmark
    public int connectAcceptClose6Mapped() throws IOException {
        NativeSocket c = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM);
        try {
            c.connect(target);
            NativeSocket.Accepted a = listener.accept();
            a.socket().close();
            return a.peer().port();
        } finally {
            c.close();
        }
    }

    /** The JDK's SocketChannel is an AF_INET6 socket too: it connects to 127.0.0.1 as ::ffff:127.0.0.1. */
    @Benchmark
    public int jdkConnectAcceptClose() throws IOException {
        try (SocketChannel c = SocketChannel.open(jTarget)) {
            SocketChannel a = jListener.accept();
            a.close();
            return c.isConnected() ? 1 : 0;
        }
    }
}
