package io.dualsock.cli.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.dualsock.Inet6SockAddr;
import io.dualsock.Nat64;
import io.dualsock.SockAddr;
import io.dualsock.lab.Family;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Nat64Spec;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;

/**
 * The NAT64 rows of {@code dualsock matrix --nat64}: Figure 12.5's servers seen from an
 * IPv6-only host behind the lab's NAT64 gateway, plus a column that addresses the IPv4-only
 * server by its IPv4 literal (docs/nat64.md). A destination inside the topology's NAT64 prefix
 * is IPv6 at the client and IPv4 at the server: the evidence is held to that.
 */
public final class Nat64Rows {
    private Nat64Rows() {}

    /** The built-in topology's resource, next to this class. */
    public static final String RESOURCE = "nat64.json";

    /** The built-in topology's file text. */
    public static String json() {
        try (InputStream in = Nat64Rows.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in topology ({@value #RESOURCE}). */
    public static Topology topology() {
        return TopologyJson.parse(json(), RESOURCE);
    }

    /** The NAT64 prefix that holds this address in this topology, or null (no gateway, IPv4, mapped, outside). */
    static Nat64 prefixOf(Topology t, String address) {
        Nat64Spec spec = t.nat64();
        if (spec == null || !spec.gateway() || address == null) return null;
        try {
            SockAddr a = SockAddr.parse(address, 0);
            Nat64 n = spec.nat64();
            return a instanceof Inet6SockAddr && n.contains(a) ? n : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The IP version that reaches the server host for this destination: the address's own, but
     * IPv4 for an address inside the topology's NAT64 prefix (the gateway translates it).
     */
    public static Family onTheWire(Topology t, Lookup.Resolved target) {
        return prefixOf(t, target.address()) != null ? Family.IPV4 : target.onTheWire();
    }

    /** {@code 2001:db8:6464::c633:640b (NAT64 of 198.51.100.11)}, or the address as it is. */
    static String label(Topology t, String address) {
        Nat64 n = prefixOf(t, address);
        return n == null ? address : n.label(SockAddr.parse(address, 0));
    }

    /**
     * The sentence a cell of the NAT64 rows adds to its explanation: the translation the
     * successful attempt went through, or why a plain client cannot reach an IPv4 literal from an
     * IPv6-only host; null for cells of other topologies.
     */
    static String explain(Topology t, Topology.Client c, MatrixReport.Cell cell) {
        if (t.nat64() == null) return null;
        for (MatrixReport.Attempt a : cell.attempts()) {
            if (a.ok() && prefixOf(t, a.destination().address()) != null) {
                return " " + label(t, a.destination().address()) + " lies in the NAT64 prefix " + t.nat64().prefix()
                        + ": the gateway translated it to IPv4 and the server saw " + a.serverPeer()
                        + (a.serverPeer() != null && inPool(t, a.serverPeer()) ? ", an address of the pool " + t.nat64().pool() : "")
                        + ".";
            }
        }
        boolean literal = cell.lookup().name() != null && isIpv4Literal(cell.lookup().name());
        if (literal && !t.host(c.host()).stack().hasIpv4()) {
            return " An IPv4 literal never passes through DNS64 and this host has no IPv4 route; only a client that"
                    + " synthesizes the address under the NAT64 prefix itself (RFC 8305 §7, io.dualsock.Nat64) can reach it.";
        }
        return null;
    }

    private static boolean inPool(Topology t, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return colon > 0 && t.nat64().inPool(endpoint.substring(0, colon));
    }

    private static boolean isIpv4Literal(String s) {
        try {
            return !(SockAddr.parse(s, 0) instanceof Inet6SockAddr);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
