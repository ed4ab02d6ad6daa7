package io.dualsock.cli.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dualsock.lab.LabException;
import io.dualsock.lab.Prerequisites;
import io.dualsock.lab.Stack;
import io.dualsock.lab.ThrowawayHost;

/**
 * The comparison's lab host for name lookups: a {@link ThrowawayHost} of the chosen stack whose
 * {@code /etc/hosts} is {@link #LAB_HOSTS}, so that {@code AI_ADDRCONFIG} sees that stack's
 * addresses and no query can leave the machine. Every command given to {@link #wrap} runs in it.
 * Each cache demonstration gets a host of its own ({@link #hostsCopy}), because it rewrites
 * its {@code /etc/hosts}. The lab makes, records and removes them like all its namespaces.
 */
public final class Sandbox implements AutoCloseable {

    /** The lab's name table: one name per situation the comparison wants to show. */
    public static final String LAB_HOSTS = """
            127.0.0.1 localhost
            ::1 localhost ip6-localhost ip6-loopback
            198.51.100.10 ds-dual.lab
            2001:db8::10 ds-dual.lab
            198.51.100.11 ds-v4.lab
            2001:db8::11 ds-v6.lab
            ::ffff:198.51.100.12 ds-mapped.lab
            198.51.100.13 ds-dup.lab
            198.51.100.13 ds-dup.lab
            198.51.100.14 xn--bcher-kva.lab
            """;

    /**
     * An internationalised name: the table lists only its IDNA form {@code xn--bcher-kva.lab}, so
     * it resolves only when someone converts it (libc with AI_IDN in a UTF-8 locale, or
     * {@code java.net.IDN.toASCII}).
     */
    public static final String IDN_NAME = "b\u00fccher.lab";

    /** The lab names, in the order reports list them. */
    public static final List<String> LAB_NAMES = List.of("ds-dual.lab", "ds-v4.lab", "ds-v6.lab", "ds-mapped.lab",
            "ds-dup.lab");

    private final Stack stack;
    private final ThrowawayHost host;
    /** The cache demonstrations' hosts, by the hosts file each rewrites. */
    private final Map<Path, ThrowawayHost> copies = new LinkedHashMap<>();

    private Sandbox(Stack stack) {
        this.stack = stack;
        this.host = ThrowawayHost.create(stack, LAB_HOSTS);
    }

    /**
     * A lab host with that stack.
     *
     * @throws IllegalStateException with {@link #unavailableReason()} when it cannot be made
     *         here, or what failed when the lab could not make it
     */
    public static Sandbox create(Stack stack) {
        String why = unavailableReason();
        if (why != null) throw new IllegalStateException(why);
        try {
            return new Sandbox(stack);
        } catch (LabException e) {
            throw new IllegalStateException("the lab namespace: " + e.getMessage(), e);
        }
    }

    /** Null when lab namespaces can be made here, else what is missing. */
    public static String unavailableReason() {
        List<String> missing = Prerequisites.missingForNamespaces();
        return missing.isEmpty() ? null : "the lab namespace needs " + String.join("; ", missing);
    }

    public Stack stack() {
        return stack;
    }

    /**
     * A host of its own for a child that rewrites its name table (the cache demonstration):
     * returns the file that child sees as {@code /etc/hosts}; {@link #wrap(List, Path)} runs
     * commands there.
     */
    public Path hostsCopy() {
        ThrowawayHost copy;
        try {
            copy = ThrowawayHost.create(stack, LAB_HOSTS);
        } catch (LabException e) {
            throw new IllegalStateException("the lab namespace: " + e.getMessage(), e);
        }
        copies.put(copy.hostsFile(), copy);
        return copy.hostsFile();
    }

    /** The command, run in the lab host whose /etc/hosts is the shared name table. */
    public List<String> wrap(List<String> command) {
        return host.command(command);
    }

    /** The command, run in the lab host whose /etc/hosts is hostsFile (from {@link #hostsCopy}). */
    public List<String> wrap(List<String> command, Path hostsFile) {
        ThrowawayHost copy = copies.get(hostsFile);
        if (copy == null) throw new IllegalArgumentException(hostsFile + " is not a hosts file of this sandbox");
        return copy.command(command);
    }

    /** A one-line description for report headers. */
    public String describe() {
        String lo = switch (stack) {
            case DUAL -> "dual-stack (" + ThrowawayHost.IPV4 + " and " + ThrowawayHost.IPV6 + " on lo)";
            case IPV4_ONLY -> "IPv4-only (" + ThrowawayHost.IPV4 + " on lo, no IPv6 address but ::1)";
            case IPV6_ONLY -> "IPv6-only (" + ThrowawayHost.IPV6 + " on lo, no IPv4 address but 127.0.0.1)";
        };
        return "lab namespace (ip netns): " + lo + "; /etc/hosts = the lab table; nsswitch hosts: files; empty resolv.conf";
    }

    @Override
    public void close() {
        List<ThrowawayHost> all = new ArrayList<>(copies.values());
        all.add(host);
        RuntimeException first = null;
        for (ThrowawayHost h : all) {
            try {
                h.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
