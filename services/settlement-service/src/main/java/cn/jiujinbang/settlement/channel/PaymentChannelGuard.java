package cn.jiujinbang.settlement.channel;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Refuses to start a settlement service whose money would go to the simulated channel unless it was
 * asked for by name: dev, tests and {@code make run} (profile local) set
 * {@code gig.channel.provider=simulated}; production must bring a real provider's adapter (an
 * {@code @Alternative} {@link PaymentChannel}) and never silently "pays" workers from a table.
 */
@ApplicationScoped
public class PaymentChannelGuard {

    public static final String SIMULATED = "simulated";

    private final PaymentChannel channel;
    private final Optional<String> provider;

    public PaymentChannelGuard(PaymentChannel channel,
                               @ConfigProperty(name = "gig.channel.provider") Optional<String> provider) {
        this.channel = channel;
        this.provider = provider;
    }

    void onStart(@Observes StartupEvent event) {
        refusal(ClientProxy.unwrap(channel) instanceof SimulatedPaymentChannel, provider).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    static Optional<String> refusal(boolean simulatorInUse, Optional<String> provider) {
        if (simulatorInUse && !provider.map(SIMULATED::equals).orElse(false)) {
            return Optional.of("Refusing to start: payments would go to the SIMULATED channel, which moves no money. "
                    + "Build the service with your payment provider's adapter (docs/settlement.md, \"Payment channel\"); "
                    + "only dev, tests and `make run` set GIG_CHANNEL_PROVIDER=simulated.");
        }
        return Optional.empty();
    }
}
