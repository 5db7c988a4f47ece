package cn.jiujinbang.matching.identity;

import cn.jiujinbang.matching.domain.IdentityNumber;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The verifier outside production: a register in which every well-formed number belongs to
 * someone, except sequence 000 (never issued), and a name matches when it is two to twenty
 * characters of Chinese script (with the middle dot of transliterated names). So a test or a demo
 * can be refused on purpose with a number whose digits 15 to 17 are 000.
 */
@ApplicationScoped
@DefaultBean
public class SimulatedIdentityVerifier implements IdentityVerifier {

    @Override
    public Verdict verify(String name, IdentityNumber number) {
        if ("000".equals(number.sequence())) {
            return Verdict.noMatch("no person with this ID number in the register");
        }
        if (!name.strip().matches("[\\p{IsHan}·]{2,20}")) {
            return Verdict.noMatch("the name does not match the ID number's holder");
        }
        return Verdict.match();
    }
}
