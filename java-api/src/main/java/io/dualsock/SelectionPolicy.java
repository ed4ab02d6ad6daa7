package io.dualsock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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

    private SelectionPolicy(String name, Rules rules, List<PrefixEntry> labels, List<PrefixEntry> precedences,
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
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(base, "base");
        List<PrefixEntry> labels = new ArrayList<>();
        List<PrefixEntry> precedences = new ArrayList<>();
        List<ScopeEntry> scopes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean reload = false;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw;
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] w = words(line);
            if (w[0].isEmpty()) continue;
            String cmd = w[0];
            String val1 = w[1];
            String val2 = w[2];
            String where = "line " + lineNo + " (" + raw.strip() + "): ";
            switch (cmd) {
                case "label", "precedence" -> {
                    PrefixEntry e = prefixLine(val1, val2, where, warnings);
                    if (e != null) (cmd.equals("label") ? labels : precedences).add(e);
                }
                case "scopev4" -> {
                    ScopeEntry e = scopeLine(val1, val2, where, warnings);
                    if (e != null) scopes.add(e);
                }
                case "reload" -> reload = val1.equals("yes");
                default -> warnings.add(where + "unknown keyword \"" + cmd + "\": glibc ignores the line");
            }
        }
        List<PrefixEntry> newLabels = labels.isEmpty() ? base.labels : finish(labels, p("::", 0, 1));
        List<PrefixEntry> newPrec = precedences.isEmpty() ? base.precedences : finish(precedences, p("::", 0, 40));
        List<ScopeEntry> newScopes = base.scopes;
        if (!scopes.isEmpty()) {
            newScopes = new ArrayList<>(scopes);
            if (scopes.stream().noneMatch(s -> s.bits() == 0)) newScopes.add(new ScopeEntry("0.0.0.0", 0, 14));
            newScopes.sort(Comparator.comparingInt(ScopeEntry::bits).reversed());
        }
        String name = base.name + (labels.isEmpty() && precedences.isEmpty() && scopes.isEmpty() ? "" : "+gai.conf");
        return new GaiConf(new SelectionPolicy(name, base.rules, newLabels, newPrec, newScopes), reload, warnings);
    }

    private static List<PrefixEntry> finish(List<PrefixEntry> given, PrefixEntry catchAll) {
        List<PrefixEntry> t = new ArrayList<>(given);
        if (given.stream().noneMatch(e -> e.bits() == 0)) t.add(catchAll);
        // List.sort is stable, as glibc 2.36's qsort (a merge sort) is for these small tables.
        t.sort(Comparator.comparingInt(PrefixEntry::bits).reversed());
        return t;
    }

    /** The first three white-space separated words (empty strings where there are fewer). */
    private static String[] words(String line) {
        String[] out = {"", "", ""};
        int i = 0;
        int n = 0;
        while (n < 3) {
            while (i < line.length() && isSpace(line.charAt(i))) i++;
            int start = i;
            while (i < line.length() && !isSpace(line.charAt(i))) i++;
            out[n++] = line.substring(start, i);
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /**
     * glibc's {@code strtoul(s, &end, 10)} followed by its checks {@code *end == '\0'} and
     * the range test: optional white space and sign, decimal digits. Returns -1 for anything
     * glibc refuses; "" is 0 (strtoul reads nothing and leaves end at the terminator).
     */
    private static long strtoul(String s, long max) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digits = i;
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > 0xffff_ffffL * 16) return -1; // certainly out of range
            i++;
        }
        if (i == digits) return s.isEmpty() ? 0 : -1; // no digits: end stays at the start
        if (i != s.length()) return -1;
        // strtoul negates a negative number into a huge unsigned value: out of every range here.
        if (negative && v != 0) return -1;
        return v <= max ? v : -1;
    }

    private static final long INT_MAX = Integer.MAX_VALUE;

    /**
     * False, with a warning, for a prefix without "/length": glibc 2.36 then tests an
     * uninitialised pointer, and {@code seen} says what that did here.
     */
    private static boolean hasLength(int slash, String addr, int full, String seen, String where, List<String> warnings) {
        if (slash >= 0) return true;
        warnings.add(where + "no /length: glibc 2.36 then tests an uninitialised pointer (here " + seen + "); write " + addr
                + "/" + full);
        return false;
    }

    /** The length after '/' (strtoul, 0..max), or -1 with the warning that glibc ignores the line. */
    private static long prefixLength(String text, int max, String where, List<String> warnings) {
        long bits = strtoul(text, max);
        if (bits < 0) warnings.add(where + "prefix length \"" + text + "\" is not 0.." + max + ": glibc ignores the line");
        return bits;
    }

    /**
     * A line's number (strtoul, 0..INT_MAX), called {@code what} in the warning, or -1 with the
     * warning that glibc ignores the line; an empty one is read as {@code zero}, with a warning.
     */
    private static long lineValue(String text, String what, String zero, String where, List<String> warnings) {
        long value = strtoul(text, INT_MAX);
        if (value < 0) {
            warnings.add(where + what + " \"" + text + "\" is not a decimal number 0.." + INT_MAX + ": glibc ignores the line");
        } else if (text.isEmpty()) {
            warnings.add(where + "no value: glibc reads it as " + zero);
        }
        return value;
    }

    private static PrefixEntry prefixLine(String val1, String val2, String where, List<String> warnings) {
        int slash = val1.indexOf('/');
        String addr = slash < 0 ? val1 : val1.substring(0, slash);
        byte[] prefix = InetText.parse6(addr);
        if (prefix == null) {
            warnings.add(where + "\"" + addr + "\" is not an IPv6 address: glibc ignores the line");
            return null;
        }
        if (!hasLength(slash, addr, 128, "such lines were ignored", where, warnings)) return null;
        long bits = prefixLength(val1.substring(slash + 1), 128, where, warnings);
        if (bits < 0) return null;
        long value = lineValue(val2, "value", "0", where, warnings);
        if (value < 0) return null;
        if (val1.substring(slash + 1).isEmpty()) warnings.add(where + "empty length after '/': glibc reads it as /0");
        return new PrefixEntry(InetText.format6(prefix), (int) bits, (int) value);
    }

    private static ScopeEntry scopeLine(String val1, String val2, String where, List<String> warnings) {
        int slash = val1.indexOf('/');
        String addr = slash < 0 ? val1 : val1.substring(0, slash);
        byte[] a6 = InetText.parse6(addr);
        byte[] a4;
        long bits;
        if (a6 != null) {
            if (!isMapped(a6)) {
                warnings.add(where + addr + " is IPv6 but not IPv4-mapped: glibc ignores the line");
                return null;
            }
            if (!hasLength(slash, addr, 128, "getaddrinfo crashed with SIGSEGV", where, warnings)) return null;
            bits = strtoul(val1.substring(slash + 1), 128);
            if (bits < 96) {
                warnings.add(where + "prefix length of a mapped scopev4 prefix must be 96..128: glibc ignores the line");
                return null;
            }
            bits -= 96;
            a4 = new byte[] {a6[12], a6[13], a6[14], a6[15]};
        } else {
            a4 = InetText.parse4(addr);
            if (a4 == null) {
                warnings.add(where + "\"" + addr + "\" is not an IPv4 or IPv4-mapped address: glibc ignores the line");
                return null;
            }
            if (!hasLength(slash, addr, 32, "getaddrinfo crashed with SIGSEGV", where, warnings)) return null;
            bits = prefixLength(val1.substring(slash + 1), 32, where, warnings);
            if (bits < 0) return null;
        }
        long value = lineValue(val2, "scope", "scope 0", where, warnings);
        if (value < 0) return null;
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        int a = ((a4[0] & 0xff) << 24 | (a4[1] & 0xff) << 16 | (a4[2] & 0xff) << 8 | (a4[3] & 0xff)) & mask;
        String text = (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
        return new ScopeEntry(text, (int) bits, (int) value);
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
