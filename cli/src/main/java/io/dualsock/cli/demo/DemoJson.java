package io.dualsock.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.Names;
import io.dualsock.SockAddr;
import io.dualsock.cli.output.AddrInfoView;
import io.dualsock.cli.demo.DemoReport.Attempt;
import io.dualsock.cli.demo.DemoReport.ClientSide;
import io.dualsock.cli.demo.DemoReport.Failure;
import io.dualsock.cli.demo.DemoReport.Reply;
import io.dualsock.cli.demo.DemoReport.Scenario;
import io.dualsock.cli.demo.DemoReport.ServerSide;
import io.dualsock.cli.demo.DemoReport.ServerView;

/**
 * The demo report as one JSON object: every field of {@link DemoReport}, addresses as
 * {@link SockAddrView#json}, getaddrinfo results as {@code dualsock resolve --json} writes them,
 * and each attempt's explanation under {@code "seen"}.
 */
public final class DemoJson {
    private DemoJson() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static ObjectNode toJson(DemoReport r) {
        ObjectNode o = F.objectNode();
        o.put("bindv6only", r.bindv6only());
        o.put("reply_timeout_ms", r.options().replyTimeout().toMillis());
        o.put("connect_timeout_ms", r.options().connectTimeout().toMillis());
        o.put("message", r.options().message());
        ArrayNode arr = o.putArray("scenarios");
        for (Scenario s : r.scenarios()) arr.add(scenario(s));
        return o;
    }

    static ObjectNode scenario(Scenario s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("number", s.number());
        o.put("proto", s.proto().lower());
        o.put("title", s.title());
        o.put("reference", s.reference());
        o.put("book", s.book());
        o.set("server", server(s.server()));
        o.set("client", s.client() == null ? F.nullNode() : client(s.client()));
        ArrayNode attempts = o.putArray("attempts");
        for (Attempt a : s.attempts()) {
            ObjectNode ao = attempt(a);
            ao.put("seen", DemoExplain.attempt(s, a));
            attempts.add(ao);
        }
        ArrayNode notes = o.putArray("notes");
        s.notes().forEach(notes::add);
        return o;
    }

    private static ObjectNode server(ServerSide ss) {
        ObjectNode o = F.objectNode();
        o.put("family", Names.family(ss.family()));
        o.put("socktype", Names.socktype(ss.socktype()));
        o.set("v6only_set", ss.v6onlySet() == null ? F.nullNode() : F.booleanNode(ss.v6onlySet()));
        o.set("v6only", ss.v6only() == null ? F.nullNode() : F.booleanNode(ss.v6only()));
        o.set("bind", SockAddrView.json(ss.bindAddress()));
        o.set("bound", SockAddrView.json(ss.bound()));
        o.set("failure", failure(ss.failure()));
        return o;
    }

    private static ObjectNode client(ClientSide c) {
        ObjectNode o = F.objectNode();
        o.put("host", c.host());
        o.put("service", c.service());
        o.set("hints", AddrInfoView.hints(c.hints()));
        o.set("socket_family", c.socketFamily() < 0 ? F.textNode("ai_family") : F.textNode(Names.family(c.socketFamily())));
        ArrayNode res = o.putArray("results");
        for (AddrInfo ai : c.results()) {
            ObjectNode r = AddrInfoView.json(ai);
            r.put("v4_mapped", ai.isV4Mapped());
            res.add(r);
        }
        o.put("error", c.resolverError());
        return o;
    }

    private static ObjectNode attempt(Attempt a) {
        ObjectNode o = F.objectNode();
        o.put("mode", a.mode());
        o.put("via", a.via());
        o.put("socket_family", Names.family(a.socketFamily()));
        o.put("socktype", Names.socktype(a.socktype()));
        o.set("destination", SockAddrView.json(a.destination()));
        outcome(o, a.failure(), a.local(), a.peer(), a.sent(), a.reply());
        o.set("server", serverView(a.server()));
        return o;
    }

    /**
     * How an attempt ended, as {@code demo --json} and {@code connect --json} both write it:
     * {@code "ok","failure","local","peer","sent","reply"}.
     */
    public static void outcome(ObjectNode o, Failure failure, SockAddr local, SockAddr peer, int sent, Reply reply) {
        o.put("ok", failure == null);
        o.set("failure", failure(failure));
        o.set("local", SockAddrView.json(local));
        o.set("peer", SockAddrView.json(peer));
        o.put("sent", sent);
        o.set("reply", reply(reply));
    }

    private static JsonNode serverView(ServerView v) {
        if (v == null) return F.nullNode();
        ObjectNode o = F.objectNode();
        o.put("call", v.call());
        o.put("arrived", v.arrived());
        o.put("waited_ms", v.waitedMs());
        o.set("peer", SockAddrView.json(v.peer()));
        o.set("local", SockAddrView.json(v.local()));
        o.put("received", v.received());
        o.put("echoed", v.echoed());
        o.set("failure", failure(v.failure()));
        return o;
    }

    /** {@code {"bytes":n,"text":..,"source":address}}, JSON null for no reply; {@code connect --json} writes it the same way. */
    public static JsonNode reply(Reply r) {
        if (r == null) return F.nullNode();
        return F.objectNode().put("bytes", r.bytes()).put("text", r.text()).set("source", SockAddrView.json(r.source()));
    }

    /** {@code {"call":..,"errno":..,"message":..,"before_kernel":b}}, JSON null for no failure. */
    public static JsonNode failure(Failure f) {
        if (f == null) return F.nullNode();
        return F.objectNode().put("call", f.call()).put("errno", f.errno()).put("message", f.message())
                .put("before_kernel", f.beforeKernel());
    }
}
