package io.dualsock.cli.compare;

import java.util.ArrayList;
import java.util.List;

import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.bindings.Platform;

/**
 * One way of asking libc's {@code getaddrinfo(3)}: a family and {@code AI_*} flags, with
 * {@code ai_socktype} 0 as the JDK passes it (so libc answers once per socket type).
 *
 * @param family {@code AF_UNSPEC}, {@code AF_INET} or {@code AF_INET6} (C name)
 * @param flags the flags, in the order written
 */
public record LibcVariant(String family, List<AiFlag> flags) {

    public LibcVariant {
        flags = List.copyOf(flags);
    }

    /** {@code AF_INET6 AI_V4MAPPED|AI_ALL}, {@code AF_UNSPEC} when there are no flags. */
    public String label() {
        if (flags.isEmpty()) return family;
        StringBuilder sb = new StringBuilder(family).append(' ');
        for (int i = 0; i < flags.size(); i++) {
            if (i > 0) sb.append('|');
            sb.append(flags.get(i).cName());
        }
        return sb.toString();
    }

    public boolean has(AiFlag f) {
        return flags.contains(f);
    }

    /** The same question with AI_ADDRCONFIG added. */
    public LibcVariant withAddrconfig() {
        if (has(AiFlag.ADDRCONFIG)) return this;
        List<AiFlag> f = new ArrayList<>(flags);
        f.add(AiFlag.ADDRCONFIG);
        return new LibcVariant(family, f);
    }

    /** The same question without AI_ADDRCONFIG. */
    public LibcVariant withoutAddrconfig() {
        List<AiFlag> f = new ArrayList<>(flags);
        f.remove(AiFlag.ADDRCONFIG);
        return new LibcVariant(family, f);
    }

    public Hints hints() {
        int fam = switch (family) {
            case "AF_UNSPEC" -> Platform.AF_UNSPEC;
            case "AF_INET" -> Platform.AF_INET;
            case "AF_INET6" -> Platform.AF_INET6;
            default -> throw new IllegalStateException("family " + family);
        };
        return Hints.builder().family(fam).flags(flags.toArray(AiFlag[]::new)).build();
    }

    public static final LibcVariant UNSPEC = new LibcVariant("AF_UNSPEC", List.of());
    public static final LibcVariant INET = new LibcVariant("AF_INET", List.of());
    public static final LibcVariant INET6_MAPPED = new LibcVariant("AF_INET6", List.of(AiFlag.V4MAPPED));
    public static final LibcVariant INET6_MAPPED_ALL = new LibcVariant("AF_INET6", List.of(AiFlag.V4MAPPED, AiFlag.ALL));

    /**
     * The eight questions of the comparison: AF_UNSPEC, AF_INET, AF_INET6+AI_V4MAPPED and
     * AF_INET6+AI_V4MAPPED|AI_ALL, each without and with AI_ADDRCONFIG.
     */
    public static List<LibcVariant> standard() {
        // No plain AF_INET6: for a name /etc/hosts lists with IPv4 only, files says "not found" and glibc asks DNS.
        List<LibcVariant> out = new ArrayList<>();
        for (LibcVariant v : List.of(UNSPEC, INET, INET6_MAPPED, INET6_MAPPED_ALL)) {
            out.add(v);
            out.add(v.withAddrconfig());
        }
        return out;
    }

    /** The question the JDK (or dualsock's resolver in it) puts to getaddrinfo under a setting (flags aside: AI_CANONNAME). */
    public static LibcVariant jdkCounterpart(JdkSetting s) {
        return s.ipv4Stack() ? INET : s == JdkSetting.DUALSOCK_RESOLVER ? UNSPEC.withAddrconfig() : UNSPEC;
    }
}
