package io.vcj.virtc;

import java.util.Arrays;

/** {@code virtc help}, made from the commands and options themselves so it cannot drift from them. */
final class Usage {

    private Usage() {
    }

    static String text() {
        var text = new StringBuilder("""
                virtc: sandboxes (one QEMU VM each) and their containers, over vcj's virtcontainers.

                Usage: virtc [--root DIR] [--json] [--config FILE] COMMAND [OPTIONS] [-- CMD ARGS...]

                Commands:
                """);
        var commands = new Table("", "", "");
        Arrays.stream(Command.values()).forEach(command -> commands.row("", command.words(), command.summary()));
        text.append(withoutHeader(commands)).append("\nOptions:\n");
        var options = new Table("", "", "");
        Arrays.stream(Option.values()).forEach(option -> options.row("", option.synopsis(), option.help()));
        text.append(withoutHeader(options)).append("""

                Each command accepts the global options (--root, --config, --json, --debug, --help) and
                its own: `virtc COMMAND --help` lists them.
                """);
        return text.toString();
    }

    /** What {@code command} accepts, one option a line. */
    static String of(Command command) {
        var options = new Table("", "", "");
        command.ownOptions().forEach(option -> options.row("", option.synopsis(), option.help()));
        return "Usage: virtc " + command.words() + " [OPTIONS]" + (command.takesCommand() ? " [-- CMD ARGS...]" : "")
                + "\n\n" + command.summary() + "\n" + (command.ownOptions().isEmpty() ? ""
                : "\nOptions:\n" + withoutHeader(options));
    }

    private static String withoutHeader(Table table) {
        String rendered = table.render();
        return rendered.substring(rendered.indexOf('\n') + 1);
    }
}
