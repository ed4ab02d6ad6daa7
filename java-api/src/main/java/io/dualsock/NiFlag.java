package io.dualsock;

/** The {@code NI_*} flags of {@code getnameinfo(3)}, with this platform's values. */
public enum NiFlag implements CFlag {
    NUMERICHOST("NI_NUMERICHOST"),
    NUMERICSERV("NI_NUMERICSERV"),
    NOFQDN("NI_NOFQDN"),
    NAMEREQD("NI_NAMEREQD"),
    DGRAM("NI_DGRAM"),
    IDN("NI_IDN");

    private final String cName;

    NiFlag(String cName) {
        this.cName = cName;
    }

    @Override
    public String cName() {
        return cName;
    }

    /** The bits of the given flags or-ed together. */
    public static int of(NiFlag... flags) {
        int v = 0;
        for (NiFlag f : flags) v |= f.value();
        return v;
    }
}
