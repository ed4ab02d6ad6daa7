package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code dualsock demo} as a command (the report's facts are DemoTest's). */
class DemoCommandTest {

    @Test
    void jsonParsesWithEveryScenario() {
        Cli.Result r = Cli.run("demo", "--json", "--reply-timeout", "100");
        assertEquals(0, r.code(), r::toString);
        JsonNode root = r.json();
        assertEquals(100, root.get("reply_timeout_ms").asInt());
        assertEquals(8, root.get("scenarios").size());
        for (JsonNode s : root.get("scenarios")) {
            assertTrue(s.get("attempts").size() > 0, s::toString);
            for (JsonNode a : s.get("attempts")) assertTrue(a.get("seen").asText().length() > 20, a::toString);
        }
    }

    @Test
    void textNamesTheBook() {
        Cli.Result r = Cli.run("demo", "--reply-timeout", "50");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("dualsock demo: UNP §12.2 and §12.3"), r::toString);
        assertTrue(r.out().contains("[v4-mapped]") && r.out().contains("ECONNREFUSED") && r.out().contains("EAFNOSUPPORT"),
                r::toString);
    }

    @Test
    void badReplyTimeoutIsUsage() {
        for (String t : new String[] {"0", "-3", "x"}) {
            Cli.Result r = Cli.run("demo", "--reply-timeout", t);
            assertEquals(ExitCodes.USAGE, r.code(), r::toString);
            assertTrue(r.err().startsWith("dualsock demo: USAGE: "), r::toString);
        }
    }

    @Test
    void mainListsTheNewCommands() {
        Cli.Result r = Cli.run("--help");
        assertTrue(r.out().contains("serve") && r.out().contains("connect") && r.out().contains("demo"), r::toString);
    }
}
