package cn.jiujinbang.platform.booking;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** The booking policy of every service, from {@code gig.booking.offer-lead} (default 4 h). */
@ApplicationScoped
public class BookingPolicyProducer {

    @Produces
    @Singleton // a record cannot be proxied
    BookingPolicy bookingPolicy(@ConfigProperty(name = "gig.booking.offer-lead", defaultValue = "4h") Duration offerLead) {
        return new BookingPolicy(offerLead);
    }
}
