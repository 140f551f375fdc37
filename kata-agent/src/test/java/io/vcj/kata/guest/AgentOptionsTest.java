package io.vcj.kata.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.kata.guest.container.ContainerPaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void channelAloneMeansTheGuestLayout() {
        AgentOptions options = AgentOptions.parse("--channel", "/dev/virtio-ports/agent.channel.0");
        assertEquals(Path.of("/dev/virtio-ports/agent.channel.0"), options.channel());
        assertNull(options.listen());
        assertEquals(ContainerPaths.GUEST, options.paths());
        assertEquals(Path.of("/run/runc"), options.runcRoot());
    }

    @Test
    void listenTakesAUnixAddressAndPathsCanMoveForTests() {
        AgentOptions options = AgentOptions.parse("--listen", "unix:/tmp/a.sock", "--shared-dir", "/tmp/s",
                "--bundles-dir", "/tmp/b", "--cgroup-parent", "/t", "--runc-root", "/tmp/r");
        assertEquals(Path.of("/tmp/a.sock"), options.listen());
        assertEquals(new ContainerPaths(Path.of("/tmp/s"), Path.of("/tmp/b"), "/t"), options.paths());
        assertEquals(Path.of("/tmp/r"), options.runcRoot());
    }

    @Test
    void refusesNoneOrBothEndpointsAndUnknownOptions() {
        assertThrows(IllegalArgumentException.class, AgentOptions::parse);
        assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("--channel", "/dev/x", "--listen", "unix:/tmp/a.sock"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("--listen", "/tmp/a.sock"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("--channel", "/dev/x", "--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("--channel"));
    }
}
