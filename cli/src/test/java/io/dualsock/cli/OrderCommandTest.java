package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code dualsock order} without names: given lists, numeric hosts, usage errors. */
class OrderCommandTest {

    @Test
    void givenSourcesShowTheDecidingRule() {
        Cli.Result r = ok("order", "--destinations", "198.51.100.5,2001:db8::5", "--sources", "198.51.100.10/24,2001:db8::10/64");
        assertOut(r, "2001:db8::5 before 198.51.100.5: rule 6 (prefer higher precedence), precedence 40 vs 10");
        assertTrue(r.out().startsWith("policy: glibc"), r::toString);
    }

    @Test
    void jsonCarriesOrderSourcesAndSteps() {
        Cli.Result r = ok("order", "--json", "--policy", "rfc6724", "--destinations", "2001:db8:1::1,198.51.100.121",
                "--sources", "fe80::1,198.51.100.117");
        JsonNode j = r.json();
        assertEquals("rfc6724", j.path("policy").path("name").asText());
        assertEquals("198.51.100.121", j.path("order").get(0).path("address").asText());
        assertEquals(2, j.path("order").get(0).path("position").asInt());
        assertEquals("198.51.100.117", j.path("order").get(0).path("source").path("address").asText());
        assertEquals(2, j.path("steps").get(0).path("rule").asInt());
        assertEquals("prefer matching scope", j.path("steps").get(0).path("rule_name").asText());
        assertTrue(j.path("libc").isNull() && j.path("agrees").isNull() && j.path("query").isNull(), r::toString);
    }

    @Test
    void gaiConfFileChangesThePolicy(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("gai.conf");
        Files.writeString(conf, "precedence ::ffff:0:0/96 100\nprecedence ::1 7\n");
        Cli.Result r = ok("order", "--gai-conf", conf.toString(), "--destinations", "2001:db8::5,198.51.100.5",
                "--sources", "2001:db8::10,198.51.100.10");
        assertOut(r, "198.51.100.5 before 2001:db8::5: rule 6 (prefer higher precedence), precedence 100 vs 40");
        assertOut(r, "line 2 (precedence ::1 7): no /length");
    }

    @Test
    void sourcesLookedUpHere() {
        // Loopback only: connect(2) on a UDP socket sends nothing.
        Cli.Result r = ok("order", "--destinations", "fe80::1,127.0.0.1");
        assertOut(r, "127.0.0.1 before fe80::1: rule 1 (avoid unusable destinations)");
        assertOut(r, "none (EINVAL)");
    }

    @Test
    void unusableAndFlaggedSourcesByHand() {
        Cli.Result r = ok("order", "--destinations", "2001:db8:1::5,2001:db8::5,fd00::5",
                "--sources", "2001:db8:1::10+deprecated,-,fd00::10/64+home");
        assertOut(r, "fd00::5 before 2001:db8:1::5: rule 3 (avoid deprecated addresses)");
        assertOut(r, "2001:db8:1::5 before 2001:db8::5: rule 1");
    }

    @Test
    void numericHostAgreesWithLibc() {
        Cli.Result r = ok("order", "127.0.0.1", "80");
        assertOut(r, "The rules give libc's order.");
        Cli.Result j = ok("order", "--json", "::1");
        assertTrue(j.json().path("agrees").asBoolean(), j::toString);
        assertEquals("::1", j.json().path("libc").get(0).asText());
    }

    @Test
    void usageErrors() {
        assertEquals(2, Cli.run("order").code());
        assertEquals(2, Cli.run("order", "127.0.0.1", "--destinations", "127.0.0.1").code());
        assertEquals(2, Cli.run("order", "--destinations", "127.0.0.1", "--sources", "127.0.0.1,127.0.0.2").code());
        assertEquals(2, Cli.run("order", "--destinations", "127.0.0.1", "--sources", "::1").code());
        assertEquals(2, Cli.run("order", "--destinations", "not-an-address").code());
        assertEquals(2, Cli.run("order", "--destinations", "127.0.0.1", "--policy", "musl").code());
        assertEquals(2, Cli.run("order", "--destinations", "127.0.0.1", "--sources", "127.0.0.1+fresh").code());
        assertEquals(2, Cli.run("order", "--destinations", "127.0.0.1", "--family", "inet").code());
        Cli.Result r = Cli.run("order", "--destinations", "127.0.0.1", "--gai-conf", "/nonexistent/gai.conf");
        assertEquals(2, r.code(), r::toString);
    }

    /** Runs the command and checks it exited 0. */
    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    private static void assertOut(Cli.Result r, String text) {
        assertTrue(r.out().contains(text), r::toString);
    }
}
