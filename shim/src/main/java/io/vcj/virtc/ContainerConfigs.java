package io.vcj.virtc;

import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Rootfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Containers and commands as the command line describes them: --rootfs, --cmd or after --, --env, --cwd. */
final class ContainerConfigs {

    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ContainerConfigs() {
    }

    static ContainerConfig container(String id, CommandLine line) {
        Path rootfs = Path.of(line.required(Option.ROOTFS)).toAbsolutePath();
        if (!Files.isDirectory(rootfs)) {
            throw new UsageException("--rootfs " + rootfs + " is not a directory");
        }
        return ContainerConfig.of(id, new Rootfs.HostPath(rootfs), cmd(line));
    }

    /** Runs as root without a terminal, with stdin if --interactive; PATH is the usual one unless --env sets it. */
    static Cmd cmd(CommandLine line) {
        List<String> args = line.commandToRun().orElseThrow(() -> new UsageException(
                "'" + line.command().words() + "' needs a command: --cmd \"CMD ARGS\" or CMD ARGS after --"));
        List<String> env = new ArrayList<>();
        if (line.values(Option.ENV).stream().noneMatch(entry -> entry.startsWith("PATH="))) {
            env.add(DEFAULT_PATH);
        }
        env.addAll(line.values(Option.ENV));
        return new Cmd(args, env, line.value(Option.CWD).orElse("/"), "0", null, List.of(),
                line.has(Option.INTERACTIVE), false, false, null);
    }
}
