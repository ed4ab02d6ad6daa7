package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.ClosedSocketException;
import io.dualsock.ControlMessages;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions.IpprotoIpv6;

/**
 * Replying from the right address on a multi-homed host: the server host has two IPv4 and two
 * IPv6 addresses; a client host sends one datagram to each from a connected UDP socket, which
 * accepts a reply only from the address it sent to. The dualsock server (one AF_INET6 socket on
 * :: with IPV6_V6ONLY off, IPV6_RECVPKTINFO on, each reply sent with the arrival address as its
 * IPV6_PKTINFO source) is answered at all four. The JDK's DatagramChannel on the wildcard, which
 * cannot read the arrival address, replies from whatever source routing picks: recorded per
 * address (docs/sockets.md, "Replying from the arrival address").
 */
class ReplySourceLabTest {
    static final String[] SERVER_ADDRESSES = {"198.51.100.10", "198.51.100.11", "2001:db8::10", "2001:db8::11"};
    static final int DUALSOCK_PORT = 7100;
    static final int JDK_PORT = 7101;
    /** How long the client waits for a reply that may have been dropped (loopback-fast otherwise). */
    static final int REPLY_WAIT_MS = 1500;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(topology(), NameSource.FILES);

    static Topology topology() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("description", "a multi-homed UDP server: two IPv4 and two IPv6 addresses");
        ArrayNode hosts = o.putArray("hosts");
        ObjectNode srv = hosts.addObject();
        srv.put("name", "srv");
        srv.put("stack", "dual-stack");
        srv.put("ipv4", SERVER_ADDRESSES[0]);
        srv.put("ipv6", SERVER_ADDRESSES[2]);
        srv.putArray("names").add("srv.reply.test");
        srv.putArray("addresses").add(SERVER_ADDRESSES[1] + "/24").add(SERVER_ADDRESSES[3] + "/64");
        ObjectNode cli = hosts.addObject();
        cli.put("name", "cli");
        cli.put("stack", "dual-stack");
        cli.put("ipv4", "198.51.100.20");
        cli.put("ipv6", "2001:db8::20");
        cli.putArray("names").add("cli.reply.test");
        return TopologyJson.parse(o.toString(), "ReplySourceLabTest");
    }

    /** The dualsock server: receiveMessage, then sendMessage back with addReplySource. */
    static void dualsockServe(NativeSocket s) {
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        SockAddrHolder from = new SockAddrHolder();
        ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
        ControlMessages out = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
        try {
            for (;;) {
                b.clear();
                s.receiveMessage(b, from, in, 0);
                b.flip();
                s.sendMessage(b, from, out.clear().addReplySource(in), 0);
            }
        } catch (ClosedSocketException e) {
            // the test is over
        } catch (NativeSocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK server: receive, send back to the source (it cannot choose the source address). */
    static void jdkServe(DatagramChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(2048);
        try {
            for (;;) {
                b.clear();
                SocketAddress from = ch.receive(b);
                b.flip();
                ch.send(b, from);
            }
        } catch (IOException e) {
            // closed: the test is over
        }
    }

    /** One datagram from a connected socket to addr:port; the reply's text, or why none came. */
    static String ask(String addr, int port) throws IOException {
        SockAddr to = SockAddr.parse(addr, port);
        try (NativeSocket c = NativeSocket.open(to.family(), NativeSocket.SOCK_DGRAM)) {
            c.connect(to);
            c.send(ByteBuffer.wrap(("to " + addr).getBytes(StandardCharsets.US_ASCII)));
            if ((c.poll(NativeSocket.POLLIN, REPLY_WAIT_MS) & NativeSocket.POLLIN) == 0) {
                return "no reply within " + REPLY_WAIT_MS + " ms (the connected socket drops datagrams from other sources)";
            }
            ByteBuffer r = ByteBuffer.allocate(2048);
            c.recv(r);
            r.flip();
            return "reply '" + StandardCharsets.US_ASCII.decode(r) + "' from " + c.peerAddress().address();
        }
    }

    /** The same from an unconnected socket, which takes a reply from anywhere: where the reply came from. */
    static String askUnconnected(String addr, int port) throws IOException {
        SockAddr to = SockAddr.parse(addr, port);
        try (NativeSocket c = NativeSocket.open(to.family(), NativeSocket.SOCK_DGRAM)) {
            c.sendTo(ByteBuffer.wrap(("to " + addr).getBytes(StandardCharsets.US_ASCII)), to);
            if ((c.poll(NativeSocket.POLLIN, REPLY_WAIT_MS) & NativeSocket.POLLIN) == 0) return "no reply";
            SockAddr from = c.recvFrom(ByteBuffer.allocate(2048));
            return "an unconnected client gets it from " + from.address();
        }
    }

    @Test
    void dualsockRepliesFromTheArrivalAddressTheJdkDoesNot() throws Exception {
        Lab lab = LAB.lab();
        LabHost srv = lab.host("srv");
        LabHost cli = lab.host("cli");
        NativeSocket ds = srv.inNetwork(() -> {
            NativeSocket s = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM);
            s.setOption(IpprotoIpv6.IPV6_V6ONLY, false);
            s.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, true);
            s.bind(Inet6SockAddr.any(DUALSOCK_PORT));
            return s;
        });
        DatagramChannel jdk = srv.inNetwork(() -> DatagramChannel.open().bind(new InetSocketAddress(JDK_PORT)));
        Thread t1 = new Thread(() -> dualsockServe(ds), "reply-dualsock");
        Thread t2 = new Thread(() -> jdkServe(jdk), "reply-jdk");
        t1.start();
        t2.start();
        Map<String, String> dualsock = new LinkedHashMap<>();
        Map<String, String> jdkReplies = new LinkedHashMap<>();
        try {
            cli.inNetwork(() -> {
                for (String a : SERVER_ADDRESSES) dualsock.put(a, ask(a, DUALSOCK_PORT));
                for (String a : SERVER_ADDRESSES) {
                    String r = ask(a, JDK_PORT);
                    jdkReplies.put(a, r.startsWith("reply ") ? r : "no reply: " + askUnconnected(a, JDK_PORT));
                }
                return null;
            });
        } finally {
            ds.close();
            jdk.close();
            t1.join();
            t2.join();
        }
        List<String> table = new ArrayList<>();
        table.add("| client sent to | dualsock (IPV6_RECVPKTINFO, reply with IPV6_PKTINFO) | JDK DatagramChannel on the wildcard |");
        table.add("|---|---|---|");
        for (String a : SERVER_ADDRESSES) table.add("| " + a + " | " + dualsock.get(a) + " | " + jdkReplies.get(a) + " |");
        System.out.println("[reply-source]\n" + String.join("\n", table));
        for (String a : SERVER_ADDRESSES) assertEquals("reply 'to " + a + "' from " + a, dualsock.get(a), table::toString);
        // The JDK's replies leave from the address routing picks for the client: for IPv4 the
        // route's preferred source (198.51.100.10, the first address), so the client that sent to
        // .11 never sees one. For IPv6 source selection picked 2001:db8::11 here (seen, not asserted).
        assertTrue(jdkReplies.get(SERVER_ADDRESSES[0]).startsWith("reply "), table::toString);
        assertTrue(jdkReplies.get(SERVER_ADDRESSES[1]).startsWith("no reply"), table::toString);
    }
}
