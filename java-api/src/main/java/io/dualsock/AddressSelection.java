package io.dualsock;

import static io.dualsock.Rtnetlink.Kernel.ARPHRD_SIT;
import static io.dualsock.Rtnetlink.Kernel.ARPHRD_TUNNEL;
import static io.dualsock.Rtnetlink.Kernel.ARPHRD_TUNNEL6;
import static io.dualsock.Rtnetlink.Kernel.IFA_F_DEPRECATED;
import static io.dualsock.Rtnetlink.Kernel.IFA_F_HOMEADDRESS;
import static io.dualsock.Rtnetlink.Kernel.IFA_F_OPTIMISTIC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Destination address selection as glibc's {@code getaddrinfo} does it before it returns
 * (RFC 3484 rules in glibc's {@code rfc3484_sort}, RFC 6724 tables as a second choice): sort a
 * list of destinations, and say for every adjacent pair of the result which rule put the first
 * one first and what it compared. Source addresses are found as glibc finds them
 * ({@link #sources}: a UDP {@code connect(2)} and {@code getsockname(2)} per destination, and
 * rtnetlink for the source's prefix length, interface and deprecated/home flags) or given by
 * the caller. Pure Java apart from {@link #sources}; details in
 * {@code docs/address-selection.md}.
 *
 * <pre>{@code
 * List<SockAddr> dst = List.of(SockAddr.parse("198.51.100.7", 80), SockAddr.parse("2001:db8::7", 80));
 * AddressSelection.Result r = AddressSelection.sort(dst, SelectionPolicy.glibc());   // sources looked up
 * r.steps().get(0);   // 2001:db8::7 before 198.51.100.7: rule 6, prefer higher precedence (40 vs 10)
 * }</pre>
 */
public final class AddressSelection {
    private AddressSelection() {}

    /** The rules, in the order glibc (and RFC 6724 §6) applies them. */
    public enum Rule {
        /** Rule 1: a destination without a source address goes last. */
        AVOID_UNUSABLE("avoid unusable destinations"),
        /** Rule 2: prefer the destination whose scope equals its source's. */
        MATCHING_SCOPE("prefer matching scope"),
        /** Rule 3: avoid a destination whose source address is deprecated. */
        AVOID_DEPRECATED("avoid deprecated addresses"),
        /** Rule 4: prefer a destination whose source is a home address (Mobile IPv6). */
        HOME_ADDRESS("prefer home addresses"),
        /** Rule 5: prefer the destination whose label equals its source's. */
        MATCHING_LABEL("prefer matching label"),
        /** Rule 6: prefer the destination with the higher precedence in the policy table. */
        HIGHER_PRECEDENCE("prefer higher precedence"),
        /** Rule 7: prefer a destination reached without a tunnel. */
        NATIVE_TRANSPORT("prefer native transport"),
        /** Rule 8: prefer the destination with the smaller scope. */
        SMALLER_SCOPE("prefer smaller scope"),
        /** Rule 9: prefer the destination sharing the longer prefix with its source. */
        LONGEST_PREFIX("use longest matching prefix"),
        /** Rule 10: otherwise leave the two in the order getaddrinfo had them. */
        ORIGINAL_ORDER("otherwise keep the order");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        /** 1..10, as in RFC 6724 §6: the rules are declared in that order. */
        public int number() { return ordinal() + 1; }

        /** "prefer higher precedence". */
        public String description() { return description; }

        @Override
        public String toString() {
            return "rule " + number() + " (" + description + ")";
        }
    }

    /**
     * The source address for one destination, or why there is none.
     *
     * @param address the address {@code getsockname(2)} gave (IPv4 for an IPv4 destination,
     *     {@code ::ffff:a.b.c.d} for a mapped one), null when the destination is unusable
     * @param prefixLength the prefix length of that address on its interface, -1 when unknown
     *     (glibc then uses 0)
     * @param deprecated the address is deprecated (preferred lifetime over) or optimistic
     * @param home the address is a Mobile IPv6 home address
     * @param interfaceIndex the interface the address is on, -1 when unknown
     * @param nativeTransport that interface is not a tunnel (ipip, ip6tnl, sit); false when unknown, as in glibc
     * @param failure why there is no source (the errno name of {@code connect}), null otherwise
     */
    public record Source(SockAddr address, int prefixLength, boolean deprecated, boolean home, int interfaceIndex,
                         boolean nativeTransport, String failure) {
        /**
         * Checks the fields and drops the port of {@code address}.
         *
         * @throws IllegalArgumentException with neither an address nor a failure
         */
        public Source {
            if (address == null && failure == null) throw new IllegalArgumentException("a source needs an address or a failure");
            if (address != null) address = address.withPort(0);
        }

        /** A source given by the caller: nothing known but the address. */
        public static Source of(SockAddr address) {
            return new Source(Objects.requireNonNull(address, "address"), -1, false, false, -1, false, null);
        }

        /** A source given by the caller with its prefix length (-1: unknown) and flags. */
        public static Source of(SockAddr address, int prefixLength, boolean deprecated, boolean home) {
            if (prefixLength < -1 || prefixLength > (address.family() == NativeSocket.AF_INET ? 32 : 128)) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address.address());
            }
            return new Source(Objects.requireNonNull(address, "address"), prefixLength, deprecated, home, -1, false, null);
        }

        /** No source: the destination is unusable ({@code why}: an errno name or a reason). */
        public static Source unusable(String why) {
            return new Source(null, -1, false, false, -1, false, Objects.requireNonNull(why, "why"));
        }

        /**
         * Whether there is a source address.
         *
         * @return true when the destination has a source address (rule 1)
         */
        public boolean usable() {
            return address != null;
        }

        @Override
        public String toString() {
            if (address == null) return "none (" + failure + ")";
            return address.address() + (prefixLength >= 0 ? "/" + prefixLength : "") + (deprecated ? " deprecated" : "")
                    + (home ? " home" : "");
        }
    }

    /**
     * One destination with everything the rules compare.
     *
     * @param position its place in the list as given (rule 10 keeps this order)
     * @param scope the destination's scope (2 link-local, 5 site-local, 14 global, ...)
     * @param sourceScope the source's scope, -1 without a source
     * @param label the destination's label
     * @param sourceLabel the source's label, -1 without a source
     * @param precedence the destination's precedence
     * @param matchingPrefix the common prefix length of destination and source as rule 9 counts
     *     it (glibc: over 128 bits for IPv6, over 32 bits and only inside the source's subnet
     *     for IPv4; RFC 6724: up to the source's prefix length), -1 without a source
     */
    public record Candidate(int position, SockAddr destination, Source source, int scope, int sourceScope, int label,
                            int sourceLabel, int precedence, int matchingPrefix) {
        /**
         * Whether the destination has a source address.
         *
         * @return true when the source is usable (rule 1)
         */
        public boolean usable() {
            return source.usable();
        }

        @Override
        public String toString() {
            return destination.address();
        }
    }

    /**
     * Why {@code first} is before {@code second}.
     *
     * @param rule the first rule that tells them apart
     * @param values what it compared, e.g. {@code "precedence 40 vs 10"}
     * @param agrees false when the rule puts {@code second} first: glibc's comparison is not
     *     transitive (rule 9 compares only destinations of one family, rule 10 the rest), so
     *     its merge sort can leave such a pair next to each other
     */
    public record Step(Candidate first, Candidate second, Rule rule, String values, boolean agrees) {
        @Override
        public String toString() {
            return first + " before " + second + ": " + rule + ", " + values
                    + (agrees ? "" : " -- the rule prefers the second; glibc's sort left them so (the rules are not transitive)");
        }
    }

    /**
     * A sorted list and its explanation.
     *
     * @param input the destinations as given, with their values
     * @param order the destinations in the selected order
     * @param steps one step per adjacent pair of {@code order}
     */
    public record Result(SelectionPolicy policy, List<Candidate> input, List<Candidate> order, List<Step> steps) {
        /** Copies the lists, which are immutable afterwards. */
        public Result {
            input = List.copyOf(input);
            order = List.copyOf(order);
            steps = List.copyOf(steps);
        }

        /** The destinations in the selected order. */
        public List<SockAddr> addresses() {
            return order.stream().map(Candidate::destination).toList();
        }

        /** Why {@code a} and {@code b} (any two of this result) compare as they do. */
        public Step explain(Candidate a, Candidate b) {
            return step(policy, a, b);
        }
    }

    // ------------------------------------------------------------------ sorting

    /**
     * Looks up each destination's source ({@link #sources}) in this thread's network
     * namespace, then {@link #sort(List, List, SelectionPolicy)}.
     */
    public static Result sort(List<? extends SockAddr> destinations, SelectionPolicy policy) throws NativeSocketException {
        return sort(destinations, sources(destinations), policy);
    }

    /**
     * Sorts as glibc 2.36 does: its comparison ({@code rfc3484_sort}) in its merge sort
     * ({@code qsort_r} is a top-down merge sort there), so that where the comparison is not
     * transitive the result is still glibc's.
     *
     * @param sources one per destination, in the same order
     * @throws IllegalArgumentException when the lists differ in length or a source's family
     *     does not fit its destination's
     */
    public static Result sort(List<? extends SockAddr> destinations, List<Source> sources, SelectionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (destinations.size() != sources.size()) {
            throw new IllegalArgumentException(destinations.size() + " destinations but " + sources.size() + " sources");
        }
        List<Candidate> input = new ArrayList<>();
        for (int i = 0; i < destinations.size(); i++) {
            input.add(candidate(policy, i, Objects.requireNonNull(destinations.get(i), "destination"),
                    Objects.requireNonNull(sources.get(i), "source")));
        }
        Candidate[] a = input.toArray(new Candidate[0]);
        msort(a, 0, a.length, new Candidate[a.length], policy);
        List<Candidate> order = List.of(a);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i + 1 < a.length; i++) steps.add(step(policy, a[i], a[i + 1]));
        return new Result(policy, input, order, steps);
    }

    private static Candidate candidate(SelectionPolicy p, int position, SockAddr d, Source s) {
        if (s.usable()) {
            boolean dv4 = d.family() == NativeSocket.AF_INET;
            boolean sv4 = s.address().family() == NativeSocket.AF_INET;
            if (dv4 != sv4) {
                throw new IllegalArgumentException("source " + s.address().address() + " for destination " + d.address()
                        + ": an IPv4 destination takes an IPv4 source, an IPv6 one (mapped too) an IPv6 source");
            }
        }
        return new Candidate(position, d, s, p.scope(d), s.usable() ? p.scope(s.address()) : -1, p.label(d),
                s.usable() ? p.label(s.address()) : -1, p.precedence(d), s.usable() ? matchingPrefix(p, d, s) : -1);
    }

    /** glibc's {@code msort_with_tmp}: halves of n/2 and n - n/2, the left one taken on ties. */
    private static void msort(Candidate[] a, int from, int n, Candidate[] tmp, SelectionPolicy p) {
        if (n <= 1) return;
        int n1 = n / 2;
        int n2 = n - n1;
        msort(a, from, n1, tmp, p);
        msort(a, from + n1, n2, tmp, p);
        int i = from;
        int j = from + n1;
        int k = 0;
        while (n1 > 0 && n2 > 0) {
            if (decide(p, a[i], a[j]) <= 0) {
                tmp[k++] = a[i++];
                n1--;
            } else {
                tmp[k++] = a[j++];
                n2--;
            }
        }
        while (n1-- > 0) tmp[k++] = a[i++];
        System.arraycopy(tmp, 0, a, from, k);
    }

    /** glibc's rfc3484_sort: negative rule number when a goes first, positive when b does. */
    private static int decide(SelectionPolicy p, Candidate a, Candidate b) {
        Source sa = a.source;
        Source sb = b.source;
        if (sa.usable() != sb.usable()) return sa.usable() ? -1 : 1;
        boolean both = sa.usable();
        if (both) {
            boolean ma = a.scope == a.sourceScope;
            boolean mb = b.scope == b.sourceScope;
            if (ma != mb) return ma ? -2 : 2;
            if (sa.deprecated() != sb.deprecated()) return sb.deprecated() ? -3 : 3;
            if (sa.home() != sb.home()) return sa.home() ? -4 : 4;
            boolean la = a.label == a.sourceLabel;
            boolean lb = b.label == b.sourceLabel;
            if (la != lb) return la ? -5 : 5;
        }
        if (a.precedence != b.precedence) return a.precedence > b.precedence ? -6 : 6;
        if (both && sa.interfaceIndex() != sb.interfaceIndex() && sa.nativeTransport() != sb.nativeTransport()) {
            return sa.nativeTransport() ? -7 : 7;
        }
        if (a.scope != b.scope) return a.scope < b.scope ? -8 : 8;
        if (both && sameFamily(p, a.destination, b.destination) && a.matchingPrefix != b.matchingPrefix) {
            return a.matchingPrefix > b.matchingPrefix ? -9 : 9;
        }
        return a.position < b.position ? -10 : 10;
    }

    private static boolean sameFamily(SelectionPolicy p, SockAddr a, SockAddr b) {
        if (p.rules() == SelectionPolicy.Rules.GLIBC) return a.family() == b.family();
        return isV4(a) == isV4(b);
    }

    private static boolean isV4(SockAddr a) {
        return a.family() == NativeSocket.AF_INET || SelectionPolicy.isMapped(a.addressBytes());
    }

    /** Rule 9's number for one destination and its source (see {@link Candidate#matchingPrefix()}). */
    private static int matchingPrefix(SelectionPolicy p, SockAddr d, Source s) {
        if (p.rules() == SelectionPolicy.Rules.RFC6724) {
            byte[] d6 = SelectionPolicy.as6(d);
            byte[] s6 = SelectionPolicy.as6(s.address());
            int cpl = commonPrefix(d6, s6, 128);
            if (s.prefixLength() < 0) return cpl;
            int limit = s.prefixLength() + (isV4(s.address()) ? 96 : 0);
            return Math.min(cpl, limit);
        }
        byte[] db = d.addressBytes();
        byte[] sb = s.address().addressBytes();
        if (db.length == 16) return commonPrefix(db, sb, 128);
        int dst = toInt(db);
        int src = toInt(sb);
        // glibc: 0xffffffffu << (32 - prefixlen). With prefixlen 0 (the source is not in its
        // interface list: a host without IPv6) the shift count is 32, which x86 and arm64 take
        // modulo 32 -- as Java's << does: the mask is all ones and only src == dst counts.
        int prefixLength = Math.max(s.prefixLength(), 0);
        int mask = -1 << (32 - prefixLength);
        if ((src & mask) != (dst & mask)) return 0;
        return Integer.numberOfLeadingZeros(dst ^ src);
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static int commonPrefix(byte[] a, byte[] b, int max) {
        int n = 0;
        for (int i = 0; i < 16 && n < max; i++) {
            int x = (a[i] ^ b[i]) & 0xff;
            if (x == 0) {
                n += 8;
            } else {
                n += Integer.numberOfLeadingZeros(x) - 24;
                break;
            }
        }
        return Math.min(n, max);
    }

    private static Step step(SelectionPolicy p, Candidate a, Candidate b) {
        int d = decide(p, a, b);
        int n = Math.abs(d);
        Rule rule = Rule.values()[n - 1];
        String values = switch (rule) {
            case AVOID_UNUSABLE -> "source " + a.source + " vs " + b.source;
            case MATCHING_SCOPE -> "scope " + a.scope + "/" + a.sourceScope + " vs " + b.scope + "/" + b.sourceScope
                    + " (destination/source)";
            case AVOID_DEPRECATED -> "source " + a.source + " vs " + b.source;
            case HOME_ADDRESS -> "source " + a.source + " vs " + b.source;
            case MATCHING_LABEL -> "label " + a.label + "/" + a.sourceLabel + " vs " + b.label + "/" + b.sourceLabel
                    + " (destination/source)";
            case HIGHER_PRECEDENCE -> "precedence " + a.precedence + " vs " + b.precedence;
            case NATIVE_TRANSPORT -> "interface " + a.source.interfaceIndex() + (a.source.nativeTransport() ? " native" : " tunnel")
                    + " vs " + b.source.interfaceIndex() + (b.source.nativeTransport() ? " native" : " tunnel");
            case SMALLER_SCOPE -> "scope " + a.scope + " vs " + b.scope;
            case LONGEST_PREFIX -> "common prefix " + a.matchingPrefix + " vs " + b.matchingPrefix + " bits (with "
                    + a.source.address().address() + ", " + b.source.address().address() + ")";
            case ORIGINAL_ORDER -> "position " + (a.position + 1) + " vs " + (b.position + 1);
        };
        return new Step(a, b, rule, values, d < 0);
    }

    // ------------------------------------------------------------------ sources

    /**
     * Finds each destination's source address the way glibc's getaddrinfo does, in this
     * thread's network namespace: a UDP socket {@code connect(2)}ed to the destination (no
     * packet is sent) and {@code getsockname(2)}; a destination whose {@code connect} fails
     * is unusable (rule 1). The source's prefix length, interface, deprecated, optimistic and
     * home flags come from an rtnetlink dump of the interface addresses, and only when this
     * namespace has an IPv6 address other than {@code ::1} (glibc drops the list otherwise);
     * the interface's type (tunnel or not) from a dump of the links.
     *
     * <p>glibc reuses one socket, opened for the first destination's family and reopened as
     * {@code AF_INET6} at the first IPv6 destination; an IPv4 destination after that is
     * connected through the {@code AF_INET6} socket (unless {@code net.ipv6.bindv6only} is
     * set) and its source then looked up without glibc's 127/8 special case. Both are
     * reproduced.
     *
     * @throws NativeSocketException when the rtnetlink dump fails (a failing connect is a result, not an exception)
     */
    public static List<Source> sources(List<? extends SockAddr> destinations) throws NativeSocketException {
        List<Rtnetlink.Address> ifaddrs = Rtnetlink.addresses();
        boolean seenIpv6 = false;
        for (Rtnetlink.Address a : ifaddrs) {
            if (!SelectionPolicy.isMapped(a.addr16()) && !SelectionPolicy.isLoopback6(a.addr16())) seenIpv6 = true;
        }
        if (!seenIpv6) ifaddrs = List.of();
        Map<Integer, Integer> linkTypes = null;
        boolean bindv6only = bindv6only();
        List<Source> out = new ArrayList<>();
        int af = 0;
        for (SockAddr d : destinations) {
            boolean v4 = d.family() == NativeSocket.AF_INET;
            if (af == 0 || (af == NativeSocket.AF_INET && !v4)) af = d.family();
            boolean v4OnV6Socket = v4 && af == NativeSocket.AF_INET6;
            if (v4OnV6Socket && bindv6only) {
                // connect on the AF_INET6 socket fails with EAFNOSUPPORT; glibc reopens it as AF_INET.
                af = NativeSocket.AF_INET;
                v4OnV6Socket = false;
            }
            SockAddr src;
            try (NativeSocket s = NativeSocket.open(d.family(), NativeSocket.SOCK_DGRAM)) {
                // An AF_INET socket finds the same source as glibc's AF_INET6 socket connected to
                // a sockaddr_in (the kernel routes both as IPv4).
                s.connect(d);
                src = s.localAddress();
            } catch (NativeSocketException e) {
                out.add(Source.unusable(e.errnoName() != null ? e.errnoName() : e.getMessage()));
                continue;
            }
            byte[] key = SelectionPolicy.as6(src);
            if (v4 && !v4OnV6Socket && (key[12] & 0xff) == 127) {
                // glibc: "Special case for lo interface, the source address being possibly
                // different than the interface address."
                key[13] = 0;
                key[14] = 0;
                key[15] = 1;
            }
            Rtnetlink.Address found = null;
            for (Rtnetlink.Address a : ifaddrs) {
                if (java.util.Arrays.equals(a.addr16(), key)) {
                    found = a;
                    break;
                }
            }
            if (found == null) {
                out.add(new Source(src, -1, false, false, -1, false, null));
                continue;
            }
            if (linkTypes == null) linkTypes = Rtnetlink.linkTypes();
            Integer type = linkTypes.get(found.index());
            boolean nativeLink = type != null && type != ARPHRD_TUNNEL.value && type != ARPHRD_TUNNEL6.value
                    && type != ARPHRD_SIT.value;
            int flags = found.flags();
            out.add(new Source(src, found.prefixLength(),
                    (flags & (IFA_F_DEPRECATED.value | IFA_F_OPTIMISTIC.value)) != 0,
                    (flags & IFA_F_HOMEADDRESS.value) != 0, found.index(), nativeLink, null));
        }
        return Collections.unmodifiableList(out);
    }

    private static boolean bindv6only() {
        // A /proc/sys/net file shows the network namespace of the thread that opens it.
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only"), StandardCharsets.US_ASCII).trim().equals("1");
        } catch (IOException | RuntimeException e) {
            return false; // no IPv6 at all
        }
    }
}
