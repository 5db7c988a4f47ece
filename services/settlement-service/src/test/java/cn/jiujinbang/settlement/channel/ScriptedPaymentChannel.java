package cn.jiujinbang.settlement.channel;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The payment provider as tests need it: the simulated channel (whose book is the statement),
 * with faults a real provider has, scripted per test. A fault hits the n-th send of a kind
 * counted from when it is scripted:
 * <ul>
 *   <li>{@link Fault#UNREACHABLE}: the call fails before the provider sees it (nothing done);</li>
 *   <li>{@link Fault#ANSWER_LOST}: the provider does it, then the answer is lost (a timeout).</li>
 * </ul>
 * Every send the provider received is recorded, so a test can count calls per reference.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ScriptedPaymentChannel implements PaymentChannel {

    public enum Fault { UNREACHABLE, ANSWER_LOST }

    private record Script(Kind kind, int nth, Fault fault) {
    }

    private final SimulatedPaymentChannel provider;
    private final List<Script> scripts = new CopyOnWriteArrayList<>();
    private final Map<Kind, AtomicInteger> sends = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    public ScriptedPaymentChannel(SimulatedPaymentChannel provider) {
        this.provider = provider;
    }

    /** The {@code nth} send of {@code kind} from now on meets {@code fault}. */
    public void fail(Kind kind, int nth, Fault fault) {
        scripts.add(new Script(kind, sends.computeIfAbsent(kind, k -> new AtomicInteger()).get() + nth, fault));
    }

    /** How many sends of this reference reached the provider. */
    public int sendsReceived(String reference) {
        AtomicInteger n = received.get(reference);
        return n == null ? 0 : n.get();
    }

    @Override
    public Uni<Answer> send(Instruction instruction) {
        int n = sends.computeIfAbsent(instruction.kind(), k -> new AtomicInteger()).incrementAndGet();
        Fault fault = scripts.stream().filter(s -> s.kind() == instruction.kind() && s.nth() == n)
                .map(Script::fault).findFirst().orElse(null);
        if (fault == Fault.UNREACHABLE) {
            return Uni.createFrom().failure(new java.net.ConnectException("scripted: the provider cannot be reached"));
        }
        received.computeIfAbsent(instruction.reference(), r -> new AtomicInteger()).incrementAndGet();
        Uni<Answer> done = provider.send(instruction);
        return fault == Fault.ANSWER_LOST
                ? done.chain(ignored -> Uni.createFrom().failure(new TimeoutException("scripted: the answer was lost")))
                : done;
    }

    @Override
    public Uni<Answer> status(Kind kind, String reference) {
        return provider.status(kind, reference);
    }
}
