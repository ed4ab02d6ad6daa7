package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.dualsock.lab.Family;
import io.dualsock.lab.Stack;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;

class BookTableTest {
    static final Family[] ROW_FAMILY = {Family.IPV4, Family.IPV6, Family.IPV4, Family.IPV6};
    static final Stack[] ROW_STACK = {Stack.IPV4_ONLY, Stack.IPV6_ONLY, Stack.DUAL, Stack.DUAL};
    static final Family[] COL_FAMILY = {Family.IPV4, Family.IPV6, Family.IPV4, Family.IPV6};
    static final Stack[] COL_STACK = {Stack.IPV4_ONLY, Stack.IPV6_ONLY, Stack.DUAL, Stack.DUAL};

    @Test
    void theBooksRulesGiveFigure125() {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                Outcome rule = BookTable.rules(ROW_FAMILY[r], ROW_STACK[r], COL_FAMILY[c], COL_STACK[c], false,
                        COL_STACK[c].hasIpv4(), COL_STACK[c].hasIpv6());
                assertEquals(BookTable.parse(BookTable.FIGURE[r][c]), rule, "row " + r + ", column " + c);
            }
        }
    }

    @Test
    void figure125TopologyMapsOntoTheFigure() {
        Topology t = Topology.figure125();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                BookTable.Expectation e = BookTable.expect(t, t.clients().get(r), t.servers().get(c));
                assertEquals(BookTable.FIGURE[r][c], e.text());
                assertEquals(BookTable.FIGURE_SOURCE, e.source());
            }
        }
    }

    @Test
    void v6onlyServerIsJudgedByTheRules() {
        Topology t = TopologyJson.parse(TopologyJson.figure125Json().replace("\"v6only\": false", "\"v6only\": true"), "v6only");
        BookTable.Expectation e = BookTable.expect(t, t.clients().get(0), t.servers().get(3));
        assertEquals(Outcome.NO, e.outcome());
        assertEquals(BookTable.RULES_SOURCE, e.source());
        assertEquals(Outcome.IPV6, BookTable.expect(t, t.clients().get(3), t.servers().get(3)).outcome());
    }
}
