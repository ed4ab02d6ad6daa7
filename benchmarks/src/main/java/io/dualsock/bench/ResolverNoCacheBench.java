package io.dualsock.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The JDK's lookup of localhost with its address cache off (own fork): every call reaches getaddrinfo. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Dsun.net.inetaddr.ttl=0"})
@State(Scope.Thread)
public class ResolverNoCacheBench {
    @Benchmark
    public InetAddress[] jdkLocalhostNoCache() throws UnknownHostException {
        return InetAddress.getAllByName(ResolverBench.LOCALHOST);
    }
}
