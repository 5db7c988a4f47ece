package cn.jiujinbang.matching.identity;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Refuses to start a matching service whose real-name checks would go to the simulated register
 * unless it was asked for by name ({@code gig.identity.verifier=simulated}: dev, tests and
 * {@code make run}). Production brings a real verifier's adapter (an {@code @Alternative}
 * {@link IdentityVerifier}); it never lets anyone "verify" against a rule of thumb.
 */
@ApplicationScoped
public class IdentityVerifierGuard {

    public static final String SIMULATED = "simulated";

    private final IdentityVerifier verifier;
    private final Optional<String> configured;

    public IdentityVerifierGuard(IdentityVerifier verifier, @ConfigProperty(name = "gig.identity.verifier") Optional<String> configured) {
        this.verifier = verifier;
        this.configured = configured;
    }

    void onStart(@Observes StartupEvent event) {
        refusal(ClientProxy.unwrap(verifier) instanceof SimulatedIdentityVerifier, configured).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    static Optional<String> refusal(boolean simulatorInUse, Optional<String> configured) {
        if (simulatorInUse && !configured.map(SIMULATED::equals).orElse(false)) {
            return Optional.of("Refusing to start: real-name verification would go to the SIMULATED register, which "
                    + "checks nobody. Build the service with your identity verifier's adapter (docs/security.md, "
                    + "\"Workers' identity\"); only dev, tests and `make run` set GIG_IDENTITY_VERIFIER=simulated.");
        }
        return Optional.empty();
    }
}
