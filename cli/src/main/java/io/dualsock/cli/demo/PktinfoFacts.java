package io.dualsock.cli.demo;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.POLLIN;
import static io.dualsock.NativeSocket.SOCK_DGRAM;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.dualsock.ControlMessages;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SockAddr;
import io.dualsock.SocketOptions.IpprotoIp;
import io.dualsock.SocketOptions.IpprotoIpv6;

/**
 * The dual-stack destination-address facts, measured on loopback: an IPv4 and an IPv6 datagram
 * to an AF_INET6 socket on {@code ::} with IPV6_V6ONLY off, with IP_PKTINFO on, IPV6_RECVPKTINFO
 * on, and both; for each, the control messages recvmsg(2) delivered and what each holds. Plain
 * data; {@link DemoText} and {@link DemoJson} print it.
 *
 * @param cases in run order: per option setting, the IPv4 datagram, then the IPv6 one
 */
public record PktinfoFacts(List<Case> cases) {
    public PktinfoFacts {
        cases = List.copyOf(cases);
    }

    /**
     * One datagram.
     *
     * @param ipPktinfo whether IP_PKTINFO was on
     * @param ipv6Recvpktinfo whether IPV6_RECVPKTINFO was on
     * @param server the server socket's getsockname
     * @param clientFamily the sender's socket family
     * @param sentTo the destination the sender gave sendto(2)
     * @param source recvmsg's source, as the kernel wrote it (null when nothing arrived)
     * @param messages every control message, in the kernel's order
     * @param controlTruncated MSG_CTRUNC
     * @param failure the failed call's message, or null
     */
    public record Case(boolean ipPktinfo, boolean ipv6Recvpktinfo, SockAddr server, int clientFamily, SockAddr sentTo,
            SockAddr source, List<Message> messages, boolean controlTruncated, String failure) {
        public Case {
            messages = List.copyOf(messages);
        }

        /** "IP_PKTINFO=1 IPV6_RECVPKTINFO=0". */
        public String options() {
            return "IP_PKTINFO=" + (ipPktinfo ? 1 : 0) + " IPV6_RECVPKTINFO=" + (ipv6Recvpktinfo ? 1 : 0);
        }
    }

    /**
     * One control message.
     *
     * @param name IP_PKTINFO, IPV6_PKTINFO, ...
     * @param address ipi_addr / ipi6_addr (the address the datagram was sent to), null for other kinds
     * @param specDst ipi_spec_dst (IP_PKTINFO only), else null
     * @param ifindex the interface index, -1 for other kinds
     */
    public record Message(String name, String address, String specDst, int ifindex) {}

    /** Runs the six exchanges; every socket is closed before it returns. */
    public static PktinfoFacts measure(int waitMs) {
        List<Case> cases = new ArrayList<>();
        boolean[][] settings = {{true, false}, {false, true}, {true, true}};
        for (boolean[] on : settings) {
            try (NativeSocket server = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
                server.setOption(IpprotoIpv6.IPV6_V6ONLY, false);
                server.setOption(IpprotoIp.IP_PKTINFO, on[0]);
                server.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, on[1]);
                server.bind(Inet6SockAddr.any(0));
                SockAddr bound = server.localAddress();
                cases.add(exchange(server, bound, on, Inet4SockAddr.loopback(bound.port()), waitMs));
                cases.add(exchange(server, bound, on, Inet6SockAddr.loopback(bound.port()), waitMs));
            } catch (NativeSocketException e) {
                cases.add(new Case(on[0], on[1], null, AF_INET6, null, null, List.of(), false, e.getMessage()));
            }
        }
        return new PktinfoFacts(cases);
    }

    private static Case exchange(NativeSocket server, SockAddr bound, boolean[] on, SockAddr to, int waitMs) {
        int family = to instanceof Inet4SockAddr ? AF_INET : AF_INET6;
        try (NativeSocket client = NativeSocket.open(family, SOCK_DGRAM)) {
            client.sendTo(ByteBuffer.wrap("where to?".getBytes(StandardCharsets.US_ASCII)), to);
            if ((server.poll(POLLIN, waitMs) & POLLIN) == 0) {
                return new Case(on[0], on[1], bound, family, to, null, List.of(), false,
                        "nothing arrived (poll waited " + waitMs + " ms)");
            }
            ControlMessages c = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            io.dualsock.SockAddrHolder from = new io.dualsock.SockAddrHolder();
            server.receiveMessage(ByteBuffer.allocateDirect(64), from, c, 0);
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < c.count(); i++) {
                String name = c.name(i);
                messages.add(switch (name) {
                    case "IP_PKTINFO" -> new Message(name, c.ipPktinfoAddress().address(), c.ipPktinfoSpecDst().address(),
                            c.ipPktinfoIfindex());
                    case "IPV6_PKTINFO" -> new Message(name, c.ipv6PktinfoAddress().address(), null, c.ipv6PktinfoIfindex());
                    default -> new Message(name, null, null, -1);
                });
            }
            return new Case(on[0], on[1], bound, family, to, from.sockAddr(), messages, c.isControlTruncated(), null);
        } catch (NativeSocketException e) {
            return new Case(on[0], on[1], bound, family, to, null, List.of(), false, e.getMessage());
        }
    }
}
