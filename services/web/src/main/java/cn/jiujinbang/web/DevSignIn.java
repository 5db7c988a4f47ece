package cn.jiujinbang.web;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Local sign-in: development tokens for a chosen role and id, signed with the development key the
 * environment names (make run names the repository's). Checked at start: a production start that
 * names a key refuses to start, so the page that mints tokens can never be served there.
 */
@Singleton
@Startup
public class DevSignIn {

    private final PrivateKey key;

    public DevSignIn(@ConfigProperty(name = "gig.web.dev-signing-key") Optional<String> keyFile,
                     @ConfigProperty(name = "gig.web.dev-sign-in-allowed") boolean allowed) {
        Optional<String> file = keyFile.filter(f -> !f.isBlank());
        if (file.isPresent() && !allowed) {
            throw new IllegalStateException("Refusing to start: GIG_WEB_DEV_SIGNING_KEY names a development signing key, "
                    + "which only the dev, test and local profiles may use (production signs in through OIDC, docs/web.md)");
        }
        this.key = file.map(f -> {
            try {
                return KeyUtils.decodePrivateKey(Files.readString(Path.of(f)));
            } catch (Exception e) {
                throw new IllegalStateException("the development signing key " + f + " cannot be read", e);
            }
        }).orElse(null);
    }

    public boolean offered() {
        return key != null;
    }

    /** A development token as DevTokens signs them (issuer, audience, subject, one role, 12 h). */
    public String token(String role, String subject) {
        return Jwt.issuer("https://dev.jiujinbang.local").audience("jiujinbang").subject(subject).groups(role)
                .issuedAt(Instant.now()).expiresIn(Duration.ofHours(12)).sign(key);
    }
}
