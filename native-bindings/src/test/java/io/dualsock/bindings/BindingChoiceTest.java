package io.dualsock.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** Which binding runs (FFM on Java 22+ unless -Ddualsock.binding=jnr) and that both agree on addresses. */
class BindingChoiceTest {
    private static final boolean FFM_JAVA = Runtime.version().feature() >= BindingChoice.FFM_JAVA;

    @Test
    void thisProcessRunsTheBindingItsJavaAndPropertyAskFor() {
        String asked = System.getProperty(BindingChoice.PROPERTY);
        String expected = FFM_JAVA && !"jnr".equals(asked) ? "ffm" : "jnr";
        assertEquals(expected, Native.binding(), Native.bindingReason());
        assertEquals(NativeLoader.ABI_VERSION, Native.shim().ds_abi_version());
        assertTrue(Native.bindingReason().contains("Java " + Runtime.version().feature())
                || Native.bindingReason().contains("-D" + BindingChoice.PROPERTY), Native.bindingReason());
    }

    @Test
    void propertyForcesJnrAndRejectsUnknownNames() {
        BindingChoice jnr = with("jnr", BindingChoice::decide);
        assertEquals("jnr", jnr.binding().name());
        assertEquals("-Ddualsock.binding=jnr", jnr.reason());
        LibraryLoadException e = assertThrows(LibraryLoadException.class, () -> with("panama", BindingChoice::decide));
        assertTrue(e.getMessage().contains("-Ddualsock.binding=panama is not a binding"), e.getMessage());
        BindingChoice ffm = with("ffm", BindingChoice::decide);
        assertEquals(FFM_JAVA ? "ffm" : "jnr", ffm.binding().name(), ffm.reason());
    }

    @Test
    void bothBindingsReadTheSameBufferAddress() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.position(5);
        ByteBuffer slice = b.slice(16, 8);
        Binding ffm = with("ffm", BindingChoice::decide).binding();
        Binding jnr = new JnrBinding();
        assertEquals(jnr.address(b), ffm.address(b));
        assertEquals(jnr.address(b) + 16, ffm.address(slice));
        assertEquals(jnr.address(b), Native.address(b), "the first byte, not the position");
        assertEquals(jnr.gnuLibcVersion(), ffm.gnuLibcVersion());
        assertThrows(IllegalArgumentException.class, () -> Native.address(ByteBuffer.allocate(8)));
    }

    private static <T> T with(String binding, Supplier<T> body) {
        String old = System.getProperty(BindingChoice.PROPERTY);
        System.setProperty(BindingChoice.PROPERTY, binding);
        try {
            return body.get();
        } finally {
            if (old == null) System.clearProperty(BindingChoice.PROPERTY);
            else System.setProperty(BindingChoice.PROPERTY, old);
        }
    }
}
