package io.dualsock.cli;

import java.io.PrintWriter;

import io.dualsock.NativeSocketException;
import io.dualsock.ResolverException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every way a command can end badly into one stderr line
 * {@code dualsock <command>: NAME: message} and an exit status from {@link ExitCodes}, so
 * scripts can match the name (the first word after the command) and humans read the message.
 */
final class ExitHandling implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Picocli found the arguments wrong, or a command threw a {@link ParameterException}. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        report(err, cmd, "USAGE", ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        if (ex instanceof CliException e) {
            report(err, cmd, e.errorName(), e.getMessage());
            code = e.exitCode();
        } else if (ex instanceof ResolverException e) {
            report(err, cmd, e.codeName(), e.getMessage());
            code = ExitCodes.FAILURE;
        } else if (ex instanceof NativeSocketException e) {
            report(err, cmd, e.errnoName(), e.getMessage());
            code = ExitCodes.FAILURE;
        } else {
            // A bug in dualsock, not in the user's input: keep the stack trace for the report.
            report(err, cmd, "INTERNAL", String.valueOf(ex));
            ex.printStackTrace(err);
            code = ExitCodes.FAILURE;
        }
        err.flush();
        return code;
    }

    /** The one error line format. */
    static void report(PrintWriter err, CommandLine cmd, String name, String message) {
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + name + ": " + message);
    }
}
