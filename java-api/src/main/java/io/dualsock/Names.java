package io.dualsock;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import io.dualsock.bindings.Constants;

/**
 * Symbolic names of the platform's {@code AF_*}, {@code SOCK_*} and {@code IPPROTO_*} values,
 * both ways, built from the constants the shim reports.
 */
public final class Names {
    private Names() {}

    private static final class Tables {
        static final Map<Integer, String> FAMILY = reverse("AF_");
        static final Map<Integer, String> SOCKTYPE = reverse("SOCK_");
        static final Map<Integer, String> PROTO = reverse("IPPROTO_");

        private static Map<Integer, String> reverse(String prefix) {
            Map<Integer, String> m = new HashMap<>();
            Constants.all().forEach((k, v) -> {
                if (k.startsWith(prefix) && !k.equals("SOCK_NONBLOCK") && !k.equals("SOCK_CLOEXEC")) {
                    m.putIfAbsent(v.intValue(), k);
                }
            });
            return m;
        }
    }

    /** "AF_INET6", or the number when the platform has no name for it. */
    public static String family(int v) {
        return Tables.FAMILY.getOrDefault(v, Integer.toString(v));
    }

    /** "SOCK_STREAM", or the number ("0" for any). */
    public static String socktype(int v) {
        return Tables.SOCKTYPE.getOrDefault(v, Integer.toString(v));
    }

    /** "IPPROTO_TCP", or the number ("IPPROTO_IP" for 0). */
    public static String protocol(int v) {
        return Tables.PROTO.getOrDefault(v, Integer.toString(v));
    }

    /**
     * The value of a platform constant given by name ({@code AF_INET6}, {@code SOCK_DGRAM},
     * {@code IPPROTO_UDP}, {@code AI_ALL}) or as a number in any Java radix notation
     * ({@code 10}, {@code 0x10000}).
     */
    public static OptionalInt value(String nameOrNumber) {
        String s = nameOrNumber.trim();
        var c = Constants.find(s);
        if (c.isPresent()) return OptionalInt.of((int) c.getAsLong());
        try {
            long v = Long.decode(s);
            if (v < Integer.MIN_VALUE || v > 0xffffffffL) return OptionalInt.empty();
            return OptionalInt.of((int) v);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
