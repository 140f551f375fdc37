import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark payload run by the guest init when the kernel command line says
 * vcj.run=hello: its one line of output marks "the JVM is up" for bench-boot.
 */
public final class VcjHello {
    public static void main(String[] args) throws Exception {
        String uptime = "?";
        try {
            uptime = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        } catch (Exception e) {
            // not in the guest (AOT training run on the host without /proc): keep "?"
        }
        System.out.println("vcj-hello: jvm up " + uptime + " java " + Runtime.version());
    }
}
