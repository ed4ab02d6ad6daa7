package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cleanup records are input like any other: a damaged or planted record that names
 * something outside its lab ("../" paths, a namespace without the prefix, another lab's
 * namespace) must not make the next lab delete or kill anything of it; and only the records of
 * labs whose owner JVM has ended are swept.
 */
class LabStateRecordTest {
    static final long ME = ProcessHandle.current().pid();

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
    }

    private static Path plant(String id, long pid, String startTicks, String namespaces, String etc) throws Exception {
        Files.createDirectories(LabState.DIR);
        Path r = LabState.DIR.resolve(id + ".json");
        Files.writeString(r, "{\"id\":\"" + id + "\",\"pid\":" + pid + ",\"startTicks\":\"" + startTicks + "\",\"processes\":[],"
                + "\"namespaces\":[" + namespaces + "],\"etcNetns\":[" + etc + "]}");
        return r;
    }

    @Test
    void plantedRecordCannotReachOutsideItsLab() throws Exception {
        Path victim = Files.createTempDirectory(Path.of("/tmp"), "ds-victim-");
        Files.writeString(victim.resolve("keep"), "must survive");
        String escape = "../.." + victim; // /etc/netns/../../tmp/ds-victim-…
        // Another lab's namespace, which this record must not reach either.
        String other = Leftovers.prefixOf(ME, 999_998) + "a";
        Commands.run(List.of(Netns.IP, "netns", "add", other)).orThrow();
        try {
            // pid 1 runs, but started at another time than the record says: its owner is dead.
            Path r = plant("1-999999", 1, "no-such-start", "\"not-ours\",\"ds-../x\",\"" + other + "\"",
                    "\"" + escape + "\",\"ds-1-999999-ok/../../..\"");
            LabException e = assertThrows(LabException.class, () -> Lab.cleanupLeftovers(null));
            assertTrue(e.getMessage().contains("not a name of that lab"), e.getMessage());
            assertTrue(Files.exists(victim.resolve("keep")), "cleanup followed a planted path");
            assertTrue(Leftovers.ipNetnsList().contains(other), "cleanup removed another lab's namespace");
            assertFalse(Files.exists(r), "the refused record is dropped, so the next start is clean");
            Lab.cleanupLeftovers(null); // and the next sweep finds nothing to complain about
        } finally {
            Commands.run(List.of(Netns.IP, "netns", "delete", other));
            Files.deleteIfExists(victim.resolve("keep"));
            Files.deleteIfExists(victim);
        }
    }

    @Test
    void aLiveOwnersRecordIsLeftAndAReusedPidIsNotTakenForTheOwner() throws Exception {
        String myStart = LabState.startTicks(ME);
        assertNotNull(myStart);
        Path live = plant(ME + "-999997", ME, myStart, "", "");
        // The same pid with another start time: a process that reused a dead owner's pid.
        Path reused = plant(ME + "-999996", ME, myStart + "1", "", "");
        try {
            Lab.cleanupLeftovers(null);
            assertTrue(Files.exists(live), "the record of a running lab was swept");
            assertFalse(Files.exists(reused), "a dead owner's record stayed because its pid was reused");
        } finally {
            Files.deleteIfExists(live);
            Files.deleteIfExists(reused);
        }
    }

    @Test
    void startTicksIsField22OfProcStat() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(after[19], LabState.startTicks(ProcessHandle.current().pid()));
        assertEquals(null, LabState.startTicks(Long.MAX_VALUE / 2));
    }
}
