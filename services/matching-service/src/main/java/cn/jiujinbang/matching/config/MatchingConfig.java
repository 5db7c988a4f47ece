package cn.jiujinbang.matching.config;

import cn.jiujinbang.matching.domain.MatchingPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Matching settings (docs/matching.md lists them with their defaults). */
@ConfigMapping(prefix = "gig.matching")
public interface MatchingConfig {

    /** K: how many workers get the offer at once in each round. */
    @WithDefault("5")
    int fanout();

    /** How long an offer stays open before the round moves on. */
    @WithDefault("2M")
    Duration offerTtl();

    /** The search radius of each round, in km; one entry per round, each wider than the last. */
    @WithDefault("3,6,10")
    List<Double> roundRadiiKm();

    /** How often open rounds are checked for expiry (read by RoundExpiryJob's schedule). */
    @WithDefault("2s")
    String expiryCheck();

    default MatchingPolicy policy() {
        return new MatchingPolicy(fanout(), offerTtl(),
                roundRadiiKm().stream().map(km -> (int) Math.round(km * 1000)).toList());
    }
}
