package io.vcj.virtc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed virtc command line: the command, its options ({@code --name value}, {@code --name=value}
 * or a bare {@code --flag}; {@code -h} is {@code --help}) and the words after {@code --}, which are a
 * command to run.
 */
record CommandLine(Command command, Map<Option, List<String>> options, List<String> args) {

    CommandLine {
        options = Map.copyOf(options);
        args = List.copyOf(args);
    }

    static CommandLine parse(String... argv) {
        List<String> words = new ArrayList<>();
        Map<Option, List<String>> options = new EnumMap<>(Option.class);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String token = argv[i].equals("-h") ? Option.HELP.flag() : argv[i];
            if (token.equals("--")) {
                args.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (!token.startsWith("--")) {
                words.add(token);
                continue;
            }
            int equals = token.indexOf('=');
            String name = token.substring(2, equals < 0 ? token.length() : equals);
            Option option = Option.named(name).orElseThrow(() -> new UsageException("unknown option --" + name));
            String value;
            if (!option.takesValue()) {
                if (equals >= 0) {
                    throw new UsageException(option.flag() + " takes no value");
                }
                value = "";
            } else if (equals >= 0) {
                value = token.substring(equals + 1);
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                throw new UsageException(option.flag() + " needs a value: " + option.synopsis());
            }
            options.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
        }
        Command command = command(words, options.containsKey(Option.HELP));
        for (Option option : options.keySet()) {
            if (!command.accepts(option)) {
                throw new UsageException("'" + command.words() + "' does not take " + option.flag());
            }
        }
        if (!args.isEmpty() && !command.takesCommand()) {
            throw new UsageException("'" + command.words() + "' takes no command after --");
        }
        return new CommandLine(command, options, args);
    }

    /** One or two leading words name the command; a bare {@code --help} asks for help. */
    private static Command command(List<String> words, boolean help) {
        if (words.isEmpty()) {
            if (help) {
                return Command.HELP_COMMAND;
            }
            throw new UsageException("no command given");
        }
        for (int length = Math.min(2, words.size()); length > 0; length--) {
            Optional<Command> command = Command.named(words.subList(0, length));
            if (command.isPresent()) {
                if (words.size() > length) {
                    throw new UsageException("unexpected argument '" + words.get(length)
                            + "' (ids go in --id and --sandbox-id, a command to run after --)");
                }
                return command.get();
            }
        }
        if (help) {
            return Command.HELP_COMMAND;
        }
        throw new UsageException("unknown command '" + String.join(" ", words) + "'");
    }

    boolean has(Option option) {
        return options.containsKey(option);
    }

    /** The option's last value, if given. */
    Optional<String> value(Option option) {
        List<String> values = options.getOrDefault(option, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getLast());
    }

    /** Every value given for a repeatable option, in order. */
    List<String> values(Option option) {
        return options.getOrDefault(option, List.of());
    }

    String required(Option option) {
        return value(option).filter(value -> !value.isEmpty())
                .orElseThrow(() -> new UsageException("'" + command.words() + "' needs " + option.synopsis()));
    }

    Optional<Integer> integer(Option option) {
        return value(option).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new UsageException(option.flag() + " must be a whole number, got '" + value + "'");
            }
        });
    }

    /** The command to run: the words after {@code --}, or else {@code --cmd} split at spaces. */
    Optional<List<String>> commandToRun() {
        if (!args.isEmpty()) {
            if (has(Option.CMD)) {
                throw new UsageException("give the command either with --cmd or after --, not both");
            }
            return Optional.of(args);
        }
        return value(Option.CMD).map(String::strip).filter(cmd -> !cmd.isEmpty())
                .map(cmd -> List.of(cmd.split("\\s+")));
    }
}
