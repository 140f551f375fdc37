package io.vcj.vc.host;

import io.vcj.vc.config.Mount;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link HostMounter} using mount(8) and umount(8); needs root. */
public final class SystemMounter implements HostMounter {
    private static final Logger LOG = LogManager.getLogger(SystemMounter.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void bind(Path source, Path target, boolean readOnly) {
        run("mount", "--rbind", source.toString(), target.toString());
        if (readOnly) {
            // A bind mount ignores "ro" on creation; it takes a remount to make it read-only.
            run("mount", "-o", "remount,bind,ro", target.toString());
        }
    }

    @Override
    public void mount(Mount mount, Path target) {
        var command = new ArrayList<>(List.of("mount"));
        // "bind" is no filesystem type: mount(8) wants the bind flag as an option instead.
        if (!mount.type().equals("bind")) {
            command.addAll(List.of("-t", mount.type()));
        } else if (!mount.options().contains("bind") && !mount.options().contains("rbind")) {
            command.addAll(List.of("-o", "rbind"));
        }
        if (!mount.options().isEmpty()) {
            command.addAll(List.of("-o", String.join(",", mount.options())));
        }
        command.addAll(List.of(mount.source() == null ? mount.type() : mount.source(), target.toString()));
        run(command.toArray(String[]::new));
    }

    @Override
    public void unmount(Path target) {
        run("umount", "--lazy", target.toString());
    }

    @Override
    public List<Path> mountsUnder(Path dir) {
        try {
            return Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8).stream()
                    .map(line -> Path.of(unescape(line.split(" ")[4])))
                    .filter(mountPoint -> mountPoint.startsWith(dir))
                    .distinct()
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
        }
    }

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void run(String... command) {
        LOG.debug("running {}", String.join(" ", command));
        try {
            java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + status + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
