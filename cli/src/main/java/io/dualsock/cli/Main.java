package io.dualsock.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code dualsock} command line: a thin picocli root. Subcommands are registered in the one
 * {@code subcommands} list below; each extends {@link CliCommand} and reports failures through
 * {@link CliException} (or the API's own exceptions), which {@link ExitHandling} turns into one
 * stderr line and an exit status from {@link ExitCodes}.
 */
@Command(name = "dualsock",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "The operating system's own getaddrinfo and socket calls, IPv4-mapped IPv6 addresses included.",
        subcommands = {
            ResolveCommand.class,
            OrderCommand.class,
            Nat64Command.class,
            SelftestCommand.class,
            MatrixCommand.class,
            CompareCommand.class,
            ServeCommand.class,
            ConnectCommand.class,
            DemoCommand.class,
            HelpCommand.class,
        },
        footer = {"",
            "Exit status: 0 success, 1 resolver/system error (its name on stderr), 2 bad usage."})
public final class Main implements Runnable {
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    Main(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Standard input of this invocation (tests pass their own). */
    InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        // "dualsock" alone: show what there is rather than fail.
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    public static void main(String[] args) {
        System.exit(run(System.in, System.out, System.err, args));
    }

    /**
     * Runs one command line with the given streams and returns its exit status instead of
     * exiting, so tests can call it in-process.
     */
    public static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        ExitHandling handling = new ExitHandling();
        CommandLine cmd = new CommandLine(new Main(in))
                .setOut(o)
                .setErr(e)
                .setExecutionExceptionHandler(handling)
                .setParameterExceptionHandler(handling);
        try {
            return cmd.execute(args);
        } catch (LinkageError le) {
            // picocli hands only Exceptions to the handler; a shim that fails to load is an
            // UnsatisfiedLinkError (first use) or NoClassDefFoundError (later uses).
            e.println("dualsock: LIBRARY_LOAD: " + le.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** "dualsock 0.1.0" from the jar manifest; "dualsock (development build)" from class files. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dualsock " + (v != null ? v : "(development build)")};
        }
    }
}
