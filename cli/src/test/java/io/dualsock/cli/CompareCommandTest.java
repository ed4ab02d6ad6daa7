package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class CompareCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CompareCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aNameThatWouldGoToDnsIsRefusedBeforeAnyLookup() {
        Result r = run("nosuch.example");
        assertEquals(2, r.code(), r.err());
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
        Result r = run("127.0.0.1", "80", "--jdk", System.getProperty("java.home"), "--setting", "DEFAULT", "--no-sockets",
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
