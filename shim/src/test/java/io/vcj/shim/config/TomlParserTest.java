package io.vcj.shim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TomlParserTest {

    private static final Path FILE = Path.of("/etc/vcj/test.toml");

    @Test
    void readsTablesStringsIntegersBooleansAndArrays() {
        TomlDocument doc = TomlParser.parse(FILE, """
                # a comment
                [hypervisor.qemu]   # trailing comment
                path = "/usr/bin/qemu # not a comment"
                kernel = '/boot/C:\\vmlinux'
                default_memory = 2_048
                offset = -3
                enable_debug = true
                kernel_params = [ "a=1",
                   "b\\t\\"q\\"\\u00e9",   # comment inside
                ]

                [agent."kata"]
                dial_timeout = 45
                """);

        assertEquals("/usr/bin/qemu # not a comment", value(doc, "hypervisor.qemu", "path"));
        assertEquals("/boot/C:\\vmlinux", value(doc, "hypervisor.qemu", "kernel"));
        assertEquals(2048L, value(doc, "hypervisor.qemu", "default_memory"));
        assertEquals(-3L, value(doc, "hypervisor.qemu", "offset"));
        assertEquals(true, value(doc, "hypervisor.qemu", "enable_debug"));
        assertEquals(List.of("a=1", "b\t\"q\"é"), value(doc, "hypervisor.qemu", "kernel_params"));
        assertEquals(45L, value(doc, "agent.kata", "dial_timeout"));
        assertEquals(13, doc.get("agent.kata", "dial_timeout").orElseThrow().line());
    }

    @Test
    void acceptsCrlfLineEndings() {
        TomlDocument doc = TomlParser.parse(FILE, "[runtime]\r\nstate_root = \"/run/x\"\r\n");

        assertEquals("/run/x", value(doc, "runtime", "state_root"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[a]\\nx = 1.5                 | /etc/vcj/test.toml:2: floating-point values are not supported, got 1.5",
            "[a]\\nx = 1\\nx = 2           | /etc/vcj/test.toml:3: [a] x is set twice (first on line 2)",
            "[a]\\n[b]\\n[a]               | /etc/vcj/test.toml:3: table [a] is defined twice (first on line 1)",
            "[a]\\nx = \"open              | /etc/vcj/test.toml:2: unterminated string",
            "[a]\\nx = yes                 | /etc/vcj/test.toml:2: expected a string (in quotes), an integer, true, false or an array, got 'yes'",
            "[a]\\nx = 1 2                 | /etc/vcj/test.toml:2: unexpected '2' after the value; one key = value per line",
            "[a]\\nx.y = 1                 | /etc/vcj/test.toml:2: dotted keys are not supported; put x.… under a [table] header",
            "[[a]]                         | /etc/vcj/test.toml:1: arrays of tables ([[...]]) are not supported",
            "[a]\\nx = { y = 1 }           | /etc/vcj/test.toml:2: inline tables are not supported",
            "[a]\\nx =                     | /etc/vcj/test.toml:2: missing value after '='",
            "[a]\\nx = [1, 2               | /etc/vcj/test.toml:2: expected ',' or ']' in the array, found the end of the file",
            "[a\\nx = 1                    | /etc/vcj/test.toml:1: expected ']' to close the table header, found the end of the line",
            "[a]\\nx = 99999999999999999999 | /etc/vcj/test.toml:2: integer 99999999999999999999 is out of range",
    })
    void rejectsWhatItDoesNotUnderstandNamingTheLine(String text, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> TomlParser.parse(FILE, text.replace("\\n", "\n")));

        assertEquals(message, e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> TomlParser.parse(Path.of("/nonexistent/vcj.toml")));

        assertEquals("vcj config /nonexistent/vcj.toml does not exist", e.getMessage());
    }

    private static Object value(TomlDocument doc, String table, String key) {
        return doc.get(table, key).orElseThrow().value();
    }
}
