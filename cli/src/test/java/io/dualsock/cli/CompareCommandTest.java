package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CompareCommandTest {
    static Cli.Result run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.run(all);
    }

    @Test
    void aNameThatWouldGoToDnsIsRefusedBeforeAnyLookup() {
        Cli.Result r = run("nosuch.example");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("dualsock compare: USAGE: "), r.err());
        assertTrue(r.err().contains("DNS"), r.err());
    }

    @Test
    void reportTakesNoHostAndFormatsExcludeEachOther() {
        assertEquals(2, run("--report", "localhost").code());
        assertEquals(2, run("127.0.0.1", "--json", "--markdown").code());
        assertEquals(2, run().code());
    }

    @Test
    void oneLiteralOnOneSettingAsJson() throws Exception {
        Cli.Result r = run("127.0.0.1", "80", "--jdk", System.getProperty("java.home"), "--setting", "DEFAULT", "--no-sockets",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        JsonNode host = n.get("hosts").get(0);
        assertEquals("127.0.0.1", host.get("host").asText());
        assertEquals(8, host.get("libc").size());
        assertEquals(80, host.get("libc").get(0).get("entries").get(0).get("port").asInt());
        assertEquals(1, host.get("jdk").size());
        assertEquals("127.0.0.1", host.get("jdk").get(0).get("lookup").get("addresses").get(0).get("address").asText());
        assertEquals(0, n.get("sockets").size());
    }
}
