package io.dualsock.cli.demo;

import java.io.PrintWriter;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Names;
import io.dualsock.cli.demo.DemoReport.Attempt;
import io.dualsock.cli.demo.DemoReport.ClientSide;
import io.dualsock.cli.demo.DemoReport.Failure;
import io.dualsock.cli.demo.DemoReport.Reply;
import io.dualsock.cli.demo.DemoReport.Scenario;
import io.dualsock.cli.demo.DemoReport.ServerSide;
import io.dualsock.cli.demo.DemoReport.ServerView;

/**
 * The demo report for people: per scenario the book's statement, then every system call's
 * result as the kernel gave it, each attempt followed by a "seen" line that explains it.
 */
public final class DemoText {
    private DemoText() {}

    private static final String INDENT = "           ";

    public static void print(DemoReport r, PrintWriter out) {
        out.println("dualsock demo: UNP §12.2 and §12.3 on loopback, one process, no privileges");
        out.println("net.ipv6.bindv6only = " + r.bindv6only() + " (the IPV6_V6ONLY default of new AF_INET6 sockets); "
                + "a reply that may not come is awaited " + r.options().replyTimeout().toMillis() + " ms");
        for (Scenario s : r.scenarios()) {
            out.println();
            scenario(s, out);
        }
        out.flush();
    }

    static void scenario(Scenario s, PrintWriter out) {
        out.println(s.number() + " " + s.proto() + "  " + s.title() + "  (" + s.reference() + ")");
        line(out, "book", s.book());
        server(s.server(), out);
        for (String n : s.notes()) line(out, "note", n);
        if (s.client() != null) client(s.client(), out);
        int i = 0;
        for (Attempt a : s.attempts()) {
            i++;
            attempt(i, a, out);
            line(out, "seen", DemoExplain.attempt(s, a));
        }
    }

    private static void server(ServerSide ss, PrintWriter out) {
        StringBuilder sb = new StringBuilder("socket(" + Names.family(ss.family()) + ", " + Names.socktype(ss.socktype()) + ")");
        if (ss.v6onlySet() != null) sb.append(", setsockopt IPV6_V6ONLY=").append(ss.v6onlySet() ? 1 : 0);
        sb.append(", bind ").append(ss.bindAddress());
        if (ss.bound() != null) sb.append(" -> getsockname ").append(ss.bound());
        if (ss.v6only() != null) sb.append(", getsockopt IPV6_V6ONLY=").append(ss.v6only() ? 1 : 0);
        if (ss.failure() == null && ss.socktype() == io.dualsock.NativeSocket.SOCK_STREAM) sb.append(", listen");
        line(out, "server", sb.toString());
        if (ss.failure() != null) line(out, "", ss.failure().message());
    }

    private static void client(ClientSide c, PrintWriter out) {
        Hints h = c.hints();
        line(out, "client", "getaddrinfo(\"" + c.host() + "\", \"" + c.service() + "\", {family=" + Names.family(h.family())
                + ", socktype=" + Names.socktype(h.socktype()) + ", protocol=" + h.protocol() + ", flags="
                + AiFlag.describe(h.flags()) + "})");
        if (c.resolverError() != null) line(out, "", "-> " + c.resolverError());
        for (AddrInfo ai : c.results()) {
            line(out, "", "-> " + Names.family(ai.family()) + " " + SockAddrView.text(ai.address()));
        }
    }

    private static void attempt(int i, Attempt a, PrintWriter out) {
        String call = switch (a.mode()) {
            case "sendto" -> "sendto " + a.destination() + " (unconnected)";
            case "connect+send" -> "connect " + a.destination() + ", send (connected UDP)";
            default -> "connect " + a.destination();
        };
        String prefix = Attempt.VIA_RAW_SHIM.equals(a.via()) ? "raw shim, no dualsock checks: " : "";
        line(out, "try " + i, prefix + "socket(" + Names.family(a.socketFamily()) + ", " + Names.socktype(a.socktype())
                + "), " + call + ": " + outcome(a.failure()));
        if (a.failure() != null) line(out, "", a.failure().message());
        if (a.local() != null || a.peer() != null || a.sent() >= 0) {
            StringBuilder sb = new StringBuilder();
            if (a.local() != null) sb.append("client getsockname ").append(SockAddrView.text(a.local()));
            if (a.peer() != null) sb.append(sb.length() > 0 ? ", " : "").append("getpeername ").append(SockAddrView.text(a.peer()));
            if (a.sent() >= 0) sb.append(sb.length() > 0 ? "; " : "").append("sent ").append(a.sent()).append(" bytes");
            line(out, "", sb.toString());
        }
        ServerView v = a.server();
        if (v != null) line(out, "server", serverView(v));
        Reply r = a.reply();
        if (r != null) {
            line(out, "client", "reply " + r.bytes() + " bytes " + SockAddrView.quoted(r.text()) + " from "
                    + SockAddrView.text(r.source()));
        }
    }

    private static String serverView(ServerView v) {
        if (!v.arrived()) {
            if (v.failure() != null) return v.call() + ": " + v.failure().message();
            return v.call() + ": nothing arrived (poll waited " + v.waitedMs() + " ms)";
        }
        StringBuilder sb = new StringBuilder(v.call());
        sb.append(v.call().equals("accept") ? ": peer " : ": source ").append(SockAddrView.text(v.peer()));
        if (v.local() != null) {
            sb.append(v.call().equals("accept") ? ", accepted socket's getsockname " : ", server getsockname ")
                    .append(SockAddrView.text(v.local()));
        }
        if (v.received() >= 0) sb.append("; read ").append(v.received());
        if (v.echoed() >= 0) sb.append(v.call().equals("accept") ? ", echoed " : ", sendto that source ").append(v.echoed());
        if (v.failure() != null) sb.append("; ").append(v.failure().message());
        return sb.toString();
    }

    private static String outcome(Failure f) {
        if (f == null) return "ok";
        if (f.beforeKernel()) return "refused by dualsock before the kernel";
        return f.errno() != null ? f.call() + " " + f.errno() : f.call() + " ended";
    }

    /** A labelled line; long text is wrapped under the label. */
    static void line(PrintWriter out, String label, String text) {
        String head = "  " + label + " ".repeat(Math.max(1, INDENT.length() - 2 - label.length()));
        int width = 110;
        StringBuilder cur = new StringBuilder(head);
        for (String word : text.split(" ")) {
            if (cur.length() > INDENT.length() && cur.length() + 1 + word.length() > width) {
                out.println(cur.toString().stripTrailing());
                cur = new StringBuilder(INDENT);
            } else if (cur.length() > head.length()) {
                cur.append(' ');
            }
            cur.append(word);
        }
        out.println(cur.toString().stripTrailing());
    }
}
