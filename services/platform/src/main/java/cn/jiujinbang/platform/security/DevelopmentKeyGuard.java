package cn.jiujinbang.platform.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses to start a service that would trust the development key pair (its private half is in the
 * repository, so anyone could mint a finance or admin token) or the development issuer, unless the
 * profile says so: dev, tests and {@code make run}'s "local" profile set
 * {@code gig.security.development-key-trusted}; a production start never does.
 */
@ApplicationScoped
public class DevelopmentKeyGuard {

    /** Where the development public key is on the class path. */
    public static final String DEVELOPMENT_KEY = "dev-jwt/publicKey.pem";
    public static final String DEVELOPMENT_ISSUER = "https://dev.jiujinbang.local";

    private final Optional<String> keyLocation;
    private final Optional<String> inlineKey;
    private final Optional<String> issuer;
    private final boolean trusted;

    public DevelopmentKeyGuard(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
                               @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inlineKey,
                               @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
                               @ConfigProperty(name = "gig.security.development-key-trusted", defaultValue = "false") boolean trusted) {
        this.keyLocation = keyLocation;
        this.inlineKey = inlineKey;
        this.issuer = issuer;
        this.trusted = trusted;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        refusal().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    /** Why this configuration must not serve, if it must not. */
    Optional<String> refusal() {
        if (trusted) {
            return Optional.empty();
        }
        String developmentKey = pem(classpath(DEVELOPMENT_KEY).orElseThrow());
        boolean usesDevelopmentKey = keyLocation.flatMap(DevelopmentKeyGuard::read).map(DevelopmentKeyGuard::pem)
                .filter(developmentKey::equals).isPresent()
                || inlineKey.map(DevelopmentKeyGuard::pem).filter(developmentKey::equals).isPresent();
        if (usesDevelopmentKey) {
            return Optional.of("Refusing to start: tokens would be verified with the DEVELOPMENT key pair, whose private key "
                    + "is in the repository. Set GIG_JWT_PUBLIC_KEY_LOCATION to your issuer's key or JWKS URL "
                    + "(docs/security.md); only dev, tests and `make run` (profile local) may trust the development key.");
        }
        if (issuer.filter(DEVELOPMENT_ISSUER::equals).isPresent()) {
            return Optional.of("Refusing to start: the token issuer is the development issuer " + DEVELOPMENT_ISSUER
                    + ". Set GIG_JWT_ISSUER to your identity provider's issuer (docs/security.md).");
        }
        return Optional.empty();
    }

    /** The key's base64 body without armour or white space, so formatting differences do not hide it. */
    private static String pem(String text) {
        return text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static Optional<String> read(String location) {
        String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return Optional.empty(); // an issuer's JWKS endpoint is never the repository's key
        }
        try {
            if (location.startsWith("file:")) {
                return Optional.of(Files.readString(Path.of(URI.create(location)), StandardCharsets.UTF_8));
            }
            Path file = Path.of(path);
            if (Files.isRegularFile(file)) {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return classpath(path);
    }

    private static Optional<String> classpath(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
