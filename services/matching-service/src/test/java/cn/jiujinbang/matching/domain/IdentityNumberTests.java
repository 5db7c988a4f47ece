package cn.jiujinbang.matching.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.*;

class IdentityNumberTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    @Test
    void acceptsPublishedSampleNumbersAndReadsXAsTheCheckCharacter() {
        // the standard's worked example and a number whose check character is X
        assertTrue(IdentityNumber.parse("11010519491231002X", TODAY).number().isPresent());
        assertTrue(IdentityNumber.parse("11010519491231002x", TODAY).number().isPresent(), "lower-case x is read as X");
        assertEquals('X', IdentityNumber.checkCharacter("11010519491231002"));
        assertTrue(IdentityNumber.parse("440524198001010014", TODAY).refusal().contains("check character"));
        assertTrue(IdentityNumber.parse("440524198001010013", TODAY).number().isPresent());
        assertTrue(IdentityNumber.parse("440524188001010014", TODAY).refusal().contains("birth date"), "born before 1900");
        assertEquals("11010519491231002X", IdentityNumber.parse(" 11010519491231002x ", TODAY).number().get().value());
    }

    @Test
    void refusesEachWayANumberCanBeWrongWithAReason() {
        assertEquals("is required", IdentityNumber.parse(" ", TODAY).refusal());
        assertTrue(IdentityNumber.parse("1101051949123100", TODAY).refusal().contains("18 characters"));
        assertTrue(IdentityNumber.parse("1101051949123100XX", TODAY).refusal().contains("18 characters"));
        assertTrue(IdentityNumber.parse("110105194913310029", TODAY).refusal().contains("birth date"), "month 13");
        assertTrue(IdentityNumber.parse("110105194902300021", TODAY).refusal().contains("birth date"), "30 February");
        assertTrue(IdentityNumber.parse("110105194912310021", TODAY).refusal().contains("check character"));
        String future = "11010520271231002";
        assertTrue(IdentityNumber.parse(future + IdentityNumber.checkCharacter(future), TODAY).refusal().contains("birth date"));
    }

    @Test
    void theHolderMustBeSixteenOnTheDay() {
        String sixteenToday = "11010520101201002";
        String sixteenTomorrow = "11010520101202002";
        assertTrue(IdentityNumber.parse(sixteenToday + IdentityNumber.checkCharacter(sixteenToday), TODAY).number().isPresent());
        assertTrue(IdentityNumber.parse(sixteenTomorrow + IdentityNumber.checkCharacter(sixteenTomorrow), TODAY)
                .refusal().contains("at least 16"));
    }

    @Test
    void onlyMaskedFormsLeaveTheRecord() {
        IdentityNumber n = IdentityNumber.parse("11010519491231002X", TODAY).number().orElseThrow();
        assertEquals("110***********002X", n.masked());
        assertEquals(n.masked(), n.toString(), "a log line never shows the number");
        assertEquals("张*", IdentityNumber.maskName("张三"));
        assertEquals("欧***", IdentityNumber.maskName(" 欧阳娜娜 "));
        assertEquals("阿***", IdentityNumber.maskName("阿·买买"));
        assertEquals("𠀀*", IdentityNumber.maskName("𠀀三"), "a character outside the BMP is one character");
    }
}
