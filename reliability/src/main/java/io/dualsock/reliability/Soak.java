package io.dualsock.reliability;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.dualsock.AiFlag;
import io.dualsock.EncodedSockAddr;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions;
import io.dualsock.bindings.LibC;
import io.dualsock.bindings.Native;
import jnr.ffi.Pointer;

/**
 * The soak: long runs through the public API with the process's resources measured at the start
 * (after a warm-up) and at the end of each phase, and at ten points in between:
 * <ul>
 *   <li>{@code gai}: getaddrinfo calls (numeric, mapped, canonical name, service names, errors,
 *       {@code localhost} from /etc/hosts: never a DNS query);</li>
 *   <li>{@code tcp}: socket open, connect, close cycles on loopback (IPv4 and IPv6 alternately;
 *       the server closes first so that TIME_WAIT stays on its side);</li>
 *   <li>{@code udp}: datagrams through the hot path, {@code sendTo(direct, EncodedSockAddr)} to
 *       {@code recvFrom(direct, SockAddrHolder)}, paced by the receiver.</li>
 * </ul>
 * Measured: resident memory (VmRSS), malloc'd native memory (glibc mallinfo2: what libc's
 * resolver and the shim allocate; x86_64 only), direct-buffer memory, Java heap after GC, and
 * open descriptors. A phase is flat when descriptors end where they started, malloc'd memory
 * grew by less than 8 MiB and resident memory by less than 32 MiB. The slack is the JVM's own
 * noise (the JIT compilers' malloc'd arenas swing by several MiB while code is compiled); a leak
 * of even 16 bytes per call shows as 16 MB over a million calls, and the ten samples in between
 * show its slope.
 *
 * <p>Usage: {@code Soak [--gai N] [--tcp N] [--udp N] [--out FILE]}; {@code bin/soak} runs it.
 * Exit 1 when a phase is not flat or fails.
 */
public final class Soak {
    private Soak() {}

    private static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    /** libc, once mallinfo2 answered; null where it cannot be asked. */
    private static LibC malloc;
    private static Pointer mallinfoOut;

    static final long MALLOC_SLACK = 8L << 20;
    static final long RSS_SLACK_KIB = 32L * 1024;

    /** One set of figures. */
    public record Sample(long calls, long rssKiB, long mallocBytes, long directBytes, long heapBytes, long fds) {}

    /** One phase's outcome. */
    public record Phase(String name, long calls, double seconds, Sample start, Sample end, List<Sample> samples,
                        Map<String, String> notes) {
        public boolean flat() {
            return end.fds == start.fds && (start.mallocBytes < 0 || end.mallocBytes - start.mallocBytes < MALLOC_SLACK)
                    && end.rssKiB - start.rssKiB < RSS_SLACK_KIB;
        }
    }

    public static void main(String[] args) throws Exception {
        long gai = 1_000_000, tcp = 100_000, udp = 10_000_000;
        Path out = Paths.get("build/soak/soak.properties");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gai" -> gai = Long.parseLong(args[++i].replace("_", ""));
                case "--tcp" -> tcp = Long.parseLong(args[++i].replace("_", ""));
                case "--udp" -> udp = Long.parseLong(args[++i].replace("_", ""));
                case "--out" -> out = Paths.get(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Phase> phases = run(gai, tcp, udp);
        write(phases, out);
        boolean ok = true;
        for (Phase p : phases) {
            System.out.println(describe(p));
            ok &= p.flat();
        }
        System.out.println("soak figures written to " + out);
        System.exit(ok ? 0 : 1);
    }

    /** Runs the phases with these counts (0 skips a phase). */
    public static List<Phase> run(long gai, long tcp, long udp) throws Exception {
        initMalloc();
        List<Phase> phases = new ArrayList<>();
        if (gai > 0) phases.add(phase("getaddrinfo", gai, Soak::gaiCall, null));
        if (tcp > 0) phases.add(tcpPhase(tcp));
        if (udp > 0) phases.add(udpPhase(udp));
        return phases;
    }

    // ---- measuring ----

    private static void initMalloc() {
        if (malloc != null || !X86_64) return;
        try {
            LibC libc = Native.libc();
            Pointer out = jnr.ffi.Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), 10 * 8);
            libc.mallinfo2(out);
            mallinfoOut = out;
            malloc = libc;
        } catch (UnsatisfiedLinkError e) {
            malloc = null; // glibc before 2.33: no mallinfo2
        }
    }

    /** uordblks + hblkhd: bytes handed out by malloc, from the arenas and from mmap. -1 when unknown. */
    static long mallocBytes() {
        if (malloc == null) return -1;
        malloc.mallinfo2(mallinfoOut);
        return mallinfoOut.getLong(7 * 8) + mallinfoOut.getLong(4 * 8);
    }

    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static long fds() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long direct() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) return b.getMemoryUsed();
        }
        return -1;
    }

    static Sample sample(long calls) {
        // let unreachable direct buffers and sockets be collected and their Cleaners run first
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return new Sample(calls, rssKiB(), mallocBytes(), direct(), rt.totalMemory() - rt.freeMemory(), fds());
    }

    interface Step {
        void call(long i) throws Exception;
    }

    private static Phase phase(String name, long n, Step step, Map<String, String> notes) throws Exception {
        long warm = Math.max(1, n / 20);
        for (long i = 0; i < warm; i++) step.call(i);
        Sample start = sample(0);
        List<Sample> samples = new ArrayList<>();
        long every = Math.max(1, n / 10);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            step.call(i);
            if ((i + 1) % every == 0 && i + 1 < n) samples.add(sample(i + 1));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Sample end = sample(n);
        return new Phase(name, n, secs, start, end, samples, notes == null ? new LinkedHashMap<>() : notes);
    }

    // ---- getaddrinfo ----

    private static final Hints[] HINTS = {
        Hints.builder().inet().stream().flags(AiFlag.NUMERICHOST).build(),
        Hints.builder().inet6().flags(AiFlag.NUMERICHOST, AiFlag.V4MAPPED).build(),
        Hints.builder().flags(AiFlag.NUMERICHOST, AiFlag.CANONNAME).build(),
        Hints.builder().inet6().dgram().flags(AiFlag.NUMERICHOST, AiFlag.V4MAPPED, AiFlag.ALL).build(),
        Hints.builder().stream().flags(AiFlag.PASSIVE).build(),
        Hints.builder().flags(AiFlag.NUMERICHOST).build(),
        Hints.none(),
    };
    private static final String[][] QUERIES = {
        {"198.51.100.7", "80"}, {"198.51.100.7", "http"}, {"2001:db8::1", "443"}, {"::1", "domain"},
        {null, "8080"}, {"no.such.name", "80"}, {"localhost", "80"},
    };
    private static final AtomicLong GAI_ERRORS = new AtomicLong();

    private static void gaiCall(long i) throws Exception {
        int k = (int) (i % QUERIES.length);
        try {
            Resolver.getaddrinfo(QUERIES[k][0], QUERIES[k][1], HINTS[k]);
        } catch (ResolverException e) {
            // "no.such.name" with AI_NUMERICHOST: EAI_NONAME without any lookup, every time
            if (k != 5) throw e;
            GAI_ERRORS.incrementAndGet();
        }
    }

    // ---- TCP cycles ----

    private static Phase tcpPhase(long n) throws Exception {
        NativeSocket l4 = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
        NativeSocket l6 = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM);
        l4.bind(Inet4SockAddr.loopback(0));
        l6.bind(Inet6SockAddr.loopback(0));
        l4.listen(128);
        l6.listen(128);
        SockAddr a4 = l4.localAddress(), a6 = l6.localAddress();
        AtomicLong accepted = new AtomicLong();
        List<Thread> servers = new ArrayList<>();
        for (NativeSocket l : List.of(l4, l6)) {
            Thread t = new Thread(() -> {
                try {
                    for (;;) {
                        // the server closes first: TIME_WAIT stays here, client ports are never exhausted
                        l.accept().socket().close();
                        accepted.incrementAndGet();
                    }
                } catch (NativeSocketException e) {
                    // closed at the end of the phase
                }
            }, "soak-accept");
            t.setDaemon(true);
            t.start();
            servers.add(t);
        }
        byte[] one = new byte[1];
        Phase p = phase("tcp open/connect/close", n, i -> {
            boolean v6 = (i & 1) == 1;
            try (NativeSocket c = NativeSocket.open(v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
                c.connect(v6 ? a6 : a4);
                if (c.recv(one) != 0) throw new IllegalStateException("expected the server's FIN");
            }
        }, null);
        l4.close();
        l6.close();
        for (Thread t : servers) t.join(5000);
        p.notes().put("accepted", Long.toString(accepted.get()));
        return p;
    }

    // ---- UDP hot path ----

    private static Phase udpPhase(long n) throws Exception {
        NativeSocket rx = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM);
        NativeSocket tx = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM);
        rx.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, false);
        rx.setOption(SocketOptions.SolSocket.SO_RCVBUF, 1 << 20);
        rx.bind(Inet6SockAddr.loopback(0));
        rx.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, java.time.Duration.ofSeconds(2));
        EncodedSockAddr to = EncodedSockAddr.of(rx.localAddress());
        AtomicLong got = new AtomicLong(), bad = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            SockAddrHolder from = new SockAddrHolder();
            try {
                for (;;) {
                    in.clear();
                    int k;
                    try {
                        k = rx.recvFrom(in, from);
                    } catch (NativeSocketException e) {
                        if ("EAGAIN".equals(e.errnoName()) || !rx.isOpen()) break;
                        throw e;
                    }
                    if (k != 64 || in.getLong(0) < 0) bad.incrementAndGet();
                    got.incrementAndGet();
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "soak-udp-rx");
        receiver.start();
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        AtomicLong sent = new AtomicLong();
        Phase p = phase("udp datagrams (hot path)", n, i -> {
            out.clear();
            out.putLong(0, i);
            tx.sendTo(out, to);
            long s = sent.incrementAndGet();
            // paced: at most 512 datagrams ahead of the receiver (the measured path is the hot loop, not drops)
            while (s - got.get() > 512) Thread.onSpinWait();
        }, null);
        int port = rx.localAddress().port();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got.get() < sent.get() && System.nanoTime() < deadline) Thread.sleep(10);
        String drops = socketDrops(port);
        rx.close();
        tx.close();
        done.get(10, TimeUnit.SECONDS);
        p.notes().put("sent", Long.toString(sent.get()));
        p.notes().put("received", Long.toString(got.get()));
        p.notes().put("lost", (sent.get() - got.get()) + " (socket's kernel drop counter " + drops + ")");
        p.notes().put("malformed", Long.toString(bad.get()));
        return p;
    }

    static String socketDrops(int port) {
        String hex = String.format(":%04X", port);
        for (String file : new String[] {"/proc/net/udp6", "/proc/net/udp"}) {
            try {
                for (String line : Files.readAllLines(Paths.get(file))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 12 && f[1].endsWith(hex)) return f[f.length - 1];
                }
            } catch (IOException e) {
                // not listed
            }
        }
        return "?";
    }

    // ---- output ----

    static String describe(Phase p) {
        return String.format(Locale.ROOT,
                "%-28s %,12d calls in %7.1f s  RSS %,d -> %,d KiB  malloc %s -> %s  direct %,d -> %,d B  fds %d -> %d  %s %s",
                p.name(), p.calls(), p.seconds(), p.start().rssKiB(), p.end().rssKiB(), mib(p.start().mallocBytes()),
                mib(p.end().mallocBytes()), p.start().directBytes(), p.end().directBytes(), p.start().fds(),
                p.end().fds(), p.flat() ? "FLAT" : "NOT FLAT", p.notes());
    }

    private static String mib(long b) {
        return b < 0 ? "n/a" : String.format(Locale.ROOT, "%,d B", b);
    }

    static void write(List<Phase> phases, Path out) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("java=").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        sb.append("cores=").append(Runtime.getRuntime().availableProcessors()).append('\n');
        sb.append("maxheap_mib=").append(Runtime.getRuntime().maxMemory() >> 20).append('\n');
        int i = 0;
        for (Phase p : phases) {
            String k = "phase." + (i++) + ".";
            sb.append(k).append("name=").append(p.name()).append('\n');
            sb.append(k).append("calls=").append(p.calls()).append('\n');
            sb.append(k).append("seconds=").append(String.format(Locale.ROOT, "%.1f", p.seconds())).append('\n');
            sb.append(k).append("flat=").append(p.flat()).append('\n');
            put(sb, k + "start.", p.start());
            put(sb, k + "end.", p.end());
            StringBuilder series = new StringBuilder();
            for (Sample s : p.samples()) series.append(s.calls()).append(':').append(s.rssKiB()).append(':')
                    .append(s.mallocBytes()).append(':').append(s.fds()).append(' ');
            sb.append(k).append("series=").append(series.toString().trim()).append('\n');
            for (Map.Entry<String, String> e : p.notes().entrySet()) {
                sb.append(k).append("note.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
        }
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    }

    private static void put(StringBuilder sb, String k, Sample s) {
        sb.append(k).append("rss_kib=").append(s.rssKiB()).append('\n');
        sb.append(k).append("malloc_bytes=").append(s.mallocBytes()).append('\n');
        sb.append(k).append("direct_bytes=").append(s.directBytes()).append('\n');
        sb.append(k).append("heap_bytes=").append(s.heapBytes()).append('\n');
        sb.append(k).append("fds=").append(s.fds()).append('\n');
    }
}
