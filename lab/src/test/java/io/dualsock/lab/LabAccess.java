package io.dualsock.lab;

import java.nio.file.Path;
import java.util.List;

/** The lab's package-private facts that the cli module's lab tests check against. */
public final class LabAccess {
    private LabAccess() {}

    /** The cleanup record a running lab keeps. */
    public static Path stateFile() {
        return LabState.STATE;
    }

    /** Runs {@code ip} with these arguments. */
    public static ExecResult ip(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Netns.IP);
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    /** The pids the running lab's record lists for processes whose description starts with {@code what}. */
    public static List<Long> recordedPids(String what) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Files.readString(LabState.STATE));
        List<Long> pids = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : state.path("processes")) {
            if (p.path("what").asText().startsWith(what)) pids.add(p.path("pid").asLong());
        }
        return pids;
    }
}
