package io.dualsock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The tables destination address selection consults: labels and precedences by IPv6 prefix
 * (IPv4 addresses looked up as {@code ::ffff:a.b.c.d}), IPv4 scopes by IPv4 prefix, and the
 * rule variant. {@link #glibc()} is glibc's built-in policy, {@link #rfc6724()} RFC 6724's,
 * {@link #parseGaiConf} reads {@code gai.conf(5)} the way glibc 2.36's {@code gaiconf_init}
 * does. Immutable. See {@code docs/address-selection.md}.
 */
public final class SelectionPolicy {

    /** How the rules read the tables where glibc and RFC 6724 differ. */
    public enum Rules {
        /**
         * glibc's {@code rfc3484_sort}: an IPv4-mapped destination is an IPv6 address (scope
         * global unless the IPv6 rules say otherwise); rule 9 on two IPv4 destinations counts
         * common bits only inside the source's subnet, on two IPv6 destinations over all 128
         * bits.
         */
        GLIBC,
        /**
         * RFC 6724 §5/§6: an IPv4-mapped destination is the IPv4 address (IPv4 scopes apply);
         * rule 9 counts common bits up to the source's prefix length, for any two destinations
         * of the same version.
         */
        RFC6724
    }

    /**
     * One line of the label or precedence table: addresses in {@code prefix/bits} get {@code value}.
     *
     * @param prefix the prefix as {@code inet_ntop} prints it (IPv4 prefixes as {@code ::ffff:a.b.c.d})
     */
    public record PrefixEntry(String prefix, int bits, int value) {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when {@code bits} is outside 0..128
         */
        public PrefixEntry {
            Objects.requireNonNull(prefix, "prefix");
            if (bits < 0 || bits > 128) throw new IllegalArgumentException("prefix length " + bits + " outside 0..128");
        }

        byte[] bytes() {
            return InetText.parse6(prefix);
        }

        @Override
        public String toString() {
            return prefix + "/" + bits + " " + value;
        }
    }

    /**
     * One line of the IPv4 scope table ({@code scopev4}): IPv4 addresses in
     * {@code prefix/bits} have scope {@code scope}.
     */
    public record ScopeEntry(String prefix, int bits, int scope) {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when {@code bits} is outside 0..32
         */
        public ScopeEntry {
            Objects.requireNonNull(prefix, "prefix");
            if (bits < 0 || bits > 32) throw new IllegalArgumentException("IPv4 prefix length " + bits + " outside 0..32");
        }

        int mask() {
            return bits == 0 ? 0 : -1 << (32 - bits);
        }

        @Override
        public String toString() {
            return prefix + "/" + bits + " " + scope;
        }
    }

    /**
     * What {@link #parseGaiConf} made of a file: the policy, whether {@code reload yes} was
     * given, and one message per line glibc ignores or mishandles (with its line number).
     */
    public record GaiConf(SelectionPolicy policy, boolean reload, List<String> warnings) {
        /** Copies {@code warnings}, which is immutable afterwards. */
        public GaiConf {
            warnings = List.copyOf(warnings);
        }
    }

    private final String name;
    private final Rules rules;
    private final List<PrefixEntry> labels;
    private final List<PrefixEntry> precedences;
    private final List<ScopeEntry> scopes;
    // Parallel arrays of the prefix bytes, for lookups without parsing.
    private final byte[][] labelBytes;
    private final byte[][] precedenceBytes;

    SelectionPolicy(String name, Rules rules, List<PrefixEntry> labels, List<PrefixEntry> precedences,
                    List<ScopeEntry> scopes) {
        this.name = name;
        this.rules = rules;
        this.labels = List.copyOf(labels);
        this.precedences = List.copyOf(precedences);
        this.scopes = List.copyOf(scopes);
        this.labelBytes = this.labels.stream().map(PrefixEntry::bytes).toArray(byte[][]::new);
        this.precedenceBytes = this.precedences.stream().map(PrefixEntry::bytes).toArray(byte[][]::new);
    }

    /**
     * A policy from explicit tables, each searched in the order given (first match wins, so
     * put longer prefixes first); a table must end in a {@code /0} entry.
     */
    public static SelectionPolicy of(String name, Rules rules, List<PrefixEntry> labels, List<PrefixEntry> precedences,
                                     List<ScopeEntry> scopes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rules, "rules");
        requireCatchAll(labels, "label");
        requireCatchAll(precedences, "precedence");
        if (scopes.stream().noneMatch(s -> s.bits() == 0)) throw new IllegalArgumentException("the scope table has no /0 entry");
        for (PrefixEntry e : labels) requireIpv6(e);
        for (PrefixEntry e : precedences) requireIpv6(e);
        for (ScopeEntry s : scopes) {
            if (InetText.parse4(s.prefix()) == null) throw new IllegalArgumentException("not an IPv4 prefix: " + s.prefix());
        }
        return new SelectionPolicy(name, rules, labels, precedences, scopes);
    }

    private static void requireCatchAll(List<PrefixEntry> table, String what) {
        if (table.stream().noneMatch(e -> e.bits() == 0)) throw new IllegalArgumentException("the " + what + " table has no ::/0 entry");
    }

    private static void requireIpv6(PrefixEntry e) {
        if (InetText.parse6(e.prefix()) == null) throw new IllegalArgumentException("not an IPv6 prefix: " + e.prefix());
    }

    private static PrefixEntry p(String prefix, int bits, int value) {
        return new PrefixEntry(prefix, bits, value);
    }

    // glibc's default_scopes: link-local and loopback IPv4 are link-local scope, the rest global.
    private static final List<ScopeEntry> DEFAULT_SCOPES = List.of(
            new ScopeEntry("169.254.0.0", 16, 2),
            new ScopeEntry("127.0.0.0", 8, 2),
            new ScopeEntry("0.0.0.0", 0, 14));

    private static final SelectionPolicy GLIBC = new SelectionPolicy("glibc", Rules.GLIBC,
            // default_labels in glibc's sysdeps/posix/getaddrinfo.c, in its order: RFC 3484's
            // table plus site-local (5), ULA (6) and Teredo (7).
            List.of(p("::1", 128, 0), p("2002::", 16, 2), p("::", 96, 3), p("::ffff:0.0.0.0", 96, 4),
                    p("fec0::", 10, 5), p("fc00::", 7, 6), p("2001::", 32, 7), p("::", 0, 1)),
            // default_precedence: RFC 3484's, unchanged (IPv4 at 10, below every IPv6 prefix).
            List.of(p("::1", 128, 50), p("2002::", 16, 30), p("::", 96, 20), p("::ffff:0.0.0.0", 96, 10),
                    p("::", 0, 40)),
            DEFAULT_SCOPES);

    private static final SelectionPolicy RFC6724 = new SelectionPolicy("rfc6724", Rules.RFC6724,
            // RFC 6724 §2.1, longest prefix first.
            List.of(p("::1", 128, 0), p("::ffff:0.0.0.0", 96, 4), p("::", 96, 3), p("2001::", 32, 5),
                    p("2002::", 16, 2), p("3ffe::", 16, 12), p("fec0::", 10, 11), p("fc00::", 7, 13), p("::", 0, 1)),
            List.of(p("::1", 128, 50), p("::ffff:0.0.0.0", 96, 35), p("::", 96, 1), p("2001::", 32, 5),
                    p("2002::", 16, 30), p("3ffe::", 16, 1), p("fec0::", 10, 1), p("fc00::", 7, 3), p("::", 0, 40)),
            DEFAULT_SCOPES);

    /**
     * glibc's built-in policy (no {@code /etc/gai.conf}, or one without label, precedence or
     * scopev4 lines): RFC 3484's precedence table, RFC 3484's labels plus fec0::/10 (5),
     * fc00::/7 (6) and 2001::/32 (7), IPv4 scopes 169.254/16 and 127/8 link-local.
     */
    public static SelectionPolicy glibc() {
        return GLIBC;
    }

    /** RFC 6724's default policy table (§2.1) with RFC 6724's reading of the rules. */
    public static SelectionPolicy rfc6724() {
        return RFC6724;
    }

    /**
     * glibc's policy as this machine's {@code /etc/gai.conf} changes it (the built-in one
     * when there is no such file), read now.
     */
    public static GaiConf system() throws IOException {
        return readGaiConf(Path.of("/etc/gai.conf"), glibc());
    }

    /** {@link #parseGaiConf} of a file; a missing file gives {@code base} unchanged. */
    public static GaiConf readGaiConf(Path file, SelectionPolicy base) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return new GaiConf(base, false, List.of());
        }
        return parseGaiConf(text, base);
    }

    /**
     * Reads {@code gai.conf(5)} text as glibc 2.36's {@code gaiconf_init} does. A
     * {@code label}, {@code precedence} or {@code scopev4} line replaces that whole table of
     * {@code base}: the table becomes the file's lines, longest prefix first (file order among
     * equal lengths, so the first of two equal prefixes wins), plus a catch-all ({@code ::/0}
     * label 1, precedence 40, IPv4 scope 14) unless the file has a {@code /0} line.
     * {@code reload yes} is recorded. What glibc skips is skipped here too and reported as a
     * warning: unknown keywords, bad numbers, prefix lengths out of range.
     *
     * <p>A prefix without {@code /length} makes glibc 2.36 read an uninitialised pointer
     * ({@code endp}); on this machine such label and precedence lines were ignored and a
     * {@code scopev4} line crashed {@code getaddrinfo} with SIGSEGV. They are ignored here with
     * a warning saying so.
     */
    public static GaiConf parseGaiConf(String text, SelectionPolicy base) {
        return GaiConfReader.parse(text, base);
    }

    // ------------------------------------------------------------------ lookups

    /** "glibc", "rfc6724", with "+gai.conf" when a file changed a table. */
    public String name() { return name; }

    /**
     * Which rules this policy applies.
     *
     * @return glibc's or RFC 6724's rule set
     */
    public Rules rules() { return rules; }

    /** The label table in search order. */
    public List<PrefixEntry> labels() { return labels; }

    /** The precedence table in search order. */
    public List<PrefixEntry> precedences() { return precedences; }

    /** The IPv4 scope table in search order. */
    public List<ScopeEntry> scopes() { return scopes; }

    /** The label of an address (IPv4 looked up as {@code ::ffff:a.b.c.d}), glibc's {@code get_label}. */
    public int label(SockAddr a) {
        return match(labelBytes, labels, as6(a));
    }

    /** The precedence of an address, glibc's {@code get_precedence}. */
    public int precedence(SockAddr a) {
        return match(precedenceBytes, precedences, as6(a));
    }

    /**
     * The scope of an address as the rules compare it, glibc's {@code get_scope}: IPv6
     * multicast its scope field, link-local and {@code ::1} 2, site-local 5, every other IPv6
     * address 14; an IPv4 address from the scope table. Under {@link Rules#RFC6724} an
     * IPv4-mapped address has its IPv4 address's scope; glibc gives it 14.
     */
    public int scope(SockAddr a) {
        byte[] b = a.addressBytes();
        if (b.length == 4) return scope4(b, 0);
        if (rules == Rules.RFC6724 && isMapped(b)) return scope4(b, 12);
        if ((b[0] & 0xff) == 0xff) return b[1] & 0x0f;
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) return 2;
        if (isLoopback6(b)) return 2;
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) return 5;
        return 14;
    }

    private int scope4(byte[] b, int off) {
        int a = (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
        for (ScopeEntry s : scopes) {
            byte[] p = InetText.parse4(s.prefix());
            int pa = (p[0] & 0xff) << 24 | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff);
            if ((a & s.mask()) == (pa & s.mask())) return s.scope();
        }
        // Unreachable for a valid table (it ends in a /0 entry); glibc would read past its end.
        throw new IllegalStateException("no scope entry matches " + InetText.format4(b, off));
    }

    static boolean isMapped(byte[] b) {
        if (b.length != 16) return false;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    static boolean isLoopback6(byte[] b) {
        for (int i = 0; i < 15; i++) if (b[i] != 0) return false;
        return b[15] == 1;
    }

    static byte[] as6(SockAddr a) {
        byte[] b = a.addressBytes();
        if (b.length == 16) return b;
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(b, 0, m, 12, 4);
        return m;
    }

    /** glibc's {@code match_prefix}: the first entry whose prefix covers the address. */
    private static int match(byte[][] prefixes, List<PrefixEntry> entries, byte[] a) {
        for (int i = 0; i < prefixes.length; i++) {
            if (covers(prefixes[i], entries.get(i).bits(), a)) return entries.get(i).value();
        }
        throw new IllegalStateException("no entry matches");
    }

    static boolean covers(byte[] prefix, int bits, byte[] a) {
        int i = 0;
        while (bits >= 8) {
            if (prefix[i] != a[i]) return false;
            i++;
            bits -= 8;
        }
        if (bits == 0) return true;
        int mask = (0xff00 >> bits) & 0xff;
        return (prefix[i] & mask) == (a[i] & mask);
    }

    @Override
    public String toString() {
        return name + " (labels " + labels + "; precedences " + precedences + "; IPv4 scopes " + scopes + ")";
    }
}
