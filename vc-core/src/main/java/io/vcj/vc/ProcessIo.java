package io.vcj.vc;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The stdio of one process in a container, as streams to copy from and to (e.g. containerd's FIFOs).
 * Reads block until the process writes; they return -1 once it closed its output. With a terminal,
 * everything comes on {@link #stdout()}.
 */
public interface ProcessIo {

    /** Closing it closes the process's stdin (EOF for the process). */
    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Tells the process's terminal its new size. */
    void resizeTerminal(int rows, int columns);
}
