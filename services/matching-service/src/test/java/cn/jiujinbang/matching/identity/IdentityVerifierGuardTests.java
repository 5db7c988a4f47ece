package cn.jiujinbang.matching.identity;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class IdentityVerifierGuardTests {

    @Test
    void theSimulatedRegisterServesOnlyWhereNamed() {
        assertTrue(IdentityVerifierGuard.refusal(true, Optional.empty()).orElseThrow().contains("SIMULATED register"));
        assertTrue(IdentityVerifierGuard.refusal(true, Optional.of("other")).isPresent());
        assertTrue(IdentityVerifierGuard.refusal(true, Optional.of("simulated")).isEmpty());
        assertTrue(IdentityVerifierGuard.refusal(false, Optional.empty()).isEmpty(), "a real adapter needs no name");
    }
}
