package io.dualsock.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
final class Nat64Gateway extends DaemonProcess {
    /** TAYGA's tun device, inside the gateway's namespace. */
    static final String TUN = Topology.PREFIX + Nat64Spec.HOST;
    private static final int LOG_LINES = 500;
    /** The part of its configuration directory's name ({@link LabNames#dir}): {@code ds-<lab id>-tayga}. */
    static final String DIR_PART = "tayga";

    private Nat64Gateway(List<String> cmd, LabState state) {
        // TAYGA prints its dynamic pool after it has made the tun device.
        super(cmd, "tayga (NAT64 gateway)", "Dynamic pool:", LOG_LINES, state);
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
        Nat64Gateway g = new Nat64Gateway(cmd, state);
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
}
