package io.vcj.shim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line containerd gives a shim, in Go's flag syntax: {@code -name value},
 * {@code -name=value}, {@code --name value}; {@code -debug} and {@code -v} take no value; the
 * first word that is not a flag is the action ({@code start}, {@code delete}, none for the
 * long-lived shim).
 */
record ShimFlags(String namespace, String address, String publishBinary, String id, String bundle,
                 String socket, boolean debug, boolean version, Optional<String> action) {

    private static final List<String> VALUE_FLAGS = List.of("namespace", "address", "publish-binary", "id", "bundle", "socket");

    static ShimFlags parse(String... args) {
        String namespace = "";
        String address = "";
        String publishBinary = "";
        String id = "";
        String bundle = "";
        String socket = "";
        boolean debug = false;
        boolean version = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || !words.isEmpty()) {
                words.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                words.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (name.equals("debug") || name.equals("v")) {
                boolean on = value == null || Boolean.parseBoolean(value);
                if (name.equals("debug")) {
                    debug = on;
                } else {
                    version = on;
                }
                continue;
            }
            if (!VALUE_FLAGS.contains(name)) {
                throw new IllegalArgumentException("flag provided but not defined: -" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag needs an argument: -" + name);
                }
                value = args[++i];
            }
            switch (name) {
                case "namespace" -> namespace = value;
                case "address" -> address = value;
                case "publish-binary" -> publishBinary = value;
                case "id" -> id = value;
                case "bundle" -> bundle = value;
                default -> socket = value;
            }
        }
        if (words.size() > 1) {
            throw new IllegalArgumentException("expected at most one action (start or delete), got " + words);
        }
        return new ShimFlags(namespace, address, publishBinary, id, bundle, socket, debug, version,
                words.stream().findFirst());
    }

    /** Fails naming the flag if one the action needs is missing. */
    ShimFlags require(String... names) {
        for (String name : names) {
            String value = switch (name) {
                case "namespace" -> namespace;
                case "address" -> address;
                case "id" -> id;
                default -> throw new IllegalArgumentException("not a required flag: " + name);
            };
            if (value.isEmpty()) {
                throw new IllegalArgumentException("missing flag -" + name);
            }
        }
        return this;
    }
}
