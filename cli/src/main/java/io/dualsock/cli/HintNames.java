package io.dualsock.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

import io.dualsock.Names;
import io.dualsock.bindings.Constants;

/**
 * Reads hint values as typed ({@code inet6}, {@code SOCK_STREAM}, {@code v4mapped|AI_ALL},
 * {@code 0x10000}) into numbers: names from the shim's constant table, numbers unchecked, since
 * libc decides what is valid (docs/cli.md). Each method throws {@link IllegalArgumentException}.
 */
public final class HintNames {
    private HintNames() {}

    /** What a value is, and the prefixes its platform names carry (the first is the default). */
    public enum Kind {
        FAMILY("address family", "AF_", "PF_"),
        SOCKTYPE("socket type", "SOCK_"),
        PROTOCOL("protocol", "IPPROTO_"),
        FLAG("getaddrinfo flag", "AI_");

        private final String what;
        private final String[] prefixes;

        Kind(String what, String... prefixes) {
            this.what = what;
            this.prefixes = prefixes;
        }

        /** "address family". */
        public String what() { return what; }

        /** Every name of this kind the platform defines, in the shim's order. */
        public List<String> platformNames() {
            List<String> names = new ArrayList<>();
            for (String n : Constants.all().keySet()) {
                for (String p : prefixes) {
                    if (n.startsWith(p)) {
                        names.add(n);
                        break;
                    }
                }
            }
            return names;
        }
    }

    /** {@code ai_family}: an AF_ or PF_ name, with or without the prefix, any case, or a number. */
    public static int family(String text) {
        return value(Kind.FAMILY, text);
    }

    /** {@code ai_socktype}: a SOCK_ name, with or without the prefix, any case, or a number. */
    public static int socktype(String text) {
        return value(Kind.SOCKTYPE, text);
    }

    /** {@code ai_protocol}: an IPPROTO_ name, with or without the prefix, any case, or a number. */
    public static int protocol(String text) {
        return value(Kind.PROTOCOL, text);
    }

    /**
     * {@code ai_flags}: names or numbers separated by {@code ,} or {@code |}, OR-ed together
     * ({@code v4mapped,all}, {@code AI_V4MAPPED|AI_ALL}, {@code 0}, {@code 0x10000},
     * {@code numerichost|0x10000}).
     */
    public static int flags(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty getaddrinfo flags");
        }
        int bits = 0;
        for (String token : text.split("[,|]", -1)) {
            if (token.isBlank()) {
                throw new IllegalArgumentException("empty name in getaddrinfo flags \"" + text + "\"");
            }
            bits |= value(Kind.FLAG, token);
        }
        return bits;
    }

    /** One name or number of the given kind. */
    public static int value(Kind kind, String text) {
        if (text == null) throw new IllegalArgumentException("missing " + kind.what);
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty " + kind.what);
        char c = t.charAt(0);
        if (Character.isDigit(c) || c == '-' || c == '+') {
            OptionalInt v = Names.value(t);
            if (v.isEmpty()) {
                throw new IllegalArgumentException(kind.what + " \"" + text + "\" is not a 32-bit number in C notation");
            }
            return v.getAsInt();
        }
        String upper = t.toUpperCase(Locale.ROOT);
        String name = null;
        for (String p : kind.prefixes) {
            if (upper.startsWith(p)) name = upper;
        }
        if (name == null) name = kind.prefixes[0] + upper;
        if (Constants.find(name).isEmpty()) {
            throw new IllegalArgumentException(unknown(kind, text));
        }
        OptionalInt v = Names.value(name);
        if (v.isEmpty()) throw new IllegalArgumentException(unknown(kind, text));
        return v.getAsInt();
    }

    private static String unknown(Kind kind, String text) {
        return "unknown " + kind.what + " \"" + text + "\" (this platform defines " + String.join(", ", kind.platformNames())
                + ")";
    }
}
