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
        Cli.Result r = Cli.run("order", "--destinations", "198.51.100.5,2001:db8::5", "--sources", "198.51.100.10/24,2001:db8::10/64");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("2001:db8::5 before 198.51.100.5: rule 6 (prefer higher precedence), precedence 40 vs 10"),
                r::toString);
        assertTrue(r.out().startsWith("policy: glibc"), r::toString);
    }

    @Test
    void jsonCarriesOrderSourcesAndSteps() {
        Cli.Result r = Cli.run("order", "--json", "--policy", "rfc6724", "--destinations", "2001:db8:1::1,198.51.100.121",
                "--sources", "fe80::1,198.51.100.117");
        assertEquals(0, r.code(), r::toString);
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
        Cli.Result r = Cli.run("order", "--gai-conf", conf.toString(), "--destinations", "2001:db8::5,198.51.100.5",
                "--sources", "2001:db8::10,198.51.100.10");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("198.51.100.5 before 2001:db8::5: rule 6 (prefer higher precedence), precedence 100 vs 40"),
                r::toString);
        assertTrue(r.out().contains("line 2 (precedence ::1 7): no /length"), r::toString);
    }

    @Test
    void sourcesLookedUpHere() {
        // Loopback only: connect(2) on a UDP socket sends nothing.
        Cli.Result r = Cli.run("order", "--destinations", "fe80::1,127.0.0.1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("127.0.0.1 before fe80::1: rule 1 (avoid unusable destinations)"), r::toString);
        assertTrue(r.out().contains("none (EINVAL)"), r::toString);
    }

    @Test
    void unusableAndFlaggedSourcesByHand() {
        Cli.Result r = Cli.run("order", "--destinations", "2001:db8:1::5,2001:db8::5,fd00::5",
                "--sources", "2001:db8:1::10+deprecated,-,fd00::10/64+home");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("fd00::5 before 2001:db8:1::5: rule 3 (avoid deprecated addresses)"), r::toString);
        assertTrue(r.out().contains("2001:db8:1::5 before 2001:db8::5: rule 1"), r::toString);
    }

    @Test
    void numericHostAgreesWithLibc() {
        Cli.Result r = Cli.run("order", "127.0.0.1", "80");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("The rules give libc's order."), r::toString);
        Cli.Result j = Cli.run("order", "--json", "::1");
        assertEquals(0, j.code(), j::toString);
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
}
