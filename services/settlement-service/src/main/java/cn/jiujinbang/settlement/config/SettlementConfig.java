package cn.jiujinbang.settlement.config;

import cn.jiujinbang.settlement.domain.CumulativeWithholding;
import cn.jiujinbang.settlement.domain.PerPaymentWithholding;
import cn.jiujinbang.settlement.domain.TaxRegime;
import cn.jiujinbang.settlement.domain.TaxRule;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** Settlement settings (docs/settlement.md). */
@ConfigMapping(prefix = "gig.settlement")
public interface SettlementConfig {

    /** The withholding rule in force: {@code cumulative-2025-16} or {@code per-payment-2018-61}. */
    @WithDefault(CumulativeWithholding.NAME)
    String taxRule();

    /** The compensation of a cancellation after assignment, in basis points of the price; 0 for none. */
    @WithDefault("2000")
    int compensationShareBp();

    /** Makes the configured rule the one settlements use from its month in force; an unknown name stops the start. */
    class Rules {
        private static final List<TaxRule> KNOWN = List.of(new CumulativeWithholding(), new PerPaymentWithholding());

        @Produces
        @Singleton
        TaxRegime regime(SettlementConfig config) {
            return TaxRegime.of(configured(config));
        }

        private static TaxRule configured(SettlementConfig config) {
            return KNOWN.stream().filter(r -> r.name().equals(config.taxRule())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("gig.settlement.tax-rule must be one of "
                            + KNOWN.stream().map(TaxRule::name).toList() + ", not " + config.taxRule()));
        }
    }
}
