package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The cleanup record is input like any other: a damaged or planted {@code state.json} that names
 * something outside the lab ("../" paths, a namespace without the prefix) must not make the next
 * lab delete or kill anything of it.
 */
class LabStateRecordTest {

    @Test
    void plantedRecordCannotReachOutsideTheLab() throws Exception {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        Path victim = Files.createTempDirectory(Path.of("/tmp"), "ds-victim-");
        Files.writeString(victim.resolve("keep"), "must survive");
        String escape = "../.." + victim; // /etc/netns/../../tmp/ds-victim-…
        try {
            // Hold the lab lock first: a lab running elsewhere on this machine keeps its own record.
            try (LabState held = LabState.acquire(java.time.Duration.ofMinutes(5), null)) {
                Files.writeString(LabState.STATE, "{\"pid\":1,\"processes\":[],"
                        + "\"namespaces\":[\"not-ours\",\"ds-../x\"],"
                        + "\"etcNetns\":[\"" + escape + "\",\"ds-ok/../../..\"],\"createdEtcNetns\":false,"
                        + "\"dirs\":[\"" + escape + "\",\"../unbound\"]}");
                LabException e = assertThrows(LabException.class, () -> held.cleanupLeftoversLocked(null));
                assertTrue(e.getMessage().contains("not a lab name"), e.getMessage());
                assertTrue(Files.exists(victim.resolve("keep")), "cleanup followed a planted path");
                assertFalse(Files.exists(LabState.STATE), "the refused record is dropped, so the next start is clean");
            }
            // and the next lab starts normally
            LabState.acquire(java.time.Duration.ofMinutes(5), null).close();
        } finally {
            Files.deleteIfExists(victim.resolve("keep"));
            Files.deleteIfExists(victim);
        }
    }
}
