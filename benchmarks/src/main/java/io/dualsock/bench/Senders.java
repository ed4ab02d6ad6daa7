package io.dualsock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import io.dualsock.EncodedSockAddr;
import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;

/**
 * The sending side of the datagram benchmarks (UdpBench, PairedBench): a sink on 127.0.0.1 that
 * nobody reads, and for dualsock and the JDK alike an AF_INET6 socket sending to
 * {@code ::ffff:127.0.0.1}, an AF_INET one sending to 127.0.0.1 and an AF_INET6 one connected to
 * the mapped address; 64-byte payload in a direct buffer. Each benchmark's state opens it in its
 * {@code @Setup} and closes it in its {@code @TearDown}.
 */
class Senders {
    NativeSocket sink;
    int port;
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

    void open() throws IOException {
        sink = Loopback.sink();
        port = Loopback.port(sink);
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

    void close() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {s6, s4, c6, sink, j6, j4, jc6}) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
