package io.vcj.kata.guest.storage;

import io.vcj.kata.guest.sys.KernelModules;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.kata.proto.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoragesTest {
    @TempDir
    Path dir;

    private final ContainerStorages storages = new ContainerStorages(
            new StorageMounter(Path.of("/proc/self/mounts"), new PciBlockDevices(Path.of("/nonexistent"), Duration.ZERO), KernelModules.NONE));

    @AfterEach
    void unmountLeftovers() throws Exception {
        for (String name : List.of("a", "b")) {
            if (isMounted(dir.resolve(name))) {
                new ProcessBuilder("umount", dir.resolve(name).toString()).inheritIO().start().waitFor();
            }
        }
    }

    @Test
    void removingTheContainerUnmountsItsStorages() throws Exception {
        storages.mount("c", List.of(tmpfs("a"), tmpfs("b")));
        assertTrue(isMounted(dir.resolve("a")) && isMounted(dir.resolve("b")));

        storages.release("c");

        assertFalse(isMounted(dir.resolve("a")), "a is still mounted");
        assertFalse(isMounted(dir.resolve("b")), "b is still mounted");
    }

    @Test
    void aSandboxTeardownUnmountsEveryContainersStorages() throws Exception {
        storages.mount("c1", List.of(tmpfs("a")));
        storages.mount("c2", List.of(tmpfs("b")));

        storages.releaseAll();

        assertFalse(isMounted(dir.resolve("a")), "c1's storage is still mounted");
        assertFalse(isMounted(dir.resolve("b")), "c2's storage is still mounted");
    }

    @Test
    void aStorageThatFailsUnmountsThoseMountedBeforeIt() throws Exception {
        Storage unknown = Storage.newBuilder().setDriver("nvdimm").setMountPoint(dir.resolve("b").toString()).build();

        assertThrows(IllegalArgumentException.class, () -> storages.mount("c", List.of(tmpfs("a"), unknown)));

        assertFalse(isMounted(dir.resolve("a")), "a is still mounted after the create failed");
    }

    private Storage tmpfs(String name) {
        return Storage.newBuilder().setDriver("ephemeral").setSource("tmpfs").setMountPoint(dir.resolve(name).toString()).build();
    }

    private static boolean isMounted(Path target) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .anyMatch(line -> line.split(" ")[1].equals(target.toString()));
    }
}
