package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.util.List;

/**
 * A command to run in a container: its init process, or one entered later.
 *
 * @param args                argv, at least the program
 * @param env                 {@code KEY=VALUE} entries
 * @param workDir             absolute working directory inside the container
 * @param user                uid (or user name) to run as; strings, as the runtime may be handed either
 * @param primaryGroup        gid (or group name), null for the user's
 * @param supplementaryGroups extra gids (or group names)
 * @param interactive         the caller will write to its stdin
 * @param terminal            run it on a pseudo terminal (stdout and stderr merge into the terminal)
 */
public record Cmd(List<String> args, List<String> env, String workDir, String user, String primaryGroup,
                  List<String> supplementaryGroups, boolean interactive, boolean terminal,
                  boolean noNewPrivileges, LinuxCapabilities capabilities) {

    public Cmd {
        args = List.copyOf(args == null ? List.of() : args);
        env = List.copyOf(env == null ? List.of() : env);
        supplementaryGroups = List.copyOf(supplementaryGroups == null ? List.of() : supplementaryGroups);
        workDir = workDir == null || workDir.isEmpty() ? "/" : workDir;
        user = user == null || user.isEmpty() ? "0" : user;
        capabilities = capabilities == null ? LinuxCapabilities.NONE : capabilities;
        if (args.isEmpty() || args.getFirst().isEmpty()) {
            throw new VcException.InvalidArgument("command needs at least a program to run");
        }
        if (!workDir.startsWith("/")) {
            throw new VcException.InvalidArgument("command working directory must be absolute, got '" + workDir + "'");
        }
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw new VcException.InvalidArgument("environment entry '" + entry + "' is not KEY=VALUE");
            }
        }
    }

    /** A plain command as root in {@code /}, without stdin or terminal. */
    public static Cmd of(String... args) {
        return new Cmd(List.of(args), List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                "/", "0", null, List.of(), false, false, false, LinuxCapabilities.NONE);
    }
}
