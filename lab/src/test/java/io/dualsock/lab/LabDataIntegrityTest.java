package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions;

/**
 * Data integrity over the lab's mapped path, the one that only exists between hosts: an
 * AF_INET6 client on a dual-stack host sends to {@code ::ffff:<server's IPv4>} and an AF_INET
 * server on another dual-stack host receives. Numbered, CRC-32-checked messages: over TCP every
 * one arrives, in order, intact; over UDP none is corrupted or duplicated, and every loss is one
 * the kernel counted (seen here: a few dozen of 5,000, all {@code UdpRcvbufErrors} at the server
 * host while the receiver thread lagged on 2 busy cores). The server host's own
 * counters must show the data crossing as IPv4, and the server must see the client's plain IPv4
 * address. Both ends live in this JVM: sockets are created on threads that joined each host's
 * network namespace ({@link LabHost#inNetwork}) and keep belonging to it.
 */
class LabDataIntegrityTest {
    private static final int MESSAGES = 5_000;
    private static final int MAX_PAYLOAD = 1200;
    private static final int PORT = 7300;

    private static void fill(ByteBuffer b, int seq) {
        int len = 16 + (int) ((seq * 2654435761L) & 0x7fffffff) % (MAX_PAYLOAD - 16);
        b.clear();
        b.putInt(seq).putInt(len);
        for (int i = 8; i < len - 8; i++) b.put((byte) (seq * 31 + i));
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().flip());
        b.putLong(crc.getValue());
        b.flip();
    }

    /** Checks one message at the buffer's start; returns its sequence number. */
    private static int check(ByteBuffer b, int len) {
        int seq = b.getInt(0);
        assertEquals(b.getInt(4), len, "length field of message " + seq);
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().position(0).limit(len - 8));
        assertEquals(crc.getValue(), b.getLong(len - 8), "CRC of message " + seq);
        return seq;
    }

    @Test
    void mappedPathBetweenHostsKeepsEveryByte() throws Exception {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        try (Lab lab = Lab.builder().host("ic", Stack.DUAL).host("is", Stack.DUAL).nameSource(NameSource.FILES).start()) {
            LabHost c = lab.host("ic");
            LabHost s = lab.host("is");
            String serverV4 = s.ipv4().orElseThrow();
            String clientV4 = c.ipv4().orElseThrow();
            SockAddr target = Inet4SockAddr.parse(serverV4, PORT).toMapped();

            NativeSocket listener = s.inNetwork(() -> {
                NativeSocket l = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
                l.setOption(SocketOptions.SolSocket.SO_REUSEADDR, true);
                l.bind(Inet4SockAddr.any(PORT));
                l.listen(4);
                return l;
            });
            NativeSocket udpServer = s.inNetwork(() -> {
                NativeSocket u = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
                u.bind(Inet4SockAddr.any(PORT));
                u.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, java.time.Duration.ofSeconds(5));
                return u;
            });
            NativeSocket tcpClient = c.inNetwork(() -> NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM));
            NativeSocket udpClient = c.inNetwork(() -> NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM));
            try (listener; udpServer; tcpClient; udpClient) {
                KernelCounters before = s.counters();
                KernelCounters beforeClient = c.counters();

                // TCP: a reader thread reassembles the stream and checks every message in order.
                CompletableFuture<SockAddr> tcpReader = CompletableFuture.supplyAsync(() -> {
                    try {
                        NativeSocket.Accepted a = listener.accept();
                        try (NativeSocket conn = a.socket()) {
                            ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
                            int expect = 0;
                            while (expect < MESSAGES) {
                                if (conn.recv(in) == 0 && in.position() < 8) throw new AssertionError("EOF at message " + expect);
                                in.flip();
                                while (in.remaining() >= 8 && in.remaining() >= in.getInt(in.position() + 4)) {
                                    int len = in.getInt(in.position() + 4);
                                    ByteBuffer msg = in.slice(in.position(), len);
                                    assertEquals(expect, check(msg, len), "TCP order");
                                    expect++;
                                    in.position(in.position() + len);
                                }
                                in.compact();
                            }
                        }
                        return a.peer();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                tcpClient.connect(target, java.time.Duration.ofSeconds(5));
                ByteBuffer out = ByteBuffer.allocateDirect(MAX_PAYLOAD);
                for (int i = 0; i < MESSAGES; i++) {
                    fill(out, i);
                    while (out.hasRemaining()) tcpClient.send(out);
                }
                SockAddr tcpPeer = tcpReader.get(120, TimeUnit.SECONDS);
                assertEquals(Inet4SockAddr.parse(clientV4, tcpClient.localAddress().port()), tcpPeer,
                        "the AF_INET server sees the client's plain IPv4 address");
                assertTrue(((Inet6SockAddr) tcpClient.peerAddress()).isV4Mapped(), "the client's peer stays mapped");

                // UDP: paced by the receiver's progress; count corrupt, duplicate and lost datagrams.
                AtomicLong received = new AtomicLong();
                boolean[] seen = new boolean[MESSAGES];
                CompletableFuture<int[]> udpReader = CompletableFuture.supplyAsync(() -> {
                    int dup = 0;
                    SockAddrHolder src = new SockAddrHolder();
                    ByteBuffer in = ByteBuffer.allocateDirect(2048);
                    try {
                        while (received.get() < MESSAGES) {
                            in.clear();
                            int n;
                            try {
                                n = udpServer.recvFrom(in, src);
                            } catch (io.dualsock.NativeSocketException e) {
                                if ("EAGAIN".equals(e.errnoName())) break; // nothing more is coming
                                throw e;
                            }
                            int seq = check(in, n);
                            if (seen[seq]) dup++;
                            seen[seq] = true;
                            assertEquals(Inet4SockAddr.parse(clientV4, udpClient.localAddress().port()), src.sockAddr());
                            received.incrementAndGet();
                        }
                        return new int[] {dup};
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                for (int i = 0; i < MESSAGES; i++) {
                    fill(out, i);
                    udpClient.sendTo(out, target);
                    if (i % 64 == 63) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (received.get() < i - 64 && System.nanoTime() < deadline) Thread.onSpinWait();
                    }
                }
                int[] udp = udpReader.get(120, TimeUnit.SECONDS);
                long lost = MESSAGES - received.get();
                Map<String, Long> d = s.counters().minus(before);
                Map<String, Long> dc = c.counters().minus(beforeClient);
                assertEquals(0, udp[0], "UDP duplicates");
                // Every loss must be one the kernel counted: at the server host (receive buffer full)
                // or at the client host (send-side drops while the neighbour entry resolved).
                // (UdpInErrors includes UdpRcvbufErrors.)
                long counted = d.getOrDefault("UdpInErrors", 0L) + dc.getOrDefault("UdpSndbufErrors", 0L);
                System.out.println("lab mapped path UDP: sent " + MESSAGES + ", received " + received.get() + ", lost " + lost
                        + "; server host " + d + "; client host " + dc);
                assertEquals(lost, counted, "every lost datagram counted by a kernel: server " + d + ", client " + dc);

                long v4 = d.getOrDefault("IpInDelivers", 0L) - d.getOrDefault("IcmpInMsgs", 0L);
                long v6 = d.getOrDefault("Ip6InDelivers", 0L) - d.getOrDefault("Icmp6InMsgs", 0L);
                assertTrue(v4 >= MESSAGES, "IPv4 packets at the server host: " + d);
                assertTrue(v6 <= 4, "no IPv6 data at the server host (ND noise aside): " + d);
            }
        }
    }
}
