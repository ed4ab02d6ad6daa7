package io.dualsock.cli.demo;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;

import java.util.Arrays;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.SockAddr;
import io.dualsock.cli.demo.DemoReport.Attempt;
import io.dualsock.cli.demo.DemoReport.Failure;
import io.dualsock.cli.demo.DemoReport.Proto;
import io.dualsock.cli.demo.DemoReport.Scenario;
import io.dualsock.cli.demo.DemoReport.ServerView;

/**
 * The "seen" sentence for an attempt: what the kernel did, worded from the recorded facts
 * (families, addresses, errno names), never from what the scenario was expected to show. An
 * outcome the book does not predict gets the same treatment, so it reads as what it was.
 */
final class DemoExplain {
    private DemoExplain() {}

    static String attempt(Scenario s, Attempt a) {
        if (Attempt.VIA_RAW_SHIM.equals(a.via())) return raw(a);
        if (a.ok()) return success(s, a);
        Failure f = a.failure();
        if (f.beforeKernel()) {
            return "dualsock refused the " + f.call() + " before any system call: the " + Names.family(a.socketFamily())
                    + " socket cannot take " + a.destination() + " (" + sockaddrOf(a.destination())
                    + "), so nothing was sent; the next line asks the kernel itself.";
        }
        return failed(s, a, f);
    }

    private static String raw(Attempt a) {
        Failure f = a.failure();
        String what = "The same " + (a.mode().equals("sendto") ? "sendto" : "connect") + " made through the shim, without "
                + "dualsock's check: ";
        if (f == null) {
            return what + "the kernel accepted " + a.destination() + " on the " + Names.family(a.socketFamily())
                    + " socket (" + serverPart(a.server()) + ").";
        }
        String why = switch (String.valueOf(f.errno())) {
            case "EAFNOSUPPORT" -> ": the address says " + Names.family(a.destination().family()) + ", and an "
                    + Names.family(a.socketFamily()) + " socket supports no other family";
            case "EINVAL" -> ": the kernel found the address length or contents invalid for this socket";
            default -> "";
        };
        return what + "the kernel answered " + f.errno() + why + "; " + serverPart(a.server()) + ".";
    }

    private static String success(Scenario s, Attempt a) {
        StringBuilder sb = new StringBuilder();
        sb.append(wire(a)).append(" on the wire");
        sb.append(a.socketFamily() == AF_INET ? " (an AF_INET client). "
                : isMapped(a.destination()) ? " (the AF_INET6 client's destination is mapped, so the kernel spoke IPv4). "
                : " (AF_INET6 to an IPv6 address). ");
        ServerView v = a.server();
        String serverSock = "The " + Names.family(s.server().family()) + " server's " + v.call() + "()";
        SockAddr clientSelf = a.local();
        if (v.peer() instanceof Inet6SockAddr p6 && p6.isV4Mapped()) {
            sb.append(serverSock).append(" gave the client as ").append(v.peer())
                    .append(": the kernel wrote the IPv4 source ").append(p6.v4())
                    .append(" into a sockaddr_in6 in mapped form");
            sb.append(sameEndpoint(p6.v4(), clientSelf));
        } else if (v.peer() instanceof Inet4SockAddr p4) {
            sb.append(serverSock).append(" gave the client as ").append(p4).append(", an ordinary IPv4 peer");
            if (clientSelf instanceof Inet6SockAddr c6 && c6.isV4Mapped()) {
                sb.append(", while the client's own getsockname() says ").append(c6)
                        .append(": the same IPv4 endpoint, which an AF_INET6 socket can only show mapped");
            } else {
                sb.append(sameEndpoint(p4, clientSelf));
            }
        } else {
            sb.append(serverSock).append(" gave the client as ").append(v.peer()).append(", an IPv6 peer");
        }
        sb.append('.');
        if (s.proto() == Proto.UDP && a.mode().equals("sendto") && a.reply() != null) {
            sb.append(" The server replied to that address unchanged, and the client's recvfrom() names the sender ")
                    .append(a.reply().source()).append('.');
        } else if (a.peer() != null) {
            sb.append(" The client's getpeername() is ").append(a.peer()).append('.');
        }
        return sb.toString();
    }

    private static String failed(Scenario s, Attempt a, Failure f) {
        String wire = wire(a);
        int port = a.destination().port();
        boolean v6onlyServer = Boolean.TRUE.equals(s.server().v6only());
        String onlySocket = v6onlyServer && wire.equals("IPv4")
                ? " (the only socket on port " + port + " is the AF_INET6 one with IPV6_V6ONLY=1)" : "";
        String errno = String.valueOf(f.errno());
        if (a.mode().equals("connect") && errno.equals("ECONNREFUSED")) {
            return "connect() got ECONNREFUSED: the kernel answered the " + wire + " SYN with a reset, because no socket "
                    + "accepts " + wire + " connections on port " + port + onlySocket + "; " + serverPart(a.server()) + ".";
        }
        if (a.mode().equals("connect+send") && f.call().equals("recv") && errno.equals("ECONNREFUSED")) {
            return "send() succeeded (UDP has no handshake) and " + serverPart(a.server()) + "; recv() got ECONNREFUSED: "
                    + "the kernel answered the undeliverable " + wire + " datagram with ICMP port unreachable"
                    + onlySocket + ", and Linux reports that error on a connected UDP socket.";
        }
        if (a.mode().equals("sendto") && f.call().equals("recvfrom") && errno.equals("EAGAIN") && !a.server().arrived()) {
            return "sendto() succeeded (UDP has no handshake), but nothing came back within "
                    + a.server().waitedMs() + " ms (recvfrom: EAGAIN from SO_RCVTIMEO) and the server's recvfrom() saw "
                    + "nothing: the " + wire + " datagram was dropped" + onlySocket + "; an unconnected UDP socket is not "
                    + "told about ICMP errors.";
        }
        return f.call() + "() failed with " + (f.errno() == null ? "no errno (" + f.message() + ")" : f.errno()) + "; "
                + serverPart(a.server()) + ".";
    }

    private static String serverPart(ServerView v) {
        if (v == null) return "the server was not consulted";
        if (!v.arrived()) {
            return v.failure() != null ? "the server's check failed with " + v.failure().errno()
                    : "the server's " + v.call() + "() saw nothing";
        }
        return "the server's " + v.call() + "() saw " + v.peer();
    }

    private static String sameEndpoint(SockAddr seenByServer, SockAddr clientSelf) {
        if (clientSelf == null) return "";
        if (clientSelf.equals(seenByServer)) return " (the client's own getsockname() says " + clientSelf + ")";
        if (clientSelf.port() == seenByServer.port() && isWildcard(clientSelf)) {
            return " (the unconnected client's getsockname() says " + clientSelf + ": same port, the address was chosen per "
                    + "datagram)";
        }
        return " (the client's own getsockname() says " + clientSelf + ")";
    }

    /** IPv4 when an AF_INET socket sent it or the destination is mapped; the kernel chose nothing else. */
    private static String wire(Attempt a) {
        return a.socketFamily() == AF_INET || isMapped(a.destination()) ? "IPv4" : "IPv6";
    }

    private static boolean isMapped(SockAddr a) {
        return a instanceof Inet6SockAddr a6 && a6.isV4Mapped();
    }

    private static boolean isWildcard(SockAddr a) {
        return Arrays.equals(a.addressBytes(), new byte[a.addressBytes().length]);
    }

    private static String sockaddrOf(SockAddr a) {
        return a.family() == AF_INET6 ? "a 16-byte address in a struct sockaddr_in6" : "a struct sockaddr_in";
    }
}
