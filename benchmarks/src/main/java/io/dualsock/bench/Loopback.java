package io.dualsock.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import io.dualsock.DatagramBatch;
import io.dualsock.EncodedSockAddr;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SocketOptions;
import io.dualsock.bindings.Constants;

/**
 * Loopback fixtures shared by the socket benchmarks (the same for dualsock and the JDK peers):
 * a sink nobody reads and a filler for receive queues. Loopback only.
 */
final class Loopback {
    private Loopback() {}

    static final int PAYLOAD = 64;
    /** Datagrams queued before each measured run of receives (cbench --recv-batch is the same). */
    static final int RECV_BATCH = 256;
    /** Room for RECV_BATCH datagrams: 4 MiB, which the kernel doubles (capped by net.core.rmem_max). */
    static final int RCVBUF = 4 << 20;

    static InetAddress v4Loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Inet6SockAddr mapped(int port) {
        return Inet6SockAddr.parse("::ffff:127.0.0.1", port);
    }

    /** An IPv4 UDP socket on 127.0.0.1 that nobody reads: once full, the kernel drops at the receiver. */
    static NativeSocket sink() throws IOException {
        NativeSocket s = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
        s.bind(Inet4SockAddr.loopback(0));
        return s;
    }

    static int port(NativeSocket s) throws IOException {
        return s.localAddress().port();
    }

    /**
     * An IPv4 UDP socket on 127.0.0.1 that queues datagrams on a receiver with sendmmsg, so that
     * every receive variant starts from the same full queue.
     */
    static final class Filler implements AutoCloseable {
        final NativeSocket socket;
        private final DatagramBatch batch;

        Filler(int receiverPort) throws IOException {
            socket = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
            socket.bind(Inet4SockAddr.loopback(0));
            batch = batchTo(EncodedSockAddr.of(Inet4SockAddr.loopback(receiverPort)), 64, PAYLOAD);
        }

        void fill(int n) throws IOException {
            while (n > 0) {
                n -= batch.send(socket, 0, Math.min(n, batch.slots()));
            }
        }

        int port() throws IOException {
            return Loopback.port(socket);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A dual-stack AF_INET6 receiver on :: with a big queue, non-blocking so an empty queue is an error, not a wait. */
    static NativeSocket receiver6() throws IOException {
        NativeSocket r = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM);
        r.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, false);
        bigQueue(r);
        r.bind(Inet6SockAddr.any(0));
        r.setBlocking(false);
        return r;
    }

    /**
     * Room for RECV_BATCH datagrams: SO_RCVBUFFORCE passes net.core.rmem_max when the process may
     * (CAP_NET_ADMIN; CI runs as root), else SO_RCVBUF, capped by it.
     */
    static void bigQueue(NativeSocket r) throws IOException {
        try {
            r.setIntOption(Constants.i("SOL_SOCKET"), Constants.i("SO_RCVBUFFORCE"), RCVBUF);
        } catch (NativeSocketException e) {
            r.setOption(SocketOptions.SolSocket.SO_RCVBUF, RCVBUF);
        }
    }

    /** A batch of slots datagrams of PAYLOAD bytes, each to the same destination, in slots of slotSize bytes. */
    static DatagramBatch batchTo(EncodedSockAddr to, int slots, int slotSize) {
        DatagramBatch b = DatagramBatch.allocate(slots, slotSize);
        for (int i = 0; i < slots; i++) b.setDestination(i, to).setLength(i, PAYLOAD);
        return b;
    }

    static ByteBuffer payload() {
        ByteBuffer b = ByteBuffer.allocateDirect(PAYLOAD);
        for (int i = 0; i < PAYLOAD; i++) b.put(i, (byte) 'x');
        return b;
    }
}
