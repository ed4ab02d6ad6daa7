package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.dualsock.EncodedSockAddr;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions;

/**
 * Data integrity: a stream of numbered, CRC-32-checked messages of varying size over each path,
 * TCP and UDP. TCP: every message arrives, in order, intact. UDP: no datagram corrupted or
 * duplicated; losses and reorderings are counted, and the losses must equal the drops the
 * kernel counted for the receiving socket (/proc/net/udp "drops": its buffer was full). The
 * sender is paced by the receiver's progress, so on loopback none is expected. Paths: IPv4, IPv6, and the two mapped paths: an AF_INET6 client
 * to {@code ::ffff:127.0.0.1} reaching an AF_INET server, and an AF_INET client reaching a
 * dual-stack AF_INET6 server (which sees {@code ::ffff:127.0.0.1}).
 */
class DataIntegrityTest {
    private static final int MESSAGES = 20_000;
    private static final int MAX_PAYLOAD = 1400;

    enum Path {
        V4(NativeSocket.AF_INET, NativeSocket.AF_INET),
        V6(NativeSocket.AF_INET6, NativeSocket.AF_INET6),
        V6_CLIENT_TO_MAPPED_V4_SERVER(NativeSocket.AF_INET6, NativeSocket.AF_INET),
        V4_CLIENT_TO_DUAL_STACK_V6_SERVER(NativeSocket.AF_INET, NativeSocket.AF_INET6);

        final int client, server;

        Path(int client, int server) {
            this.client = client;
            this.server = server;
        }

        /** The server's socket of this type; an AF_INET6 one takes IPv4 too (IPV6_V6ONLY off). */
        NativeSocket openServer(int type) throws java.io.IOException {
            NativeSocket s = NativeSocket.open(server, type);
            if (server == NativeSocket.AF_INET6) s.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, false);
            return s;
        }

        SockAddr bindAddr() {
            if (server == NativeSocket.AF_INET) return Inet4SockAddr.loopback(0);
            return client == NativeSocket.AF_INET ? Inet6SockAddr.any(0) : Inet6SockAddr.loopback(0);
        }

        SockAddr target(int port) {
            if (client == server) return server == NativeSocket.AF_INET ? Inet4SockAddr.loopback(port) : Inet6SockAddr.loopback(port);
            return client == NativeSocket.AF_INET6 ? Inet4SockAddr.loopback(port).toMapped() : Inet4SockAddr.loopback(port);
        }

        String name(String proto) {
            return proto + "_" + name().toLowerCase();
        }
    }

    /** Writes message seq (header: length, seq, crc; then payload) at b's position 0; returns its length. */
    static int message(ByteBuffer b, long seq) {
        int payload = (int) ((seq * 2654435761L) & 0x7fffffff) % MAX_PAYLOAD;
        int len = 16 + payload;
        b.clear();
        b.putInt(0, len).putLong(4, seq);
        for (int i = 0; i < payload; i++) b.put(16 + i, (byte) (seq * 31 + i));
        b.putInt(12, crc(b, len));
        b.limit(len);
        return len;
    }

    static int crc(ByteBuffer b, int len) {
        CRC32 c = new CRC32();
        c.update(b.duplicate().position(0).limit(12));
        c.update(b.duplicate().position(16).limit(len));
        return (int) c.getValue();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void tcpStreamArrivesWholeAndInOrder(Path path) throws Exception {
        try (NativeSocket l = path.openServer(NativeSocket.SOCK_STREAM);
             NativeSocket c = NativeSocket.open(path.client, NativeSocket.SOCK_STREAM)) {
            l.bind(path.bindAddr());
            l.listen(1);
            c.connect(path.target(l.localAddress().port()));
            NativeSocket.Accepted acc = l.accept();
            if (path == Path.V4_CLIENT_TO_DUAL_STACK_V6_SERVER) {
                assertTrue(((Inet6SockAddr) acc.peer()).isV4Mapped(), "peer " + acc.peer());
            }
            CompletableFuture<long[]> got = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (NativeSocket s = acc.socket()) {
                    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
                    long seq = 0, corrupt = 0, bytes = 0;
                    in.clear();
                    for (;;) {
                        int n = s.recv(in);
                        if (n == 0) break;
                        bytes += n;
                        in.flip();
                        while (in.remaining() >= 4 && in.remaining() >= in.getInt(in.position())) {
                            int len = in.getInt(in.position());
                            ByteBuffer m = in.slice(in.position(), len);
                            if (m.getLong(4) != seq || m.getInt(12) != crc(m, len)) corrupt++;
                            seq++;
                            in.position(in.position() + len);
                        }
                        in.compact();
                    }
                    got.complete(new long[] {seq, corrupt, bytes});
                } catch (Throwable e) {
                    got.completeExceptionally(e);
                }
            });
            reader.start();
            ByteBuffer out = ByteBuffer.allocateDirect(16 + MAX_PAYLOAD);
            long sentBytes = 0;
            for (long seq = 0; seq < MESSAGES; seq++) {
                sentBytes += message(out, seq);
                while (out.hasRemaining()) c.send(out);
            }
            c.shutdown(NativeSocket.SHUT_WR);
            long[] r = got.get(2, TimeUnit.MINUTES);
            assertEquals(MESSAGES, r[0], "messages received in order");
            assertEquals(0, r[1], "corrupt or out-of-order messages");
            assertEquals(sentBytes, r[2]);
            FaultSupport.record("DataIntegrityTest", path.name("tcp"), MESSAGES + " messages, " + sentBytes
                    + " bytes: lost 0, corrupt 0, out of order 0");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void udpDatagramsAreNeverCorruptOrDuplicated(Path path) throws Exception {
        try (NativeSocket server = path.openServer(NativeSocket.SOCK_DGRAM);
             NativeSocket c = NativeSocket.open(path.client, NativeSocket.SOCK_DGRAM)) {
            server.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, java.time.Duration.ofSeconds(2));
            server.setOption(SocketOptions.SolSocket.SO_RCVBUF, 1 << 20);
            server.bind(path.bindAddr());
            int port = server.localAddress().port();
            EncodedSockAddr to = EncodedSockAddr.of(path.target(port));
            AtomicLong progress = new AtomicLong();
            CompletableFuture<long[]> got = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                SockAddrHolder from = new SockAddrHolder();
                java.util.BitSet seen = new java.util.BitSet(MESSAGES);
                long received = 0, corrupt = 0, dup = 0, reordered = 0, last = -1;
                boolean mappedSource = true;
                try {
                    while (received + corrupt + dup < MESSAGES) {
                        in.clear();
                        int n;
                        try {
                            n = server.recvFrom(in, from);
                        } catch (NativeSocketException e) {
                            if ("EAGAIN".equals(e.errnoName())) break; // 2 s of silence: the rest was lost
                            throw e;
                        }
                        if (n < 16 || in.getInt(0) != n || in.getInt(12) != crc(in, n)) {
                            corrupt++;
                            continue;
                        }
                        long seq = in.getLong(4);
                        if (seq < 0 || seq >= MESSAGES || seen.get((int) seq)) {
                            dup++;
                            continue;
                        }
                        seen.set((int) seq);
                        if (seq < last) reordered++;
                        last = Math.max(last, seq);
                        received++;
                        progress.set(received);
                        mappedSource &= from.isV4Mapped();
                    }
                    got.complete(new long[] {received, corrupt, dup, reordered, mappedSource ? 1 : 0});
                } catch (Throwable e) {
                    got.completeExceptionally(e);
                }
            });
            reader.start();
            ByteBuffer out = ByteBuffer.allocateDirect(16 + MAX_PAYLOAD);
            for (long seq = 0; seq < MESSAGES; seq++) {
                message(out, seq);
                c.sendTo(out, to);
                // pacing: at most 64 datagrams ahead of the receiver, so that its buffer never overflows
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (seq - progress.get() > 64 && System.nanoTime() < deadline) Thread.onSpinWait();
            }
            long[] r = got.get(2, TimeUnit.MINUTES);
            long drops = UdpCounters.socketDrops(port); // this socket's own counter, read before it closes
            long lost = MESSAGES - r[0];
            assertEquals(0, r[1], "corrupt datagrams");
            assertEquals(0, r[2], "duplicated datagrams");
            assertEquals(lost, drops, "every lost datagram must be one the kernel dropped at this socket's full buffer");
            if (path == Path.V4_CLIENT_TO_DUAL_STACK_V6_SERVER) assertEquals(1, r[4], "sources not shown as ::ffff:a.b.c.d");
            FaultSupport.record("DataIntegrityTest", path.name("udp"), MESSAGES + " datagrams: received " + r[0]
                    + ", lost " + lost + " (socket's kernel drop counter " + drops + "), reordered " + r[3]
                    + ", corrupt 0, duplicated 0");
        }
    }
}
