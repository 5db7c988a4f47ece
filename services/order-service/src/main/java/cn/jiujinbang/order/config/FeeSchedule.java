package cn.jiujinbang.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/** The platform's service fee rates, in basis points of the price, per category. */
@ConfigMapping(prefix = "gig.fees")
public interface FeeSchedule {

    @WithDefault("800")
    int defaultRateBp();

    /** Per category code; a category not named here pays the default rate. */
    Map<String, Integer> rateBp();

    default int rateFor(String categoryCode) {
        return rateBp().getOrDefault(categoryCode, defaultRateBp());
    }
}
