package io.vcj.kata.guest.storage;

import io.vcj.kata.guest.sys.Command;
import io.vcj.kata.guest.sys.KernelModules;
import io.vcj.kata.proto.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Mounts the storages the host lists in CreateSandbox/CreateContainer with the guest's
 * {@code mount} command. A mount point that is already mounted is left alone: the guest's init
 * may have mounted the shared directory before the agent started.
 */
public final class StorageMounter {
    private static final Logger LOG = LogManager.getLogger(StorageMounter.class);
    /** Filesystem type by kata storage driver, for storages that do not name one. */
    private static final Map<String, String> FSTYPE_BY_DRIVER = Map.of(
            "9p", "9p",
            "virtio-fs", "virtiofs",
            "local", "tmpfs",
            "ephemeral", "tmpfs");

    /** kata's driver name for a virtio-blk disk on PCI, whose source is a PCI path. */
    private static final String BLOCK_DRIVER = "blk";

    private final Path mountTable;
    private final PciBlockDevices blockDevices;
    private final KernelModules modules;

    /** For the guest: the kernel's mount table, PCI devices and modules. */
    public static StorageMounter guest() {
        return new StorageMounter(Path.of("/proc/self/mounts"), new PciBlockDevices(Path.of("/sys/devices"),
                Duration.ofSeconds(10)), KernelModules.modprobe());
    }

    StorageMounter(Path mountTable, PciBlockDevices blockDevices, KernelModules modules) {
        this.mountTable = mountTable;
        this.blockDevices = blockDevices;
        this.modules = modules;
    }

    /** @return whether this call mounted it: false when something already was mounted there */
    public boolean mount(Storage storage) throws IOException {
        Path target = Path.of(storage.getMountPoint());
        if (isMounted(target)) {
            LOG.info("{} is already mounted", target);
            return false;
        }
        String fstype = storage.getFstype().isEmpty() ? FSTYPE_BY_DRIVER.get(storage.getDriver()) : storage.getFstype();
        if (fstype == null) {
            throw new IllegalArgumentException("storage driver '" + storage.getDriver() + "' is not supported");
        }
        String source = storage.getSource();
        if (storage.getDriver().equals(BLOCK_DRIVER)) {
            modules.load("virtio_blk", fstype);
            // Found before the mount point is created, so a missing disk leaves nothing behind.
            source = blockDevices.find(storage.getSource()).toString();
        }
        Files.createDirectories(target);
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", fstype));
        if (storage.getOptionsCount() > 0) {
            cmd.addAll(List.of("-o", String.join(",", storage.getOptionsList())));
        }
        cmd.addAll(List.of(source, target.toString()));
        Command.run(cmd, null);
        LOG.info("mounted {} ({}) at {}", storage.getSource(), fstype, target);
        return true;
    }

    /** Unmounts what {@link #mount} mounted at {@code target}, so that a hot-plugged disk can be released. */
    public void unmount(Path target) throws IOException {
        Command.run(List.of("umount", target.toString()), null);
        LOG.info("unmounted {}", target);
    }

    private boolean isMounted(Path target) throws IOException {
        String wanted = target.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(mountTable)) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[1].equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
