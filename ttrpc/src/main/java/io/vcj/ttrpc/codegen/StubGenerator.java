package io.vcj.ttrpc.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Generates typed ttrpc stubs for every service in a protobuf descriptor set (as written by
 * {@code protoc --descriptor_set_out --include_imports}): per service a client interface
 * ({@code <Service>TtrpcClient}) and a server base class ({@code <Service>TtrpcService}), in the
 * Java package of the service's proto file.
 *
 * <pre>StubGenerator &lt;descriptor-set&gt; &lt;output-dir&gt; [&lt;proto-source-root&gt;]</pre>
 *
 * With a proto source root, only services declared in files under that root are generated, so
 * services of imported files (included in the set) are left to the module that owns them. A
 * missing descriptor set means the module has no protos: nothing is generated. Files a previous
 * run generated are replaced; streaming RPCs are skipped (ttrpc here serves unary calls only).
 */
public final class StubGenerator {

    private final List<FileDescriptorProto> files;
    private final JavaNames names;

    StubGenerator(FileDescriptorSet set) {
        this.files = set.getFileList();
        this.names = new JavaNames(files);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: StubGenerator <descriptor-set> <output-dir> [<proto-source-root>]");
        }
        Path descriptorSet = Path.of(args[0]);
        Path outputDir = Path.of(args[1]);
        Path protoRoot = args.length == 3 ? Path.of(args[2]) : null;
        removePreviousOutput(outputDir);
        if (!Files.exists(descriptorSet)) {
            System.out.println("ttrpc stubs: no descriptor set at " + descriptorSet + ", nothing to generate");
            return;
        }
        FileDescriptorSet set;
        try (InputStream in = Files.newInputStream(descriptorSet)) {
            set = FileDescriptorSet.parseFrom(in);
        }
        List<Path> written = new StubGenerator(set).generate(outputDir,
                file -> protoRoot == null || Files.exists(protoRoot.resolve(file.getName())));
        System.out.println("ttrpc stubs: wrote " + written.size() + " files to " + outputDir);
    }

    /** Writes the stubs of every service in a file {@code scope} accepts; returns the files written. */
    List<Path> generate(Path outputDir, java.util.function.Predicate<FileDescriptorProto> scope) throws IOException {
        List<Path> written = new ArrayList<>();
        for (FileDescriptorProto file : files) {
            if (!scope.test(file)) {
                continue;
            }
            for (ServiceDescriptorProto service : file.getServiceList()) {
                ServiceModel model = model(file, service);
                written.add(write(outputDir, model, model.clientName(), ClientStubWriter.write(model)));
                written.add(write(outputDir, model, model.serviceBaseName(), ServiceBaseWriter.write(model)));
            }
        }
        return written;
    }

    ServiceModel model(FileDescriptorProto file, ServiceDescriptorProto service) {
        Set<String> reserved = new HashSet<>(ClientStubWriter.RESERVED);
        reserved.addAll(ServiceBaseWriter.RESERVED);
        List<ServiceModel.Rpc> rpcs = new ArrayList<>();
        for (MethodDescriptorProto method : service.getMethodList()) {
            if (method.getClientStreaming() || method.getServerStreaming()) {
                System.out.println("ttrpc stubs: skipping streaming RPC " + service.getName() + "." + method.getName());
                continue;
            }
            rpcs.add(new ServiceModel.Rpc(method.getName(), JavaNames.methodName(method.getName(), reserved),
                    names.messageClass(method.getInputType()), names.messageClass(method.getOutputType())));
        }
        String fullName = file.getPackage().isEmpty() ? service.getName() : file.getPackage() + "." + service.getName();
        return new ServiceModel(file.getName(), fullName, service.getName(), JavaNames.javaPackage(file),
                JavaNames.qualifiedOuterClassName(file), rpcs);
    }

    private static Path write(Path outputDir, ServiceModel model, String className, String source) throws IOException {
        Path dir = model.javaPackage().isEmpty() ? outputDir : outputDir.resolve(model.javaPackage().replace('.', '/'));
        Files.createDirectories(dir);
        Path target = dir.resolve(className + ".java");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " already exists: two services map to the same Java class "
                    + model.javaPackage() + "." + className);
        }
        Files.writeString(target, source, StandardCharsets.UTF_8);
        return target;
    }

    /** Deletes only files carrying our generated-code mark, so a misdirected output dir loses nothing. */
    private static void removePreviousOutput(Path outputDir) throws IOException {
        if (!Files.isDirectory(outputDir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(outputDir)) {
            for (Path p : tree.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (isOurs(p)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean isOurs(Path javaFile) throws IOException {
        try (var lines = Files.lines(javaFile, StandardCharsets.UTF_8)) {
            return lines.findFirst().filter(l -> l.startsWith(ServiceModel.GENERATED_MARK)).isPresent();
        }
    }
}
