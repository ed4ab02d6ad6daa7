package io.dualsock.cli.matrix;

import java.util.List;
import io.dualsock.AiFlag;
import io.dualsock.lab.SpelledEnum;

/**
 * How an IPv6 client looks a server up and which addresses it tries. The IPv4 client is the
 * same in every variant: {@code AF_INET}, every address in order.
 */
public enum Variant implements SpelledEnum {
    /** UNP's IPv6 client: {@code AF_INET6} + {@code AI_V4MAPPED}, the first address only. */
    BOOK("AF_INET6", List.of(AiFlag.V4MAPPED), true,
            "AF_INET6 + AI_V4MAPPED, first address only, as in the book"),
    /** Same hints, every address in order until one works (like UNP's tcp_connect). */
    LOOP("AF_INET6", List.of(AiFlag.V4MAPPED), false,
            "AF_INET6 + AI_V4MAPPED, every address in order, like tcp_connect"),
    /** {@code AI_V4MAPPED|AI_ALL}: A records as mapped addresses even when AAAA records exist. */
    ALL("AF_INET6", List.of(AiFlag.V4MAPPED, AiFlag.ALL), false,
            "AF_INET6 + AI_V4MAPPED|AI_ALL, every address in order"),
    /** {@code AF_UNSPEC}: each result's own family for the socket, every address. */
    UNSPEC("AF_UNSPEC", List.of(), false,
            "AF_UNSPEC, a socket of each result's family, every address in order"),
    /**
     * RFC 8305 through {@code io.dualsock.Connector} (TCP only): AAAA and A asked apart with
     * {@code AI_ADDRCONFIG}, a socket of each address's family, attempts raced 250 ms apart.
     */
    HAPPY("AF_UNSPEC", List.of(AiFlag.ADDRCONFIG), false,
            "Happy Eyeballs (io.dualsock.Connector): AAAA and A asked apart, attempts raced 250 ms apart; TCP only"),
    /**
     * {@link #HAPPY} with RFC 8305 §7 on: on an IPv6-only client host, an IPv4 literal or a name
     * whose A query gave nothing is tried through IPv6 addresses synthesized with the NAT64 prefix
     * ({@link MatrixRunner#nat64Prefix}, else RFC 7050 discovery). Not in {@link #defaults()}:
     * chosen with {@code --variant happy-nat64}, or by a table that asks for it.
     */
    HAPPY_NAT64("AF_UNSPEC", List.of(AiFlag.ADDRCONFIG), false,
            "Happy Eyeballs with NAT64 synthesis (io.dualsock.Connector, RFC 8305 §7): on an IPv6-only host, IPv4 literals "
                    + "and A-only names through the NAT64 prefix; TCP only");

    private final String hintsFamily;
    private final List<AiFlag> flags;
    private final boolean firstOnly;
    private final String description;

    Variant(String hintsFamily, List<AiFlag> flags, boolean firstOnly, String description) {
        this.hintsFamily = hintsFamily;
        this.flags = flags;
        this.firstOnly = firstOnly;
        this.description = description;
    }

    /** {@code AF_INET6} or {@code AF_UNSPEC}: {@code ai_family} of the hints. */
    public String hintsFamily() { return hintsFamily; }

    public List<AiFlag> flags() { return flags; }

    /** True when only the first address is tried (the book's client). */
    public boolean firstOnly() { return firstOnly; }

    public String description() { return description; }

    /** True for the variants that connect with {@code io.dualsock.Connector} (TCP only). */
    public boolean connector() { return this == HAPPY || this == HAPPY_NAT64; }

    /** The variants a matrix runs when none is named: every one but {@link #HAPPY_NAT64}. */
    public static List<Variant> defaults() { return List.of(BOOK, LOOP, ALL, UNSPEC, HAPPY); }

    public static Variant parse(String s) {
        return SpelledEnum.parse(Variant.class, "variant", s);
    }
}
