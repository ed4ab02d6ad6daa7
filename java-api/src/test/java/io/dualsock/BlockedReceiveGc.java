package io.dualsock;

import static io.dualsock.bindings.Platform.AF_INET;
import static io.dualsock.bindings.Platform.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.testsupport.OnThread;

/**
 * Child-JVM side of {@link BlockedReceiveGcTest} (a collection held up by a thread stuck in native
 * code stops every thread at the safepoint, the test's own included, so only another process can
 * time it out). A thread blocked in {@code recv(2)} must not hold up the garbage collector: blocking calls keep
 * the normal Java-to-native transition under both bindings (the FFM binding uses
 * {@code Linker.Option.critical} only for calls that cannot block). While one thread waits in
 * {@code recv} on a socket nobody sends to, another allocates heavily and forces collections; they
 * must all finish, and the receive must then still get its datagram. Prints {@code OK ...}.
 */
public final class BlockedReceiveGc {
    private BlockedReceiveGc() {}

    private static final String THREAD = "ds-blocked-recv";
    private static final int FORCED_GCS = 5;

    public static void main(String[] args) throws Exception {
        try (NativeSocket receiver = NativeSocket.open(AF_INET, SOCK_DGRAM);
             NativeSocket sender = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            receiver.bind(Inet4SockAddr.loopback(0));
            // non-blocking and back: the socket's sends and receives must block (and cross) normally again
            receiver.setBlocking(false);
            receiver.setBlocking(true);
            nonBlockingSocketDoesNotWait();
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            OnThread<Integer> blocked = OnThread.start(THREAD, () -> receiver.recv(in));
            CompletableFuture<Integer> received = blocked.result();
            long before;
            try {
                awaitSleepingInKernel();
                assertFalse(received.isDone(), "nothing was sent, yet recv returned");

                before = collections();
                for (int i = 0; i < FORCED_GCS; i++) {
                    allocate();
                    System.gc();
                }
                assertTrue(collections() >= before + FORCED_GCS, "System.gc() ran no collection");
                assertFalse(received.isDone(), "recv returned without a datagram");
            } finally {
                sender.sendTo(ByteBuffer.wrap(new byte[] {1, 2, 3}), receiver.localAddress());
            }
            assertEquals(3, received.get(10, TimeUnit.SECONDS));
            assertEquals(2, in.get(1));
            System.out.println("OK binding " + Native.binding() + ", " + (collections() - before) + " collections");
        }
    }

    /** A receive on a socket opened with SOCK_NONBLOCK (FFM: a critical call) returns EAGAIN at once. */
    private static void nonBlockingSocketDoesNotWait() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM | Constants.i("SOCK_NONBLOCK"))) {
            s.bind(Inet4SockAddr.loopback(0));
            try {
                s.recv(ByteBuffer.allocateDirect(8));
                throw new AssertionError("recv on an empty non-blocking socket returned");
            } catch (NativeSocketException e) {
                assertEquals("EAGAIN", e.errnoName());
            }
        }
    }

    /** Many short-lived arrays: several young collections' worth on a default heap. */
    private static void allocate() {
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += new byte[4096 + (i & 7)].length;
        }
        assertTrue(sum > 0);
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(c -> c > 0).sum();
    }

    /**
     * Waits until the receiving thread sleeps in the kernel: its task (the JVM gives Linux threads
     * their Java name) shows state S for a while.
     */
    private static void awaitSleepingInKernel() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int sleepingSeen = 0;
        while (sleepingSeen < 5) {
            sleepingSeen = state() == 'S' ? sleepingSeen + 1 : 0;
            if (System.nanoTime() > deadline) throw new AssertionError("thread " + THREAD + " never slept in recv");
            Thread.sleep(20);
        }
    }

    private static char state() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm;
                String stat;
                try {
                    comm = Files.readString(t.resolve("comm")).trim();
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                if (THREAD.startsWith(comm) && !comm.isEmpty()) {
                    return stat.charAt(stat.lastIndexOf(')') + 2);
                }
            }
        }
        return '?';
    }
}
