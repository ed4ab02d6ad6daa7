package io.dualsock.fault;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.dualsock.AiFlag;
import io.dualsock.ClosedSocketException;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;

/**
 * Child-JVM side of {@link DescriptorExhaustionTest}, run under a low {@code ulimit -n}: uses up
 * every descriptor with sockets and prints, one fact per line, what dualsock reported while
 * none was left and after they were freed.
 */
public final class EmfileChild {
    private EmfileChild() {}

    public static void main(String[] args) throws Exception {
        // Everything this probe will need is loaded before the descriptors run out.
        Class.forName(NativeSocketException.class.getName());
        Class.forName(ClosedSocketException.class.getName());
        Class.forName(ResolverException.class.getName());
        Hints numeric = Hints.builder().inet().stream().flags(AiFlag.NUMERICHOST).build();
        Hints addrconfig = Hints.builder().stream().flags(AiFlag.NUMERICHOST, AiFlag.ADDRCONFIG).build();
        Resolver.getaddrinfo("127.0.0.1", "80", numeric);
        Resolver.getaddrinfo("127.0.0.1", "80", addrconfig);
        // The error paths too (errno names, message building): loading a class needs a descriptor
        // for its jar or directory, which `mvn test` from target/classes does not hold open.
        try (NativeSocket notListening = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            notListening.accept();
            throw new AssertionError("accept on a socket that is not listening succeeded");
        } catch (NativeSocketException expected) {
            expected.getMessage();
        }
        try {
            Resolver.getaddrinfo("not-a-number", "80", numeric);
            throw new AssertionError("AI_NUMERICHOST accepted a name");
        } catch (ResolverException expected) {
            expected.getMessage();
        }

        NativeSocket listener = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
        listener.bind(Inet4SockAddr.loopback(0));
        listener.listen(8);
        SockAddr at = listener.localAddress();
        // and the success paths of accept and recv, which run when a single descriptor is free
        try (NativeSocket warm = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            warm.connect(at);
            warm.send("warm".getBytes());
            try (NativeSocket in = listener.accept().socket()) {
                ByteBuffer b = ByteBuffer.allocateDirect(8);
                in.recv(b);
            }
        }
        NativeSocket client = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
        client.connect(at);
        client.send("waiting in the backlog".getBytes());
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        long baseline = FaultSupport.openDescriptors();
        System.out.println("BASELINE " + baseline);

        List<NativeSocket> held = new ArrayList<>();
        String error = null;
        for (int i = 0; i < 100_000 && error == null; i++) {
            try {
                held.add(NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM));
            } catch (NativeSocketException e) {
                error = e.errnoName() + "|" + e.call() + "|" + e.getMessage();
            }
        }
        System.out.println("OPENED " + held.size());
        System.out.println("OPEN-ERROR " + error);
        // a few more attempts while exhausted: each must fail the same way and leak nothing
        for (int i = 0; i < 50; i++) {
            try {
                NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM).close();
                System.out.println("UNEXPECTED-OPEN");
            } catch (NativeSocketException e) {
                if (!"EMFILE".equals(e.errnoName())) System.out.println("OTHER-ERROR " + e.getMessage());
            }
        }
        try {
            listener.accept();
            System.out.println("ACCEPT ok");
        } catch (NativeSocketException e) {
            System.out.println("ACCEPT-ERROR " + e.errnoName() + "|" + e.call() + "|" + e.getMessage());
        }
        report("GAI-NUMERIC", "127.0.0.1", numeric);
        report("GAI-ADDRCONFIG", "127.0.0.1", addrconfig);

        // free one descriptor: the connection that waited in the backlog is accepted, intact
        held.remove(held.size() - 1).close();
        try (NativeSocket s = listener.accept().socket()) {
            buf.clear();
            int n = s.recv(buf);
            buf.flip();
            byte[] b = new byte[n];
            buf.get(b);
            System.out.println("RECOVERED-ACCEPT " + new String(b));
        }
        for (NativeSocket s : held) s.close();
        held.clear();
        try (NativeSocket s = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM)) {
            System.out.println("RECOVERED-OPEN " + (s.fd() >= 0));
        }
        report("RECOVERED-GAI-ADDRCONFIG", "127.0.0.1", addrconfig);
        System.out.println("END " + FaultSupport.openDescriptors());
        client.close();
        listener.close();
    }

    private static void report(String key, String host, Hints hints) {
        try {
            System.out.println(key + " ok " + Resolver.getaddrinfo(host, "80", hints).size());
        } catch (ResolverException e) {
            System.out.println(key + " " + e.codeName() + "|" + e.errnoName() + "|" + e.getMessage());
        }
    }
}
