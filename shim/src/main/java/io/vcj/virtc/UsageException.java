package io.vcj.virtc;

/** The command line is wrong; the message says how. virtc exits with status 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
