package io.dualsock.cli;

import io.dualsock.cli.output.AddrInfoView;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;

/**
 * The JSON a direct {@link io.dualsock.Resolver} answer should print as, written out here field by
 * field from the spec rather than through {@link AddrInfoView}, so that the test can catch it.
 */
final class Expected {
    private Expected() {}

    static ArrayNode results(List<AddrInfo> list) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (AddrInfo ai : list) {
            ObjectNode o = a.addObject();
            o.set("family", nameOrNumber(Names.family(ai.family()), ai.family()));
            o.set("socktype", nameOrNumber(Names.socktype(ai.socktype()), ai.socktype()));
            o.put("protocol", ai.protocol());
            o.put("canonname", ai.canonicalName());
            o.put("address", ai.address().address());
            o.put("port", ai.address().port());
            long flow = ai.address() instanceof Inet6SockAddr a6 ? Integer.toUnsignedLong(a6.flowinfo()) : 0;
            long scope = ai.address() instanceof Inet6SockAddr a6 ? Integer.toUnsignedLong(a6.scopeId()) : 0;
            o.put("flowinfo", flow);
            o.put("scope_id", scope);
        }
        return a;
    }

    private static JsonNode nameOrNumber(String name, int v) {
        return name.matches("-?\\d+") ? JsonNodeFactory.instance.numberNode(v) : JsonNodeFactory.instance.textNode(name);
    }
}
