package cn.jiujinbang.matching.identity;

import cn.jiujinbang.matching.domain.IdentityNumber;

/**
 * The port to a real-name verification service (in production the settlement provider's or a
 * licensed identity check: name and ID number against the national register). It is outside the
 * system: called before any transaction, never inside one.
 */
public interface IdentityVerifier {

    /** The register's answer: the name matches the number, or why not. */
    record Verdict(boolean matched, String reason) {
        public static Verdict match() {
            return new Verdict(true, null);
        }

        public static Verdict noMatch(String reason) {
            return new Verdict(false, reason);
        }
    }

    /** Asks the register; throws {@link VerifierUnavailable} when it cannot answer now. */
    Verdict verify(String name, IdentityNumber number);

    class VerifierUnavailable extends RuntimeException {
        public VerifierUnavailable(String message) {
            super(message);
        }
    }
}
