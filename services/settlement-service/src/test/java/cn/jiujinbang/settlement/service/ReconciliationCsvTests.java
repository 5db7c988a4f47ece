package cn.jiujinbang.settlement.service;

import cn.jiujinbang.settlement.domain.ChannelStatement;
import cn.jiujinbang.settlement.domain.Reconciliation;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReconciliationCsvTests {

    @Test
    void referencesFromTheChannelsFileAreNeverExportedAsFormulas() {
        Reconciliation.Finding unknown = new Reconciliation.Finding("=cmd|' /C calc'!A0", ChannelStatement.Type.PAYOUT, null,
                4200L, null, "SUCCESS", "+SIM-1");
        ReconciliationService.Report report = new ReconciliationService.Report(UUID.randomUUID(), OffsetDateTime.now(),
                LocalDate.now(), LocalDate.now(), List.of(), List.of(), List.of(unknown), List.of(), List.of(), List.of(),
                new ReconciliationService.Totals(1, 0, 0, 1));
        String csv = ReconciliationService.csv(report);
        assertEquals("UNKNOWN_IN_LEDGER,'=cmd|' /C calc'!A0,PAYOUT,,4200,,SUCCESS,'+SIM-1", csv.lines().toList().get(1));
    }
}
