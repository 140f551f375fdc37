package io.vcj.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShimFlagsTest {

    @Test
    void readsContainerdsStartCommandLine() {
        ShimFlags flags = ShimFlags.parse("-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock",
                "-publish-binary", "/usr/bin/containerd", "-id", "c1", "-debug", "start");

        assertEquals("k8s.io", flags.namespace());
        assertEquals("/run/containerd/containerd.sock", flags.address());
        assertEquals("/usr/bin/containerd", flags.publishBinary());
        assertEquals("c1", flags.id());
        assertTrue(flags.debug());
        assertEquals(Optional.of("start"), flags.action());
    }

    @Test
    void readsTheDeleteCommandLineWithGoFlagSpellings() {
        ShimFlags flags = ShimFlags.parse("--namespace=ns", "-address", "/a", "-id=c1", "-bundle", "/b", "delete");

        assertEquals("ns", flags.namespace());
        assertEquals("/b", flags.bundle());
        assertFalse(flags.debug());
        assertEquals(Optional.of("delete"), flags.action());
    }

    @Test
    void noActionWordMeansTheLongLivedShim() {
        assertEquals(Optional.empty(), ShimFlags.parse("-namespace", "ns", "-id", "c1", "-address", "/a").action());
    }

    @Test
    void badCommandLinesAreRefusedByName() {
        assertEquals("flag provided but not defined: -runtime",
                assertThrows(IllegalArgumentException.class, () -> ShimFlags.parse("-runtime", "x")).getMessage());
        assertEquals("flag needs an argument: -id",
                assertThrows(IllegalArgumentException.class, () -> ShimFlags.parse("-id")).getMessage());
        assertEquals("missing flag -address",
                assertThrows(IllegalArgumentException.class,
                        () -> ShimFlags.parse("-namespace", "ns", "-id", "c1", "start").require("namespace", "address")).getMessage());
    }
}
