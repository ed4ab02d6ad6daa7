package io.dualsock.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;

/**
 * {@code getaddrinfo} through dualsock (one FFI crossing, results decoded from the flat buffer)
 * against C (cbench gai.*: getaddrinfo + freeaddrinfo) and {@link InetAddress#getAllByName}.
 * Names: numeric literals and {@code localhost} only, which /etc/hosts answers; nothing here may
 * make the resolver send a DNS query (localhost is asked with AF_UNSPEC: with AF_INET6 alone the
 * files backend finds no IPv6 entry and glibc would go on to DNS).
 */
@State(Scope.Thread)
public class ResolverBench extends BenchDefaults {
    static final String NUMERIC = "198.51.100.7";
    static final String LOCALHOST = "localhost";

    final Hints numericHints = Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.NUMERICHOST).build();
    final Hints localhostHints = Hints.builder().unspec().stream().build();

    @Benchmark
    public List<AddrInfo> numericV4Mapped() throws ResolverException {
        return Resolver.getaddrinfo(NUMERIC, null, numericHints);
    }

    @Benchmark
    public List<AddrInfo> localhost() throws ResolverException {
        return Resolver.getaddrinfo(LOCALHOST, null, localhostHints);
    }

    /** The JDK parses a literal itself: no resolver call at all. */
    @Benchmark
    public InetAddress[] jdkNumeric() throws UnknownHostException {
        return InetAddress.getAllByName(NUMERIC);
    }

    /** With the JDK's address cache on (its default: 30 s for successful lookups). */
    @Benchmark
    public InetAddress[] jdkLocalhostCached() throws UnknownHostException {
        return InetAddress.getAllByName(LOCALHOST);
    }
}
