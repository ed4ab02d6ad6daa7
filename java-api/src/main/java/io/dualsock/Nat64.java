package io.dualsock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A NAT64 prefix ({@code Pref64::/n}) and the IPv4-embedded IPv6 addresses of RFC 6052: the
 * prefix, one of the six lengths 32, 40, 48, 56, 64 or 96, and the arithmetic between an IPv4
 * address and the IPv6 address a DNS64 server synthesizes for it ({@code 198.51.100.11} under
 * {@code 64:ff9b::/96} is {@code 64:ff9b::c633:640b}). Immutable; pure Java, no native call,
 * except {@link #discover()} ({@link Nat64Discovery}).
 *
 * <p>RFC 6052 §3.1 forbids the well-known prefix {@code 64:ff9b::/96} for non-global IPv4
 * addresses (RFC 1918, RFC 5735 §3, RFC 6598: {@code 10/8}, {@code 192.168/16},
 * {@code 198.51.100/24}, …). {@link #WELL_KNOWN} therefore refuses to {@link #synthesize} them
 * and {@link #label} flags them when decoding; {@link #permitNonGlobal()} gives a prefix that
 * allows them, as TAYGA's {@code wkpf-strict no} does in a lab. Network-specific prefixes allow
 * every IPv4 address. See {@code docs/nat64.md}.
 */
public final class Nat64 {
    /** The prefix lengths RFC 6052 §2.2 allows, shortest first. */
    public static final List<Integer> LENGTHS = List.of(32, 40, 48, 56, 64, 96);

    /** The well-known prefix {@code 64:ff9b::/96} (RFC 6052 §2.1), strict about non-global IPv4 addresses. */
    public static final Nat64 WELL_KNOWN = parse("64:ff9b::/96");

    /** The name RFC 7050 discovery asks AAAA records for: {@code ipv4only.arpa}. */
    public static final String IPV4ONLY_ARPA = "ipv4only.arpa";

    /** RFC 7050 §2.2's well-known IPv4 addresses of {@code ipv4only.arpa}: 192.0.0.170 and 192.0.0.171. */
    private static final int WKA_170 = 0xc00000aa;
    private static final int WKA_171 = 0xc00000ab;

    /** Bit 64..71 of an IPv6 address: the {@code u} octet, always zero in RFC 6052 addresses. */
    private static final int U_OCTET = 8;

    /** RFC 1918, RFC 5735 §3 and RFC 6598 blocks as {network, prefix length}: non-global for RFC 6052 §3.1. */
    private static final int[][] NON_GLOBAL = {
        {0x00000000, 8}, {0x0a000000, 8}, {0x64400000, 10}, {0x7f000000, 8}, {0xa9fe0000, 16},
        {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24}, {0xc0586300, 24}, {0xc0a80000, 16},
        {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24}, {0xe0000000, 4}, {0xf0000000, 4},
    };

    private final byte[] prefix;
    private final int length;
    private final boolean strict;

    private Nat64(byte[] prefix, int length, boolean strict) {
        this.prefix = prefix;
        this.length = length;
        this.strict = strict;
    }

    /**
     * A prefix from its 16 address bytes (copied) and length.
     *
     * @param prefix16 16 bytes, network byte order; bits after {@code length} must be zero
     * @param length 32, 40, 48, 56, 64 or 96
     * @throws IllegalArgumentException for another length, a non-zero {@code u} octet (bits
     *     64..71, inside a /96 prefix), or bits set after the prefix length
     */
    public static Nat64 of(byte[] prefix16, int length) {
        Objects.requireNonNull(prefix16, "prefix16");
        if (prefix16.length != 16) throw new IllegalArgumentException("IPv6 prefix needs 16 bytes, got " + prefix16.length);
        if (!LENGTHS.contains(length)) {
            throw new IllegalArgumentException("NAT64 prefix length must be one of " + LENGTHS + " (RFC 6052 §2.2), got /" + length);
        }
        byte[] p = prefix16.clone();
        String text = InetText.format6(p) + "/" + length;
        if (p[U_OCTET] != 0) {
            throw new IllegalArgumentException("NAT64 prefix " + text + ": bits 64-71 (the u octet) must be zero (RFC 6052 §2.2)");
        }
        for (int i = length / 8; i < 16; i++) {
            if (p[i] != 0) throw new IllegalArgumentException("NAT64 prefix " + text + " has bits set after /" + length);
        }
        boolean wellKnown = length == 96 && p[0] == 0 && p[1] == 0x64 && p[2] == (byte) 0xff && p[3] == (byte) 0x9b
                && allZero(p, 4, 12);
        return new Nat64(p, length, wellKnown);
    }

    /**
     * A prefix from an address and a length: only the 16 address bytes are used (port, flow label
     * and scope id are ignored).
     *
     * @throws IllegalArgumentException as {@link #of(byte[], int)}
     */
    public static Nat64 of(Inet6SockAddr prefix, int length) {
        Objects.requireNonNull(prefix, "prefix");
        return of(prefix.rawBytes(), length);
    }

    /**
     * {@code "64:ff9b::/96"}: {@code inet_pton(AF_INET6)} text, a slash and the length.
     *
     * @throws IllegalArgumentException when the text is not of that form or {@link #of(byte[], int)} refuses it
     */
    public static Nat64 parse(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        byte[] a = slash < 0 ? null : InetText.parse6(cidr.substring(0, slash));
        if (a == null) throw new IllegalArgumentException("not an IPv6 prefix such as 64:ff9b::/96: " + InetText.quote(cidr, 80));
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length after '/': " + InetText.quote(cidr, 80), e);
        }
        return of(a, len);
    }

    /** The prefix as an address, port 0 ({@code 64:ff9b::}). */
    public Inet6SockAddr prefix() { return new Inet6SockAddr(prefix, 0, 0, 0); }

    /** The prefix length: 32, 40, 48, 56, 64 or 96. */
    public int length() { return length; }

    /** True for {@code 64:ff9b::/96}, whether or not {@link #permitNonGlobal()} was applied. */
    public boolean isWellKnown() {
        return length == 96 && Arrays.equals(prefix, WELL_KNOWN.prefix);
    }

    /** False only for the well-known prefix as RFC 6052 §3.1 has it: non-global IPv4 addresses refused. */
    public boolean permitsNonGlobal() { return !strict; }

    /** This prefix allowing non-global IPv4 addresses (a lab's {@code 198.51.100.0/24}); a network-specific prefix is returned as is. */
    public Nat64 permitNonGlobal() { return strict ? new Nat64(prefix, length, false) : this; }

    /**
     * True for the IPv4 addresses RFC 6052 §3.1 calls non-global: RFC 1918, the blocks of RFC 5735
     * §3 ({@code 0/8}, {@code 127/8}, {@code 169.254/16}, {@code 192.0.0/24}, the three TEST-NETs,
     * {@code 192.88.99/24}, {@code 198.18/15}, {@code 224/4}, {@code 240/4}) and RFC 6598's
     * {@code 100.64/10}. The port is not looked at.
     */
    public static boolean isNonGlobal(Inet4SockAddr v4) {
        Objects.requireNonNull(v4, "v4");
        int a = toInt(v4.rawBytes(), 0);
        for (int[] block : NON_GLOBAL) {
            int mask = -1 << (32 - block[1]);
            if ((a & mask) == block[0]) return true;
        }
        return false;
    }

    /**
     * The IPv4-embedded IPv6 address of RFC 6052 §2.2: the prefix, the IPv4 address's four octets
     * from bit {@code length} on (skipping bits 64..71, the {@code u} octet) and a zero suffix.
     * The port is kept; flow label and scope id are 0.
     *
     * @throws IllegalArgumentException when this is {@link #WELL_KNOWN} (strict) and the address
     *     is {@link #isNonGlobal non-global} (RFC 6052 §3.1)
     */
    public Inet6SockAddr synthesize(Inet4SockAddr v4) {
        Objects.requireNonNull(v4, "v4");
        if (strict && isNonGlobal(v4)) {
            throw new IllegalArgumentException("RFC 6052 §3.1: the well-known prefix " + this + " must not be used for the non-global IPv4 address "
                    + v4.address() + " (use a network-specific prefix, or WELL_KNOWN.permitNonGlobal() in a lab)");
        }
        byte[] a = prefix.clone();
        byte[] four = v4.rawBytes();
        int at = length / 8;
        for (int i = 0; i < 4; i++, at++) {
            if (at == U_OCTET) at++;
            a[at] = four[i];
        }
        return Inet6SockAddr.ofOwned(a, v4.port(), 0, 0);
    }

    /**
     * True when {@code a} is an IPv6 address under this prefix whose {@code u} octet is zero, so
     * that {@link #extract} accepts it. IPv4 and IPv4-mapped addresses are never NAT64 addresses.
     */
    public boolean contains(SockAddr a) {
        if (!(a instanceof Inet6SockAddr a6) || a6.isV4Mapped()) return false;
        byte[] b = a6.rawBytes();
        return b[U_OCTET] == 0 && Arrays.equals(b, 0, length / 8, prefix, 0, length / 8);
    }

    /**
     * The IPv4 address embedded in {@code a} (RFC 6052 §2.2), with {@code a}'s port; its flow label
     * and scope id have no IPv4 counterpart and are dropped, the suffix bits are ignored (§2.2).
     * Decoding is lenient about RFC 6052 §3.1: a non-global address under the strict well-known
     * prefix is returned (it exists on the wire), and {@link #label} flags it.
     *
     * @throws IllegalArgumentException when {@code a} is not {@link #contains contained} in this prefix
     */
    public Inet4SockAddr extract(Inet6SockAddr a) {
        Objects.requireNonNull(a, "a");
        if (!contains(a)) {
            String why = a.isV4Mapped() ? "an IPv4-mapped address"
                    : a.rawBytes()[U_OCTET] != 0 ? "bits 64-71 (the u octet) are not zero (RFC 6052 §2.2)"
                    : "not under the prefix";
            throw new IllegalArgumentException(a.address() + " is not a NAT64 address of " + this + ": " + why);
        }
        return Inet4SockAddr.ofOwned(embedded(a.rawBytes(), length), a.port());
    }

    /**
     * For printing: {@code 64:ff9b::c633:640b (NAT64 of 198.51.100.11)} when {@code a} is
     * {@link #contains contained}, with {@code ; non-global, RFC 6052 §3.1} inside the
     * parentheses under the strict well-known prefix; otherwise {@code a}'s bare address. No port.
     */
    public String label(SockAddr a) {
        Objects.requireNonNull(a, "a");
        if (!contains(a)) return a.address();
        Inet4SockAddr v4 = extract((Inet6SockAddr) a);
        String flag = strict && isNonGlobal(v4) ? "; non-global, RFC 6052 §3.1" : "";
        return a.address() + " (NAT64 of " + v4.address() + flag + ")";
    }

    /**
     * RFC 7050 §3, from answers already received: the prefixes under which the AAAA answers for
     * {@code ipv4only.arpa} embed the well-known addresses 192.0.0.170 or 192.0.0.171, each answer
     * checked at all six RFC 6052 positions. An answer that matches at exactly one position gives
     * that prefix; one that matches at several (the prefix's own bits look like a well-known
     * address) keeps the position where the answers, together, embed both well-known addresses,
     * and gives nothing when that does not single one out. IPv4, IPv4-mapped and non-matching
     * answers are skipped.
     *
     * @param answers the addresses in the resolver's order (ports ignored)
     * @return the distinct prefixes in the order of the first answer giving each (strict
     *     {@link #WELL_KNOWN} for {@code 64:ff9b::/96}); empty when no answer matches: no NAT64
     *     prefix can be learned from these answers
     */
    public static List<Nat64> fromAnswers(Collection<? extends SockAddr> answers) {
        Objects.requireNonNull(answers, "answers");
        List<List<Nat64>> perAnswer = new ArrayList<>();
        List<Nat64> seen170 = new ArrayList<>();
        List<Nat64> seen171 = new ArrayList<>();
        for (SockAddr a : answers) {
            Objects.requireNonNull(a, "an answer is null");
            List<Nat64> here = new ArrayList<>();
            perAnswer.add(here);
            if (!(a instanceof Inet6SockAddr a6) || a6.isV4Mapped() || a6.rawBytes()[U_OCTET] != 0) continue;
            byte[] b = a6.rawBytes();
            for (int len : LENGTHS) {
                int v4 = toInt(embedded(b, len), 0);
                if (v4 != WKA_170 && v4 != WKA_171) continue;
                Nat64 p = of(Arrays.copyOf(Arrays.copyOf(b, len / 8), 16), len);
                here.add(p);
                (v4 == WKA_170 ? seen170 : seen171).add(p);
            }
        }
        List<Nat64> found = new ArrayList<>();
        for (List<Nat64> here : perAnswer) {
            List<Nat64> pick = here;
            if (here.size() > 1) {
                pick = new ArrayList<>();
                for (Nat64 p : here) if (seen170.contains(p) && seen171.contains(p)) pick.add(p);
            }
            if (pick.size() == 1 && !found.contains(pick.get(0))) found.add(pick.get(0));
        }
        return List.copyOf(found);
    }

    /**
     * RFC 7050 discovery on this host, cached per network for the DNS TTL:
     * {@code Nat64Discovery.system().discover().prefixes()} ({@link Nat64Discovery} says how).
     * It asks the configured DNS servers, a query that leaves the machine, so dualsock's tests
     * call it only inside lab namespaces.
     *
     * @return the prefixes found, empty when the name has no IPv6 address ({@code EAI_NONAME},
     *     {@code EAI_NODATA}: no DNS64 on this network) or no answer embeds a well-known address
     * @throws ResolverException for any other resolver failure ({@code EAI_AGAIN}, …)
     */
    public static List<Nat64> discover() throws ResolverException {
        return Nat64Discovery.system().discover().prefixes();
    }

    /** The four octets at the RFC 6052 §2.2 position for {@code length}, skipping the u octet. */
    private static byte[] embedded(byte[] a16, int length) {
        byte[] four = new byte[4];
        int at = length / 8;
        for (int i = 0; i < 4; i++, at++) {
            if (at == U_OCTET) at++;
            four[i] = a16[at];
        }
        return four;
    }

    private static int toInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** Same prefix, length and non-global policy. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Nat64 other && other.length == length && other.strict == strict && Arrays.equals(other.prefix, prefix);
    }

    @Override public int hashCode() { return (Arrays.hashCode(prefix) * 31 + length) * 2 + (strict ? 1 : 0); }

    /** {@code 64:ff9b::/96}. */
    @Override public String toString() { return InetText.format6(prefix) + "/" + length; }
}
