package io.vcj.vc.sandbox;

import io.vcj.vc.agent.Agent;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.host.RunDirCleaner;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.VmTemplate;
import io.vcj.vc.store.SandboxLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Kata's template factory: the first sandbox of a kind boots a VM until its agent answers, warms
 * it up ({@link TemplateWarmUp}) and saves it; later sandboxes of that kind resume the saved VM
 * instead of booting one. A kind is everything the VM is made of: hypervisor and agent types and configs, and the kernel, image,
 * firmware and VMM files as they are on disk (size and modification time), so a rebuilt guest
 * image gets a template of its own.
 *
 * <p>Sandboxes with volumes boot: each volume is a shared directory the template does not have.
 */
final class VmTemplates {
    static final VmTemplates NONE = new VmTemplates(null, null, null);

    private static final Logger LOG = LogManager.getLogger(VmTemplates.class);
    private static final Duration VM_START_TIMEOUT = Duration.ofSeconds(30);
    /** Written last: a template directory without it was left by a maker that died. */
    private static final String COMPLETE = "complete";
    private static final String TEMPLATE_VM = "template";
    /** What a resumed guest gets mixed into its random pool: as much as Linux's pool holds. */
    private static final int SEED_BYTES = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Plugins plugins;
    private final RunDirCleaner cleaner;

    VmTemplates(Path root, Plugins plugins, RunDirCleaner cleaner) {
        this.root = root;
        this.plugins = plugins;
        this.cleaner = cleaner;
    }

    /**
     * The template for sandboxes like {@code config}, made now if there is none yet (concurrent
     * callers wait for the one making it). Empty when templates are off, the sandbox cannot use one
     * or making it failed: the sandbox then boots.
     */
    Optional<VmTemplate> forSandbox(SandboxConfig config) {
        if (root == null || !config.volumes().isEmpty()) {
            return Optional.empty();
        }
        String description = describe(config);
        String key = key(description);
        VmTemplate template = new VmTemplate(root.resolve(key));
        createDirectory(root);
        try (SandboxLock lock = lock(key)) {
            if (Files.exists(template.dir().resolve(COMPLETE))) {
                return Optional.of(template);
            }
            cleaner.remove(template.dir());
            try {
                long started = System.nanoTime();
                make(template, config, description);
                LOG.info("VM template {} made in {} ms", template.dir(), (System.nanoTime() - started) / 1_000_000);
                return Optional.of(template);
            } catch (RuntimeException e) {
                LOG.warn("cannot make a VM template in {}, sandbox {} boots instead: {}", template.dir(), config.id(),
                        e.getMessage());
                cleaner.remove(template.dir());
                return Optional.empty();
            }
        }
    }

    /** Bytes for {@link io.vcj.vc.agent.Agent#reseedRandomDev}, from the host's secure generator. */
    static byte[] freshSeed() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return seed;
    }

    /** Forgets a template no VM could resume (say the VMM was upgraded); the next sandbox makes a new one. */
    void discard(VmTemplate template) {
        String key = template.dir().getFileName().toString();
        try (SandboxLock lock = lock(key)) {
            cleaner.remove(template.dir());
        }
        LOG.warn("VM template {} discarded", template.dir());
    }

    /** One maker or discarder of a template at a time, across processes. */
    private SandboxLock lock(String key) {
        return SandboxLock.acquire("template " + key, root.resolve(key + ".lock"));
    }

    /** Boots the template VM with the sandbox's shared directory (empty), waits for its agent, warms it up, saves it. */
    private void make(VmTemplate template, SandboxConfig config, String description) {
        Path runDir = template.dir().resolve("run");
        Path shared = template.dir().resolve("shared");
        createDirectory(shared);
        Hypervisor vm = plugins.hypervisor(config.hypervisorType()).create();
        try {
            vm.createVM(TEMPLATE_VM, config.effectiveHypervisorConfig(), runDir);
            vm.addDevice(GuestPaths.sharedDirectory(config, shared));
            vm.bootToBeTemplate(template);
            vm.startVM(VM_START_TIMEOUT);
            // The agent answered, so the guest is ready; the connection must be gone before the save.
            // The calls every resumed VM gets are made once here, and a container run, so the clones find them warm.
            try (Agent agent = plugins.agent(config.agentType()).create(config.agentConfig())) {
                agent.connect(vm.agentChannel(), config.agentConfig().dialTimeout());
                agent.setGuestDateTime(Instant.now());
                agent.reseedRandomDev(freshSeed());
                TemplateWarmUp.run(agent);
            }
            vm.saveVM();
        } finally {
            vm.stopVM(Duration.ZERO);
            cleaner.remove(runDir);
        }
        try {
            Files.writeString(template.dir().resolve(COMPLETE), description);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + template.dir().resolve(COMPLETE), e);
        }
    }

    private static String key(String description) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * What a template is made of, one field a line, spelled out rather than the records' toString:
     * that spins ~50 hidden classes (ObjectMethods) in the shim for this one text. Annotations are
     * sorted: Map order differs between JVMs.
     */
    private static String describe(SandboxConfig config) {
        HypervisorConfig h = config.effectiveHypervisorConfig();
        var text = new StringBuilder();
        field(text, "hypervisor", config.hypervisorType());
        field(text, "kernel", h.kernelPath());
        field(text, "initrd", h.initrdPath());
        field(text, "image", h.imagePath());
        field(text, "firmware", h.firmwarePath());
        field(text, "vmm", h.hypervisorPath());
        field(text, "machine", h.machineType());
        field(text, "machine accelerators", h.machineAccelerators());
        field(text, "accelerator", h.accelerator());
        field(text, "kernel params", h.kernelParams());
        field(text, "vmm params", h.hypervisorParams());
        field(text, "vcpus", h.vcpus());
        field(text, "memory MiB", h.memoryMiB());
        field(text, "shared fs", h.sharedFs());
        field(text, "virtiofsd", h.virtioFsDaemon());
        field(text, "agent transport", h.agentTransport());
        field(text, "debug", h.debug());
        field(text, "annotations", new TreeMap<>(h.annotations()));
        field(text, "agent", config.agentType());
        field(text, "agent dial timeout", config.agentConfig().dialTimeout());
        field(text, "agent debug", config.agentConfig().debug());
        for (Path file : new Path[] {h.kernelPath(), h.initrdPath(), h.imagePath(), h.firmwarePath(), h.hypervisorPath()}) {
            if (file != null) {
                field(text, "stamp " + file, stamp(file));
            }
        }
        return text.toString();
    }

    private static void field(StringBuilder text, String name, Object value) {
        text.append(name).append(' ').append(value).append('\n');
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + " bytes, modified " + attributes.lastModifiedTime();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
