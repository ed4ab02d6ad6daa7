package io.dualsock.lab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * Minimal {@code dualsock} root for the lab and compare branches: registers {@code matrix} and
 * {@code compare}. The full command line (resolve, selftest, ...) lives on the cli branch; when
 * they merge, add {@link MatrixCommand} and {@link CompareCommand} to that Main's subcommands
 * and drop this file.
 */
@Command(name = "dualsock", mixinStandardHelpOptions = true,
        description = "The operating system's own getaddrinfo and socket calls, IPv4-mapped IPv6 addresses included.",
        subcommands = {MatrixCommand.class, CompareCommand.class, HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((ex, cl, parsed) -> {
            cl.getErr().println("dualsock " + cl.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cmd.execute(args));
    }
}
