package io.vcj.vc.host;

import io.vcj.vc.config.Mount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real mounts: runs only where this process may mount (root with CAP_SYS_ADMIN). */
class SystemMounterTest {
    @TempDir
    Path tmp;
    final SystemMounter mounter = new SystemMounter();
    Path rootfs;
    Path runDir;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("bundle/rootfs"));
        Files.writeString(rootfs.resolve("precious"), "user data");
        runDir = Files.createDirectories(tmp.resolve("run/pod"));
        assumeTrue(canMount(), "mounting is not permitted here");
    }

    private boolean canMount() {
        Path probe = tmp.resolve("probe");
        try {
            Files.createDirectories(probe);
            mounter.bind(rootfs, probe, false);
            mounter.unmount(probe);
            return true;
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    @AfterEach
    void unmountLeftovers() {
        mounter.mountsUnder(tmp).forEach(mounter::unmount);
    }

    @Test
    void removingARunDirUnmountsEverythingAndSparesTheMountedData() throws IOException {
        Path target = Files.createDirectories(runDir.resolve("shared/web/rootfs"));
        mounter.bind(rootfs, target, false);
        mounter.mount(new Mount("tmpfs", "/", "tmpfs", List.of("size=1m")), target);
        assertEquals(List.of(target), mounter.mountsUnder(runDir));

        new RunDirCleaner(mounter).remove(runDir);

        assertFalse(Files.exists(runDir));
        assertTrue(mounter.mountsUnder(tmp).isEmpty());
        assertEquals("user data", Files.readString(rootfs.resolve("precious")));
    }

    @Test
    void aBindMountShowsTheSourceAndCanBeReadOnly() throws IOException {
        Path target = Files.createDirectories(runDir.resolve("ro"));
        mounter.bind(rootfs, target, true);

        assertEquals("user data", Files.readString(target.resolve("precious")));
        assertThrows(IOException.class, () -> Files.writeString(target.resolve("new"), "x"));
    }

    @Test
    void aContainerdBindMountIsMountedAsABind() throws IOException {
        Path target = Files.createDirectories(runDir.resolve("rootfs"));
        mounter.mount(new Mount(rootfs.toString(), "/", "bind", List.of("rbind", "ro")), target);

        assertEquals("user data", Files.readString(target.resolve("precious")));
        assertThrows(IOException.class, () -> Files.writeString(target.resolve("new"), "x"));
    }

    @Test
    void aFailedMountSaysWhatFailed() throws IOException {
        Path target = Files.createDirectories(runDir.resolve("x"));
        var e = assertThrows(IllegalStateException.class,
                () -> mounter.mount(new Mount("nowhere", "/", "no-such-fs", List.of()), target));
        assertTrue(e.getMessage().contains("no-such-fs"), e.getMessage());
    }
}
