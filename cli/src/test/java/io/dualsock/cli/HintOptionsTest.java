package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shared hint mixins keep each command's own help words (resource bundles) and usage errors. */
class HintOptionsTest {

    private static String help(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r::toString);
        return r.out();
    }

    @Test
    void eachCommandKeepsItsOwnFamilyAndFlagsText() {
        String resolve = help("resolve");
        assertTrue(resolve.contains("--family=inet|inet6|unspec|N\n                      ai_family (default AF_UNSPEC)."), resolve);
        assertTrue(resolve.contains("--flags=FLAGS   ai_flags, e.g. v4mapped,all (default 0).\n"), resolve);
        String connect = help("connect");
        // the description column moves with the longest option name: compare words, not spaces
        assertTrue(connect.replaceAll("\\s+", " ").contains("--family=inet|inet6|unspec ai_family (default unspec)."), connect);
        assertTrue(connect.replaceAll("\\s+", " ").contains("(default 0; v4mapped with --family inet6)."), connect);
        String serve = help("serve");
        assertTrue(serve.contains("--family=inet|inet6   Socket family (required unless --bind gives it)."), serve);
        assertTrue(serve.contains("--proto=tcp|udp       SOCK_STREAM or SOCK_DGRAM (default tcp)."), serve);
    }

    @Test
    void aBadNameIsAUsageErrorOfTheCommandThatMixedItIn() {
        for (String[] args : new String[][] {
                {"resolve", "localhost", "--socktype", "nosuch"},
                {"connect", "127.0.0.1", "7", "--flags", "nosuch"},
                {"serve", "0", "--family", "nosuch"},
                {"serve", "0", "--family", "inet", "--proto", "sctp"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(ExitCodes.USAGE, r.code(), r::toString);
            assertTrue(r.err().startsWith("dualsock " + args[0] + ": USAGE: "), r::toString);
            assertTrue(r.err().contains("Try 'dualsock " + args[0] + " --help'"), r::toString);
        }
    }
}
