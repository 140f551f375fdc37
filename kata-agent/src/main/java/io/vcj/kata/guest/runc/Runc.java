package io.vcj.kata.guest.runc;

import io.vcj.kata.guest.json.JsonReader;
import io.vcj.kata.guest.sys.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runc command line, one method per subcommand the agent uses. Short commands run to
 * completion and throw {@link RuncException} with runc's stderr on failure; {@link #run} and
 * {@link #exec} start long-lived foreground runc processes the caller owns.
 */
public final class Runc {
    private final String binary;
    private final Path root;
    private final boolean noPivot;

    /**
     * @param binary the runc executable
     * @param root runc's state directory ({@code --root}); tests use a private one
     * @param noPivot jail containers with chroot instead of pivot_root, which fails when the
     *                guest's root is an initramfs
     */
    public Runc(String binary, Path root, boolean noPivot) {
        this.binary = binary;
        this.root = root;
        this.noPivot = noPivot;
    }

    /**
     * Starts {@code runc run} in the foreground: runc creates and starts the container, copies
     * the container's stdio to its own, and exits with the container's exit status once the
     * container is gone, deleting the container's state. runc's stdin and stdout are pipes to us,
     * or the slave of a pty for a terminal process ({@code terminal} not null); its stderr stays a
     * pipe so that its own errors can be told apart.
     */
    public Process run(String id, Path bundle, Path pidFile, Path terminal) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString()));
        if (noPivot) {
            args.add("--no-pivot");
        }
        args.add(id);
        return start(command(args.toArray(String[]::new)), terminal);
    }

    /** Starts {@code runc exec} in the foreground for the OCI process in {@code processJson}; stdio as for {@link #run}. */
    public Process exec(String id, Path processJson, Path pidFile, Path terminal) throws IOException {
        return start(command("exec", "--process", processJson.toString(), "--pid-file", pidFile.toString(), id), terminal);
    }

    public void kill(String id, int signal, boolean all) {
        if (all) {
            call(null, "kill", "--all", id, Integer.toString(signal));
        } else {
            call(null, "kill", id, Integer.toString(signal));
        }
    }

    /** Removes the container whatever its state; an id runc no longer knows is not an error. */
    public void delete(String id) {
        try {
            call(null, "delete", "--force", id);
        } catch (RuncException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    public void pause(String id) {
        call(null, "pause", id);
    }

    public void resume(String id) {
        call(null, "resume", id);
    }

    /** Pids of every process in the container, as the guest sees them. */
    public List<Long> ps(String id) {
        List<Long> pids = new ArrayList<>();
        Object parsed = JsonReader.parse(call(null, "ps", "--format", "json", id));
        if (parsed instanceof List<?> list) {
            for (Object pid : list) {
                pids.add((Long) pid);
            }
        }
        return pids;
    }

    /** Applies OCI {@code linux.resources} JSON to the running container. */
    public void update(String id, String resourcesJson) {
        call(resourcesJson, "update", "--resources", "-", id);
    }

    /** One {@code events --stats} sample: the {@code data} object of runc's stats event. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> stats(String id) {
        Map<String, Object> event = (Map<String, Object>) JsonReader.parse(call(null, "events", "--stats", id));
        Object data = event.get("data");
        return data instanceof Map<?, ?> ? (Map<String, Object>) data : Map.of();
    }

    /** Every container runc has state for under this root: id to status (created, running, paused, stopped). */
    @SuppressWarnings("unchecked")
    public Map<String, String> list() {
        Object parsed = JsonReader.parse(call(null, "list", "--format", "json"));
        Map<String, String> containers = new LinkedHashMap<>();
        if (parsed instanceof List<?> list) {
            for (Object entry : list) {
                Map<String, Object> c = (Map<String, Object>) entry;
                containers.put((String) c.get("id"), (String) c.get("status"));
            }
        }
        return containers;
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--root", root.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Process start(List<String> cmd, Path terminal) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(cmd);
        if (terminal != null) {
            builder.redirectInput(terminal.toFile()).redirectOutput(terminal.toFile());
        }
        return builder.start();
    }

    /** Runs a short runc command to completion; returns its stdout. */
    private String call(String stdin, String... args) {
        try {
            return Command.run(command(args), stdin);
        } catch (IOException e) {
            throw new RuncException(e.getMessage());
        }
    }
}
