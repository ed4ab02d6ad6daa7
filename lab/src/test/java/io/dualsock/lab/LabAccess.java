package io.dualsock.lab;

import java.nio.file.Path;
import java.util.List;

/** The lab's package-private facts that the cli module's lab tests check against. */
public final class LabAccess {
    private LabAccess() {}

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
}
