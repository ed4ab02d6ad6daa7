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
}
