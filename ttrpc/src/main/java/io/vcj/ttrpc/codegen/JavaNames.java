package io.vcj.ttrpc.codegen;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java names protoc's Java generator gives to the things in a descriptor set: message
 * classes (honouring java_package, java_multiple_files, java_outer_classname and nesting) and
 * each file's outer class, plus Java-safe method names for RPCs.
 */
final class JavaNames {

    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "_");

    /** Proto full name with a leading dot (as method input/output types spell it) to Java class name. */
    private final Map<String, String> messageClasses = new HashMap<>();

    JavaNames(List<FileDescriptorProto> files) {
        for (FileDescriptorProto file : files) {
            String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
            String javaPrefix = javaPackagePrefix(file) + (file.getOptions().getJavaMultipleFiles() ? "" : outerClassName(file) + ".");
            for (DescriptorProto message : file.getMessageTypeList()) {
                index(message, protoPrefix, javaPrefix);
            }
        }
    }

    private void index(DescriptorProto message, String protoPrefix, String javaPrefix) {
        String protoName = protoPrefix + message.getName();
        String javaName = javaPrefix + message.getName();
        messageClasses.put(protoName, javaName);
        for (DescriptorProto nested : message.getNestedTypeList()) {
            index(nested, protoName + ".", javaName + ".");
        }
    }

    /** The Java class of a message named as in a method's input_type/output_type. */
    String messageClass(String protoTypeName) {
        String name = messageClasses.get(protoTypeName);
        if (name == null) {
            throw new IllegalArgumentException("message type " + protoTypeName
                    + " is not in the descriptor set (was it written with its imports?)");
        }
        return name;
    }

    static String javaPackage(FileDescriptorProto file) {
        return file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
    }

    private static String javaPackagePrefix(FileDescriptorProto file) {
        String pkg = javaPackage(file);
        return pkg.isEmpty() ? "" : pkg + ".";
    }

    /** The file's outer class, fully qualified. */
    static String qualifiedOuterClassName(FileDescriptorProto file) {
        return javaPackagePrefix(file) + outerClassName(file);
    }

    /** protoc's rule: java_outer_classname, else the file name in CamelCase, + "OuterClass" on a clash. */
    static String outerClassName(FileDescriptorProto file) {
        if (file.getOptions().hasJavaOuterClassname()) {
            return file.getOptions().getJavaOuterClassname();
        }
        String base = file.getName().substring(file.getName().lastIndexOf('/') + 1);
        if (base.endsWith(".protodevel")) {
            base = base.substring(0, base.length() - ".protodevel".length());
        } else if (base.endsWith(".proto")) {
            base = base.substring(0, base.length() - ".proto".length());
        }
        String name = camelCase(base, true);
        return declaresType(file, name) ? name + "OuterClass" : name;
    }

    private static boolean declaresType(FileDescriptorProto file, String name) {
        return file.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))
                || file.getServiceList().stream().anyMatch(s -> s.getName().equals(name))
                || file.getMessageTypeList().stream().anyMatch(m -> declaresType(m, name));
    }

    private static boolean declaresType(DescriptorProto message, String name) {
        return message.getName().equals(name)
                || message.getEnumTypeList().stream().map(EnumDescriptorProto::getName).anyMatch(name::equals)
                || message.getNestedTypeList().stream().anyMatch(m -> declaresType(m, name));
    }

    /** protoc's UnderscoresToCamelCase: letters after a non-letter are capitalized, other symbols dropped. */
    static String camelCase(String input, boolean capitalizeFirst) {
        StringBuilder out = new StringBuilder(input.length());
        boolean capitalizeNext = capitalizeFirst;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append(capitalizeNext ? Character.toUpperCase(c) : c);
                capitalizeNext = false;
            } else if (c >= 'A' && c <= 'Z') {
                out.append(i == 0 && !capitalizeNext ? Character.toLowerCase(c) : c);
                capitalizeNext = false;
            } else if (c >= '0' && c <= '9') {
                out.append(c);
                capitalizeNext = true;
            } else {
                capitalizeNext = true;
            }
        }
        return out.toString();
    }

    /** The Java method for an RPC: {@code CreateContainer} becomes {@code createContainer}. */
    static String methodName(String rpcName, Set<String> reserved) {
        String name = camelCase(rpcName, false);
        return KEYWORDS.contains(name) || reserved.contains(name) ? name + "_" : name;
    }
}
