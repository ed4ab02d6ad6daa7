package io.dualsock.cli;

import io.dualsock.cli.output.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Nat64;

/**
 * {@code dualsock resolve --nat64-prefix}: results inside the named prefix are labelled with the
 * IPv4 address they embed. Numeric hosts with AI_NUMERICHOST only: no query leaves the machine.
 */
class ResolveNat64Test {

    private static final String WKP_ADDR = "64:ff9b::c633:640b";

    /** What {@code resolve 64:ff9b::c633:640b 443 --socktype stream --flags numerichost} printed before the option existed. */
    private static final String TABLE_BEFORE = """
            getaddrinfo("64:ff9b::c633:640b", "443", {family=AF_UNSPEC, socktype=SOCK_STREAM, protocol=0, flags=AI_NUMERICHOST})
            #  family    socktype     protocol     address             port  flowinfo  scope  canonname
            1  AF_INET6  SOCK_STREAM  IPPROTO_TCP  64:ff9b::c633:640b   443         0      0  -
            1 result
            """;

    /** Its {@code --json} form, before the option existed. */
    private static final String JSON_BEFORE = """
            {
              "query" : {
                "host" : "64:ff9b::c633:640b",
                "service" : "443",
                "family" : "AF_UNSPEC",
                "socktype" : "SOCK_STREAM",
                "protocol" : 0,
                "flags" : "numerichost"
              },
              "hints" : {
                "family" : "AF_UNSPEC",
                "socktype" : "SOCK_STREAM",
                "protocol" : 0,
                "flags" : "AI_NUMERICHOST",
                "ai_flags" : 4
              },
              "error" : null,
              "message" : null,
              "results" : [ {
                "family" : "AF_INET6",
                "socktype" : "SOCK_STREAM",
                "protocol" : 6,
                "canonname" : null,
                "address" : "64:ff9b::c633:640b",
                "port" : 443,
                "flowinfo" : 0,
                "scope_id" : 0
              } ]
            }
            """;

    private static final String[] QUERY = {WKP_ADDR, "443", "--socktype", "stream", "--flags", "numerichost"};

    private static Cli.Result resolve(String... extra) {
        List<String> args = new ArrayList<>(List.of("resolve"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    @Test
    void withoutTheOptionOutputIsByteForByteUnchanged() {
        Cli.Result t = resolve(QUERY);
        assertEquals(0, t.code(), t::toString);
        assertEquals(TABLE_BEFORE, t.out());
        Cli.Result j = resolve(concat(new String[] {"--json"}, QUERY));
        assertEquals(0, j.code(), j::toString);
        assertEquals(JSON_BEFORE, j.out());
    }

    @Test
    void tableLabelsEveryResultInsideThePrefix() {
        Cli.Result r = resolve(WKP_ADDR, "--flags", "numerichost", "--nat64-prefix", "64:ff9b::/96");
        assertEquals(0, r.code(), r::toString);
        String[] lines = r.out().split("\n");
        // query, header, one row per socket type, summary
        assertTrue(lines.length > 3, r::toString);
        for (int i = 2; i < lines.length - 1; i++) {
            assertTrue(lines[i].contains(WKP_ADDR) && lines[i].endsWith("[NAT64 of 198.51.100.11]"), lines[i]);
        }
        int rows = lines.length - 3;
        assertEquals(rows + " results, " + rows + " NAT64 (64:ff9b::/96)", lines[lines.length - 1], r::toString);
        assertEquals("", r.err());
    }

    @Test
    void tableWithTheOptionDiffersOnlyInTheLabel() {
        Cli.Result r = resolve(concat(QUERY, "--nat64-prefix", "64:ff9b::/96"));
        assertEquals(0, r.code(), r::toString);
        String[] before = TABLE_BEFORE.split("\n");
        String[] after = r.out().split("\n");
        assertEquals(before.length, after.length, r::toString);
        assertEquals(before[0], after[0]);
        assertEquals(before[1], after[1]);
        // the label sits in the last (unnamed) column, after canonname padded to its header
        assertTrue(after[2].startsWith(before[2]) && after[2].substring(before[2].length()).matches(" {2,}\\[NAT64 of 198\\.51\\.100\\.11]"),
                after[2]);
        assertEquals("1 result, 1 NAT64 (64:ff9b::/96)", after[3]);
    }

    @Test
    void jsonAddsANat64FieldAndNothingElse() throws Exception {
        Cli.Result r = resolve(concat(new String[] {"--json"}, concat(QUERY, "--nat64-prefix", "64:ff9b::/96")));
        assertEquals(0, r.code(), r::toString);
        JsonNode o = r.json();
        JsonNode before = Json.parse(JSON_BEFORE);
        JsonNode result = o.get("results").get(0);
        JsonNode nat64 = result.get("nat64");
        assertEquals("64:ff9b::/96", nat64.get("prefix").asText(), r::toString);
        assertEquals("198.51.100.11", nat64.get("ipv4").asText(), r::toString);
        assertEquals(2, nat64.size(), r::toString);
        ((ObjectNode) result).remove("nat64");
        assertEquals(ResolveCommandTest.normal(before), ResolveCommandTest.normal(o), r::toString);
    }

    @Test
    void networkSpecificPrefixOfEveryLength() {
        Inet4SockAddr v4 = Inet4SockAddr.parse("198.51.100.11", 0);
        for (String prefix : List.of("2001:db8::/32", "2001:db8:100::/40", "2001:db8:122::/48", "2001:db8:122:300::/56",
                "2001:db8:122:344::/64", "2001:db8:122:344::/96")) {
            String addr = Nat64.parse(prefix).synthesize(v4).address();
            Cli.Result r = resolve("--json", addr, "--flags", "numerichost", "--socktype", "dgram", "--nat64-prefix", prefix);
            assertEquals(0, r.code(), r::toString);
            JsonNode nat64 = r.json().get("results").get(0).get("nat64");
            assertEquals(prefix, nat64.get("prefix").asText(), r::toString);
            assertEquals("198.51.100.11", nat64.get("ipv4").asText(), r::toString);
        }
    }

    @Test
    void addressesOutsideThePrefixAndMappedOnesAreNotLabelled() {
        // outside the prefix: the output is what it is without the option
        for (String[] q : new String[][] {
                {"2001:db8::1", "--flags", "numerichost"},
                {"127.0.0.1", "--flags", "numerichost"},
                {"::1", "80", "--flags", "numerichost"}}) {
            Cli.Result plain = resolve(q);
            Cli.Result labelled = resolve(concat(q, "--nat64-prefix", "64:ff9b::/96"));
            assertEquals(plain, labelled);
            Cli.Result plainJson = resolve(concat(new String[] {"--json"}, q));
            Cli.Result labelledJson = resolve(concat(new String[] {"--json"}, concat(q, "--nat64-prefix", "64:ff9b::/96")));
            assertEquals(plainJson, labelledJson);
        }
        // IPv4-mapped addresses are never NAT64 addresses, even under ::/96
        Cli.Result m = resolve("198.51.100.7", "--family", "inet6", "--flags", "v4mapped,numerichost",
                "--nat64-prefix", "::/96");
        assertEquals(0, m.code(), m::toString);
        assertTrue(m.out().contains("[v4-mapped]") && !m.out().contains("NAT64"), m::toString);
        // the u octet (bits 64-71) set: not a NAT64 address of a /96
        Cli.Result u = resolve("--json", "64:ff9b::100:0:c633:640b", "--flags", "numerichost", "--socktype", "stream",
                "--nat64-prefix", "64:ff9b::/96");
        assertEquals(0, u.code(), u::toString);
        assertNull(u.json().get("results").get(0).get("nat64"), u::toString);
    }

    @Test
    void badPrefixIsAUsageErrorWithNat64sMessage() {
        for (String bad : List.of("64:ff9b::/95", "64:ff9b::", "198.51.100.0/24", "2001:db8::1/32", "64:ff9b::/x",
                "64:ff9b:0:0:100::/96")) {
            String message = assertThrows(IllegalArgumentException.class, () -> Nat64.parse(bad)).getMessage();
            for (String[] args : new String[][] {
                    {"resolve", WKP_ADDR, "--flags", "numerichost", "--nat64-prefix", bad},
                    {"resolve", "--batch", "-", "--nat64-prefix", bad}}) {
                Cli.Result r = Cli.run(args);
                assertEquals(ExitCodes.USAGE, r.code(), () -> bad + "\n" + r);
                assertTrue(r.err().startsWith("dualsock resolve: USAGE: --nat64-prefix: " + message), r::toString);
                assertEquals("", r.out(), r::toString);
            }
        }
    }

    @Test
    void batchAnswersAreLabelledToo() {
        String lines = "{\"host\":\"" + WKP_ADDR + "\",\"socktype\":\"SOCK_STREAM\",\"flags\":\"AI_NUMERICHOST\"}\n"
                + "{\"host\":\"2001:db8::1\",\"socktype\":\"SOCK_STREAM\",\"flags\":\"AI_NUMERICHOST\"}\n";
        Cli.Result r = Cli.runWithInput(lines, "resolve", "--batch", "-", "--nat64-prefix", "64:ff9b::/96");
        assertEquals(0, r.code(), r::toString);
        String[] out = r.out().split("\n");
        assertEquals(2, out.length, r::toString);
        assertTrue(out[0].contains("\"nat64\":{\"prefix\":\"64:ff9b::/96\",\"ipv4\":\"198.51.100.11\"}"), out[0]);
        assertFalse(out[1].contains("nat64"), out[1]);
        Cli.Result plain = Cli.runWithInput(lines, "resolve", "--batch", "-");
        assertEquals(plain.out().split("\n")[1], out[1]);
        assertFalse(plain.out().contains("nat64"), plain::toString);
    }

    @Test
    void helpNamesTheOption() {
        String help = Cli.run("resolve", "--help").out();
        assertTrue(help.contains("--nat64-prefix=PREFIX"), help);
        assertTrue(help.contains("[NAT64 of 198.51.100.11]"), help);
    }
}
