package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.LibcLocale;
import io.dualsock.bindings.Platform;

/** {@code dualsock resolve} against direct {@link Resolver} calls on the real libc. */
class ResolveCommandTest {

    private static final Set<String> RESULT_FIELDS =
            Set.of("family", "socktype", "protocol", "canonname", "address", "port", "flowinfo", "scope_id");

    @Test
    void ipv4LiteralTable() throws Exception {
        Cli.Result r = Cli.run("resolve", "127.0.0.1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("getaddrinfo(\"127.0.0.1\", NULL, {family=AF_UNSPEC"), r::toString);
        assertTableMatches(r.out(), Resolver.getaddrinfo("127.0.0.1", null, Hints.none()));
        assertFalse(r.out().contains("[v4-mapped]"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void ipv6LoopbackTable() throws Exception {
        Cli.Result r = Cli.run("resolve", "::1", "80", "--socktype", "stream");
        assertEquals(0, r.code(), r::toString);
        List<AddrInfo> direct = Resolver.getaddrinfo("::1", "80", Hints.builder().stream().build());
        assertTableMatches(r.out(), direct);
        assertTrue(r.out().contains("AF_INET6"), r::toString);
    }

    @Test
    void localhostTableIsInLibcOrder() throws Exception {
        Cli.Result r = Cli.run("resolve", "localhost");
        assertEquals(0, r.code(), r::toString);
        assertTableMatches(r.out(), Resolver.getaddrinfo("localhost", null, Hints.none()));
    }

    @Test
    void mappedAddressIsMarked() throws Exception {
        Cli.Result r = Cli.run("resolve", "198.51.100.7", "--family", "inet6", "--flags", "v4mapped");
        assertEquals(0, r.code(), r::toString);
        List<AddrInfo> direct = Resolver.getaddrinfo("198.51.100.7", null,
                Hints.builder().inet6().flags(AiFlag.V4MAPPED).build());
        assertTableMatches(r.out(), direct);
        List<String> rows = dataRows(r.out());
        assertFalse(rows.isEmpty());
        for (String row : rows) {
            assertTrue(row.contains("::ffff:198.51.100.7") && row.endsWith("[v4-mapped]"), row);
        }
        assertTrue(r.out().contains(direct.size() + " IPv4-mapped"), r::toString);
    }

    @Test
    void jsonEqualsDirectCall() throws Exception {
        record Q(String host, String service, Hints hints, String[] args) {}
        int v4mapped = AiFlag.V4MAPPED.value();
        List<Q> queries = List.of(
                new Q("127.0.0.1", null, Hints.none(), new String[] {"127.0.0.1"}),
                new Q("::1", "80", Hints.builder().stream().build(), new String[] {"::1", "80", "--socktype", "stream"}),
                new Q("localhost", null, Hints.builder().flags(AiFlag.CANONNAME).build(),
                        new String[] {"localhost", "--flags", "canonname"}),
                new Q("198.51.100.7", "443", Hints.builder().inet6().dgram().rawFlags(v4mapped).build(),
                        new String[] {"198.51.100.7", "443", "--family", "AF_INET6", "--socktype", "DGRAM",
                            "--flags", "AI_V4MAPPED"}),
                new Q("localhost", "7", Hints.builder().inet6().stream().protocol(6)
                        .flags(AiFlag.V4MAPPED, AiFlag.ALL).build(),
                        new String[] {"localhost", "7", "--family", "inet6", "--socktype", "stream", "--protocol", "6",
                            "--flags", "v4mapped|AI_ALL"}));
        for (Q q : queries) {
            List<String> args = new ArrayList<>(List.of("resolve", "--json"));
            args.addAll(List.of(q.args()));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r::toString);
            JsonNode o = r.json();
            List<AddrInfo> direct = Resolver.getaddrinfo(q.host(), q.service(), q.hints());
            assertEquals(normal(Expected.results(direct)), o.get("results"), r::toString);
            assertTrue(o.get("error").isNull());
            assertEquals(q.host(), o.get("query").get("host").asText());
            assertEquals(Integer.toUnsignedLong(q.hints().flags()), o.get("hints").get("ai_flags").asLong());
            for (JsonNode res : o.get("results")) {
                Set<String> names = new java.util.HashSet<>();
                res.fieldNames().forEachRemaining(names::add);
                assertEquals(RESULT_FIELDS, names);
            }
        }
    }

    @Test
    void idnFlagsAddTheLocaleToHintsAndOnlyThey() throws Exception {
        Set<String> plain = Set.of("family", "socktype", "protocol", "flags", "ai_flags");
        for (String flags : List.of("numerichost,idn", "numerichost,canonidn", "numerichost|idn|canonidn")) {
            JsonNode hints = Cli.run("resolve", "--json", "127.0.0.1", "--flags", flags).json().get("hints");
            JsonNode locale = hints.get("locale");
            assertTrue(locale != null && locale.isObject(), flags + ": " + hints);
            // what libc in this process converts AI_IDN names with
            assertEquals(LibcLocale.ctype(), locale.get("lc_ctype").asText(), flags);
            assertEquals(LibcLocale.codeset(), locale.get("codeset").asText(), flags);
            Set<String> names = new java.util.HashSet<>();
            hints.fieldNames().forEachRemaining(names::add);
            names.remove("locale");
            assertEquals(plain, names, flags);
        }
        for (String flags : List.of("0", "numerichost", "canonname|v4mapped|all|addrconfig|numericserv|passive")) {
            JsonNode hints = Cli.run("resolve", "--json", "127.0.0.1", "--flags", flags).json().get("hints");
            Set<String> names = new java.util.HashSet<>();
            hints.fieldNames().forEachRemaining(names::add);
            assertEquals(plain, names, flags + ": no locale without AI_IDN/AI_CANONIDN");
        }
        // batch answers carry it the same way
        String line = "{\"host\":\"\u017d136556\",\"flags\":\"AI_NUMERICHOST|AI_IDN\"}\n";
        JsonNode answer = Json.parse(Cli.runWithInput(line, "resolve", "--batch", "-").out().strip());
        assertEquals(LibcLocale.ctype(), answer.get("hints").get("locale").get("lc_ctype").asText(), answer::toString);
    }

    @Test
    void jsonQueryIsAValidBatchLine() throws Exception {
        Cli.Result single = Cli.run("resolve", "--json", "localhost", "80", "--family", "inet6", "--flags", "v4mapped,all");
        JsonNode query = single.json().get("query");
        Cli.Result batch = Cli.runWithInput(Json.compact(query) + "\n", "resolve", "--batch", "-");
        assertEquals(0, batch.code(), batch::toString);
        JsonNode line = Json.parse(batch.out().strip());
        assertEquals(single.json().get("results"), line.get("results"));
        assertEquals(single.json().get("hints"), line.get("hints"));
    }

    @Test
    void nullHostAndService() throws Exception {
        Cli.Result r = Cli.run("resolve", "--json", "-", "80", "--flags", "passive", "--socktype", "stream");
        assertEquals(0, r.code(), r::toString);
        List<AddrInfo> direct = Resolver.getaddrinfo(null, "80", Hints.builder().stream().flags(AiFlag.PASSIVE).build());
        assertEquals(normal(Expected.results(direct)), r.json().get("results"));
        assertTrue(r.json().get("query").get("host").isNull());
    }

    @Test
    void numericFlagsReachLibcUnchanged() {
        int bits = 0x10000;
        String expectedError;
        try {
            Resolver.getaddrinfo("127.0.0.1", null, Hints.builder().rawFlags(bits).build());
            expectedError = null;
        } catch (ResolverException e) {
            expectedError = e.codeName();
        }
        Cli.Result r = Cli.run("resolve", "--json", "127.0.0.1", "--flags", "0x10000");
        assertEquals(expectedError == null ? 0 : 1, r.code(), r::toString);
        assertEquals(expectedError == null ? "null" : expectedError, r.json().get("error").asText());
        assertEquals(bits, r.json().get("hints").get("ai_flags").asInt());
    }

    @Test
    void resolverErrorExitsOneWithItsNameOnStderr() {
        Cli.Result r = Cli.run("resolve", "nosuch.invalid", "--flags", "numerichost");
        assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock resolve: EAI_NONAME: "), r::toString);

        Cli.Result j = Cli.run("resolve", "--json", "nosuch.invalid", "--flags", "AI_NUMERICHOST");
        assertEquals(ExitCodes.FAILURE, j.code(), j::toString);
        assertEquals("EAI_NONAME", j.json().get("error").asText());
        assertEquals(Errors.gaiStrerror(Constants.i("EAI_NONAME")),
                j.json().get("message").asText());
        assertEquals(0, j.json().get("results").size());
        assertTrue(j.err().contains("EAI_NONAME"), j::toString);
    }

    @Test
    void usageErrorsExitTwo() {
        String[][] bad = {
            {"resolve", "localhost", "--flags", "v4mappd"},
            {"resolve", "localhost", "--flags", "v4mapped,,all"},
            {"resolve", "localhost", "--family", "inet7"},
            {"resolve", "localhost", "--family", "SOCK_STREAM"},
            {"resolve", "localhost", "--socktype", "bogus"},
            {"resolve", "localhost", "--protocol", "0x1ffffffff"},
            {"resolve"},
            {"resolve", "localhost", "--no-such-option"},
            {"resolve", "a", "b", "c"},
            {"resolve", "--batch", "-", "localhost"},
            {"resolve", "--batch", "/nonexistent/queries.jsonl"},
            {"resolve", "a\0b"},
            {"resolve", "x".repeat(70000)},
            {},
            {"no-such-command"},
        };
        for (String[] args : bad) {
            Cli.Result r = Cli.run(args);
            assertEquals(ExitCodes.USAGE, r.code(), () -> String.join(" ", args) + "\n" + r);
            assertTrue(r.err().contains(": USAGE: "), () -> String.join(" ", args) + "\n" + r);
            assertEquals("", r.out(), () -> String.join(" ", args) + "\n" + r);
        }
        Cli.Result r = Cli.run("resolve", "localhost", "--flags", "v4mappd");
        assertTrue(r.err().contains("\"v4mappd\""), r::toString);
        assertTrue(r.err().contains("AI_V4MAPPED"), r::toString);
    }

    @Test
    void batchMatchesDirectCallsInOrder(@TempDir Path dir) throws IOException {
        int v4mapped = AiFlag.V4MAPPED.value();
        int all = AiFlag.ALL.value();
        record Line(String json, String host, String service, Hints hints) {}
        List<Line> lines = List.of(
                new Line("{\"host\":\"localhost\",\"service\":\"80\",\"family\":\"AF_INET6\",\"socktype\":\"SOCK_STREAM\","
                        + "\"protocol\":0,\"flags\":\"AI_V4MAPPED|AI_ALL\"}", "localhost", "80",
                        Hints.builder().inet6().stream().rawFlags(v4mapped | all).build()),
                new Line("not json at all", null, null, null),
                new Line("{\"host\":null,\"service\":\"http\",\"socktype\":\"SOCK_STREAM\",\"flags\":\"AI_PASSIVE\"}",
                        null, "http", Hints.builder().stream().flags(AiFlag.PASSIVE).build()),
                new Line("{\"host\":\"127.0.0.1\",\"flags\":\"0x10000\"}", "127.0.0.1", null,
                        Hints.builder().rawFlags(0x10000).build()),
                new Line("{\"host\":\"x\",\"family\":\"AF_INET7\"}", null, null, null),
                new Line("{\"host\":\"198.51.100.7\",\"family\":" + Platform.AF_INET6
                        + ",\"protocol\":\"IPPROTO_UDP\",\"flags\":\"" + v4mapped + "\"}", "198.51.100.7", null,
                        Hints.builder().inet6().protocol(Constants.i("IPPROTO_UDP")).rawFlags(v4mapped).build()),
                new Line("{\"host\":\"nosuch.invalid\",\"flags\":\"AI_NUMERICHOST\"}", "nosuch.invalid", null,
                        Hints.builder().flags(AiFlag.NUMERICHOST).build()),
                new Line("{\"host\":\"::1\",\"flag\":\"AI_ALL\"}", null, null, null),
                new Line("{\"host\":\"::1\",\"service\":7,\"socktype\":\"dgram\",\"flags\":0}", "::1", "7",
                        Hints.builder().dgram().build()),
                new Line("{\"host\":\"a\",\"host\":\"b\"}", null, null, null),
                new Line("{\"host\":\"127.0.0.1\",\"protocol\":1.5}", null, null, null),
                new Line("{\"host\":\"a\\u0000b\"}", null, null, null),
                new Line("{\"host\":\"::1\",\"family\":\"AF_INET\",\"flags\":\"AI_NUMERICHOST\"}", "::1", null,
                        Hints.builder().inet().flags(AiFlag.NUMERICHOST).build()));
        StringBuilder in = new StringBuilder();
        for (Line l : lines) in.append(l.json()).append("\n\n");
        Path file = dir.resolve("queries.jsonl");
        Files.writeString(file, in, StandardCharsets.UTF_8);

        for (String source : new String[] {file.toString(), "-"}) {
            Cli.Result r = Cli.runWithInput(in.toString(), "resolve", "--batch", source);
            assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
            String[] out = r.out().split("\n");
            assertEquals(lines.size(), out.length, r::toString);
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                JsonNode o = Json.parse(out[i]);
                assertEquals(2 * i + 1, o.get("line").asInt(), out[i]);
                if (l.hints() == null) {
                    assertTrue(o.get("error").asText().startsWith("BAD_QUERY: "), out[i]);
                    assertEquals(0, o.get("results").size(), out[i]);
                    assertFalse(o.has("hints"), out[i]);
                    continue;
                }
                assertEquals(Json.parse(l.json()), o.get("query"), "query echoed as given");
                try {
                    List<AddrInfo> direct = Resolver.getaddrinfo(l.host(), l.service(), l.hints());
                    assertTrue(o.get("error").isNull(), out[i]);
                    assertEquals(normal(Expected.results(direct)), o.get("results"), out[i]);
                } catch (ResolverException e) {
                    assertEquals(e.codeName(), o.get("error").asText(), out[i]);
                    assertEquals(Errors.gaiStrerror(e.code()), o.get("message").asText(), out[i]);
                    assertEquals(0, o.get("results").size(), out[i]);
                }
            }
            // The first failing line is the unparsable one.
            assertTrue(r.err().startsWith("dualsock resolve: BAD_QUERY: "), r::toString);
        }
    }

    @Test
    void batchOfGoodLinesExitsZero() {
        String in = "{\"host\":\"127.0.0.1\"}\n{\"host\":\"::1\",\"service\":\"80\"}\n";
        Cli.Result r = Cli.runWithInput(in, "resolve", "--batch", "-");
        assertEquals(0, r.code(), r::toString);
        assertEquals(2, r.out().split("\n").length);
        assertEquals("", r.err());
    }

    @Test
    void batchResolverErrorNamesItOnStderr() {
        Cli.Result r = Cli.runWithInput("{\"host\":\"nosuch.invalid\",\"flags\":\"AI_NUMERICHOST\"}\n",
                "resolve", "--batch", "-");
        assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock resolve: EAI_NONAME: 1 of 1"), r::toString);
    }

    @Test
    void helpDocumentsTheJsonShapeAndExitCodes() {
        Cli.Result r = Cli.run("resolve", "--help");
        assertEquals(0, r.code());
        for (String s : new String[] {"\"scope_id\"", "BAD_QUERY", "Exit status", "--batch", "[v4-mapped]"}) {
            assertTrue(r.out().contains(s), s);
        }
    }

    // ---- helpers ----

    /** Numbers as the parser reads them (IntNode vs LongNode compare unequal in Jackson). */
    static JsonNode normal(JsonNode n) throws IOException {
        return Json.parse(Json.compact(n));
    }

    private static List<String> dataRows(String out) {
        String[] lines = out.split("\n");
        // query line, header, rows..., summary
        List<String> rows = new ArrayList<>();
        for (int i = 2; i < lines.length - 1; i++) rows.add(lines[i]);
        return rows;
    }

    /** Each table row shows the direct call's result at that position. */
    private static void assertTableMatches(String out, List<AddrInfo> direct) {
        List<String> rows = dataRows(out);
        assertEquals(direct.size(), rows.size(), out);
        assertTrue(out.split("\n")[1].matches("#\\s+family\\s+socktype\\s+protocol\\s+address\\s+port\\s+flowinfo"
                + "\\s+scope\\s+canonname"), out);
        for (int i = 0; i < direct.size(); i++) {
            AddrInfo ai = direct.get(i);
            String[] cells = rows.get(i).trim().split("\\s+");
            assertEquals(Integer.toString(i + 1), cells[0], rows.get(i));
            assertEquals(io.dualsock.Names.family(ai.family()), cells[1], rows.get(i));
            assertEquals(io.dualsock.Names.socktype(ai.socktype()), cells[2], rows.get(i));
            assertEquals(ai.address().address(), cells[4], rows.get(i));
            assertEquals(Integer.toString(ai.address().port()), cells[5], rows.get(i));
            assertEquals(ai.isV4Mapped(), rows.get(i).endsWith("[v4-mapped]"), rows.get(i));
        }
        assertTrue(out.strip().endsWith(direct.size() + (direct.size() == 1 ? " result" : " results")
                + (direct.stream().anyMatch(AddrInfo::isV4Mapped)
                        ? ", " + direct.stream().filter(AddrInfo::isV4Mapped).count() + " IPv4-mapped" : "")), out);
    }
}
