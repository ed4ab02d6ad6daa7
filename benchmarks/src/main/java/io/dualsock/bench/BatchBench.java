package io.dualsock.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.dualsock.DatagramBatch;
import io.dualsock.EncodedSockAddr;
import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;

/**
 * The batch path, per datagram: sendmmsg of 64 datagrams of 64 bytes, one UDP_SEGMENT send of
 * 64 segments, recvmmsg of 64 at a time from a full queue. The single-call and JDK peers are in
 * {@link UdpBench}; the C loops are cbench batch.*.
 */
public class BatchBench extends BenchDefaults {
    static final int SLOTS = 64;
    static final int N = UdpBench.N;

    @State(Scope.Thread)
    public static class Send {
        NativeSocket sink;
        NativeSocket s4;
        EncodedSockAddr to4;
        DatagramBatch batch;
        ByteBuffer segments;

        @Setup
        public void setup() throws IOException {
            sink = Loopback.sink();
            to4 = EncodedSockAddr.of(Inet4SockAddr.loopback(Loopback.port(sink)));
            s4 = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
            batch = Loopback.batchTo(to4, SLOTS, Loopback.PAYLOAD);
            ByteBuffer payload = Loopback.payload();
            for (int i = 0; i < SLOTS; i++) batch.data(i).put(0, payload, 0, Loopback.PAYLOAD);
            segments = ByteBuffer.allocateDirect(SLOTS * Loopback.PAYLOAD);
        }

        @TearDown
        public void tearDown() {
            s4.close();
            sink.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(SLOTS)
    public int sendBatch4(Send s) throws IOException {
        int sent = 0;
        while (sent < SLOTS) sent += s.batch.send(s.s4, sent, SLOTS - sent);
        return sent;
    }

    @Benchmark
    @OperationsPerInvocation(SLOTS)
    public int sendSegmented4(Send s) throws IOException {
        s.segments.clear();
        return DatagramBatch.sendSegmented(s.s4, s.segments, Loopback.PAYLOAD, s.to4);
    }

    /** UdpBench's dual-stack receiver on :: with its filler (N datagrams queued before each invocation), and a batch. */
    @State(Scope.Thread)
    public static class Recv extends UdpBench.NativeQueue {
        final DatagramBatch batch = DatagramBatch.allocate(SLOTS, 4 * Loopback.PAYLOAD);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int recvBatch6(Recv r) throws IOException {
        int got = 0;
        while (got < N) got += r.batch.receive(r.r, 0, Math.min(SLOTS, N - got), 0);
        return got;
    }
}
