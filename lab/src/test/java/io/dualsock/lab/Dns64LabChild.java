package io.dualsock.lab;

/**
 * A lab with DNS64 that runs until it is killed: prints its lab id and its namespaces on one line once started,
 * then waits for its stdin to close (the test kills it with SIGKILL first).
 */
public final class Dns64LabChild {
    private Dns64LabChild() {}

    public static void main(String[] args) throws Exception {
        Lab lab = Dns64LabTest.lab("2001:db8:6464::/96").start();
        System.out.println(lab.names().id() + " " + String.join(" ", lab.namespaces()));
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait
        }
        lab.close();
    }
}
