package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DualsockTest {

    @Test
    void diagnosticsSayWhatLoadedAndFromWhere() {
        Dualsock.Diagnostics d = Dualsock.diagnostics();
        assertTrue(d.loaded(), d.toString());
        assertNull(d.error());
        assertEquals(d.abiExpected(), d.abiVersion());
        assertTrue(d.source().startsWith("bundled") && d.source().contains(d.platform()), d.source());
        assertTrue(d.bundledPlatforms().contains(d.platform()), d.toString());
        assertTrue(d.toString().contains("this jar carries " + String.join(" ", d.bundledPlatforms())), d.toString());
    }
}
