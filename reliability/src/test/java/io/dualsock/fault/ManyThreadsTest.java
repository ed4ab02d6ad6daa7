package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.EncodedSockAddr;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.Resolver;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions;

/**
 * Many threads resolving and sending at once (far more threads than this machine's cores):
 * every getaddrinfo answer is right, every datagram that arrives is intact and arrives once,
 * datagrams lost are counted and equal the kernel's drop counter of the receiving socket,
 * and no descriptor is leaked.
 */
class ManyThreadsTest {
    private static final int THREADS = 32;
    private static final int ITERATIONS = 2000;

    @Test
    void resolveAndSendFromManyThreads() throws Exception {
        FaultSupport.resetRecord("ManyThreadsTest");
        long socketsBefore = FaultSupport.openSockets();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLongArray next = new AtomicLongArray(THREADS); // next sequence expected per sender
        AtomicLong received = new AtomicLong(), corrupt = new AtomicLong(), duplicates = new AtomicLong(),
                gaps = new AtomicLong(), resolved = new AtomicLong();
        long drops;
        try (NativeSocket sink = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM)) {
            sink.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, false);
            sink.setOption(SocketOptions.SolSocket.SO_RCVBUF, 4 << 20);
            sink.bind(Inet6SockAddr.any(0)); // dual-stack: IPv4 senders arrive as ::ffff:127.0.0.1
            int port = sink.localAddress().port();
            Thread[] receivers = new Thread[2];
            for (int r = 0; r < receivers.length; r++) {
                receivers[r] = new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(2048);
                    SockAddrHolder from = new SockAddrHolder();
                    try {
                        for (;;) {
                            b.clear();
                            int n = sink.recvFrom(b, from);
                            if (n == 4 && b.getInt(0) == -1) return; // the end marker
                            check(b, n, next, received, corrupt, duplicates, gaps);
                        }
                    } catch (NativeSocketException e) {
                        if (sink.isOpen()) errors.add(e);
                    }
                });
                receivers[r].start();
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                        sendAndResolve(id, port, resolved);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                th.start();
                senders.add(th);
            }
            go.countDown();
            for (Thread th : senders) th.join(TimeUnit.MINUTES.toMillis(2));
            // the end markers, once everything sent is in or dropped (the kernel's drop counter):
            // the receivers have drained the queue
            long sent = (long) THREADS * ITERATIONS;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() + corrupt.get() + UdpCounters.socketDrops(port) < sent && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            try (NativeSocket s = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM)) {
                for (Thread r : receivers) s.sendTo(ByteBuffer.allocate(4).putInt(0, -1), Inet4SockAddr.loopback(port));
            }
            for (Thread r : receivers) r.join(10_000);
            drops = UdpCounters.socketDrops(port);
        }
        assertTrue(errors.isEmpty(), "errors: " + errors);
        long sent = (long) THREADS * ITERATIONS;
        long lost = sent - received.get();
        assertEquals(0, corrupt.get(), "corrupt datagrams");
        assertEquals(0, duplicates.get(), "duplicated datagrams");
        assertEquals((long) THREADS * ITERATIONS * 3, resolved.get());
        // every loss is a receive-buffer overflow the kernel counted for this socket
        assertEquals(lost, drops, "lost datagrams vs the socket's kernel drop counter");
        assertEquals(socketsBefore, FaultSupport.awaitSockets(socketsBefore, 2000), "sockets leaked");
        FaultSupport.record("ManyThreadsTest", "threads", THREADS);
        FaultSupport.record("ManyThreadsTest", "cores", Runtime.getRuntime().availableProcessors());
        FaultSupport.record("ManyThreadsTest", "getaddrinfo_calls", resolved.get());
        FaultSupport.record("ManyThreadsTest", "datagrams_sent", sent);
        FaultSupport.record("ManyThreadsTest", "datagrams_received", received.get());
        FaultSupport.record("ManyThreadsTest", "lost", lost + " (socket's kernel drop counter " + drops + ")");
        FaultSupport.record("ManyThreadsTest", "reordered_gaps", gaps.get());
        FaultSupport.record("ManyThreadsTest", "corrupt", corrupt.get());
        FaultSupport.record("ManyThreadsTest", "duplicates", duplicates.get());
    }

    private static void sendAndResolve(int id, int port, AtomicLong resolved) throws Exception {
        Hints v4 = Hints.builder().inet().dgram().flags(AiFlag.NUMERICHOST).build();
        Hints mapped = Hints.builder().inet6().dgram().flags(AiFlag.NUMERICHOST, AiFlag.V4MAPPED).build();
        Hints v6 = Hints.builder().inet6().dgram().flags(AiFlag.NUMERICHOST, AiFlag.NUMERICSERV).build();
        boolean useV6 = id % 2 == 1;
        try (NativeSocket s = NativeSocket.open(useV6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM)) {
            ByteBuffer b = ByteBuffer.allocateDirect(512);
            CRC32 crc = new CRC32();
            for (int i = 0; i < ITERATIONS; i++) {
                List<AddrInfo> a = Resolver.getaddrinfo("127.0.0.1", Integer.toString(port), v4);
                List<AddrInfo> m = Resolver.getaddrinfo("127.0.0.1", Integer.toString(port), mapped);
                List<AddrInfo> six = Resolver.getaddrinfo("::1", Integer.toString(port), v6);
                SockAddr dst4 = a.get(0).address();
                SockAddr dstM = m.get(0).address();
                if (a.size() != 1 || !dst4.equals(Inet4SockAddr.loopback(port))
                        || !((Inet6SockAddr) dstM).isV4Mapped() || !((Inet6SockAddr) dstM).v4().equals(dst4)
                        || !six.get(0).address().equals(Inet6SockAddr.loopback(port))) {
                    throw new AssertionError("wrong answer: " + a + " " + m + " " + six);
                }
                resolved.addAndGet(3);
                int len = 16 + (i * 7 + id) % 400;
                b.clear();
                b.putInt(0, id).putLong(4, i);
                for (int k = 16; k < len; k++) b.put(k, (byte) (k ^ i ^ id));
                crc.reset();
                crc.update(b.duplicate().position(0).limit(12));
                crc.update(b.duplicate().position(16).limit(len));
                b.putInt(12, (int) crc.getValue());
                b.limit(len);
                EncodedSockAddr to = EncodedSockAddr.of(useV6 ? (i % 2 == 0 ? dstM : Inet6SockAddr.loopback(port)) : dst4);
                s.sendTo(b, to);
                if (i % 64 == 63) Thread.yield();
            }
        }
    }

    private static void check(ByteBuffer b, int n, AtomicLongArray next, AtomicLong received, AtomicLong corrupt,
                              AtomicLong duplicates, AtomicLong gaps) {
        if (n < 16) {
            corrupt.incrementAndGet();
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().position(0).limit(12));
        crc.update(b.duplicate().position(16).limit(n));
        int id = b.getInt(0);
        long seq = b.getLong(4);
        if ((int) crc.getValue() != b.getInt(12) || id < 0 || id >= THREADS) {
            corrupt.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        // two receiver threads: the order they see is not the send order, so count exactly with a bitmap
        synchronized (SEEN) {
            long key = (long) id * ITERATIONS + seq;
            if (!SEEN.add(key)) duplicates.incrementAndGet();
        }
        long expected = next.get(id);
        if (seq != expected) gaps.incrementAndGet();
        next.set(id, Math.max(expected, seq + 1));
    }

    private static final java.util.Set<Long> SEEN = new java.util.HashSet<>();
}
