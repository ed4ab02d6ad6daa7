package io.dualsock.lab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * Minimal {@code dualsock} root for the compare branch only: registers {@link CompareCommand}.
 * The cli branch owns the real Main; on merge, keep that one and add CompareCommand to its
 * subcommands.
 */
@Command(name = "dualsock", mixinStandardHelpOptions = true,
        description = "The operating system's own getaddrinfo and socket calls, IPv4-mapped IPv6 addresses included.",
        subcommands = {CompareCommand.class, HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
