package io.dualsock.cli;

/**
 * The exit statuses every {@code dualsock} subcommand uses. They match picocli's own
 * ({@code CommandLine.ExitCode}), so usage errors picocli detects and those a command detects
 * itself end the same way.
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** The command did what was asked. */
    public static final int OK = 0;
    /** A resolver or system error (EAI_*, errno), a failed batch line, a library that does not load. */
    public static final int FAILURE = 1;
    /** Bad usage: unknown option, unknown constant name, missing argument. */
    public static final int USAGE = 2;
    /** {@code matrix --no-demo} only: the lab cannot run here (privileges or programs missing). */
    public static final int NOT_PRIVILEGED = 3;
}
