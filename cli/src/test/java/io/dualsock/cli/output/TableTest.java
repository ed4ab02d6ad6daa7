package io.dualsock.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void padsAlignsAndTrims() {
        StringWriter s = new StringWriter();
        new Table("#", "name", "port", "note").rightAlign(0, 2)
                .add(1, "a", 80, null)
                .add(10, "longer", 8080, "")
                .print(new PrintWriter(s));
        assertEquals(String.join("\n",
                " #  name    port  note",
                " 1  a         80  -",
                "10  longer  8080",
                ""), s.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void noHeader() {
        StringWriter s = new StringWriter();
        new Table().add("key", "value").add("", "more").print(new PrintWriter(s));
        assertEquals("key  value\n     more\n", s.toString().replace(System.lineSeparator(), "\n"));
    }
}
