package io.dualsock.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code InetAddress.getAllByName} answered by dualsock's resolver provider against the JDK's
 * built-in resolver, the JDK's address cache off in both ({@code networkaddress.cache.ttl=0}
 * through its system property): every call of a name reaches the resolver. One JMH run, a fork
 * per side: {@code -Ddualsock.resolver=off} makes the built-in side. Needs Java 18+ and the
 * resolver-provider jar on the class path, which JMH's forks inherit ({@code benchmarks/run.sh
 * --only provider} does both). Names: {@code localhost} (AF_UNSPEC, /etc/hosts) and a literal, which
 * the JDK parses itself and hands to no resolver: its row shows that the provider adds nothing there.
 */
@Fork(value = 1, jvmArgsAppend = {ResolverProviderBench.GC, ResolverProviderBench.NO_CACHE, ResolverProviderBench.NO_NEGATIVE_CACHE})
@State(Scope.Thread)
public class ResolverProviderBench extends BenchDefaults {
    static final String GC = "-XX:+UseParallelGC";
    static final String NO_CACHE = "-Dsun.net.inetaddr.ttl=0";
    static final String NO_NEGATIVE_CACHE = "-Dsun.net.inetaddr.negative.ttl=0";
    /** Makes the fork's resolver the JDK's built-in one. */
    static final String OFF = "-Ddualsock.resolver=off";

    @Setup
    public void check() {
        if (Runtime.version().feature() < 18) throw new IllegalStateException("the resolver SPI needs Java 18+");
        try {
            Class.forName("io.dualsock.resolver.DualsockResolverProvider");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("dualsock-resolver-provider is not on the class path: run benchmarks/run.sh --only provider");
        }
    }

    // dualsock's provider (the class-level fork)

    @Benchmark
    public InetAddress[] providerLocalhost() throws UnknownHostException {
        return InetAddress.getAllByName(ResolverBench.LOCALHOST);
    }

    @Benchmark
    public InetAddress[] providerNumeric() throws UnknownHostException {
        return InetAddress.getAllByName(ResolverBench.NUMERIC);
    }

    // the JDK's built-in resolver: the same fork with the provider off

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {GC, NO_CACHE, NO_NEGATIVE_CACHE, OFF})
    public InetAddress[] builtinLocalhost() throws UnknownHostException {
        return InetAddress.getAllByName(ResolverBench.LOCALHOST);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {GC, NO_CACHE, NO_NEGATIVE_CACHE, OFF})
    public InetAddress[] builtinNumeric() throws UnknownHostException {
        return InetAddress.getAllByName(ResolverBench.NUMERIC);
    }
}
