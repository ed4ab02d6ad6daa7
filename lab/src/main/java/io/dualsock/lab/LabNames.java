package io.dualsock.lab;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of one lab's namespaces: {@code ds-<id>-<part>}, where the id is
 * {@code <owner pid>-<n>} (the n-th lab that JVM started). Two labs never share a namespace
 * name, in one JVM or across JVMs, so several labs run at once; the cleanup record of a lab
 * only ever names namespaces under its own prefix.
 *
 * <p>Interface names need no lab id: a lab's bridge ({@code ds-br0}) and veths
 * ({@code ds-<host>}) live inside the lab's own bridge namespace, and every host's end is
 * {@code eth0} in the host's namespace, so nothing of one lab is visible to another and none is
 * created in the root namespace. They stay within IFNAMSIZ (15 characters): a host name has
 * at most 12.
 *
 * @param id {@code <pid>-<n>}
 */
record LabNames(String id) {
    private static final Pattern ID = Pattern.compile("[0-9]{1,10}-[0-9]{1,6}");

    LabNames {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("not a lab id: " + id);
    }

    /** The names of the {@code n}-th lab of the process {@code pid}. */
    static LabNames of(long pid, int n) {
        return new LabNames(pid + "-" + n);
    }

    /** {@code ds-<id>-}: every namespace of this lab starts with it. */
    String prefix() {
        return Topology.PREFIX + id + "-";
    }

    /**
     * The namespace of a part of this lab: a host ({@code namespace("a")}), the bridge
     * ({@code "bridge"}), the DNS server ({@code "dns"}), or any namespace a lab feature adds
     * (e.g. {@code "nat64"}). This is the one place a lab namespace is named.
     *
     * @throws IllegalArgumentException when the part is not 1..20 characters {@code [a-z0-9-]}
     */
    String namespace(String part) {
        if (part == null || !part.matches("[a-z0-9][a-z0-9-]{0,19}")) {
            throw new IllegalArgumentException("not a namespace part: " + part);
        }
        return prefix() + part;
    }

    /** The veth in the bridge namespace whose peer is {@code eth0} of the host (at most 15 characters). */
    static String bridgePort(String host) {
        return Topology.PREFIX + host;
    }

    /** Whether {@code ns} is a namespace of this lab (it starts with the prefix and is a valid lab name). */
    boolean owns(String ns) {
        return ns.startsWith(prefix()) && LabState.isLabName(ns);
    }
}
