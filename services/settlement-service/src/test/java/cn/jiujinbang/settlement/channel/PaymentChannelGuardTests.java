package cn.jiujinbang.settlement.channel;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaymentChannelGuardTests {

    @Test
    void theSimulatorServesOnlyWhenAskedForByName() {
        assertTrue(PaymentChannelGuard.refusal(true, Optional.empty()).orElseThrow().contains("SIMULATED channel"));
        assertTrue(PaymentChannelGuard.refusal(true, Optional.of("alipay")).isPresent());
        assertEquals(Optional.empty(), PaymentChannelGuard.refusal(true, Optional.of("simulated")));
    }

    @Test
    void aRealAdapterNeedsNoPermission() {
        assertEquals(Optional.empty(), PaymentChannelGuard.refusal(false, Optional.empty()));
        assertEquals(Optional.empty(), PaymentChannelGuard.refusal(false, Optional.of("alipay")));
    }
}
