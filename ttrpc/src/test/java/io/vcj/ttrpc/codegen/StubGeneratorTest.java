package io.vcj.ttrpc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Naming rules and edge cases; the generated Echo stubs are exercised by the transport tests. */
class StubGeneratorTest {

    @TempDir
    Path dir;

    private static FileDescriptorProto.Builder file(String name, String pkg) {
        return FileDescriptorProto.newBuilder().setName(name).setPackage(pkg);
    }

    private static ServiceDescriptorProto service(String name, String method, String in, String out) {
        return ServiceDescriptorProto.newBuilder().setName(name).addMethod(MethodDescriptorProto.newBuilder()
                .setName(method).setInputType(in).setOutputType(out)).build();
    }

    @Test
    void outerClassNameFollowsProtoc() {
        assertEquals("Shim", JavaNames.outerClassName(file("containerd/shim.proto", "x").build()));
        assertEquals("AgentServiceV2", JavaNames.outerClassName(file("a/agent_service-v2.proto", "x").build()));
        assertEquals("Foo2Bar", JavaNames.outerClassName(file("foo2bar.proto", "x").build()));
        assertEquals("TaskOuterClass", JavaNames.outerClassName(file("task.proto", "x")
                .addMessageType(DescriptorProto.newBuilder().setName("Task")).build()));
        assertEquals("Given", JavaNames.outerClassName(file("task.proto", "x")
                .setOptions(FileOptions.newBuilder().setJavaOuterClassname("Given")).build()));
    }

    @Test
    void rpcNamesBecomeLowerCamelJavaMethods() {
        assertEquals("createContainer", JavaNames.methodName("CreateContainer", Set.of()));
        assertEquals("wait", JavaNames.methodName("Wait", Set.of()));
        assertEquals("import_", JavaNames.methodName("Import", Set.of()));
        assertEquals("of_", JavaNames.methodName("Of", ClientStubWriter.RESERVED));
    }

    @Test
    void messageClassesHonourMultipleFilesOuterClassAndNesting() {
        FileDescriptorProto multiple = file("task.proto", "containerd.task.v2")
                .setOptions(FileOptions.newBuilder().setJavaPackage("io.x.task").setJavaMultipleFiles(true))
                .addMessageType(DescriptorProto.newBuilder().setName("CreateTaskRequest")
                        .addNestedType(DescriptorProto.newBuilder().setName("Inner")))
                .build();
        FileDescriptorProto single = file("google/protobuf/empty.proto", "google.protobuf")
                .setOptions(FileOptions.newBuilder().setJavaPackage("com.google.protobuf"))
                .addMessageType(DescriptorProto.newBuilder().setName("Empty"))
                .build();
        JavaNames names = new JavaNames(List.of(multiple, single));
        assertEquals("io.x.task.CreateTaskRequest", names.messageClass(".containerd.task.v2.CreateTaskRequest"));
        assertEquals("io.x.task.CreateTaskRequest.Inner", names.messageClass(".containerd.task.v2.CreateTaskRequest.Inner"));
        assertEquals("com.google.protobuf.EmptyOuterClass.Empty", names.messageClass(".google.protobuf.Empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> names.messageClass(".nope.Missing"));
        assertTrue(e.getMessage().contains(".nope.Missing"));
    }

    @Test
    void writesClientAndServiceBaseNamedAfterTheService() throws Exception {
        FileDescriptorProto task = file("containerd/task.proto", "containerd.task.v2")
                .setOptions(FileOptions.newBuilder().setJavaPackage("io.x.task").setJavaMultipleFiles(true))
                .addMessageType(DescriptorProto.newBuilder().setName("WaitRequest"))
                .addMessageType(DescriptorProto.newBuilder().setName("WaitResponse"))
                .addService(service("Task", "Wait", ".containerd.task.v2.WaitRequest", ".containerd.task.v2.WaitResponse"))
                .build();
        List<Path> written = new StubGenerator(FileDescriptorSet.newBuilder().addFile(task).build())
                .generate(dir, f -> true);
        assertEquals(List.of(dir.resolve("io/x/task/TaskTtrpcClient.java"), dir.resolve("io/x/task/TaskTtrpcService.java")), written);
        String client = Files.readString(written.get(0));
        assertTrue(client.contains("io.x.task.WaitResponse wait(io.x.task.WaitRequest request);"), client);
        assertTrue(client.contains("new io.vcj.ttrpc.UnaryMethod<>(\"containerd.task.v2.Task\", \"Wait\""), client);
        String base = Files.readString(written.get(1));
        // the service's name clashes with the file's default outer class name, as protoc sees it
        assertTrue(base.contains("io.x.task.TaskOuterClass.getDescriptor().findServiceByName(\"Task\")"), base);
    }

    @Test
    void moduleWithoutServicesOrWithoutProtosGetsNothing() throws Exception {
        FileDescriptorProto messagesOnly = file("m.proto", "m").addMessageType(DescriptorProto.newBuilder().setName("M")).build();
        assertEquals(List.of(), new StubGenerator(FileDescriptorSet.newBuilder().addFile(messagesOnly).build()).generate(dir, f -> true));

        Path out = dir.resolve("out");
        StubGenerator.main(new String[] {dir.resolve("missing.protobin").toString(), out.toString()});
        assertFalse(Files.exists(out));
    }

    @Test
    void servicesOutsideTheProtoRootAreLeftToTheirOwners() throws Exception {
        Path root = Files.createDirectories(dir.resolve("proto"));
        Files.writeString(root.resolve("mine.proto"), "");
        FileDescriptorSet set = FileDescriptorSet.newBuilder()
                .addFile(file("mine.proto", "p").addMessageType(DescriptorProto.newBuilder().setName("M"))
                        .addService(service("Mine", "Do", ".p.M", ".p.M")))
                .addFile(file("theirs.proto", "q").addMessageType(DescriptorProto.newBuilder().setName("N"))
                        .addService(service("Theirs", "Do", ".q.N", ".q.N")))
                .build();
        Path setFile = dir.resolve("set.protobin");
        Files.write(setFile, set.toByteArray());
        Path out = dir.resolve("out");
        StubGenerator.main(new String[] {setFile.toString(), out.toString(), root.toString()});
        assertTrue(Files.exists(out.resolve("p/MineTtrpcClient.java")));
        assertFalse(Files.exists(out.resolve("q/TheirsTtrpcClient.java")));
    }
}
