package io.dualsock;

/**
 * The {@code AI_*} flags of {@code getaddrinfo(3)}, with this platform's values (from the C
 * headers). glibc extras that a platform lacks report {@link #isDefined()} false.
 */
public enum AiFlag implements CFlag {
    /** Wildcard address when host is null (for bind). */
    PASSIVE,
    /** Ask for the canonical name (in the first result). */
    CANONNAME,
    /** Host must be a numeric address: no name lookup. */
    NUMERICHOST,
    /** With AF_INET6: return IPv4-mapped addresses when no IPv6 address is found. */
    V4MAPPED,
    /** With AI_V4MAPPED: return mapped IPv4 addresses as well as IPv6 ones. */
    ALL,
    /** Only families for which this host has a non-loopback address configured. */
    ADDRCONFIG,
    /** Service must be a port number. */
    NUMERICSERV,
    /** glibc: convert the name from the locale to IDNA (punycode). */
    IDN,
    /** glibc: convert the canonical name from IDNA back to the locale. */
    CANONIDN;

    /** The C name: the constant's name after "AI_". */
    @Override
    public String cName() {
        return "AI_" + name();
    }

    /** "AI_V4MAPPED|AI_ALL" for the known bits, with any unknown rest as hex ("|0x10000"); "0" for none. */
    public static String describe(int flags) {
        if (flags == 0) return "0";
        StringBuilder sb = new StringBuilder();
        int rest = flags;
        for (AiFlag f : values()) {
            if (!f.isDefined()) continue;
            int v = f.value();
            if (v != 0 && (rest & v) == v) {
                if (sb.length() > 0) sb.append('|');
                sb.append(f.cName());
                rest &= ~v;
            }
        }
        if (rest != 0) {
            if (sb.length() > 0) sb.append('|');
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }
}
