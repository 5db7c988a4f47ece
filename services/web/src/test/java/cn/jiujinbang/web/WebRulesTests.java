package cn.jiujinbang.web;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The app's own small rules: amounts and times as people read them, and who may mint tokens. */
class WebRulesTests {

    @Test
    void fenReadAsYuanToTheFen() {
        assertEquals("¥68.00", Formats.yuan(6800));
        assertEquals("¥0.05", Formats.yuan(5L));
        assertEquals("-¥1.50", Formats.yuan(-150));
        assertEquals("¥0.00", Formats.yuan(null));
        assertEquals("¥92233720368547758.07", Formats.yuan(Long.MAX_VALUE));
    }

    @Test
    void timesReadInShanghai() {
        assertEquals("11-30 18:05", Formats.local("2026-11-30T10:05:00Z"));
        assertEquals("not a time", Formats.local("not a time"));
        assertEquals("", Formats.local(null));
        assertEquals(50, Formats.percentOf(50, 100));
        assertEquals(0, Formats.percentOf(5, 0));
    }

    @Test
    void aProductionStartThatNamesADevelopmentKeyRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new DevSignIn(Optional.of("/any/privateKey.pem"), false));
        assertTrue(refused.getMessage().startsWith("Refusing to start"), refused.getMessage());
        assertFalse(new DevSignIn(Optional.empty(), false).offered(), "production without a key: no local sign-in");
        assertFalse(new DevSignIn(Optional.of(" "), true).offered());
    }
}
