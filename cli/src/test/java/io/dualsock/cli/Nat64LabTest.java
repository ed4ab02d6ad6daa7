package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.cli.output.Json;
import io.dualsock.lab.ExecResult;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;

/**
 * {@code dualsock nat64} run inside lab hosts (a process: it reads the host's resolv.conf): in a
 * dns64 host it prints the topology's prefix; in a host without DNS64 it says why nothing, exit 1.
 */
class Nat64LabTest {
    static final Topology TOPOLOGY = TopologyJson.parse("""
            {"hosts": [{"name": "d64", "stack": "ipv6-only", "dns64": true}, {"name": "plain", "stack": "dual-stack"}],
             "nat64": {"prefix": "2001:db8:6464::/96"}}""", "Nat64LabTest");

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TOPOLOGY, NameSource.DNS);

    static ExecResult nat64(Lab lab, String host, String... args) {
        return Cli.inHost(lab, host, "nat64", args);
    }

    @Test
    void aDns64HostHasTheTopologysPrefix(Lab lab) throws Exception {
        ExecResult r = nat64(lab, "d64");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("prefix   2001:db8:6464::/96\n"), r::toString);
        assertTrue(r.stdout().contains("answer   2001:db8:6464::c000:aa (NAT64 of 192.0.0.170)\n"), r::toString);
        assertTrue(r.stdout().contains("answer   2001:db8:6464::c000:ab (NAT64 of 192.0.0.171)\n"), r::toString);
        // Unbound counts the TTL (60 s at dnsmasq) down while it caches the answer
        assertTrue(r.stdout().matches("(?s).*ttl      (60|[1-5][0-9]) s, from 2001:db8::54\n.*"), r::toString);
        assertTrue(r.stdout().matches("(?s).*network  net:\\[\\d+\\] nameserver 2001:db8::54\n.*"), r::toString);

        ExecResult j = nat64(lab, "d64", "--json");
        assertEquals(0, j.exitCode(), j::toString);
        JsonNode o = Json.MAPPER.readTree(j.stdout());
        assertEquals("2001:db8:6464::/96", o.path("prefixes").get(0).asText(), j::toString);
        assertEquals(2, o.path("answers").size(), j::toString);
        assertTrue(o.path("ttl").asInt() > 0 && o.path("ttl").asInt() <= 60, j::toString);
        assertEquals("2001:db8::54", o.path("ttl_from").asText(), j::toString);
        assertTrue(o.path("error").isNull(), j::toString);
    }

    @Test
    void aHostWithoutDns64SaysWhyNothing(Lab lab) throws Exception {
        ExecResult r = nat64(lab, "plain");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("dualsock nat64: EAI_NODATA: ipv4only.arpa has no IPv6 address here (no DNS64 on this network)"),
                r::toString);
        assertTrue(r.stdout().contains("network  net:["), r::toString);
        ExecResult j = nat64(lab, "plain", "--json");
        assertEquals(ExitCodes.FAILURE, j.exitCode(), j::toString);
        JsonNode o = Json.MAPPER.readTree(j.stdout());
        assertEquals("EAI_NODATA", o.path("error").asText(), j::toString);
        assertEquals(0, o.path("prefixes").size(), j::toString);
    }
}
