package io.dualsock.lab.archfixture;

/** A wrong import on purpose, for ArchitectureTest: a lab class that calls the command line. */
public final class LabUsesCli {
    private LabUsesCli() {}

    public static void run() {
        io.dualsock.cli.Main.main(new String[] {"--version"});
    }
}
