package io.dualsock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.dualsock.SelectionPolicy.GaiConf;
import io.dualsock.SelectionPolicy.PrefixEntry;
import io.dualsock.SelectionPolicy.ScopeEntry;

/**
 * {@link SelectionPolicy#parseGaiConf}: {@code gai.conf(5)} read line by line as glibc 2.36's
 * {@code gaiconf_init} reads it, with glibc's number parsing ({@code strtoul}) and a warning for
 * every line glibc skips.
 */
final class GaiConfReader {
    private GaiConfReader() {}

    static GaiConf parse(String text, SelectionPolicy base) {
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
        List<PrefixEntry> newLabels = labels.isEmpty() ? base.labels() : finish(labels, new PrefixEntry("::", 0, 1));
        List<PrefixEntry> newPrec = precedences.isEmpty() ? base.precedences() : finish(precedences, new PrefixEntry("::", 0, 40));
        List<ScopeEntry> newScopes = base.scopes();
        if (!scopes.isEmpty()) {
            newScopes = new ArrayList<>(scopes);
            if (scopes.stream().noneMatch(s -> s.bits() == 0)) newScopes.add(new ScopeEntry("0.0.0.0", 0, 14));
            newScopes.sort(Comparator.comparingInt(ScopeEntry::bits).reversed());
        }
        String name = base.name() + (labels.isEmpty() && precedences.isEmpty() && scopes.isEmpty() ? "" : "+gai.conf");
        return new GaiConf(new SelectionPolicy(name, base.rules(), newLabels, newPrec, newScopes), reload, warnings);
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
            if (!SelectionPolicy.isMapped(a6)) {
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
}
