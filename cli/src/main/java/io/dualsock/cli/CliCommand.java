package io.dualsock.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: the invocation's streams and the usage-error shortcut. {@link #call()}
 * returns an {@link ExitCodes} value; failures are thrown as {@link CliException},
 * {@link io.dualsock.ResolverException} or {@link io.dualsock.NativeSocketException}.
 */
public abstract class CliCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected InputStream in() {
        return ((Main) spec.root().userObject()).stdin();
    }

    /** A usage error of this command (exit 2, with a pointer to its --help). */
    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Writes {@code dualsock <command>: NAME: message} to stderr without ending the command. */
    protected void reportError(String name, String message) {
        ExitHandling.report(err(), spec.commandLine(), name, message);
        err().flush();
    }
}
