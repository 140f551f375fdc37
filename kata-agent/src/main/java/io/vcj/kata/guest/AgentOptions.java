package io.vcj.kata.guest;

import io.vcj.kata.guest.container.ContainerPaths;
import java.nio.file.Path;

/**
 * The agent's command line. Exactly one of {@code --channel <char device>} (in the VM) and
 * {@code --listen unix:<path>} (tests on the host) says where to serve; the rest default to the
 * guest layout and exist so that host tests can keep everything in a temp dir.
 */
record AgentOptions(Path channel, Path listen, String runc, Path runcRoot, ContainerPaths paths) {
    static final String USAGE = "usage: GuestAgent (--channel <device> | --listen unix:<path>)"
            + " [--runc <binary>] [--runc-root <dir>] [--shared-dir <dir>] [--bundles-dir <dir>] [--cgroup-parent <path>]";

    static AgentOptions parse(String... args) {
        Path channel = null;
        Path listen = null;
        String runc = "runc";
        Path runcRoot = Path.of("/run/runc");
        ContainerPaths guest = ContainerPaths.GUEST;
        Path shared = guest.sharedDir();
        Path bundles = guest.bundlesDir();
        String cgroupParent = guest.cgroupParent();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--channel" -> channel = Path.of(value);
                case "--listen" -> {
                    if (!value.startsWith("unix:")) {
                        throw new IllegalArgumentException("--listen takes unix:<path>; " + USAGE);
                    }
                    listen = Path.of(value.substring("unix:".length()));
                }
                case "--runc" -> runc = value;
                case "--runc-root" -> runcRoot = Path.of(value);
                case "--shared-dir" -> shared = Path.of(value);
                case "--bundles-dir" -> bundles = Path.of(value);
                case "--cgroup-parent" -> cgroupParent = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        if ((channel == null) == (listen == null)) {
            throw new IllegalArgumentException(USAGE);
        }
        return new AgentOptions(channel, listen, runc, runcRoot, new ContainerPaths(shared, bundles, cgroupParent));
    }
}
