package io.dualsock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * RFC 7050 NAT64 prefix discovery with a cache per network: {@code getaddrinfo("ipv4only.arpa",
 * NULL, {AF_INET6, SOCK_STREAM})} through libc (only AAAA answers: no {@code AI_V4MAPPED}), the
 * prefixes located in the answers by {@link Nat64#fromAnswers}, kept for the TTL of the AAAA
 * records. The query goes to the DNS servers this process is configured with, so on an ordinary
 * machine it leaves the machine. {@link Nat64#discover()} uses {@link #system()}.
 *
 * <p><b>TTL.</b> getaddrinfo reports none, so a second query in the DNS wire format, AAAA
 * {@code ipv4only.arpa} over UDP to the {@code nameserver}s of {@code /etc/resolv.conf}, reads
 * the answer's TTL (the smallest of its AAAA records). When that query gets no AAAA record the
 * TTL is unknown and the result is not cached.
 *
 * <p><b>Network.</b> The cache key is the network namespace of the calling thread
 * ({@code /proc/thread-self/ns/net}, its inode) plus the {@code nameserver} lines of
 * {@code /etc/resolv.conf}: another namespace, or a resolv.conf that names other servers (DHCP
 * or router advertisements moving the host to another network rewrite it), is another network.
 * Within one key, the TTL bounds how stale an answer gets; {@link #forget()} drops everything.
 *
 * <p>Found nothing ({@code EAI_NONAME}/{@code EAI_NODATA}: no DNS64 on this network, or AAAA
 * answers without a well-known address) is a {@link Result} with no prefix and is not cached;
 * any other resolver failure is a {@link ResolverException}. Thread-safe.
 */
public final class Nat64Discovery {
    private static final Nat64Discovery SYSTEM = new Nat64Discovery(System::nanoTime);

    private final LongSupplier clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Result result, long expiresNanos) {}

    /**
     * What one discovery saw.
     *
     * @param prefixes the NAT64 prefixes, in the order of the answers that gave them; empty when none
     * @param answers the AAAA addresses getaddrinfo returned for {@code ipv4only.arpa}, port 0
     * @param ttlSeconds the smallest TTL of the AAAA records, -1 when unknown
     * @param ttlFrom the DNS server whose answer gave the TTL, or why the TTL is unknown
     * @param network the cache key (see the class comment)
     * @param cached true when this came from the cache without a query
     * @param secondsLeft how long the cache keeps this (at the time of the call), 0 when it does not
     * @param none why nothing was found ({@code EAI_NODATA ...}), null when prefixes were found
     */
    public record Result(List<Nat64> prefixes, List<Inet6SockAddr> answers, long ttlSeconds, String ttlFrom, String network,
                         boolean cached, long secondsLeft, String none) {
        /** Copies the lists. */
        public Result {
            prefixes = List.copyOf(prefixes);
            answers = List.copyOf(answers);
        }
    }

    /**
     * A discovery with its own cache and clock.
     *
     * @param clockNanos monotonic nanoseconds, like {@link System#nanoTime()} (a test passes its own)
     */
    public Nat64Discovery(LongSupplier clockNanos) {
        this.clock = Objects.requireNonNull(clockNanos, "clockNanos");
    }

    /** The process-wide discovery {@link Nat64#discover()} uses, on {@link System#nanoTime()}. */
    public static Nat64Discovery system() {
        return SYSTEM;
    }

    /**
     * The prefixes of the network this thread is on: from the cache while the TTL lasts, else by
     * querying (see the class comment).
     *
     * @throws ResolverException for a resolver failure other than "no such name/no AAAA record"
     *     ({@code EAI_AGAIN}, {@code EAI_FAIL}, {@code EAI_SYSTEM}, …); nothing is cached then
     */
    public Result discover() throws ResolverException {
        DnsTtl.Conf conf = DnsTtl.Conf.read();
        String network = networkKey(conf);
        long now = clock.getAsLong();
        Cached c = cache.get(network);
        if (c != null && now - c.expiresNanos < 0) {
            Result r = c.result;
            return new Result(r.prefixes(), r.answers(), r.ttlSeconds(), r.ttlFrom(), network, true,
                    (c.expiresNanos - now) / 1_000_000_000L, null);
        }
        cache.remove(network);
        List<AddrInfo> got;
        try {
            got = Resolver.getaddrinfo(Nat64.IPV4ONLY_ARPA, null, Hints.builder().inet6().stream().build());
        } catch (ResolverException e) {
            if (e.codeName().equals("EAI_NONAME") || e.codeName().equals("EAI_NODATA")) {
                return new Result(List.of(), List.of(), -1, "no query: nothing to cache", network, false, 0,
                        e.codeName() + ": " + Nat64.IPV4ONLY_ARPA + " has no IPv6 address here (no DNS64 on this network)");
            }
            throw e;
        }
        List<Inet6SockAddr> answers = new ArrayList<>();
        for (AddrInfo ai : got) {
            if (ai.address() instanceof Inet6SockAddr a6) {
                Inet6SockAddr bare = Inet6SockAddr.ofOwned(a6.addressBytes(), 0, 0, 0);
                if (!answers.contains(bare)) answers.add(bare);
            }
        }
        List<Nat64> prefixes = Nat64.fromAnswers(answers);
        if (prefixes.isEmpty()) {
            return new Result(List.of(), answers, -1, "no query: nothing to cache", network, false, 0,
                    "no answer embeds 192.0.0.170 or 192.0.0.171 at an RFC 6052 position (AAAA records that DNS64 did not synthesize)");
        }
        DnsTtl.Ttl ttl = DnsTtl.aaaa(Nat64.IPV4ONLY_ARPA, conf);
        long left = ttl.known() ? ttl.seconds() : 0;
        Result r = new Result(prefixes, answers, ttl.seconds(), ttl.known() ? ttl.server() : "unknown: " + ttl.why(), network, false,
                left, null);
        if (left > 0) cache.put(network, new Cached(r, now + left * 1_000_000_000L));
        return r;
    }

    /** Drops every cached result. */
    public void forget() {
        cache.clear();
    }

    /** {@code net:[4026532296] nameserver 198.51.100.54 2001:db8::54}: this thread's namespace and the servers. */
    static String networkKey(DnsTtl.Conf conf) {
        String ns;
        try {
            ns = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            ns = "net:[unknown]";
        }
        return ns + " nameserver " + String.join(" ", conf.nameservers());
    }
}
