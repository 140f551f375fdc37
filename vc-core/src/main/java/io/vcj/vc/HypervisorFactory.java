package io.vcj.vc;

import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** Makes {@link Hypervisor}s of one type; registered with {@link VirtContainers} by hypervisor type. */
@FunctionalInterface
public interface HypervisorFactory {

    /** A fresh hypervisor, to drive a new VM from {@code createVM} on. */
    Hypervisor create();

    /**
     * Takes control of a VM another process started (e.g. through its control socket in {@code runDir}),
     * so it can be paused, resumed or stopped cleanly. Empty when not supported: vc-core then falls
     * back to signalling the recorded {@code pids}.
     */
    default Optional<Hypervisor> reattach(String sandboxId, HypervisorConfig config, Path runDir, List<Long> pids) {
        return Optional.empty();
    }

    /** A factory that can re-attach, e.g. {@code withReattach(QemuHypervisor::new, QemuHypervisor::attach)}. */
    static HypervisorFactory withReattach(Supplier<? extends Hypervisor> create,
                                          BiFunction<String, Path, ? extends Hypervisor> attach) {
        return new HypervisorFactory() {
            @Override
            public Hypervisor create() {
                return create.get();
            }

            @Override
            public Optional<Hypervisor> reattach(String sandboxId, HypervisorConfig config, Path runDir,
                                                 List<Long> pids) {
                return Optional.of(attach.apply(sandboxId, runDir));
            }
        };
    }
}
