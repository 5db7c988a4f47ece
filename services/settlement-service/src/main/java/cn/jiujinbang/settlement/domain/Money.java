package cn.jiujinbang.settlement.domain;

/** An amount of renminbi in fen (1 yuan = 100 fen). Integer arithmetic only; overflow throws. */
public record Money(long fen) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);

    public static Money fen(long fen) {
        return new Money(fen);
    }

    public static Money yuan(long yuan) {
        return new Money(Math.multiplyExact(yuan, 100));
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(fen, other.fen));
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(fen, other.fen));
    }

    public Money negate() {
        return new Money(Math.negateExact(fen));
    }

    public boolean isNegative() {
        return fen < 0;
    }

    public Money max(Money other) {
        return fen >= other.fen ? this : other;
    }

    /** This amount times {@code basisPoints}/10000, rounded half up to the fen (amounts >= 0). */
    public Money share(int basisPoints) {
        if (fen < 0 || basisPoints < 0) {
            throw new IllegalArgumentException("share of " + fen + " fen at " + basisPoints + " bp");
        }
        return new Money(Math.addExact(Math.multiplyExact(fen, basisPoints), 5_000) / 10_000);
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(fen, other.fen);
    }

    @Override
    public String toString() {
        return String.format("%s%d.%02d yuan", fen < 0 ? "-" : "", Math.abs(fen) / 100, Math.abs(fen) % 100);
    }
}
