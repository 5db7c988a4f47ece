package cn.jiujinbang.matching.identity;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class IdentitySealTests {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void opensWhatItSealedAndNeverKeepsTheTextInTheClear() throws Exception {
        IdentitySeal seal = new IdentitySeal(KEY);
        byte[] sealed = seal.seal("w-1", "张三\n11010519491231002X");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("11010519491231002X"));
        assertEquals("张三\n11010519491231002X", seal.open("w-1", sealed));
        assertFalse(java.util.Arrays.equals(sealed, seal.seal("w-1", "张三\n11010519491231002X")), "a fresh nonce each time");
    }

    @Test
    void doesNotOpenForAnotherWorkerAnotherKeyOrAChangedByte() {
        IdentitySeal seal = new IdentitySeal(KEY);
        byte[] sealed = seal.seal("w-1", "张三\n11010519491231002X");
        assertThrows(GeneralSecurityException.class, () -> seal.open("w-2", sealed));
        assertThrows(GeneralSecurityException.class, () -> new IdentitySeal(OTHER_KEY).open("w-1", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> seal.open("w-1", sealed));
        assertNotEquals(seal.keyId(), new IdentitySeal(OTHER_KEY).keyId());
    }

    @Test
    void refusesAKeyThatIsNotThirtyTwoBytes() {
        assertThrows(IllegalArgumentException.class, () -> new IdentitySeal(Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> new IdentitySeal("not base64!"));
    }
}
