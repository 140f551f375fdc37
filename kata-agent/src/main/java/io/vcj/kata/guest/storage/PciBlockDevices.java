package io.vcj.kata.guest.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the guest block device of a hot-plugged virtio-blk disk from the PCI path the host
 * reports (kata's form {@code "<slot>/<slot>"}: the slot of a root port or bridge on the root
 * bus, then the device's slot behind it, in hex).
 */
final class PciBlockDevices {
    private static final Pattern PCI_PATH = Pattern.compile("[0-9a-f]{2}(/[0-9a-f]{2})*");

    private final Path sysDevices;
    private final Duration patience;

    /**
     * @param sysDevices normally {@code /sys/devices}
     * @param patience how long to wait for the kernel to finish probing a freshly plugged disk
     */
    PciBlockDevices(Path sysDevices, Duration patience) {
        this.sysDevices = sysDevices;
        this.patience = patience;
    }

    /** The device node, e.g. {@code /dev/vdb}. */
    Path find(String pciPath) throws IOException {
        if (!PCI_PATH.matcher(pciPath).matches()) {
            throw new IllegalArgumentException("not a PCI path: '" + pciPath + "'");
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<String> name = blockName(pciPath.split("/"));
            if (name.isPresent()) {
                return Path.of("/dev", name.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no block device at PCI path " + pciPath + " after " + patience);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PCI path " + pciPath);
            }
        }
    }

    private Optional<String> blockName(String[] slots) throws IOException {
        Path dir = sysDevices.resolve("pci0000:00");
        String bus = "0000:00";
        for (String slot : slots) {
            dir = dir.resolve(bus + ":" + slot + ".0");
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            bus = secondaryBus(dir).orElse(bus);
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path virtio : children.filter(p -> p.getFileName().toString().startsWith("virtio")).toList()) {
                Path block = virtio.resolve("block");
                if (Files.isDirectory(block)) {
                    try (Stream<Path> disks = Files.list(block)) {
                        Optional<String> disk = disks.map(p -> p.getFileName().toString()).findFirst();
                        if (disk.isPresent()) {
                            return disk;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A bridge's devices sit below it in a directory named for the bus it opens ("0000:01:00.0"). */
    private static Optional<String> secondaryBus(Path bridge) throws IOException {
        try (Stream<Path> children = Files.list(bridge)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]"))
                    .map(n -> n.substring(0, 7))
                    .findFirst();
        }
    }
}
