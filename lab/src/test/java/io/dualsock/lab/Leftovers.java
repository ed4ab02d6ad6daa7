package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** What `ip netns list`, /etc/netns, the root namespace's links and the lab records say about labs' names. */
public final class Leftovers {
    private Leftovers() {}

    /** Every namespace the {@code n}-th lab of process {@code pid} makes of this topology (hosts, bridge, dns). */
    public static List<String> namespacesOf(Topology t, long pid, int n) {
        LabNames names = LabNames.of(pid, n);
        List<String> ns = new ArrayList<>();
        for (Topology.Host h : t.hosts()) ns.add(names.namespace(h.name()));
        ns.add(names.namespace("bridge"));
        ns.add(names.namespace(DnsServer.HOST));
        return ns;
    }

    /** The prefix of the namespaces of the {@code n}-th lab of process {@code pid}. */
    public static String prefixOf(long pid, int n) {
        return LabNames.of(pid, n).prefix();
    }

    public static List<String> ipNetnsList() {
        ExecResult r = Commands.run(List.of(Netns.IP, "netns", "list")).orThrow();
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) out.add(line.trim().split("\\s+")[0]);
        }
        return out;
    }

    /** These namespaces are gone from `ip netns list` and /etc/netns, and no record names them. */
    public static void assertNone(Collection<String> namespaces) {
        List<String> listed = ipNetnsList();
        String records = records();
        for (String ns : namespaces) {
            assertFalse(listed.contains(ns), "ip netns list still shows " + ns + ": " + listed);
            assertFalse(Files.exists(Netns.ETC_NETNS.resolve(ns)), "/etc/netns/" + ns + " still exists");
            assertFalse(records.contains("\"" + ns + "\""), "a lab record still names " + ns + ": " + records);
        }
    }

    /**
     * Nothing of any lab is left: no namespace or /etc/netns entry with the lab prefix, no
     * lab record, no link named like a lab's in the root namespace. Only for tests that know no
     * other lab runs (they hold the lab tests' lock).
     */
    public static void assertNoLab() {
        List<String> ns = ipNetnsList().stream().filter(n -> n.startsWith(Topology.PREFIX)).toList();
        assertEquals(List.of(), ns, "lab namespaces are left");
        try {
            assertEquals(List.of(), etcNetnsEntries(), "/etc/netns entries are left");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals("", records(), "lab records are left");
        assertEquals(List.of(), rootLinks(), "links of the lab in the root namespace");
    }

    /** Links of the root namespace whose name starts with the lab prefix (there should never be one). */
    public static List<String> rootLinks() {
        ExecResult r = Commands.run(List.of(Netns.IP, "-o", "link", "show")).orThrow();
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1 && f[1].startsWith(Topology.PREFIX)) out.add(f[1]);
        }
        return out;
    }

    /** The text of every lab record under /run/dualsock-lab, one after another; empty when there is none. */
    public static String records() {
        if (!Files.isDirectory(LabState.DIR)) return "";
        StringBuilder sb = new StringBuilder();
        try (var s = Files.list(LabState.DIR)) {
            for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    sb.append(Files.readString(p));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // removed while we listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    public static void assertAll(Collection<String> namespaces) {
        List<String> listed = ipNetnsList();
        for (String ns : namespaces) assertTrue(listed.contains(ns), ns + " missing from " + listed);
    }

    /** /etc/netns entries named like the lab's. */
    public static List<String> etcNetnsEntries() throws IOException {
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
