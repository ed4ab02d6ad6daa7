package io.dualsock.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final String TEXT = """
            {{! a comment, dropped }}
            # Title {{number:n}} ns
            {{if:smoke}}
            Smoke: {{text:why}}
            {{end:smoke}}
            {{table:rows}}
            end
            """;

    @Test
    void fillsValuesAndKeepsOrDropsBlocks() {
        Template t = Template.of("t", TEXT);
        Template.Values v = new Template.Values().number("n", "1.5").table("rows", "| a |\n| b |").when("smoke", false);
        assertEquals("# Title 1.5 ns\n| a |\n| b |\nend\n", t.render(v));
        v = new Template.Values().number("n", "$1\\").table("rows", "r").when("smoke", true).text("why", "w");
        assertEquals("# Title $1\\ ns\nSmoke: w\nr\nend\n", t.render(v));
    }

    @Test
    void lineOfOnePlaceholderFilledWithNothingIsDropped() {
        Template t = Template.of("t", TEXT);
        assertEquals("# Title 1 ns\nend\n", t.render(new Template.Values().number("n", "1").table("rows", "").when("smoke", false)));
    }

    @Test
    void placeholderInADroppedBlockNeedNotBeFilled() {
        Template t = Template.of("t", TEXT);
        t.render(new Template.Values().number("n", "1").table("rows", "r").when("smoke", false));
    }

    @Test
    void unfilledPlaceholderFails() {
        Template t = Template.of("t", TEXT);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> t.render(new Template.Values().number("n", "1").when("smoke", false)));
        assertTrue(e.getMessage().contains("{{table:rows}} not filled"), e.getMessage());
        assertTrue(e.getMessage().contains("line 6"), e.getMessage());
    }

    @Test
    void valueTheTemplateDoesNotHaveFails() {
        Template t = Template.of("t", TEXT);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.render(
                new Template.Values().number("n", "1").table("rows", "r").when("smoke", false).number("typo", "2")));
        assertTrue(e.getMessage().contains("{{number:typo}}"), e.getMessage());
    }

    @Test
    void undecidedOrUnknownBlockFails() {
        Template t = Template.of("t", TEXT);
        assertThrows(IllegalStateException.class, () -> t.render(new Template.Values().number("n", "1").table("rows", "r")));
        assertThrows(IllegalStateException.class, () -> t.render(
                new Template.Values().number("n", "1").table("rows", "r").when("smoke", true).text("why", "w").when("other", true)));
    }

    @Test
    void unknownPlaceholderKindOrBrokenBlockFailsOnLoad() {
        assertThrows(IllegalStateException.class, () -> Template.of("t", "a {{numbr:x}} b\n"));
        assertThrows(IllegalStateException.class, () -> Template.of("t", "a {{number:x} b\n"));
        assertThrows(IllegalStateException.class, () -> Template.of("t", "{{if:a}}\nx\n"));
        assertThrows(IllegalStateException.class, () -> Template.of("t", "{{if:a}}\n{{end:b}}\n"));
    }

    @Test
    void fillingTwiceFails() {
        assertThrows(IllegalArgumentException.class, () -> new Template.Values().text("a", "1").text("a", "2"));
    }

    @Test
    void notesAreNamedOneLineTemplates() {
        Notes n = Notes.of("n", """
                # Heading, ignored

                A paragraph, ignored.

                - `one`: first {{number:x}} ns,
                  continued.
                - `two`: second
                """);
        assertEquals(java.util.Set.of("one", "two"), n.keys());
        assertEquals("first 3 ns, continued.", n.render("one", new Template.Values().number("x", "3")));
        assertEquals("second", n.text("two"));
        assertThrows(IllegalStateException.class, () -> n.text("three"));
        assertThrows(IllegalStateException.class, () -> n.text("one"));
        assertThrows(IllegalStateException.class, () -> Notes.of("n", "- `a`: x\n- `a`: y\n"));
    }
}
