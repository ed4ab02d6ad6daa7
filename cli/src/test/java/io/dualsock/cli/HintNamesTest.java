package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dualsock.AiFlag;
import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Platform;

class HintNamesTest {

    @Test
    void familyNamesAnyCaseWithOrWithoutPrefix() {
        for (String s : new String[] {"inet6", "INET6", "AF_INET6", "af_inet6", "PF_INET6"}) {
            assertEquals(Platform.AF_INET6, HintNames.family(s), s);
        }
        assertEquals(Platform.AF_INET, HintNames.family("inet"));
        assertEquals(Platform.AF_UNSPEC, HintNames.family("unspec"));
        assertEquals(Constants.i("AF_UNIX"), HintNames.family("unix"));
    }

    @Test
    void numbersPassThroughUnchecked() {
        assertEquals(12345, HintNames.family("12345"));
        assertEquals(-1, HintNames.socktype("-1"));
        assertEquals(0x10000, HintNames.flags("0x10000"));
        assertEquals(0xffffffff, HintNames.flags("0xffffffff"));
        assertEquals(8, HintNames.protocol("010"), "C notation: a leading 0 is octal");
    }

    @Test
    void socktypeAndProtocolNames() {
        assertEquals(Platform.SOCK_STREAM, HintNames.socktype("stream"));
        assertEquals(Platform.SOCK_DGRAM, HintNames.socktype("SOCK_DGRAM"));
        assertEquals(Platform.SOCK_RAW, HintNames.socktype("Raw"));
        assertEquals(Constants.i("IPPROTO_TCP"), HintNames.protocol("tcp"));
        assertEquals(Constants.i("IPPROTO_UDP"), HintNames.protocol("IPPROTO_UDP"));
    }

    @Test
    void flagListsCommaOrBar() {
        int expected = AiFlag.V4MAPPED.value() | AiFlag.ALL.value();
        for (String s : new String[] {"v4mapped,all", "AI_V4MAPPED|AI_ALL", "ai_v4mapped | All", "v4mapped,AI_ALL"}) {
            assertEquals(expected, HintNames.flags(s), s);
        }
        assertEquals(0, HintNames.flags("0"));
        assertEquals(AiFlag.NUMERICHOST.value() | 0x10000, HintNames.flags("numerichost|0x10000"));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HintNames.flags("v4mappd"));
        assertTrue(e.getMessage().contains("\"v4mappd\"") && e.getMessage().contains("AI_V4MAPPED"), e.getMessage());
    }

    /** A name of another kind, an empty list item, a number C would not read: each refused. */
    @ParameterizedTest(name = "{0} \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
        FAMILY   | SOCK_STREAM
        FAMILY   | AI_ALL
        SOCKTYPE | inet
        FLAG     | ''
        FLAG     | v4mapped,,all
        FLAG     | v4mapped,
        PROTOCOL | 0x1ffffffff
        PROTOCOL | 12abc
        FAMILY   | ' '
        """)
    void badValuesAreRefused(HintNames.Kind kind, String text) {
        assertThrows(IllegalArgumentException.class, () -> {
            switch (kind) {
                case FAMILY -> HintNames.family(text);
                case SOCKTYPE -> HintNames.socktype(text);
                case PROTOCOL -> HintNames.protocol(text);
                case FLAG -> HintNames.flags(text);
            }
        });
    }
}
