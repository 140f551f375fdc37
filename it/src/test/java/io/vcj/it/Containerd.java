package io.vcj.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A private containerd (the host's own binary) for one test: its config, root, state, sockets
 * and log all live in one temp dir, and {@link #close()} leaves nothing behind. It first asks
 * containerd to delete every task and container (so shims tear down what they built), then
 * stops containerd, kills any shim and child still running, detaches mounts below the dir and
 * deletes it.
 *
 * <p>Shims are found on containerd's PATH ({@link Builder#shimDirectory}); a runtime is picked
 * per container, e.g. {@code ctr("run", "--runtime", "io.containerd.vcj.v2", "--rootfs", dir, id, cmd)}.
 */
public final class Containerd implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(Containerd.class);
  private static final Duration CTR_PATIENCE = Duration.ofMinutes(2);
  private static final Duration EVENT_PROBE_PATIENCE = Duration.ofMillis(500);
  private static final int EVENT_PROBES = 120;
  /** Relative to the working directory, which is the module's under Maven. */
  private static final Path LOG_ARCHIVE = Path.of(System.getProperty("vcj.it.logs", "target/containerd-logs"));

  private final ContainerdConfig config;
  private final String namespace;
  private final Path ctr;
  private final Process daemon;
  /** Its own dir first, then those of {@link Builder#ownedDirectory}. */
  private final List<Path> ownedDirectories;
  private final List<CtrEvents> events = new ArrayList<>();

  private Containerd(ContainerdConfig config, String namespace, Process daemon, List<Path> ownedDirectories) {
    this.config = config;
    this.namespace = namespace;
    this.ctr = HostRequirements.requireOnPath("ctr");
    this.daemon = daemon;
    this.ownedDirectories = ownedDirectories;
  }

  public static Containerd start() throws IOException, InterruptedException {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** containerd's gRPC socket, what {@code ctr --address} and shims' {@code -address} name. */
  public Path address() {
    return config.grpcAddress();
  }

  /** The socket shims publish events to (their TTRPC_ADDRESS). */
  public Path ttrpcAddress() {
    return config.ttrpcAddress();
  }

  /** The namespace {@link #ctr} uses. */
  public String namespace() {
    return namespace;
  }

  public Path dir() {
    return config.dir();
  }

  /** containerd's own output so far, for failure messages. */
  public String log() throws IOException {
    return Files.readString(logFile(config.dir()), StandardCharsets.UTF_8);
  }

  /** Runs {@code ctr --address <ours> --namespace <ours> args...} to completion. */
  public CtrResult ctr(String... args) throws IOException, InterruptedException {
    return ctrIn(namespace, args);
  }

  /** Runs {@code ctr --address <ours> --namespace <namespace> args...} to completion. */
  public CtrResult ctrIn(String namespace, String... args) throws IOException, InterruptedException {
    List<String> command = ctrCommand(namespace, args);
    Path stdout = Files.createTempFile(config.dir(), "ctr", ".out");
    Path stderr = Files.createTempFile(config.dir(), "ctr", ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      if (!process.waitFor(CTR_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + CTR_PATIENCE);
      }
      return new CtrResult(command, process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /**
   * Starts {@code ctr events} (all topics, all namespaces) and returns once it is subscribed:
   * ctr prints nothing when its subscription is live, so probe namespaces are created until one
   * shows up. Unfiltered because a filter would hide the probes; match lines in the test instead.
   */
  public CtrEvents events() throws IOException, InterruptedException {
    CtrEvents stream = CtrEvents.start(ctrCommand(namespace, "events"), config.dir().resolve("ctr-events.log"));
    events.add(stream);
    for (int probe = 0; probe < EVENT_PROBES; probe++) {
      String name = "events-probe-" + probe;
      ctr("namespaces", "create", name).orThrow();
      boolean live = stream.await(line -> line.contains("/namespaces/create") && line.contains('"' + name + '"'),
          EVENT_PROBE_PATIENCE).isPresent();
      ctr("namespaces", "remove", name).orThrow();
      if (live) {
        return stream;
      }
    }
    throw new IllegalStateException("`ctr events` never reported a probe namespace; it printed " + stream.lines());
  }

  /**
   * The command line {@link #ctr} runs, for tests that give ctr their own stdio (a terminal, a
   * stream to pipe in).
   */
  public List<String> ctrCommandLine(String... args) {
    return ctrCommand(namespace, args);
  }

  private List<String> ctrCommand(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of(
        ctr.toString(), "--address", address().toString(), "--namespace", namespace));
    command.addAll(List.of(args));
    return command;
  }

  private void awaitReady(Duration patience) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    CtrResult last = null;
    while (System.nanoTime() < deadline) {
      if (!daemon.isAlive()) {
        throw new IllegalStateException("containerd exited with " + daemon.exitValue() + ":\n" + log());
      }
      if (Files.exists(address())) {
        last = ctr("version");
        if (last.succeeded()) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("containerd did not answer within " + patience
        + (last == null ? ", its socket never appeared" : "; last try: " + last) + "\nlog:\n" + log());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    List<Exception> failures = new ArrayList<>();
    for (CtrEvents stream : events) {
      attempt(stream::close, failures);
    }
    attempt(this::removeTasksAndContainers, failures);
    attempt(this::stopDaemon, failures);
    for (Path dir : ownedDirectories) {
      attempt(() -> new ProcessesMentioning(dir).killAll(), failures);
      attempt(() -> new MountsUnder(dir).unmountAll(), failures);
    }
    attempt(this::keepLog, failures);
    for (Path dir : ownedDirectories) {
      attempt(() -> deleteTree(dir), failures);
    }
    if (!failures.isEmpty()) {
      if (failures.stream().anyMatch(InterruptedException.class::isInstance)) {
        Thread.currentThread().interrupt();
      }
      IOException failure = new IOException("cleaning up containerd in " + config.dir() + " failed");
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  /**
   * containerd's log outlives the temp dir: it also holds what shims wrote to their log FIFO,
   * which is often the only trace of why a shim test failed.
   */
  private void keepLog() throws IOException {
    Path kept = Files.createDirectories(LOG_ARCHIVE).resolve(config.dir().getFileName() + ".log");
    Files.copy(logFile(config.dir()), kept, StandardCopyOption.REPLACE_EXISTING);
    LOG.info("containerd log kept in {}", kept.toAbsolutePath());
  }

  /**
   * Lets containerd and the shims undo what they did (runc cgroups, VMs, rootfs mounts) while
   * they still can; whatever is left after this is killed and unmounted by force.
   */
  private void removeTasksAndContainers() throws IOException, InterruptedException {
    if (!daemon.isAlive()) {
      return;
    }
    for (String ns : ctr("namespaces", "ls", "-q").orThrow().stdout().lines().toList()) {
      for (String task : ctrIn(ns, "tasks", "ls", "-q").orThrow().stdout().lines().toList()) {
        logFailure(ctrIn(ns, "tasks", "delete", "--force", task));
      }
      for (String container : ctrIn(ns, "containers", "ls", "-q").orThrow().stdout().lines().toList()) {
        logFailure(ctrIn(ns, "containers", "delete", container));
      }
      new NamespaceCgroups(ns).remove();
    }
  }

  private static void logFailure(CtrResult result) {
    if (!result.succeeded()) {
      LOG.warn("cleanup step failed: {}", result);
    }
  }

  /** SIGTERM lets containerd close its sockets and database; SIGKILL if it will not go. */
  private void stopDaemon() throws InterruptedException {
    daemon.destroy();
    if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
      LOG.warn("containerd {} ignored SIGTERM, killing it", daemon.pid());
      daemon.destroyForcibly().waitFor();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> mounted = new MountsUnder(dir).list();
    if (!mounted.isEmpty()) {
      throw new IOException("not deleting " + dir + ", still mounted: " + mounted);
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void attempt(Step step, List<Exception> failures) {
    try {
      step.run();
    } catch (Exception e) {
      failures.add(e);
    }
  }

  private static Path logFile(Path dir) {
    return dir.resolve("containerd.log");
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /** Options for a test containerd; every one has a default that suits most tests. */
  public static final class Builder {

    private final List<Function<Path, String>> extraToml = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final Set<String> enabledPlugins = new HashSet<>();
    private final List<Path> ownedDirectories = new ArrayList<>();
    private String namespace = "vcj-it";
    private Duration startupPatience = Duration.ofMinutes(1);

    private Builder() {
    }

    /** TOML appended to the generated config, e.g. a runtime's {@code [plugins...]} table. */
    public Builder config(String toml) {
      return config(dir -> toml);
    }

    /** TOML appended to the generated config that names paths in containerd's directory, given it. */
    public Builder config(Function<Path, String> tomlInDir) {
      extraToml.add(tomlInDir);
      return this;
    }

    /** An environment variable for containerd and, through it, the shims it starts. */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Puts a directory first on containerd's PATH, where it looks up containerd-shim-* binaries. */
    public Builder shimDirectory(Path dir) {
      return environment("PATH", dir.toAbsolutePath() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /**
     * Runs containerd's CRI plugin (off by default); its own settings go in {@link #config}, under
     * {@code [plugins."io.containerd.grpc.v1.cri"]}. It serves on {@link Containerd#address()} too.
     */
    public Builder cri() {
      enabledPlugins.add(ContainerdConfig.CRI_PLUGIN);
      return this;
    }

    /**
     * A directory outside containerd's that {@link #close()} cleans up like its own (processes
     * naming it killed, mounts below it detached, then deleted), e.g. a shim's state root that must
     * be short for socket paths.
     */
    public Builder ownedDirectory(Path dir) {
      ownedDirectories.add(dir);
      return this;
    }

    public Builder namespace(String name) {
      namespace = name;
      return this;
    }

    public Builder startupPatience(Duration patience) {
      startupPatience = patience;
      return this;
    }

    public Containerd start() throws IOException, InterruptedException {
      Path containerdBinary = HostRequirements.requireOnPath("containerd");
      // /tmp and a short name: shim socket paths (<state>/s/<64 hex>) must stay under 108 bytes.
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "ctrd");
      ContainerdConfig config = new ContainerdConfig(dir,
          extraToml.stream().map(toml -> "\n" + toml.apply(dir) + "\n").collect(Collectors.joining()),
          Set.copyOf(enabledPlugins));
      Containerd containerd = null;
      try {
        Path configFile = dir.resolve("config.toml");
        Files.writeString(configFile, config.toml());
        ProcessBuilder daemon = new ProcessBuilder(containerdBinary.toString(), "--config", configFile.toString())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(dir).toFile()))
            .redirectErrorStream(true);
        daemon.environment().putAll(environment);
        List<Path> owned = new ArrayList<>(List.of(dir));
        owned.addAll(ownedDirectories);
        containerd = new Containerd(config, namespace, daemon.start(), List.copyOf(owned));
        LOG.info("containerd {} starting in {}", containerd.daemon.pid(), dir);
        containerd.awaitReady(startupPatience);
        return containerd;
      } catch (IOException | InterruptedException | RuntimeException e) {
        cleanUpAfterFailedStart(containerd, dir, e);
        throw e;
      }
    }

    private static void cleanUpAfterFailedStart(Containerd containerd, Path dir, Exception cause) {
      try {
        if (containerd != null) {
          containerd.close();
        } else {
          deleteTree(dir);
        }
      } catch (IOException | InterruptedException | RuntimeException cleanup) {
        cause.addSuppressed(cleanup);
      }
    }
  }
}
