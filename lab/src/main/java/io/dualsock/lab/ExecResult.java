package io.dualsock.lab;

import java.util.List;

/**
 * What a command run in (or for) the lab did.
 *
 * @param command the argument vector as executed (no shell ever interprets it)
 * @param exitCode its exit status; -1 when it was killed after the timeout
 * @param stdout everything it wrote to standard output, UTF-8
 * @param stderr everything it wrote to standard error, UTF-8
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a {@link LabException} naming the command, its status and its stderr. */
    public ExecResult orThrow() {
        if (exitCode != 0) {
            throw new LabException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                    + (stderr.isBlank() ? "" : "\n  " + stderr.strip().replace("\n", "\n  ")));
        }
        return this;
    }
}
