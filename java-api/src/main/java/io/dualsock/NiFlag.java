package io.dualsock;

/** The {@code NI_*} flags of {@code getnameinfo(3)}, with this platform's values. */
public enum NiFlag implements CFlag {
    /** {@code NI_NUMERICHOST}: the address as a number, no reverse lookup. */
    NUMERICHOST,
    /** {@code NI_NUMERICSERV}: the port as a number, no services lookup. */
    NUMERICSERV,
    /** {@code NI_NOFQDN}: only the host part of a local name. */
    NOFQDN,
    /** {@code NI_NAMEREQD}: fail with {@code EAI_NONAME} when the address has no name. */
    NAMEREQD,
    /** {@code NI_DGRAM}: look the port up as a UDP service. */
    DGRAM,
    /** {@code NI_IDN} (glibc): decode punycode names into the locale's character set. */
    IDN;

    /** The C name: the constant's name after "NI_". */
    @Override
    public String cName() {
        return "NI_" + name();
    }

    /** The bits of the given flags or-ed together. */
    public static int of(NiFlag... flags) {
        int v = 0;
        for (NiFlag f : flags) v |= f.value();
        return v;
    }
}
