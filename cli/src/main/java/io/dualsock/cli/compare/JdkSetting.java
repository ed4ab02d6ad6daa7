package io.dualsock.cli.compare;

import java.util.List;

/**
 * The JDK settings that change what {@code InetAddress.getAllByName} returns and which family
 * the JDK's sockets are. Each is read once, when the JVM starts ({@code InetAddress}'s static
 * initialiser), so every setting needs its own child JVM.
 */
public enum JdkSetting {
    /** No property: the JDK's documented default, the same as preferIPv6Addresses=false. */
    DEFAULT("default", List.of()),
    PREFER_IPV6_FALSE("preferIPv6Addresses=false", List.of("-Djava.net.preferIPv6Addresses=false")),
    PREFER_IPV6_TRUE("preferIPv6Addresses=true", List.of("-Djava.net.preferIPv6Addresses=true")),
    PREFER_IPV6_SYSTEM("preferIPv6Addresses=system", List.of("-Djava.net.preferIPv6Addresses=system")),
    PREFER_IPV4_STACK("preferIPv4Stack=true", List.of("-Djava.net.preferIPv4Stack=true")),
    /**
     * No property, dualsock-resolver-provider on the class path: the JDK's lookups go to libc's
     * getaddrinfo with AI_ADDRCONFIG, in libc's order (Java 18+, JEP 418).
     */
    DUALSOCK_RESOLVER("dualsock's resolver", List.of()) {
        @Override
        public List<String> jvmArgs() {
            return ProviderJar.find().map(p -> List.of("-cp", p.toString())).orElse(List.of());
        }
    };

    private final String label;
    private final List<String> jvmArgs;

    JdkSetting(String label, List<String> jvmArgs) {
        this.label = label;
        this.jvmArgs = jvmArgs;
    }

    /** Short label, e.g. {@code preferIPv6Addresses=true}. */
    public String label() {
        return label;
    }

    /** The {@code -D} options that select this setting on a java command line. */
    public List<String> jvmArgs() {
        return jvmArgs;
    }

    /** True when the JDK's name lookups ask getaddrinfo for AF_INET only (IPv4 stack). */
    public boolean ipv4Stack() {
        return this == PREFER_IPV4_STACK;
    }

    /** Why this setting cannot run on that JDK (the provider needs Java 18+ and its jar), or null. */
    public String unavailableOn(Jdk jdk) {
        if (this != DUALSOCK_RESOLVER) return null;
        if (jdk.feature() < 18) return "the resolver SPI needs Java 18+, " + jdk.label() + " has none";
        return ProviderJar.missingReason();
    }

    public static JdkSetting ofLabel(String label) {
        for (JdkSetting s : values()) {
            if (s.label.equals(label) || s.name().equalsIgnoreCase(label)) return s;
        }
        throw new IllegalArgumentException("no JDK setting " + label);
    }
}
