package io.vcj.qemu;

import java.nio.file.Path;
import java.time.Duration;

/** What `shim delete` does to a VM another shim started: run as its own JVM by the tests. */
public final class StopFromAnotherProcess {

    public static void main(String[] args) {
        QemuHypervisor vm = QemuHypervisor.attach(args[0], Path.of(args[1]));
        System.out.println("pids " + vm.pids());
        vm.stopVM(Duration.ZERO);
        System.out.println("exited " + vm.exited().join());
    }
}
