package cn.jiujinbang.platform;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** The time source of every service; tests replace it to move time (offer TTL, auto-confirm, months). */
public class ClockProducer {

    /** Business days and months are those of Asia/Shanghai. */
    public static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    /** The instant a business day begins (midnight in Asia/Shanghai). */
    public static OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(BUSINESS_ZONE).toOffsetDateTime();
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
