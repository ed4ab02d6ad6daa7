package io.dualsock.cli.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Names;
import io.dualsock.cli.demo.PktinfoFacts.Case;
import io.dualsock.cli.demo.PktinfoFacts.Message;

/** {@link PktinfoFacts} for people (the demo's last section) and as JSON (its {@code dual_stack_pktinfo} member). */
public final class PktinfoReport {
    private PktinfoReport() {}

    /** The section's title line; the text starts with an empty line after the scenarios. */
    static final String TITLE = "5 UDP  The destination of each datagram on a dual-stack socket: IP_PKTINFO, IPV6_PKTINFO"
            + "  (ip(7), ipv6(7), RFC 3542 §6)";

    public static void print(PktinfoFacts p, PrintWriter out) {
        out.println();
        out.println(TITLE);
        DemoText.line(out, "book", "UNP §22.2 reads the destination with IP_RECVDSTADDR (IPv4) and IPV6_PKTINFO (IPv6); "
                + "Linux has IP_PKTINFO for IPv4. Which of them an IPv4 datagram brings to an AF_INET6 socket is the "
                + "kernel's choice, measured here.");
        Case previous = null;
        for (Case c : p.cases()) {
            if (previous == null || previous.ipPktinfo() != c.ipPktinfo() || previous.ipv6Recvpktinfo() != c.ipv6Recvpktinfo()) {
                DemoText.line(out, "server", "socket(AF_INET6, SOCK_DGRAM), setsockopt IPV6_V6ONLY=0 " + c.options()
                        + ", bind [::]:0" + (c.server() == null ? "" : " -> getsockname " + SockAddrView.text(c.server())));
            }
            previous = c;
            String head = Names.family(c.clientFamily()) + " client, sendto " + (c.sentTo() == null ? "-" : c.sentTo()) + ": ";
            DemoText.line(out, c.clientFamily() == io.dualsock.NativeSocket.AF_INET ? "IPv4" : "IPv6", head + received(c));
        }
        DemoText.line(out, "seen", seen(p));
        out.flush();
    }

    private static String received(Case c) {
        if (c.failure() != null) return c.failure();
        StringBuilder b = new StringBuilder("recvmsg source " + SockAddrView.text(c.source()) + "; ");
        if (c.messages().isEmpty()) b.append("no control message");
        for (int i = 0; i < c.messages().size(); i++) {
            Message m = c.messages().get(i);
            if (i > 0) b.append("; ");
            b.append(m.name());
            if (m.address() != null) b.append(m.name().startsWith("IPV6") ? " ipi6_addr " : " ipi_addr ").append(m.address());
            if (m.specDst() != null) b.append(", ipi_spec_dst ").append(m.specDst());
            if (m.ifindex() >= 0) b.append(", ifindex ").append(m.ifindex());
        }
        if (c.controlTruncated()) b.append(" (MSG_CTRUNC)");
        return b.toString();
    }

    /** The measured pattern, one clause per option setting, then what it means for a reply. */
    static String seen(PktinfoFacts p) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i + 1 < p.cases().size(); i += 2) {
            Case v4 = p.cases().get(i);
            Case v6 = p.cases().get(i + 1);
            parts.add(v4.options() + ": IPv4 -> " + names(v4) + ", IPv6 -> " + names(v6));
        }
        return String.join("; ", parts) + ". Each PKTINFO holds the address the client sent to (an IPv4 one as "
                + "::ffff:a.b.c.d in IPV6_PKTINFO); a server replies from it by passing it back to sendmsg(2) as the "
                + "source (ControlMessages.addReplySource). The JDK's DatagramChannel can read neither.";
    }

    private static String names(Case c) {
        if (c.failure() != null) return "failed";
        if (c.messages().isEmpty()) return "none";
        List<String> n = new ArrayList<>();
        for (Message m : c.messages()) n.add(m.name());
        return String.join(" + ", n);
    }

    public static ArrayNode json(PktinfoFacts p) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode arr = f.arrayNode();
        for (Case c : p.cases()) {
            ObjectNode o = arr.addObject();
            o.put("ip_pktinfo", c.ipPktinfo());
            o.put("ipv6_recvpktinfo", c.ipv6Recvpktinfo());
            o.set("server", SockAddrView.json(c.server()));
            o.put("client_family", Names.family(c.clientFamily()));
            o.set("sent_to", SockAddrView.json(c.sentTo()));
            o.set("source", SockAddrView.json(c.source()));
            ArrayNode ms = o.putArray("control_messages");
            for (Message m : c.messages()) {
                ObjectNode mo = ms.addObject();
                mo.put("name", m.name());
                mo.put("address", m.address());
                if (m.specDst() != null) mo.put("spec_dst", m.specDst());
                if (m.ifindex() >= 0) mo.put("ifindex", m.ifindex());
            }
            o.put("ctrunc", c.controlTruncated());
            o.put("failure", c.failure());
        }
        return arr;
    }
}
