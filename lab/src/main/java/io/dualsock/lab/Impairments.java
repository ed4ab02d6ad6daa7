package io.dualsock.lab;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A host's path impairments ({@link Topology.PathState}) as nftables rules in its own namespace:
 * an {@code inet ds_impair} table whose input chain drops TCP and UDP to the host's addresses
 * of a blackholed family. The table goes away with the namespace; nothing touches the root
 * namespace. ARP, neighbour discovery and ICMP pass, so a drop is a silent drop, never a refusal
 * and never an unreachable neighbour.
 */
final class Impairments {
    static final String NFT = Prerequisites.which("nft").map(Object::toString).orElse("nft");

    private Impairments() {}

    /** True when the host needs nftables. */
    static boolean needed(Topology.Host h) {
        return h.ipv4Path() != Topology.PathState.OPEN || h.ipv6Path() != Topology.PathState.OPEN;
    }

    /** The nft script for a host, or null when its paths are open. */
    static String script(Topology.Host h) {
        if (!needed(h)) return null;
        List<String> rules = new ArrayList<>();
        if (h.ipv4Path() == Topology.PathState.BLACKHOLE) {
            for (String a : addresses(h, false)) rules.add("ip daddr " + a + " meta l4proto { tcp, udp } drop");
        }
        if (h.ipv6Path() == Topology.PathState.BLACKHOLE) {
            for (String a : addresses(h, true)) rules.add("ip6 daddr " + a + " meta l4proto { tcp, udp } drop");
        }
        StringBuilder sb = new StringBuilder("table inet ds_impair {\n  chain input {\n")
                .append("    type filter hook input priority 0; policy accept;\n");
        for (String r : rules) sb.append("    ").append(r).append(";\n");
        return sb.append("  }\n}\n").toString();
    }

    private static List<String> addresses(Topology.Host h, boolean six) {
        List<String> out = new ArrayList<>();
        String main = six ? h.ipv6() : h.ipv4();
        if (main != null) out.add(main);
        for (Topology.Address a : h.addresses()) if (a.ipv6() == six) out.add(a.address());
        return out;
    }

    /**
     * Replaces the host's rules in one nft transaction (a running lab's {@link Impairment}):
     * the table is made if missing, deleted, and made again when some path is impaired.
     */
    static void replace(Topology.Host h, String namespace) {
        String script = script(h);
        run(h, namespace, "table inet ds_impair {}\ndelete table inet ds_impair\n" + (script == null ? "" : script));
    }

    /** Loads the host's rules with {@code ip netns exec <namespace> nft -f -}. */
    static void apply(Topology.Host h, String namespace) {
        String script = script(h);
        if (script == null) return;
        run(h, namespace, script);
    }

    private static void run(Topology.Host h, String namespace, String script) {
        if (Prerequisites.which("nft").isEmpty()) {
            throw new LabException("host " + h.name() + ": ipv4_path/ipv6_path need nftables (apt-get install nftables)");
        }
        Netns.check(namespace);
        Commands.run(List.of(Netns.IP, "netns", "exec", namespace, NFT, "-f", "-"), Duration.ofSeconds(20),
                script.getBytes(StandardCharsets.UTF_8)).orThrow();
    }
}
