package io.vcj.qemu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * QEMU ids for a sandbox's device ids. QEMU wants a leading letter and only {@code [A-Za-z0-9._-]},
 * and block node names stop at 31 characters, while container ids are 64 hex digits; long ids keep
 * a readable head and a hash of the whole so distinct ids stay distinct.
 */
final class QemuIds {

    private static final int MAX_LENGTH = 31;

    private QemuIds() {
    }

    /** E.g. {@code of("blk", "rootfs")} is {@code blk-rootfs}. */
    static String of(String kind, String deviceId) {
        String clean = deviceId.replaceAll("[^A-Za-z0-9._-]", "_");
        String id = kind + "-" + clean;
        if (id.length() <= MAX_LENGTH && clean.equals(deviceId)) {
            return id;
        }
        String hash = sha256(deviceId).substring(0, 8);
        int head = Math.min(clean.length(), MAX_LENGTH - kind.length() - hash.length() - 2);
        return kind + "-" + clean.substring(0, head) + "-" + hash;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
