package io.dualsock;

/** The {@code NI_*} flags of {@code getnameinfo(3)}, with this platform's values. */
public enum NiFlag implements CFlag {
    NUMERICHOST,
    NUMERICSERV,
    NOFQDN,
    NAMEREQD,
    DGRAM,
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
