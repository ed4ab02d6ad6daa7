package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

/** The lab's package-private facts that the cli module's lab tests check against. */
public final class LabAccess {
    private LabAccess() {}

    /** Parses a topology file that must be refused with a message containing {@code fragment}; returns the message. */
    public static String assertRefused(String json, String file, String fragment) {
        String m = assertThrows(TopologyException.class, () -> TopologyJson.parse(json, file)).getMessage();
        assertTrue(m.contains(fragment), m);
        return m;
    }

    /** The cleanup record of the {@code n}-th lab of the process {@code pid}. */
    public static Path stateFile(long pid, int n) {
        return LabState.recordFile(LabNames.of(pid, n));
    }

    /** The text of every lab record on the machine. */
    public static String records() {
        return Leftovers.records();
    }

    /** Runs {@code ip} with these arguments. */
    public static ExecResult ip(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Netns.IP);
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    /** The pids a lab's record lists for processes whose description starts with {@code what}. */
    public static List<Long> recordedPids(Path record, String what) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Files.readString(record));
        List<Long> pids = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : state.path("processes")) {
            if (p.path("what").asText().startsWith(what)) pids.add(p.path("pid").asLong());
        }
        return pids;
    }
}
