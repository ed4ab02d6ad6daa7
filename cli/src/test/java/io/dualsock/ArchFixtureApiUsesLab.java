package io.dualsock;

/** A wrong import on purpose, for ArchitectureTest: an API class that reaches into the lab. */
public final class ArchFixtureApiUsesLab {
    private ArchFixtureApiUsesLab() {}

    public static String name() {
        return io.dualsock.lab.Lab.class.getName();
    }
}
