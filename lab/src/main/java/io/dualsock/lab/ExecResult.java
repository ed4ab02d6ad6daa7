package io.dualsock.lab;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a command run in (or for) the lab did.
 *
 * @param command the argument vector as executed (no shell ever interprets it)
 * @param exitCode its exit status; -1 when it was killed after the timeout
 * @param stdout everything it wrote to standard output, UTF-8
 * @param stderr everything it wrote to standard error, UTF-8
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
    private static final Set<String> PATH_OPTIONS = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path");
    /** Longest argument shown whole; a longer one keeps its start and its length. */
    private static final int MAX_ARGUMENT = 160;
    /** How much of the end of stderr (and of stdout) {@link #toString()} keeps. */
    private static final int TAIL = 400;

    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a {@link LabException} naming the command, its status and its stderr. */
    public ExecResult orThrow() {
        if (exitCode != 0) {
            throw new LabException("command failed (exit " + exitCode + "): " + shortCommand()
                    + (stderr.isBlank() ? "" : "\n  " + stderr.strip().replace("\n", "\n  ")));
        }
        return this;
    }

    /**
     * The command for messages: the value after {@code -cp}/{@code -classpath}/{@code --class-path}
     * ({@code -p}/{@code --module-path}) becomes {@code <class path, N entries>}, and any other
     * argument longer than 160 characters keeps its start and its length. {@link #command()} has
     * the whole.
     */
    public String shortCommand() {
        List<String> out = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (i > 0 && PATH_OPTIONS.contains(command.get(i - 1))) {
                String option = command.get(i - 1);
                String kind = option.equals("-p") || option.equals("--module-path") ? "module path" : "class path";
                int n = entries(a);
                out.add("<" + kind + ", " + n + (n == 1 ? " entry>" : " entries>"));
            } else if (a.length() > MAX_ARGUMENT) {
                out.add(a.substring(0, MAX_ARGUMENT - 40) + "…<" + a.length() + " characters>");
            } else {
                out.add(a);
            }
        }
        return String.join(" ", out);
    }

    /**
     * Short enough for an assertion message: the exit status, the {@link #shortCommand() short
     * command}, and the last 400 characters of stderr and of stdout (with their full lengths).
     */
    @Override
    public String toString() {
        return "ExecResult[exit " + exitCode + ": " + shortCommand() + tail("stderr", stderr) + tail("stdout", stdout) + "]";
    }

    private static int entries(String path) {
        int n = 0;
        for (String e : path.split(File.pathSeparator)) if (!e.isEmpty()) n++;
        return n;
    }

    private static String tail(String name, String text) {
        String t = text.strip();
        if (t.isEmpty()) return "; " + name + " empty";
        if (t.length() <= TAIL) return "; " + name + ": " + t;
        return "; " + name + " (" + text.length() + " characters), its end: …" + t.substring(t.length() - TAIL);
    }
}
