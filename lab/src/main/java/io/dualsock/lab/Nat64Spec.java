package io.dualsock.lab;

import io.dualsock.Nat64;

/**
 * The topology's NAT64 (field {@code nat64}): the prefix IPv4 addresses are embedded in (RFC
 * 6052, any of the six lengths) and the IPv4 pool the gateway translates to. The lab's DNS64
 * ({@code dns64: true} hosts) synthesizes AAAA records under {@link #prefix()}.
 *
 * @param prefix {@code inet_ntop} text, a slash and the length ({@code 2001:db8:6464::/96})
 * @param pool the gateway's IPv4 pool (CIDR text), or null when the topology leaves it to the lab
 */
public record Nat64Spec(String prefix, String pool) {
    public Nat64Spec {
        if (prefix == null) throw new TopologyException("nat64.prefix: missing");
        try {
            prefix = Nat64.parse(prefix).toString();
        } catch (IllegalArgumentException e) {
            throw new TopologyException("nat64.prefix: " + e.getMessage());
        }
    }

    /** The prefix as the API's {@link Nat64}, allowing the lab's non-global IPv4 addresses. */
    public Nat64 nat64() {
        return Nat64.parse(prefix).permitNonGlobal();
    }
}
