package io.dualsock.lab;

import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Nat64;
import io.dualsock.Nat64Discovery;
import io.dualsock.ResolverException;

/**
 * Run inside a lab host: RFC 7050 discovery with a clock the arguments move, one JSON line per
 * step. Arguments: seconds to advance the clock before each discovery, a number or {@code ttl-N}
 * (the first result's TTL less N): {@code Nat64Probe 0 ttl-1 2} discovers, moves the clock to one
 * second before the TTL ends, discovers, moves it one second past, discovers.
 */
public final class Nat64Probe {
    private Nat64Probe() {}

    public static void main(String[] args) throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        Nat64Discovery d = new Nat64Discovery(now::get);
        ObjectMapper json = new ObjectMapper();
        long ttl = 0;
        for (String a : args) {
            long step = a.startsWith("ttl-") ? ttl - Long.parseLong(a.substring(4)) : Long.parseLong(a);
            now.addAndGet(step * 1_000_000_000L);
            ObjectNode o = json.createObjectNode();
            try {
                Nat64Discovery.Result r = d.discover();
                if (ttl == 0) ttl = r.ttlSeconds();
                ArrayNode p = o.putArray("prefixes");
                for (Nat64 n : r.prefixes()) p.add(n.toString());
                ArrayNode an = o.putArray("answers");
                r.answers().forEach(x -> an.add(x.address()));
                o.put("ttl", r.ttlSeconds()).put("ttlFrom", r.ttlFrom()).put("network", r.network()).put("cached", r.cached())
                        .put("secondsLeft", r.secondsLeft()).put("none", r.none());
            } catch (ResolverException e) {
                o.put("error", e.codeName()).put("message", e.getMessage());
            }
            System.out.println(o);
        }
    }
}
