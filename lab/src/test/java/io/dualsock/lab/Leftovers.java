package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** What `ip netns list` and /etc/netns say about a lab's names. */
public final class Leftovers {
    private Leftovers() {}

    /** Every namespace a lab of this topology makes (hosts, bridge, dns). */
    public static List<String> namespacesOf(Topology t) {
        List<String> ns = new ArrayList<>();
        for (Topology.Host h : t.hosts()) ns.add(h.namespace());
        ns.add(Topology.PREFIX + "bridge");
        ns.add(Topology.PREFIX + "dns");
        if (t.nat64() != null && t.nat64().gateway()) ns.add(Topology.PREFIX + Nat64Spec.HOST);
        return ns;
    }

    public static List<String> ipNetnsList() {
        ExecResult r = Commands.run(List.of(Netns.IP, "netns", "list")).orThrow();
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) out.add(line.trim().split("\\s+")[0]);
        }
        return out;
    }

    public static void assertNone(Collection<String> namespaces) {
        List<String> listed = ipNetnsList();
        for (String ns : namespaces) {
            assertFalse(listed.contains(ns), "ip netns list still shows " + ns + ": " + listed);
            assertFalse(Files.exists(Netns.ETC_NETNS.resolve(ns)), "/etc/netns/" + ns + " still exists");
        }
        assertFalse(Files.exists(LabState.STATE), LabState.STATE + " still exists");
        assertFalse(Files.exists(LabState.FILES), LabState.FILES + " still exists");
    }

    /** No TAYGA tun device in the root namespace, and no tayga process in a lab namespace's name. */
    public static void assertNoTun() {
        ExecResult r = Commands.run(List.of(Netns.IP, "-o", "link", "show", "type", "tun"));
        assertFalse(r.stdout().contains(Nat64Gateway.TUN), "a tun device " + Nat64Gateway.TUN + " is left: " + r.stdout());
        assertFalse(ipNetnsList().contains(Topology.PREFIX + Nat64Spec.HOST), "the gateway's namespace is left");
    }

    public static void assertAll(Collection<String> namespaces) {
        List<String> listed = ipNetnsList();
        for (String ns : namespaces) assertTrue(listed.contains(ns), ns + " missing from " + listed);
    }

    /** /etc/netns entries named like the lab's. */
    public static List<String> etcNetnsEntries() throws java.io.IOException {
        Path d = Netns.ETC_NETNS;
        if (!Files.isDirectory(d)) return List.of();
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(Topology.PREFIX)).sorted().toList();
        }
    }

    public static void assertEqualsSorted(List<String> expected, List<String> actual) {
        String[] e = expected.toArray(new String[0]);
        String[] a = actual.toArray(new String[0]);
        Arrays.sort(e);
        Arrays.sort(a);
        assertEquals(List.of(e), List.of(a));
    }
}
