package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A lab whose agents could not load {@link Agent} from the class path it gives them (Surefire's
 * {@code forkCount=0}: {@code java.class.path} is Maven's launcher) fails at once with a message
 * that names the class, that class path and the cause, and makes nothing.
 */
class AgentClassPathTest {
    /** What java.class.path is in Maven's own JVM. */
    static final String MAVEN_LAUNCHER = "/usr/share/maven/boot/plexus-classworlds-2.x.jar";

    @Test
    void theAgentIsFoundOnThisJvmsClassPath() {
        JavaProgram.requireAgentLoadable(System.getProperty("java.class.path"));
    }

    @Test
    void missingAgentNamesClassClassPathAndForkCount() {
        LabException e = assertThrows(LabException.class, () -> JavaProgram.requireAgentLoadable(MAVEN_LAUNCHER));
        String m = e.getMessage();
        assertTrue(m.contains(Agent.class.getName()), m);
        assertTrue(m.contains("\"" + MAVEN_LAUNCHER + "\""), m);
        assertTrue(m.contains("forkCount=0"), m);
    }

    @Test
    void aLabStartedWithoutTheAgentOnTheClassPathFailsBeforeMakingAnything() {
        List<String> before = namespacesAndRecords();
        String cp = System.getProperty("java.class.path");
        LabException e;
        synchronized (System.getProperties()) {
            System.setProperty("java.class.path", MAVEN_LAUNCHER);
            try {
                e = assertThrows(LabException.class, () -> Lab.builder().host("a", Stack.DUAL).start().close());
            } finally {
                System.setProperty("java.class.path", cp);
            }
        }
        assertTrue(e.getMessage().contains("forkCount=0") && e.getMessage().contains(MAVEN_LAUNCHER), e.getMessage());
        assertEquals(before, namespacesAndRecords(), "the lab made something before it checked");
    }

    /** This JVM's lab namespaces, and the number its next lab would get (unchanged while no lab was begun). */
    static List<String> namespacesAndRecords() {
        List<String> out = new java.util.ArrayList<>(Netns.listWithPrefix(Topology.PREFIX + ProcessHandle.current().pid() + "-"));
        out.add("next lab " + LabState.nextLabNumber());
        return out;
    }
}
