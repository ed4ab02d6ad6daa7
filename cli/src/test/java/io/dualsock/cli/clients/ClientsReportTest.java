package io.dualsock.cli.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.cli.clients.ClientsTable.Implementation;
import io.dualsock.cli.clients.ClientsTable.Situation;
import io.dualsock.lab.Family;
import io.dualsock.lab.Wire;

/** The clients table's three forms, from made-up cells as wide as real ones get (no lab). */
class ClientsReportTest {
    private static ClientsReport report(boolean withProblem) {
        List<ClientsReport.Cell> cells = new ArrayList<>();
        for (Situation s : Situation.values()) {
            for (Implementation r : Implementation.values()) {
                boolean ok = (r.ordinal() + s.ordinal()) % 3 != 0;
                List<String> problems = withProblem && r == Implementation.NETTY && s == Situation.GHOST
                        ? List.of("the server did not report the exchange") : List.of();
                cells.add(new ClientsReport.Cell(r.id, s.id, s.clientHost, s.name, ok ? "ok" : "TIMEOUT", ok,
                        ok ? Family.IPV4 : null, ok ? "ipv4" : null, ok ? 1234.5 : 2003.2, r == Implementation.HTTPCLIENT,
                        r == Implementation.HTTPCLIENT ? null : 2, 2, List.of("2001:db8::62", "198.51.100.62"), null, null,
                        new Wire(ok ? 5 : 0, 0, Map.of("TcpPassiveOpens", ok ? 1L : 0L)), ok ? null : "timed out", null, problems));
            }
        }
        return new ClientsReport("2026-12-01T00:00:00Z", 31_000, 9_000, Map.of("kernel", "6.18"), 2000, 250,
                List.of(Implementation.values()), List.of(Situation.values()), cells);
    }

    @Test
    void theTextFitsOneHundredTwentyColumnsAndNamesEveryFailure() {
        String text = report(true).toText();
        for (String line : text.split("\n")) assertTrue(line.length() <= 120, "longer than 120: " + line);
        assertTrue(text.contains("dualsock happy"), text);
        assertTrue(text.contains("v4 1235ms 2"), text);
        assertTrue(text.contains("no 2003ms 2"), text);
        assertTrue(text.contains("TIMEOUT after 2003 ms"), text);
        assertTrue(text.contains("! Netty 4.2 / ghost AAAA: the server did not report the exchange"), text);
    }

    @Test
    void markdownAndJsonCarryEveryCell() {
        ClientsReport r = report(false);
        assertTrue(r.consistent());
        String md = r.toMarkdown();
        assertEquals(Implementation.values().length, md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| |")).count(), md);
        JsonNode j = r.toJson();
        assertEquals(49, j.path("cells").size());
        JsonNode http = null;
        for (JsonNode c : j.path("cells")) if (c.path("implementation").asText().equals("httpclient")) http = c;
        assertEquals("syns_sent", http.path("attempts_from").asText());
        assertEquals("response", http.path("ms_until").asText());
        assertFalse(report(true).consistent());
    }
}
