package io.dualsock.cli;

/**
 * A failure a command wants reported as {@code dualsock <command>: NAME: message} on stderr,
 * ending the process with {@link #exitCode()}. The name is the one a script can match on:
 * an {@code EAI_*} or errno name, {@code USAGE}, {@code LIBRARY_LOAD}, ...
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final int exitCode;

    public CliException(String errorName, String message, int exitCode) {
        super(message);
        this.errorName = errorName;
        this.exitCode = exitCode;
    }

    public CliException(String errorName, String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.errorName = errorName;
        this.exitCode = exitCode;
    }

    /** A usage error (exit {@link ExitCodes#USAGE}). */
    public static CliException usage(String message) {
        return new CliException("USAGE", message, ExitCodes.USAGE);
    }

    /** A resolver or system failure (exit {@link ExitCodes#FAILURE}). */
    public static CliException failure(String errorName, String message) {
        return new CliException(errorName, message, ExitCodes.FAILURE);
    }

    public String errorName() { return errorName; }

    public int exitCode() { return exitCode; }
}
