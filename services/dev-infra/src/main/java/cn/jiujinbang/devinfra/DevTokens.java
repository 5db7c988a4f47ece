package cn.jiujinbang.devinfra;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Signs bearer tokens with the DEVELOPMENT-ONLY key pair kept in the repository
 * (dev-jwt/privateKey.pem here, dev-jwt/publicKey.pem in the platform module). Production verifies
 * tokens of a real issuer instead; docs/architecture.md says how to plug one in.
 * {@code make token ROLE=<role> SUB=<id>} runs {@link #main}.
 */
public final class DevTokens {

    public static final String ISSUER = "https://dev.jiujinbang.local";
    /** The audience every service checks (mp.jwt.verify.audiences; GIG_JWT_AUDIENCE in production). */
    public static final String AUDIENCE = "jiujinbang";
    private static final Set<String> ROLES = Set.of("resident", "worker", "finance", "admin");

    private static PrivateKey key;

    private DevTokens() {
    }

    public static String mint(String role, String subject) {
        return mint(role, subject, Duration.ofHours(12));
    }

    public static String mint(String role, String subject, Duration lifetime) {
        return sign(claims(role, subject).expiresIn(lifetime));
    }

    /** A development token's claims (issuer, audience, subject, role, issued now), for a test to alter before signing. */
    public static JwtClaimsBuilder claims(String role, String subject) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES + ", not " + role);
        }
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .groups(role)
                .issuedAt(Instant.now())
                .expiresIn(Duration.ofHours(12));
    }

    /** Signs with the development key. */
    public static String sign(JwtClaimsBuilder claims) {
        return claims.sign(privateKey());
    }

    private static synchronized PrivateKey privateKey() {
        if (key == null) {
            try {
                key = KeyUtils.readPrivateKey("dev-jwt/privateKey.pem");
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the development signing key", e);
            }
        }
        return key;
    }

    public static void main(String[] args) {
        if (args.length != 2 || args[0].isBlank() || args[1].isBlank()) {
            System.err.println("usage: make token ROLE=<resident|worker|finance|admin> SUB=<id>");
            System.exit(2);
        }
        try {
            System.out.println(mint(args[0], args[1]));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
