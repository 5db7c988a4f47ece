package cn.jiujinbang.platform.problem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one home of "text a person can have typed" and of page bounds, as every service uses them. */
class InputBoundsTests {

    @Test
    void aBodyTextMayHoldTabsAndLineBreaksButAPathMayNot() {
        String note = "请在门口等\r\n\t谢谢";
        assertFalse(PlainText.hasControlCharacter(note));
        assertTrue(PlainText.hasControlCharacter(note, false));
        assertTrue(UnreadableRequests.hasControl("/workers/\n"));
        assertFalse(UnreadableRequests.hasControl("/workers/w-1"));
        assertFalse(PlainText.hasControlCharacter(null, false));
    }

    @Test
    void nulAndDeleteAreRefusedEverywhere() {
        for (String text : new String[] {"a\u0000b", "a\u007fb", "\u001b[31m"}) {
            assertTrue(PlainText.hasControlCharacter(text), text);
            assertTrue(PlainText.hasControlCharacter(text, false), text);
        }
    }

    @Test
    void pagesAreBoundedTheSameWhetherReadAsNumbersOrText() {
        assertEquals(new Paging.Page(3, 50), Paging.check("3", " 50 ", 100));
        assertEquals(new Paging.Page(Paging.MAX_PAGE, 1), Paging.check(Paging.MAX_PAGE, 1, 100));
        ApiProblem overflow = assertThrows(ApiProblem.class, () -> Paging.check("2147483647", "10", 100));
        assertTrue(overflow.getMessage().startsWith("page: "), overflow.getMessage());
        assertThrows(ApiProblem.class, () -> Paging.check("ten", "10", 100));
        assertThrows(ApiProblem.class, () -> Paging.check("0", "101", 100));
        assertThrows(ApiProblem.class, () -> Paging.check(-1, 10, 100));
        assertThrows(ApiProblem.class, () -> Paging.check("99999999999", "10", 100));
    }
}
