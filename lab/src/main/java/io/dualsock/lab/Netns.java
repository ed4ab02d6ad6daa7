package io.dualsock.lab;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code ip}/{@code sysctl} commands the lab runs. Every command names its namespace
 * ({@code ip -n NS}, {@code ip netns exec NS}); none runs in the root namespace except
 * {@code ip netns add/del/pids}, which only manage the names under {@code /run/netns}.
 */
final class Netns {
    private Netns() {}

    /** Where iproute2 keeps the namespace handles. */
    static final Path RUN_NETNS = Path.of("/run/netns");
    /** Where {@code ip netns exec} finds the per-namespace files it bind-mounts over /etc. */
    static final Path ETC_NETNS = Path.of("/etc/netns");

    /** Absolute paths, so that the lab does not depend on root's PATH holding the sbin directories. */
    static final String IP = Prerequisites.which("ip").map(Object::toString).orElse("ip");
    static final String SYSCTL = Prerequisites.which("sysctl").map(Object::toString).orElse("sysctl");

    /** The namespaces under {@code /run/netns} whose name starts with {@code prefix}. */
    static List<String> listWithPrefix(String prefix) {
        if (!Files.isDirectory(RUN_NETNS)) return List.of();
        try (java.util.stream.Stream<Path> s = Files.list(RUN_NETNS)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (java.io.IOException e) {
            throw new LabException("cannot list " + RUN_NETNS + ": " + e.getMessage(), e);
        }
    }

    static boolean exists(String ns) {
        return Files.exists(RUN_NETNS.resolve(ns));
    }

    static void add(String ns) {
        check(ns);
        Commands.run(List.of(IP, "netns", "add", ns)).orThrow();
    }

    /** Deletes the namespace name; a namespace that is already gone is fine. */
    static void delete(String ns) {
        check(ns);
        if (!exists(ns)) return;
        ExecResult r = Commands.run(List.of(IP, "netns", "delete", ns));
        if (!r.ok() && exists(ns)) r.orThrow();
    }

    /** PIDs of the processes whose network namespace is this one ({@code ip netns pids}). */
    static List<Long> pids(String ns) {
        check(ns);
        if (!exists(ns)) return List.of();
        ExecResult r = Commands.run(List.of(IP, "netns", "pids", ns));
        List<Long> out = new ArrayList<>();
        if (!r.ok()) return out;
        for (String line : r.stdout().split("\\s+")) {
            if (!line.isBlank()) {
                try {
                    out.add(Long.parseLong(line.trim()));
                } catch (NumberFormatException ignored) {
                    // not a pid: ignore
                }
            }
        }
        return out;
    }

    /**
     * Runs {@code ip -n NS -batch -} with one command per line (no shell: ip splits the words).
     * The words come from a validated topology, so none contains white space.
     */
    static void batch(String ns, List<String> lines) {
        check(ns);
        for (String l : lines) {
            if (l.indexOf('\n') >= 0 || l.indexOf('"') >= 0 || l.indexOf('\\') >= 0 || l.indexOf('#') >= 0) {
                throw new IllegalArgumentException("unsafe ip batch line: " + l);
            }
        }
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Commands.run(List.of(IP, "-n", ns, "-batch", "-"), Duration.ofSeconds(20), in).orThrow();
    }

    /** Sets network sysctls inside the namespace ({@code /proc/sys/net} is per network namespace). */
    static void sysctl(String ns, Map<String, String> values) {
        check(ns);
        List<String> cmd = new ArrayList<>(List.of(IP, "netns", "exec", ns, SYSCTL, "-q", "-w"));
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith("net.")) throw new IllegalArgumentException("not a per-namespace sysctl: " + e.getKey());
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        Commands.run(cmd).orThrow();
    }

    static void check(String ns) {
        if (!ns.startsWith(Topology.PREFIX) || !ns.matches("[a-z0-9-]{4,60}")) {
            throw new IllegalArgumentException("not a lab namespace name: " + ns);
        }
    }
}
