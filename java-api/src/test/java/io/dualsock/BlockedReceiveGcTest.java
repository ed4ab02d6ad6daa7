package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dualsock.testsupport.ChildJvm;

/**
 * A thread blocked in {@code recv(2)} does not hold up the garbage collector, under whichever
 * binding this JVM runs ({@code -Ddualsock.binding} goes to the child): see {@link BlockedReceiveGc}.
 */
class BlockedReceiveGcTest {
    private static final long TIMEOUT_SECONDS = 90;

    @Test
    void collectionsFinishWhileAThreadIsBlockedInRecv() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ChildJvm.command(BlockedReceiveGc.class)).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("forced collections did not finish in " + TIMEOUT_SECONDS
                    + " s while a thread was blocked in recv: a blocking call crossed without the native transition");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("OK binding "), out);
    }
}
