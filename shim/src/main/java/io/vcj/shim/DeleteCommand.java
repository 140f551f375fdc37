package io.vcj.shim;

import com.google.protobuf.Timestamp;
import io.vcj.shim.config.ConfigException;
import io.vcj.shim.config.ConfigLocation;
import io.vcj.shim.config.VcjConfig;
import io.vcj.shim.proto.task.DeleteResponse;
import io.vcj.shim.task.DeletedTaskRecord;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code delete}: containerd lost the shim (killed, crashed) and asks the binary to clean up after
 * it; it asks after a clean exit too, and then the shim's own answer to Delete is in the bundle
 * ({@link DeletedTaskRecord}) and is all there is to say. Otherwise it kills and removes the pod's
 * VM if this container is the pod's own (its id is the group id), then unmounts the bundle's
 * rootfs and reports the task killed (128 + SIGKILL, as containerd's runc shim does). Problems are
 * warnings on stderr, which containerd logs: whatever can be cleaned up is, and the response is
 * always written.
 */
final class DeleteCommand {

    static final int KILLED = 128 + 9;
    private static final long KILL_WAIT_SECONDS = 2;
    private static final long KILL_POLL_MILLIS = 20;

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
        Optional<byte[]> deletedByShim = DeletedTaskRecord.read(bundle);
        if (deletedByShim.isPresent()) {
            out.write(deletedByShim.get());
            out.flush();
            return;
        }
        try {
            removeFromVm();
        } catch (ConfigException | VcException | IOException e) {
            warnings.println("vcj delete " + flags.id() + ": " + e.getMessage());
        }
        unmountRootfs();
        removeStaleSocket();
        DeleteResponse response = DeleteResponse.newBuilder()
                .setExitStatus(KILLED)
                .setExitedAt(now())
                .build();
        out.write(response.toByteArray());
        out.flush();
    }

    /**
     * containerd gives {@code delete} 5 seconds: no time for the agent or a guest power-down. So
     * the VM's processes are killed outright, after which vc-core's delete only tidies the host.
     * Other containers of the pod need nothing: they were in that VM, which the pod's own
     * delete takes down.
     */
    private void removeFromVm() throws IOException {
        String sandboxId = BundleSpec.groupingId(bundle, flags.id());
        if (!sandboxId.equals(flags.id())) {
            return;
        }
        VcjConfig config = VcjConfig.load(configPath());
        try (VirtContainers vc = ShimRuntime.virtContainers(config)) {
            killVm(vc.statusSandbox(sandboxId).vmPids(), config);
            vc.deleteSandbox(sandboxId); // finds the VM gone, so the sandbox stopped: releases what the host holds
        } catch (VcException.NotFound e) {
            // Already gone: the shim finished its work before it went.
        }
    }

    /** SIGKILL to the recorded pids that still are our VMM or its helpers (pids get reused). */
    private static void killVm(List<Long> pids, VcjConfig config) {
        List<String> vmm = Stream.of(config.hypervisor().hypervisorPath(), config.hypervisor().virtioFsDaemon())
                .filter(Objects::nonNull).map(Path::toString).toList();
        List<ProcessHandle> killed = pids.stream()
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .filter(process -> process.info().command().filter(vmm::contains).isPresent())
                .filter(ProcessHandle::destroyForcibly)
                .toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
        try {
            while (killed.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(KILL_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** A killed shim could not remove its socket; once nobody serves it, it only misleads the next start. */
    private void removeStaleSocket() throws IOException {
        if (flags.address().isEmpty()) {
            return;
        }
        ShimSocket socket = ShimSocket.of(flags.address(), flags.namespace(), BundleSpec.groupingId(bundle, flags.id()));
        if (!socket.isServed()) {
            Files.deleteIfExists(socket.path());
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
