package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsTheSubcommands() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("resolve") && r.out().contains("selftest"), r::toString);
        assertTrue(r.out().contains("Exit status"), r::toString);
    }

    @Test
    void noSubcommandIsUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock: USAGE: missing subcommand"), r::toString);
    }

    @Test
    void versionPrints() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("dualsock "), r::toString);
    }

    @Test
    void unknownSubcommandSuggests() {
        Cli.Result r = Cli.run("resolv", "localhost");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("resolve"), r::toString);
    }
}
