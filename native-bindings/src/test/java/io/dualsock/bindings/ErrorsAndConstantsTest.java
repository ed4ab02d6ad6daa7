package io.dualsock.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

/** The names and texts the resolver's exceptions are built from, and the constant lookups. */
class ErrorsAndConstantsTest {

    @Test
    void eaiNamesAndTexts() {
        int seen = 0;
        for (var e : Constants.all().entrySet()) {
            if (!e.getKey().startsWith("EAI_")) continue;
            int code = Math.toIntExact(e.getValue());
            String name = Errors.eaiName(code);
            assertTrue(name.startsWith("EAI_"), name);
            assertEquals(code, Constants.i(name), name + " and " + e.getKey() + " share a value");
            assertFalse(Errors.gaiStrerror(code).isEmpty());
            seen++;
        }
        assertTrue(seen >= 10, "EAI codes in the table: " + seen);
        assertEquals("EAI_NONAME", Errors.eaiName(Constants.i("EAI_NONAME")));
        assertEquals("EAI code -12345", Errors.eaiName(-12345));
        assertFalse(Errors.gaiStrerror(-12345).isEmpty());
    }

    @Test
    void errnoNamesAndTexts() {
        int found = 0;
        for (int i = 1; i < 200; i++) {
            String n = Errors.errnoName(i);
            if (n.startsWith("E")) {
                found++;
                assertFalse(Errors.strerror(i).isEmpty(), n);
            }
        }
        assertTrue(found > 100, "named errno values: " + found);
        assertEquals("errno 99999", Errors.errnoName(99999));
        assertTrue(Errors.strerror(99999).contains("99999"), Errors.strerror(99999));
        assertEquals("errno -1", Errors.errnoName(-1));
    }

    @Test
    void constantLookups() {
        assertThrows(NoSuchElementException.class, () -> Constants.i("AF_NO_SUCH_FAMILY"));
        assertTrue(Constants.find("AF_NO_SUCH_FAMILY").isEmpty());
        assertEquals(Platform.AF_INET6, Constants.i("AF_INET6"));
        assertEquals(Platform.GAI_HEADER_SIZE + 0L, Constants.find("DS_GAI_HEADER_SIZE").getAsLong());
        assertThrows(UnsupportedOperationException.class, () -> Constants.all().put("X", 1L));
    }
}
