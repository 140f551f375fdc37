package io.vcj.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.shim.proto.task.DeleteResponse;
import io.vcj.shim.task.DeletedTaskRecord;
import io.vcj.vc.host.HostMounter;
import io.vcj.vc.host.SystemMounter;
import io.vcj.vc.config.Mount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code delete} after a shim died: what containerd reads back, and what is left on the host. */
class DeleteCommandTest {

    @TempDir
    Path dir;

    @Test
    void reportsTheTaskKilledAndUnmountsTheRootfs() throws Exception {
        Path bundle = ShimTestFiles.bundle(dir);
        Files.writeString(bundle.resolve(StartCommand.CONFIG_RECORD), ShimTestFiles.config(dir).toString());
        HostMounter mounter = new SystemMounter();
        mounter.mount(new Mount("tmpfs", null, "tmpfs", List.of()), bundle.resolve("rootfs"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Instant before = Instant.now().minusSeconds(1);

        new DeleteCommand(ShimFlags.parse("-namespace", "ns", "-address", "/a", "-id", "gone", "-bundle",
                bundle.toString(), "delete"), dir, Map.of(), new PrintStream(warnings), mounter).run(out);

        DeleteResponse response = DeleteResponse.parseFrom(out.toByteArray());
        assertEquals(137, response.getExitStatus());
        assertTrue(response.getExitedAt().getSeconds() >= before.getEpochSecond());
        assertEquals(List.of(), mounter.mountsUnder(bundle.resolve("rootfs")));
        assertEquals("", warnings.toString());
    }

    @Test
    void handsBackTheShimsOwnAnswerWhenTheShimDeletedTheTask() throws Exception {
        Path bundle = ShimTestFiles.bundle(dir);
        DeleteResponse answered = DeleteResponse.newBuilder().setPid(42).setExitStatus(3).build();
        Files.write(bundle.resolve(DeletedTaskRecord.FILE), answered.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new DeleteCommand(ShimFlags.parse("-namespace", "ns", "-address", "/a", "-id", "done", "-bundle",
                bundle.toString(), "delete"), dir, Map.of(), new PrintStream(new ByteArrayOutputStream())).run(out);

        assertEquals(answered, DeleteResponse.parseFrom(out.toByteArray()));
    }

    @Test
    void removesTheSocketOfTheDeadShim() throws Exception {
        Path bundle = ShimTestFiles.bundle(dir);
        Files.writeString(bundle.resolve(StartCommand.CONFIG_RECORD), ShimTestFiles.config(dir).toString());
        ShimSocket socket = ShimSocket.of(dir.resolve("containerd.sock").toString(), "ns", "dead");
        Files.createDirectories(socket.path().getParent());
        // A socket file nobody listens on any more, as a SIGKILLed shim leaves it.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket.path()));
        }

        new DeleteCommand(ShimFlags.parse("-namespace", "ns", "-address", dir.resolve("containerd.sock").toString(),
                "-id", "dead", "-bundle", bundle.toString(), "delete"), dir, Map.of(), new PrintStream(new ByteArrayOutputStream()))
                .run(new ByteArrayOutputStream());

        assertFalse(Files.exists(socket.path()), socket.path() + " left behind");
    }
}
