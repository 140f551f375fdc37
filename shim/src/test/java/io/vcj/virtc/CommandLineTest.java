package io.vcj.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void readsACommandItsOptionsAndTheCommandToRunAfterDoubleDash() {
        CommandLine line = CommandLine.parse("sandbox", "run", "--id", "pod", "--rootfs=/srv/rootfs", "--",
                "sh", "-c", "echo --id");

        assertEquals(Command.SANDBOX_RUN, line.command());
        assertEquals(Optional.of("pod"), line.value(Option.ID));
        assertEquals(Optional.of("/srv/rootfs"), line.value(Option.ROOTFS));
        assertEquals(Optional.of(List.of("sh", "-c", "echo --id")), line.commandToRun());
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        CommandLine line = CommandLine.parse("--root", "/tmp/state", "sandbox", "list", "--json");

        assertEquals(Command.SANDBOX_LIST, line.command());
        assertEquals(Optional.of("/tmp/state"), line.value(Option.ROOT));
        assertTrue(line.has(Option.JSON));
    }

    @Test
    void repeatedEnvKeepsEveryValueInOrder() {
        CommandLine line = CommandLine.parse("container", "exec", "--id", "c", "--sandbox-id", "s",
                "--env", "A=1", "--env=B=2", "--cmd", "env");

        assertEquals(List.of("A=1", "B=2"), line.values(Option.ENV));
    }

    @Test
    void cmdIsSplitAtSpaces() {
        CommandLine line = CommandLine.parse("container", "exec", "--cmd", " echo  hello   world ");

        assertEquals(Optional.of(List.of("echo", "hello", "world")), line.commandToRun());
    }

    @Test
    void noCommandToRunWhenNoneIsGiven() {
        assertEquals(Optional.empty(), CommandLine.parse("sandbox", "create", "--id", "s").commandToRun());
    }

    @Test
    void aCommandToRunGivenTwiceIsRefused() {
        CommandLine line = CommandLine.parse("container", "exec", "--cmd", "ls", "--", "echo");

        assertEquals("give the command either with --cmd or after --, not both",
                assertThrows(UsageException.class, line::commandToRun).getMessage());
    }

    @Test
    void badCommandLinesAreRefusedSayingWhatIsWrong() {
        assertEquals("unknown option --force", refused("sandbox", "delete", "--force"));
        assertEquals("'sandbox list' does not take --rootfs", refused("sandbox", "list", "--rootfs", "/r"));
        assertEquals("--id needs a value: --id ID", refused("sandbox", "stop", "--id"));
        assertEquals("--json takes no value", refused("sandbox", "list", "--json=yes"));
        assertEquals("unknown command 'sandbox explode'", refused("sandbox", "explode"));
        assertEquals("no command given", refused("--json"));
        assertEquals("'sandbox stop' takes no command after --", refused("sandbox", "stop", "--id", "s", "--", "x"));
        assertEquals("unexpected argument 's1' (ids go in --id and --sandbox-id, a command to run after --)",
                refused("sandbox", "stop", "s1"));
    }

    @Test
    void requiredAndNumericOptionsAreChecked() {
        CommandLine line = CommandLine.parse("sandbox", "create", "--vcpus", "two");

        assertEquals("'sandbox create' needs --id ID",
                assertThrows(UsageException.class, () -> line.required(Option.ID)).getMessage());
        assertEquals("--vcpus must be a whole number, got 'two'",
                assertThrows(UsageException.class, () -> line.integer(Option.VCPUS)).getMessage());
    }

    @Test
    void helpIsAskedForWithTheHelpCommandOrOption() {
        assertEquals(Command.HELP_COMMAND, CommandLine.parse("help").command());
        assertEquals(Command.HELP_COMMAND, CommandLine.parse("--help").command());
        assertEquals(Command.HELP_COMMAND, CommandLine.parse("-h").command());
        assertEquals(Command.HELP_COMMAND, CommandLine.parse("sandbox", "--help").command());
        CommandLine commandHelp = CommandLine.parse("container", "exec", "--help");
        assertEquals(Command.CONTAINER_EXEC, commandHelp.command());
        assertTrue(commandHelp.has(Option.HELP));
        assertFalse(commandHelp.has(Option.JSON));
    }

    private static String refused(String... args) {
        return assertThrows(UsageException.class, () -> CommandLine.parse(args)).getMessage();
    }
}
