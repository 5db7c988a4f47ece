package cn.jiujinbang.matching.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A mainland resident identity card number (GB 11643-1999): six digits of the place of
 * registration, the birth date (yyyyMMdd), a three-digit sequence and a check character (0-9 or X,
 * ISO 7064 MOD 11-2 over the first seventeen). What the platform keeps in the clear is only the
 * masked form.
 */
public record IdentityNumber(String value) {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    /** Working age in China: a worker must be at least 16. */
    public static final int MINIMUM_AGE = 16;

    /**
     * Parses {@code text} (a lower-case x is read as X); empty with the reason when it is not an
     * 18-character number with a real birth date no later than {@code today} and the right check character.
     */
    public static Result parse(String text, LocalDate today) {
        if (text == null || text.isBlank()) {
            return Result.refused("is required");
        }
        String s = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (!s.matches("[0-9]{17}[0-9X]")) {
            return Result.refused("must be 18 characters: 17 digits and a digit or X");
        }
        LocalDate born;
        try {
            born = LocalDate.of(Integer.parseInt(s.substring(6, 10)), Integer.parseInt(s.substring(10, 12)),
                    Integer.parseInt(s.substring(12, 14)));
        } catch (DateTimeException e) {
            return Result.refused("has no valid birth date in digits 7 to 14");
        }
        if (born.isAfter(today) || born.getYear() < 1900) {
            return Result.refused("has no valid birth date in digits 7 to 14");
        }
        if (s.charAt(17) != checkCharacter(s)) {
            return Result.refused("check character does not match (mistyped?)");
        }
        if (born.plusYears(MINIMUM_AGE).isAfter(today)) {
            return Result.refused("the holder must be at least " + MINIMUM_AGE + " years old to work");
        }
        return new Result(Optional.of(new IdentityNumber(s)), null);
    }

    /** The check character of the first seventeen digits. */
    public static char checkCharacter(String number) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (number.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** The three-digit sequence (digits 15 to 17); its last digit is odd for men, even for women. */
    public String sequence() {
        return value.substring(14, 17);
    }

    /** What may be shown and kept in the clear: the first three and the last four characters. */
    public String masked() {
        return value.substring(0, 3) + "*".repeat(11) + value.substring(14);
    }

    @Override
    public String toString() {
        return masked(); // never the number itself in a log line
    }

    /** A parsed number, or why the text is not one. */
    public record Result(Optional<IdentityNumber> number, String refusal) {
        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }
    }

    /** A person's name as kept in the clear: its first character, the rest as asterisks. */
    public static String maskName(String name) {
        String s = name.strip();
        int first = s.offsetByCodePoints(0, 1);
        return s.substring(0, first) + "*".repeat(Math.max(1, s.codePointCount(first, s.length())));
    }
}
