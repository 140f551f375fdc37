package io.vcj.qemu.qmp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QMP client against a real QEMU: a q35 machine held before its first instruction (-S), with
 * one PCIe root port to hot-plug into.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hung QEMU fails the test instead of the build
class QmpClientTest {

    @TempDir
    Path dir;
    private Process qemu;
    private QmpClient qmp;

    @BeforeEach
    void startQemu() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "64M",
                "-nodefaults", "-no-user-config", "-display", "none", "-S",
                "-device", "pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1",
                "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        // Until QEMU listens the socket is missing, then refuses for a moment (bind before listen), as QemuProcess knows.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (qmp == null) {
            try {
                qmp = QmpClient.connect(socket, Duration.ofSeconds(5));
            } catch (SocketException notYet) {
                if (!qemu.isAlive() || System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(5);
            }
        }
    }

    @AfterEach
    void stopQemu() throws Exception {
        if (qmp != null) {
            qmp.close();
        }
        qemu.destroyForcibly();
        qemu.waitFor(10, TimeUnit.SECONDS);
    }

    private String status() {
        return qmp.execute("query-status").path("status").asText();
    }

    @Test
    void stopAndContChangeTheStatusAndRaiseEvents() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        qmp.addEventListener(event -> events.add(event.name()));
        assertEquals("prelaunch", status());

        CompletableFuture<QmpMessage.Event> resumed = qmp.awaitEvent(e -> e.name().equals("RESUME"));
        qmp.execute("cont");
        resumed.get(5, TimeUnit.SECONDS);
        assertEquals("running", status());

        CompletableFuture<QmpMessage.Event> stopped = qmp.awaitEvent(e -> e.name().equals("STOP"));
        qmp.execute("stop");
        stopped.get(5, TimeUnit.SECONDS);
        assertEquals("paused", status());
        assertEquals(List.of("RESUME", "STOP"), events);
    }

    @Test
    void unknownCommandFailsWithQemusDescription() {
        QmpException e = assertThrows(QmpException.class, () -> qmp.execute("no-such-command"));

        assertEquals("CommandNotFound", e.errorClass());
        assertEquals("no-such-command: The command no-such-command has not been found", e.getMessage());
        assertEquals("prelaunch", status(), "the session goes on after an error");
    }

    @Test
    void vfioDeviceWithAMissingHostDeviceFailsCleanly() {
        QmpException e = assertThrows(QmpException.class, () -> qmp.execute("device_add",
                QmpCodec.newObject().put("driver", "vfio-pci").put("host", "0000:ff:1f.7").put("id", "vfio0").put("bus", "rp0")));

        assertEquals("GenericError", e.errorClass());
        assertEquals("device_add: vfio /sys/bus/pci/devices/0000:ff:1f.7: no such host device: No such file or directory",
                e.getMessage());
        assertTrue(!qmp.execute("query-pci").toString().contains("vfio0"), "no half-added device");
    }

    @Test
    void concurrentCommandsGetTheirOwnReplies() throws Exception {
        List<CompletableFuture<String>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String command = i % 2 == 0 ? "query-status" : "query-name";
            replies.add(CompletableFuture.supplyAsync(() -> command + ":" + qmp.execute(command)));
        }
        for (CompletableFuture<String> reply : replies) {
            String text = reply.get(10, TimeUnit.SECONDS);
            assertTrue(text.startsWith("query-status:") == text.contains("\"status\""), text);
        }
    }

    @Test
    void quitClosesTheSessionAndFailsLaterCommands() throws Exception {
        CompletableFuture<QmpMessage.Event> shutdown = qmp.awaitEvent(e -> e.name().equals("SHUTDOWN"));
        CompletableFuture<QmpMessage.Event> never = qmp.awaitEvent(e -> e.name().equals("DEVICE_DELETED"));

        qmp.execute("quit");

        assertEquals("host-qmp-quit", shutdown.get(5, TimeUnit.SECONDS).data().path("reason").asText());
        qmp.closed().get(5, TimeUnit.SECONDS);
        assertThrows(QmpException.class, () -> qmp.execute("query-status"));
        ExecutionException waitFailed = assertThrows(ExecutionException.class, () -> never.get(5, TimeUnit.SECONDS));
        assertInstanceOf(QmpException.class, waitFailed.getCause());
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void connectingToANonexistentSocketFails() {
        IOException e = assertThrows(IOException.class, () -> QmpClient.connect(dir.resolve("absent.sock"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
    }
}
