package io.vcj.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShimSocketTest {

    @Test
    void isWhereContainerdsRuncShimPutsIt() {
        // sha256("/run/containerd/containerd.sock/k8s.io/pod1"), computed with sha256sum
        ShimSocket socket = ShimSocket.of("/run/containerd/containerd.sock", "k8s.io", "pod1");

        assertEquals(Path.of("/run/containerd/s/8e264b1ad347c80aee5f3dea6e4bb53d72026989222058782273d5db043c7723"),
                socket.path());
        assertEquals("unix://" + socket.path(), socket.address());
    }

    @Test
    void readsBackTheAddressFile() {
        assertEquals(Path.of("/run/containerd/s/abc"), ShimSocket.fromAddress("unix:///run/containerd/s/abc\n").path());
    }
}
