package io.dualsock.cli.demo;

import java.util.List;
import java.util.Objects;

import io.dualsock.AddrInfo;
import io.dualsock.Hints;
import io.dualsock.Inet6SockAddr;
import io.dualsock.SockAddr;

/**
 * What {@link Demo#run()} saw: for every scenario, the sockets each side made, the getaddrinfo
 * answer, and every attempt with the addresses both sides observed and the errno of each
 * failure. Plain data, filled only from what the kernel and libc returned; it judges nothing
 * (the tests do), and the printers ({@link DemoText}, {@link DemoJson}) explain it.
 *
 * @param bindv6only {@code /proc/sys/net/ipv6/bindv6only} as read ("0", "1"), or a note why
 *     it could not be read: the {@code IPV6_V6ONLY} default of new sockets
 * @param options the timeouts and message the run used
 * @param scenarios in run order: 1 TCP, 1 UDP, 2 TCP, ...
 */
public record DemoReport(String bindv6only, Demo.Options options, List<Scenario> scenarios) {

    public DemoReport {
        scenarios = List.copyOf(scenarios);
    }

    /** The scenario with this number and protocol. @throws IllegalArgumentException when absent */
    public Scenario scenario(int number, Proto proto) {
        for (Scenario s : scenarios) {
            if (s.number() == number && s.proto() == proto) return s;
        }
        throw new IllegalArgumentException("no scenario " + number + " " + proto);
    }

    public enum Proto {
        TCP, UDP;

        public String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One scenario for one protocol.
     *
     * @param number 1..4
     * @param title one line, e.g. "IPv4 client -> IPv6 server on :: with IPV6_V6ONLY=0"
     * @param reference the book's section, e.g. "UNP §12.2"
     * @param book what the book says happens (the expectation, not the result)
     * @param server the server socket
     * @param client the client's getaddrinfo question and answer
     * @param attempts what the client tried, in order, each with what the server saw of it
     * @param notes facts about the setup worth knowing (e.g. a port check), possibly none
     */
    public record Scenario(int number, Proto proto, String title, String reference, String book, ServerSide server,
            ClientSide client, List<Attempt> attempts, List<String> notes) {
        public Scenario {
            attempts = List.copyOf(attempts);
            notes = List.copyOf(notes);
        }

        /** "1-tcp". */
        public String id() {
            return number + "-" + proto.lower();
        }
    }

    /**
     * The server socket.
     *
     * @param family AF_INET or AF_INET6 given to socket(2)
     * @param socktype SOCK_STREAM or SOCK_DGRAM
     * @param v6onlySet the IPV6_V6ONLY value given to setsockopt, null when not set (AF_INET)
     * @param v6only IPV6_V6ONLY as getsockopt read it back after bind, null for AF_INET
     * @param bindAddress what bind(2) was given (port 0: the kernel picks)
     * @param bound what getsockname(2) reported after bind
     * @param failure why the server could not be set up, null when it was
     */
    public record ServerSide(int family, int socktype, Boolean v6onlySet, Boolean v6only, SockAddr bindAddress,
            SockAddr bound, Failure failure) {}

    /**
     * The client's getaddrinfo call.
     *
     * @param host the node argument
     * @param service the service argument (the server's port, as text)
     * @param hints exactly what libc got
     * @param socketFamily the family the client gives socket(2): each result's ai_family,
     *     except in scenario 4, which uses AF_INET for an AF_INET6 result on purpose
     * @param results libc's answer in libc's order (empty when it failed)
     * @param resolverError the EAI_* name when getaddrinfo failed, else null
     */
    public record ClientSide(String host, String service, Hints hints, int socketFamily, List<AddrInfo> results,
            String resolverError) {
        public ClientSide {
            results = List.copyOf(results);
        }
    }

    /**
     * One try of the client and what came of it.
     *
     * @param mode {@code connect} (TCP), {@code sendto} (unconnected UDP) or {@code connect+send}
     *     (connected UDP)
     * @param via {@link #VIA_NATIVE_SOCKET}, or {@link #VIA_RAW_SHIM} for a call that bypasses
     *     dualsock's argument checks to hear the kernel's own answer
     * @param socketFamily the client socket's family
     * @param socktype the client socket's type
     * @param destination the address passed to connect/sendto (a getaddrinfo result)
     * @param failure the first call that failed, null when the round trip completed
     * @param local the client's getsockname after connect/sendto, null when it failed earlier
     * @param peer the client's getpeername, null when not connected
     * @param sent bytes the client sent, -1 when it sent nothing
     * @param reply what came back to the client, null when nothing did
     * @param server what the server saw meanwhile
     */
    public record Attempt(String mode, String via, int socketFamily, int socktype, SockAddr destination, Failure failure,
            SockAddr local, SockAddr peer, int sent, Reply reply, ServerView server) {
        public static final String VIA_NATIVE_SOCKET = "NativeSocket";
        public static final String VIA_RAW_SHIM = "raw shim";

        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * A failed call.
     *
     * @param call the system call ("connect", "recvfrom", ...)
     * @param errno the kernel's errno name, or null when there is none: the call never reached
     *     the kernel ({@code beforeKernel}), or it succeeded but the stream ended before a reply
     * @param message the full message (errno number and strerror text, or dualsock's reason)
     * @param beforeKernel true when dualsock refused the arguments before any system call
     */
    public record Failure(String call, String errno, String message, boolean beforeKernel) {
        public Failure {
            Objects.requireNonNull(call, "call");
        }
    }

    /**
     * What reached the client.
     *
     * @param bytes bytes received
     * @param text the bytes as text
     * @param source recvfrom's source for unconnected UDP, else the connected peer
     */
    public record Reply(int bytes, String text, SockAddr source) {}

    /**
     * What the server saw of one attempt.
     *
     * @param call {@code accept} or {@code recvfrom}
     * @param arrived false when poll(2) reported nothing within {@code waitedMs}
     * @param waitedMs the most the server waited
     * @param peer accept's peer or recvfrom's source, exactly as the kernel wrote it
     * @param local the accepted socket's getsockname (TCP), or the server socket's bound address (UDP)
     * @param received bytes the server read, -1 when none
     * @param echoed bytes it sent back, -1 when none
     * @param failure a failed server call, or null
     */
    public record ServerView(String call, boolean arrived, long waitedMs, SockAddr peer, SockAddr local, int received,
            int echoed, Failure failure) {
        static ServerView nothing(String call, long waitedMs) {
            return new ServerView(call, false, waitedMs, null, null, -1, -1, null);
        }

        /** True when the peer is an IPv4-mapped IPv6 address. */
        public boolean peerMapped() {
            return peer instanceof Inet6SockAddr a6 && a6.isV4Mapped();
        }
    }
}
