package io.dualsock.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The JDK's lookup of localhost with its address cache off (own fork): every call reaches getaddrinfo. */
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Dsun.net.inetaddr.ttl=0"})
@State(Scope.Thread)
public class ResolverNoCacheBench extends BenchDefaults {
    @Benchmark
    public InetAddress[] jdkLocalhostNoCache() throws UnknownHostException {
        return InetAddress.getAllByName(ResolverBench.LOCALHOST);
    }
}
