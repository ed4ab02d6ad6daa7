package io.dualsock;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The soak run of {@link ResolverSoakTest}, in a JVM of its own whose heap is fixed and
 * pre-touched, so that resident memory can only grow through native memory (libc, the shim,
 * direct buffers) and metadata, not through the Java heap. Prints {@code key=value} lines.
 *
 * <p>Arguments: warm-up calls, measured calls, and "localhost" or "no-localhost".
 */
public final class ResolverSoak {
    private ResolverSoak() {}

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        boolean localhost = args[2].equals("localhost");
        Hints mapped = Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.NUMERICHOST).build();
        Hints any = Hints.builder().flags(AiFlag.NUMERICHOST).build();
        Hints local = Hints.builder().stream().build();
        Hints canon = Hints.builder().flags(AiFlag.CANONNAME, AiFlag.NUMERICHOST).build();
        String[] hosts = {"198.51.100.7", "2001:db8::1", "::ffff:198.51.100.9", "127.0.0.1", "fe80::1%1"};
        Runnable round = new Runnable() {
            int i;

            @Override
            public void run() {
                int n = i++;
                try {
                    if (localhost && n % 100 == 0) {
                        Resolver.getaddrinfo("localhost", "80", local);
                    } else if (n % 97 == 0) {
                        try {
                            Resolver.getaddrinfo("not-a-number", null, any); // the error path too
                            throw new AssertionError("no error");
                        } catch (ResolverException expected) {
                            // EAI_NONAME
                        }
                    } else if (n % 89 == 0) {
                        Resolver.getaddrinfo("::1", "443", canon);
                    } else if (n % 2 == 0) {
                        Resolver.getaddrinfo(hosts[n % hosts.length], "443", mapped);
                    } else {
                        Resolver.getaddrinfo(hosts[n % hosts.length], null, any);
                    }
                } catch (ResolverException e) {
                    throw new AssertionError("call " + n, e);
                }
            }
        };
        for (int i = 0; i < warmup; i++) round.run();
        settle();
        long rss0 = rssKiB();
        long fds0 = fdCount();
        long direct0 = directBytes();
        for (int i = 0; i < calls; i++) round.run();
        settle();
        long rss1 = rssKiB();
        long fds1 = fdCount();
        long direct1 = directBytes();
        System.out.println("calls=" + calls);
        System.out.println("rss.before.kib=" + rss0);
        System.out.println("rss.after.kib=" + rss1);
        System.out.println("fd.before=" + fds0);
        System.out.println("fd.after=" + fds1);
        System.out.println("direct.before=" + direct0);
        System.out.println("direct.after=" + direct1);
    }

    /**
     * Collects until the Cleaner has freed the unreachable direct buffers: the direct-buffer
     * total has not fallen over three collections (bounded; a condition, not a pause).
     */
    private static void settle() throws InterruptedException {
        long last = Long.MAX_VALUE;
        int unchanged = 0;
        for (int i = 0; i < 100 && unchanged < 3; i++) {
            System.gc();
            long now = directBytes();
            unchanged = now >= last ? unchanged + 1 : 0;
            last = Math.min(last, now);
            Thread.sleep(10);
        }
    }

    static long rssKiB() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static long fdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count() - 1; // the directory stream's own descriptor
        }
    }

    static long directBytes() {
        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        return pools.stream().filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
