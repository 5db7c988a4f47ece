package cn.jiujinbang.platform.messaging;

/**
 * An event that can never be processed, however often it is retried: unparsable JSON, missing
 * CloudEvents headers, an unknown type or version. It goes to the service's dead-letter topic with
 * this message as the reason; every other failure is retried.
 */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String reason) {
        super(reason);
    }

    public PoisonEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
