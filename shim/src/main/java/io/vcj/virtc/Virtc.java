package io.vcj.virtc;

import io.vcj.kata.client.KataAgentFactory;
import io.vcj.qemu.AcceleratorProbe;
import io.vcj.qemu.QemuHypervisor;
import io.vcj.shim.ShimLogging;
import io.vcj.shim.config.ConfigException;
import io.vcj.vc.HypervisorFactory;
import io.vcj.vc.VcException;
import io.vcj.vc.VirtContainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code virtc}, the example command line of virtcontainers: drives sandboxes and containers
 * through {@link VirtContainers}, whose state under the root lets each invocation pick up what
 * an earlier one created. Exit status: 0, 1 when virtcontainers refused or failed, 2 for a wrong
 * command line, or the exit code of the process it showed the output of.
 */
public final class Virtc {

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    Virtc(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    public static void main(String[] args) {
        // Non-daemon agent and QEMU threads must not keep a finished command alive.
        System.exit(new Virtc(System.in, System.out, System.err, System.getenv()).run(args));
    }

    int run(String... args) {
        try {
            CommandLine line = CommandLine.parse(args);
            if (line.command() == Command.HELP_COMMAND) {
                out.print(Usage.text());
                return 0;
            }
            if (line.has(Option.HELP)) {
                out.print(Usage.of(line.command()));
                return 0;
            }
            return execute(line);
        } catch (UsageException e) {
            err.println("virtc: " + e.getMessage() + " (see virtc help)");
            return 2;
        } catch (VcException | ConfigException e) {
            err.println("virtc: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("virtc: interrupted");
            return 1;
        } catch (RuntimeException e) {
            // Unexpected, so its type helps; and an uncaught exception would leave main waiting on agent threads.
            err.println("virtc: " + e);
            return 1;
        }
    }

    private int execute(CommandLine line) throws InterruptedException {
        ShimLogging.toStderr(line.has(Option.DEBUG) ? "DEBUG" : "WARN");
        Settings settings = Settings.of(line, environment);
        var output = new Output(out, line.has(Option.JSON));
        if (line.command() == Command.CHECK) {
            var check = new HostCheck(settings, vm -> AcceleratorProbe.defaults().choose(vm), isRoot());
            return HostCheck.report(check.findings(), output);
        }
        try (VirtContainers vc = open(settings)) {
            var attached = new Attached(vc, in, out, err);
            return switch (line.command().group()) {
                case "sandbox" -> new SandboxCommands(vc, settings, output, attached).execute(line);
                case "container" -> new ContainerCommands(vc, output, attached).execute(line);
                default -> throw new IllegalStateException("no handler for " + line.command().words());
            };
        }
    }

    private static VirtContainers open(Settings settings) {
        return VirtContainers.builder()
                .root(settings.root())
                .vmTemplates(settings.templates())
                .hypervisor(SandboxConfigs.HYPERVISOR_TYPE,
                        HypervisorFactory.withReattach(QemuHypervisor::new, QemuHypervisor::attach))
                .agent(KataAgentFactory.TYPE, new KataAgentFactory())
                .build();
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the effective uid of the reading process.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
