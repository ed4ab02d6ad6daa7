package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The lab's NAT64 gateway ({@link Nat64Spec}): TAYGA in namespace {@code ds-<lab id>-nat64}, in the
 * foreground ({@code tayga -d}) so that the lab owns its process, on a tun device TAYGA creates
 * and the kernel removes when TAYGA's descriptor closes (and with the namespace). Its
 * configuration file lives in the lab's own private directory
 * {@code /run/dualsock-lab/ds-<lab id>-tayga} ({@link LabState#privateDir}, listed in the lab's
 * record like TAYGA's process, so close and the sweep of a dead owner's lab remove both). Forwarding is switched on in the
 * gateway's namespace only; the hosts get routes to the prefix (IPv6) and the pool (IPv4)
 * through the gateway.
 */
final class Nat64Gateway implements AutoCloseable {
    /** TAYGA's tun device, inside the gateway's namespace. */
    static final String TUN = Topology.PREFIX + Nat64Spec.HOST;
    private static final int LOG_LINES = 500;
    /** The part of its configuration directory's name ({@link LabNames#dir}): {@code ds-<lab id>-tayga}. */
    static final String DIR_PART = "tayga";

    private final Process process;
    private final Deque<String> log = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);

    private Nat64Gateway(Process p) {
        this.process = p;
        Thread t = new Thread(this::drain, "ds-tayga-log");
        t.setDaemon(true);
        t.start();
    }

    /** The lines TAYGA writes to configure it ({@code tayga.conf(5)}). */
    static List<String> config(Nat64Spec s) {
        return List.of("tun-device " + TUN, "ipv4-addr " + s.taygaIpv4(), "prefix " + s.prefix(), "dynamic-pool " + s.pool());
    }

    /**
     * Starts TAYGA for the topology's {@code nat64} (recorded in the lab's state before it can
     * outlive the JVM), waits until its tun device exists, then routes: in the gateway, the pool
     * and the prefix into the tun device; in every IPv6 host the prefix, in every IPv4 host the
     * pool, through the gateway.
     */
    static Nat64Gateway start(Topology t, LabState state, PrintStream out) {
        Nat64Spec s = t.nat64();
        LabNames names = state.names();
        String ns = names.namespace(Nat64Spec.HOST);
        Path tayga = Prerequisites.which("tayga").orElseThrow(() -> new LabException(
                "the topology has a NAT64 gateway (nat64) but tayga is not installed: run bin/setup-packages --install"));
        Map<String, String> forwarding = new LinkedHashMap<>();
        forwarding.put("net.ipv4.ip_forward", "1");
        forwarding.put("net.ipv6.conf.all.forwarding", "1");
        Netns.sysctl(ns, forwarding);
        Path conf = state.privateDir(DIR_PART).resolve("tayga.conf");
        try {
            Files.write(conf, (String.join("\n", config(s)) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new LabException("cannot write " + conf + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", ns));
        // A lab kept with --keep, or whose JVM was killed, leaves TAYGA writing into a pipe nobody
        // reads: with SIGPIPE ignored a write fails instead of ending the gateway.
        Prerequisites.which("env").ifPresent(e -> cmd.addAll(List.of(e.toString(), "--ignore-signal=PIPE")));
        // TAYGA writes its log with stdio: line-buffered, so that the lab sees each line as it comes.
        Prerequisites.which("stdbuf").ifPresent(b -> cmd.addAll(List.of(b.toString(), "-oL")));
        cmd.addAll(List.of(tayga.toString(), "-d", "-c", conf.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start tayga: " + e.getMessage(), e);
        }
        state.recordProcess(p.toHandle(), "tayga (NAT64 gateway)");
        Nat64Gateway g = new Nat64Gateway(p);
        try {
            // TAYGA prints its dynamic pool after it has made the tun device.
            if (!g.ready.await(10, TimeUnit.SECONDS) || !p.isAlive()) {
                g.close();
                throw new LabException("tayga did not start: " + String.join(" ", cmd) + "\n  " + String.join("\n  ", g.log()));
            }
        } catch (InterruptedException e) {
            g.close();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting tayga", e);
        }
        Netns.batch(ns, List.of("link set " + TUN + " up", "route add " + s.pool() + " dev " + TUN,
                "route add " + s.prefix() + " dev " + TUN));
        for (Topology.Host h : t.hosts()) {
            List<String> routes = new ArrayList<>();
            if (h.stack().hasIpv6()) routes.add("route add " + s.prefix() + " via " + s.ipv6());
            if (h.stack().hasIpv4()) routes.add("route add " + s.pool() + " via " + s.ipv4());
            Netns.batch(names.namespace(h.name()), routes);
        }
        if (out != null) out.println("lab: tayga translates " + s.prefix() + " to pool " + s.pool() + " in " + ns);
        return g;
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (log) {
                    log.addLast(line);
                    while (log.size() > LOG_LINES) log.removeFirst();
                }
                if (line.startsWith("Dynamic pool:")) ready.countDown();
            }
        } catch (IOException e) {
            // tayga ended
        }
        ready.countDown();
    }

    /** What TAYGA printed (its settings, then one line per dynamic mapping it makes). */
    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Ends TAYGA (SIGTERM, then SIGKILL); its tun device goes with its descriptor. */
    @Override
    public void close() {
        process.destroy();
        Commands.awaitOrKill(process, 2);
    }
}
