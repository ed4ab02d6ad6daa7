package io.dualsock.cli.compare;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.dualsock.AddrInfo;
import io.dualsock.Names;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;

/**
 * What libc's {@code getaddrinfo(3)} answered to one variant, entry by entry, in libc's order.
 *
 * @param host the name or literal asked
 * @param service the service asked, or null
 * @param variant {@link LibcVariant#label()}
 * @param entries every entry libc returned, duplicates included
 * @param error the {@code EAI_*} name when getaddrinfo failed, else null
 * @param errorText {@code gai_strerror} text when it failed
 * @param order for every adjacent pair of the distinct addresses, the address selection rule
 *     that put the first one first, replayed where libc was asked ({@link OrderStep#of})
 */
public record LibcLookup(String host, String service, String variant, List<Entry> entries, String error,
        String errorText, List<OrderStep> order) {

    public LibcLookup {
        entries = entries == null ? List.of() : List.copyOf(entries);
        order = order == null ? List.of() : List.copyOf(order);
    }

    /**
     * One {@code struct addrinfo}.
     *
     * @param family {@code AF_INET}/{@code AF_INET6}
     * @param socktype {@code SOCK_STREAM}/{@code SOCK_DGRAM}/{@code SOCK_RAW}
     * @param address as {@code inet_ntop(3)} prints it ({@code ::ffff:127.0.0.1})
     * @param port the port from the service, 0 without one
     * @param v4Mapped true for an IPv4-mapped IPv6 address
     * @param canonName {@code ai_canonname} or null
     */
    public record Entry(String family, String socktype, String address, int port, boolean v4Mapped, String canonName) {
        /** {@code AF_INET6 ::1}: the identity used when comparing with the JDK. */
        public String key() {
            return family + " " + address;
        }
    }

    public boolean ok() {
        return error == null;
    }

    /** The distinct addresses in order of first appearance (what the JDK would keep). */
    public List<String> distinctKeys() {
        Set<String> s = new LinkedHashSet<>();
        for (Entry e : entries) s.add(e.key());
        return new ArrayList<>(s);
    }

    /** Calls getaddrinfo in this process. */
    public static LibcLookup run(String host, String service, LibcVariant v) {
        try {
            List<AddrInfo> res = Resolver.getaddrinfo(host, service, v.hints());
            List<Entry> out = new ArrayList<>(res.size());
            for (AddrInfo ai : res) {
                SockAddr a = ai.address();
                out.add(new Entry(Names.family(ai.family()), Names.socktype(ai.socktype()),
                        a == null ? "?" : a.address(), a == null ? 0 : a.port(), ai.isV4Mapped(), ai.canonicalName()));
            }
            List<SockAddr> distinct = new ArrayList<>();
            for (AddrInfo ai : res) if (ai.address() != null && !distinct.contains(ai.address())) distinct.add(ai.address());
            return new LibcLookup(host, service, v.label(), out, null, null, OrderStep.of(distinct));
        } catch (ResolverException e) {
            String text = io.dualsock.bindings.Errors.gaiStrerror(e.code())
                    + (e.errnoName() != null ? " (" + e.errnoName() + ")" : "");
            return new LibcLookup(host, service, v.label(), List.of(), e.codeName(), text, List.of());
        }
    }

    /** Every standard variant for one host. */
    public static List<LibcLookup> runAll(String host, String service) {
        List<LibcLookup> out = new ArrayList<>();
        for (LibcVariant v : LibcVariant.standard()) out.add(run(host, service, v));
        return out;
    }
}
