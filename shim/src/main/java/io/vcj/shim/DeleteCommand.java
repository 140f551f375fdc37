package io.vcj.shim;

import com.google.protobuf.Timestamp;
import io.vcj.shim.config.ConfigException;
import io.vcj.shim.config.ConfigLocation;
import io.vcj.shim.config.VcjConfig;
import io.vcj.shim.proto.task.DeleteResponse;
import io.vcj.vc.VcException;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.host.HostMounter;
import io.vcj.vc.host.SystemMounter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * {@code delete}: containerd lost the shim (killed, crashed) and asks the binary to clean up after
 * it. Stops and removes the pod's VM if this container is the pod's own (its id is the group id),
 * else removes just the container; then unmounts the bundle's rootfs and reports the task killed
 * (128 + SIGKILL, as containerd's runc shim does). Problems are warnings on stderr, which
 * containerd logs: whatever can be cleaned up is, and the response is always written.
 */
final class DeleteCommand {

    static final int KILLED = 128 + 9;

    private final ShimFlags flags;
    private final Path bundle;
    private final Map<String, String> environment;
    private final PrintStream warnings;
    private final HostMounter mounter;

    DeleteCommand(ShimFlags flags, Path workingDirectory, Map<String, String> environment, PrintStream warnings,
                  HostMounter mounter) {
        this.flags = flags.require("namespace", "id");
        this.bundle = flags.bundle().isEmpty() ? workingDirectory : Path.of(flags.bundle());
        this.environment = environment;
        this.warnings = warnings;
        this.mounter = mounter;
    }

    DeleteCommand(ShimFlags flags, Path workingDirectory, Map<String, String> environment, PrintStream warnings) {
        this(flags, workingDirectory, environment, warnings, new SystemMounter());
    }

    void run(OutputStream out) throws IOException {
        try {
            removeFromVm();
        } catch (ConfigException | VcException | IOException e) {
            warnings.println("vcj delete " + flags.id() + ": " + e.getMessage());
        }
        unmountRootfs();
        DeleteResponse response = DeleteResponse.newBuilder()
                .setExitStatus(KILLED)
                .setExitedAt(now())
                .build();
        out.write(response.toByteArray());
        out.flush();
    }

    private void removeFromVm() throws IOException {
        String sandboxId = BundleSpec.groupingId(bundle, flags.id());
        VcjConfig config = VcjConfig.load(configPath());
        try (VirtContainers vc = ShimRuntime.virtContainers(config)) {
            if (sandboxId.equals(flags.id())) {
                vc.stopSandbox(sandboxId);
                vc.deleteSandbox(sandboxId);
            } else {
                vc.stopContainer(sandboxId, flags.id());
                vc.deleteContainer(sandboxId, flags.id());
            }
        } catch (VcException.NotFound e) {
            // Already gone (the shim finished its work, or the pod's delete came first): nothing to undo.
        }
    }

    /** The config {@code start} recorded in the bundle, else the usual lookup. */
    private Path configPath() throws IOException {
        try {
            return Path.of(Files.readString(bundle.resolve(StartCommand.CONFIG_RECORD)).strip());
        } catch (NoSuchFileException e) {
            return ConfigLocation.resolve(new byte[0], environment);
        }
    }

    private void unmountRootfs() {
        Path rootfs = bundle.resolve("rootfs");
        for (Path mount : mounter.mountsUnder(rootfs)) {
            try {
                mounter.unmount(mount);
            } catch (RuntimeException e) {
                warnings.println("vcj delete " + flags.id() + ": cannot unmount " + mount + ": " + e.getMessage());
            }
        }
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
