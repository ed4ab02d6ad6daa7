package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options {@code dualsock matrix} refuses before it looks for privileges: usage errors, exit 2. */
class MatrixCommandTest {

    @Test
    void badOptionValuesAreUsageErrors(@TempDir Path dir) throws Exception {
        Path topology = dir.resolve("t.json");
        Files.writeString(topology, "{\"port\": 7007, \"hosts\": [], \"nosuch\": 1}");
        for (List<String> args : List.of(
                List.of("--proto", "sctp"),
                List.of("--variant", "book,nosuch"),
                List.of("--resolver", "nis"),
                List.of("--udp-timeout", "0"),
                List.of("--topology", dir.resolve("missing.json").toString()),
                List.of("--topology", topology.toString()),
                List.of("--nat64", "--topology", topology.toString()),
                List.of("--nat64", "--clients"),
                List.of("--nat64", "--resolver", "files"))) {
            String[] all = new String[args.size() + 2];
            all[0] = "matrix";
            all[1] = "--no-demo";
            for (int i = 0; i < args.size(); i++) all[i + 2] = args.get(i);
            Cli.Result r = Cli.run(all);
            assertEquals(ExitCodes.USAGE, r.code(), () -> args + "\n" + r);
            assertTrue(r.err().startsWith("dualsock matrix: USAGE: "), () -> args + "\n" + r);
            assertEquals("", r.out(), () -> args + "\n" + r);
        }
    }

    @Test
    void printTopologyNeedsNoPrivileges() {
        Cli.Result r = Cli.run("matrix", "--print-topology");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().contains("\"hosts\""), r::toString);
    }

    @Test
    void printTopologyWithNat64PrintsTheNat64TopologyWhichReadsBack() {
        Cli.Result r = Cli.run("matrix", "--print-topology", "--nat64");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().contains("\"nat64\""), r::toString);
        io.dualsock.lab.Topology t = io.dualsock.lab.TopologyJson.parse(r.out(), "printed");
        assertEquals("2001:db8:6464::/96", t.nat64().prefix());
        assertEquals(io.dualsock.cli.matrix.Nat64Rows.topology(), t);
    }
}
