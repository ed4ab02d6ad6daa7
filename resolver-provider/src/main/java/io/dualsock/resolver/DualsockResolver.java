package io.dualsock.resolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NiFlag;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;

/**
 * {@link InetAddressResolver} on libc: {@code getaddrinfo(3)} for names, {@code getnameinfo(3)}
 * for addresses, both through {@link Resolver}. Thread-safe, no state but two counters.
 *
 * <p>Rules (the README of the module says why):
 * <ul>
 *   <li>family from the {@link LookupPolicy}: {@code IPV4|IPV6} → {@code AF_UNSPEC},
 *       {@code IPV4} → {@code AF_INET}, {@code IPV6} → {@code AF_INET6}; flags
 *       {@code AI_ADDRCONFIG} (and {@code AI_V4MAPPED} with {@code AF_UNSPEC}, as getent ahosts asks); socket type 0, one {@code InetAddress} per distinct address in
 *       the order of its first appearance;</li>
 *   <li>order: libc's (RFC 6724, {@code /etc/gai.conf}), unless {@code java.net.preferIPv6Addresses}
 *       is {@code true} or {@code false}: then the policy's {@code IPV4_FIRST}/{@code IPV6_FIRST} is applied as a stable
 *       partition of libc's order (the JDK passes {@code IPV4_FIRST} also when the property is
 *       absent, as its own default, and that default is exactly what this provider replaces);</li>
 *   <li>an IPv4-mapped result ({@code ::ffff:a.b.c.d}) becomes the {@link Inet4Address}
 *       {@code a.b.c.d}, as the JDK makes of the literal, unless the policy asks for IPv6 only;</li>
 *   <li>errors: {@link DualsockUnknownHostException} with the {@code EAI_*} name.</li>
 * </ul>
 */
final class DualsockResolver implements InetAddressResolver {
    private static final AtomicLong NAME_LOOKUPS = new AtomicLong();
    private static final AtomicLong ADDRESS_LOOKUPS = new AtomicLong();

    /**
     * getent ahosts' hints, AF_UNSPEC + AI_V4MAPPED|AI_ADDRCONFIG. AI_V4MAPPED is no request for
     * mapped addresses with AF_UNSPEC, but glibc reads it when AI_ADDRCONFIG narrows the query to
     * AF_INET6 on a host without IPv4: a mapped line of the hosts file is then dropped, not handed
     * to a host that cannot reach it (seen in ResolverProviderLabTest's IPv6-only host).
     */
    private static final Hints UNSPEC = Hints.builder().unspec().flags(AiFlag.V4MAPPED, AiFlag.ADDRCONFIG).build();
    private static final Hints INET = Hints.builder().inet().flags(AiFlag.ADDRCONFIG).build();
    private static final Hints INET6 = Hints.builder().inet6().flags(AiFlag.ADDRCONFIG).build();

    /** Whether the policy's order characteristics were asked for ({@code java.net.preferIPv6Addresses=true|false}). */
    private final boolean honourOrder;
    private final String preferIPv6;

    /** @param preferIPv6Addresses the value of {@code java.net.preferIPv6Addresses}, or null when unset */
    DualsockResolver(String preferIPv6Addresses) {
        this.preferIPv6 = preferIPv6Addresses;
        // the JDK reads it the same way: true or false (any case) set an order, system sets none,
        // and any other value is its default, IPv4 first, which is not a request
        this.honourOrder = "true".equalsIgnoreCase(preferIPv6Addresses) || "false".equalsIgnoreCase(preferIPv6Addresses);
    }

    /** How results are ordered, for the verbose log line. */
    String orderRule() {
        return honourOrder ? "the JDK's order from java.net.preferIPv6Addresses=" + preferIPv6 + " over libc's"
                : "libc's order";
    }

    /** Tests: how often lookupByName reached libc in this JVM. */
    static long nameLookups() { return NAME_LOOKUPS.get(); }

    /** Tests: how often lookupByAddress reached libc in this JVM. */
    static long addressLookups() { return ADDRESS_LOOKUPS.get(); }

    /**
     * {@code getaddrinfo(host, NULL, {family from policy, AI_ADDRCONFIG}, &res)}.
     *
     * @throws DualsockUnknownHostException for every {@code EAI_*} error (with its name), or for
     *     a host libc cannot be given (a NUL character, more than {@link Resolver#MAX_NAME_BYTES})
     */
    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(policy, "policy");
        int c = policy.characteristics();
        boolean v4 = (c & LookupPolicy.IPV4) != 0;
        boolean v6 = (c & LookupPolicy.IPV6) != 0;
        Hints hints = v4 && v6 ? UNSPEC : v4 ? INET : INET6;
        List<AddrInfo> answer;
        NAME_LOOKUPS.incrementAndGet();
        try {
            answer = Resolver.getaddrinfo(host, null, hints);
        } catch (ResolverException e) {
            throw DualsockUnknownHostException.of(host, e);
        } catch (IllegalArgumentException e) {
            throw new DualsockUnknownHostException(host, "getaddrinfo", null, 0, e.getMessage(), e);
        }
        List<InetAddress> out = toInetAddresses(host, answer, v4);
        return order(out, honourOrder ? c : 0).stream();
    }

    /**
     * {@code getnameinfo(sa, salen, host, NI_MAXHOST, NULL, 0, NI_NAMEREQD)}.
     *
     * @param addr 4 bytes (IPv4) or 16 (IPv6), network byte order
     * @throws DualsockUnknownHostException when the address has no name ({@code EAI_NONAME}) or
     *     the lookup failed otherwise
     * @throws IllegalArgumentException when addr is neither 4 nor 16 bytes long
     */
    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        Objects.requireNonNull(addr, "addr");
        SockAddr sa = switch (addr.length) {
            case 4 -> new Inet4SockAddr(addr, 0);
            case 16 -> new Inet6SockAddr(addr, 0, 0, 0);
            default -> throw new IllegalArgumentException("an address is 4 or 16 bytes long, not " + addr.length);
        };
        ADDRESS_LOOKUPS.incrementAndGet();
        try {
            return Resolver.getnameinfo(sa, NiFlag.of(NiFlag.NAMEREQD)).host();
        } catch (ResolverException e) {
            throw DualsockUnknownHostException.of(sa.address(), e);
        }
    }

    /**
     * libc's entries as InetAddresses carrying the host name, duplicates dropped (libc gives one
     * entry per socket type). A mapped entry becomes an Inet4Address where IPv4 is allowed.
     */
    static List<InetAddress> toInetAddresses(String host, List<AddrInfo> answer, boolean ipv4Allowed) throws UnknownHostException {
        Set<InetAddress> seen = new LinkedHashSet<>();
        for (AddrInfo ai : answer) {
            SockAddr sa = ai.address();
            if (sa instanceof Inet4SockAddr a4) {
                seen.add(InetAddress.getByAddress(host, a4.addressBytes()));
            } else if (sa instanceof Inet6SockAddr a6) {
                if (a6.isV4Mapped() && ipv4Allowed) seen.add(InetAddress.getByAddress(host, a6.v4().addressBytes()));
                // scope id 0 is "none": given as 0, the JDK would print the address with "%0"
                else if (a6.scopeId() != 0) seen.add(Inet6Address.getByAddress(host, a6.addressBytes(), a6.scopeId()));
                // InetAddress.getByAddress would turn a mapped address into an Inet4Address
                else if (a6.isV4Mapped()) seen.add(Inet6Address.getByAddress(host, a6.addressBytes(), -1));
                else seen.add(InetAddress.getByAddress(host, a6.addressBytes()));
            }
        }
        return new ArrayList<>(seen);
    }

    /**
     * libc's order, or with {@code IPV4_FIRST}/{@code IPV6_FIRST} in characteristics the stable
     * partition of it that puts that family first.
     */
    static List<InetAddress> order(List<InetAddress> libcOrder, int characteristics) {
        boolean v4First = (characteristics & LookupPolicy.IPV4_FIRST) != 0;
        boolean v6First = (characteristics & LookupPolicy.IPV6_FIRST) != 0;
        if (v4First == v6First) return libcOrder;
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> rest = new ArrayList<>();
        for (InetAddress a : libcOrder) ((a instanceof Inet4Address) == v4First ? first : rest).add(a);
        first.addAll(rest);
        return first;
    }
}
