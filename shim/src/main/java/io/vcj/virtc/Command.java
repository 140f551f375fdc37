package io.vcj.virtc;

import static io.vcj.virtc.Option.ACCELERATOR;
import static io.vcj.virtc.Option.AGENT_TIMEOUT;
import static io.vcj.virtc.Option.ALL;
import static io.vcj.virtc.Option.CMD;
import static io.vcj.virtc.Option.CONFIG;
import static io.vcj.virtc.Option.CONTAINER_ID;
import static io.vcj.virtc.Option.CWD;
import static io.vcj.virtc.Option.DEBUG;
import static io.vcj.virtc.Option.DETACH;
import static io.vcj.virtc.Option.ENV;
import static io.vcj.virtc.Option.HELP;
import static io.vcj.virtc.Option.HYPERVISOR_PATH;
import static io.vcj.virtc.Option.ID;
import static io.vcj.virtc.Option.INITRD;
import static io.vcj.virtc.Option.INTERACTIVE;
import static io.vcj.virtc.Option.JSON;
import static io.vcj.virtc.Option.KERNEL;
import static io.vcj.virtc.Option.MACHINE_TYPE;
import static io.vcj.virtc.Option.MEMORY;
import static io.vcj.virtc.Option.ROOT;
import static io.vcj.virtc.Option.ROOTFS;
import static io.vcj.virtc.Option.SANDBOX_ID;
import static io.vcj.virtc.Option.SIGNAL;
import static io.vcj.virtc.Option.VCPUS;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** virtc's commands, the options each accepts, and whether it takes a command after {@code --}. */
enum Command {
    SANDBOX_RUN("sandbox run", "create and start a sandbox; with --rootfs, show its container's output and exit"
            + " with its code (the sandbox stays until stopped and deleted)", true, sandboxOptions(DETACH)),
    SANDBOX_CREATE("sandbox create", "boot a sandbox's VM (and create its container, with --rootfs)",
            true, sandboxOptions()),
    SANDBOX_START("sandbox start", "start a created sandbox's containers", false, ID),
    SANDBOX_STOP("sandbox stop", "kill a sandbox's containers and stop its VM", false, ID),
    SANDBOX_DELETE("sandbox delete", "remove a stopped sandbox and its state", false, ID),
    SANDBOX_PAUSE("sandbox pause", "pause a sandbox's VM", false, ID),
    SANDBOX_RESUME("sandbox resume", "resume a paused sandbox's VM", false, ID),
    SANDBOX_STATUS("sandbox status", "show a sandbox and its containers", false, ID),
    SANDBOX_LIST("sandbox list", "list sandboxes", false),

    CONTAINER_CREATE("container create", "create a container in a sandbox", true,
            ID, SANDBOX_ID, ROOTFS, CMD, ENV, CWD, INTERACTIVE),
    CONTAINER_START("container start", "start a container, show its output and exit with its code", false,
            ID, SANDBOX_ID, INTERACTIVE, DETACH),
    CONTAINER_STOP("container stop", "kill a container's processes", false, ID, SANDBOX_ID),
    CONTAINER_DELETE("container delete", "remove a created or stopped container", false, ID, SANDBOX_ID),
    CONTAINER_EXEC("container exec", "run a command in a running container, show its output and exit with its code",
            true, ID, SANDBOX_ID, CMD, ENV, CWD, INTERACTIVE, DETACH),
    CONTAINER_KILL("container kill", "signal a container's init process (or all its processes)", false,
            ID, SANDBOX_ID, SIGNAL, ALL),
    CONTAINER_STATUS("container status", "show a container", false, ID, SANDBOX_ID),
    CONTAINER_PS("container ps", "list a container's processes (guest pids)", false, ID, SANDBOX_ID),

    CHECK("check", "tell what this host lacks to run sandboxes", false,
            KERNEL, INITRD, HYPERVISOR_PATH, ACCELERATOR),
    HELP_COMMAND("help", "print usage", false);

    /** Accepted by every command. */
    static final Set<Option> GLOBAL = EnumSet.of(ROOT, CONFIG, JSON, DEBUG, HELP);

    private final String words;
    private final String summary;
    private final boolean takesCommand;
    private final List<Option> options;

    Command(String words, String summary, boolean takesCommand, Option... options) {
        this.words = words;
        this.summary = summary;
        this.takesCommand = takesCommand;
        this.options = List.of(options);
    }

    private static Option[] sandboxOptions(Option... more) {
        return Stream.concat(Stream.of(ID, VCPUS, MEMORY, KERNEL, INITRD, HYPERVISOR_PATH, MACHINE_TYPE, ACCELERATOR,
                        AGENT_TIMEOUT, CONTAINER_ID, ROOTFS, CMD, ENV, CWD, INTERACTIVE), Arrays.stream(more))
                .toArray(Option[]::new);
    }

    /** The command named by the leading words of a command line, e.g. {@code [sandbox, run]}. */
    static Optional<Command> named(List<String> words) {
        return Arrays.stream(values())
                .filter(command -> List.of(command.words.split(" ")).equals(words))
                .findFirst();
    }

    /** {@code sandbox run}, as the user types it. */
    String words() {
        return words;
    }

    /** {@code sandbox}, {@code container}, {@code check} or {@code help}. */
    String group() {
        return words.split(" ")[0];
    }

    String summary() {
        return summary;
    }

    boolean takesCommand() {
        return takesCommand;
    }

    boolean accepts(Option option) {
        return GLOBAL.contains(option) || options.contains(option);
    }

    /** The command's own options, without the global ones. */
    List<Option> ownOptions() {
        return options;
    }
}
