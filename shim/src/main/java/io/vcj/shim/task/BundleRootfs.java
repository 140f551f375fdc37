package io.vcj.shim.task;

import io.vcj.vc.config.Mount;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's root filesystem at {@code <bundle>/rootfs}: containerd hands the snapshot as mounts
 * (usually one overlay) that the shim mounts there, and unmounts when the task is deleted.
 */
final class BundleRootfs {
    private static final Logger log = LogManager.getLogger(BundleRootfs.class);

    private final Path target;
    private int mounted;

    private BundleRootfs(Path target) {
        this.target = target;
    }

    /** Mounts {@code mounts} in order onto {@code <bundle>/rootfs}; nothing to do for none. */
    static BundleRootfs mount(Path bundle, List<Mount> mounts) throws IOException {
        var rootfs = new BundleRootfs(bundle.resolve("rootfs"));
        if (!mounts.isEmpty()) {
            Files.createDirectories(rootfs.target);
        }
        try {
            for (Mount mount : mounts) {
                run(mountCommand(mount, rootfs.target));
                rootfs.mounted++;
            }
        } catch (IOException e) {
            rootfs.unmount();
            throw e;
        }
        return rootfs;
    }

    Path path() {
        return target;
    }

    /**
     * Undoes the mounts. One still busy is detached (lazily unmounted) rather than left in the bundle,
     * which containerd removes next; failures are logged, as the task is going away regardless.
     */
    void unmount() {
        for (; mounted > 0; mounted--) {
            try {
                run(List.of("umount", target.toString()));
            } catch (IOException e) {
                log.warn("cannot unmount the rootfs at {}, detaching it: {}", target, e.getMessage());
                detach();
            }
        }
    }

    private void detach() {
        try {
            run(List.of("umount", "--lazy", target.toString()));
        } catch (IOException e) {
            log.error("cannot detach the rootfs at {}: {}", target, e.getMessage());
        }
    }

    private static List<String> mountCommand(Mount mount, Path target) {
        var command = new ArrayList<String>(List.of("mount"));
        // mount(8) takes bind mounts as options, not as a filesystem type.
        if (!mount.type().equals("bind")) {
            command.addAll(List.of("-t", mount.type()));
        }
        if (!mount.options().isEmpty()) {
            command.addAll(List.of("-o", String.join(",", mount.options())));
        }
        command.add(mount.source() == null ? "none" : mount.source());
        command.add(target.toString());
        return command;
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
    }
}
