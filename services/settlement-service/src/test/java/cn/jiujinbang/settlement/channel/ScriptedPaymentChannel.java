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
 * with faults a real provider has, scripted per test. A fault hits the n-th send of a kind to
 * the parties a test names, counted from when it is scripted:
 * <ul>
 *   <li>{@link Fault#UNREACHABLE}: the call fails before the provider sees it (nothing done);</li>
 *   <li>{@link Fault#ANSWER_LOST}: the provider does it, then the answer is lost (a timeout);</li>
 *   <li>{@link Fault#REFUSED}: the provider refuses it (answers FAILED, books nothing).</li>
 * </ul>
 * Every send the provider received is recorded, so a test can count calls per reference.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ScriptedPaymentChannel implements PaymentChannel {

    public enum Fault { UNREACHABLE, ANSWER_LOST, REFUSED }

    /** A fault for the {@code nth} send of {@code kind} to a party whose id starts with {@code partyPrefix}. */
    private record Script(Kind kind, String partyPrefix, int nth, Fault fault, AtomicInteger seen) {
    }

    private final SimulatedPaymentChannel provider;
    private final List<Script> scripts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<String, Answer> refused = new ConcurrentHashMap<>();

    public ScriptedPaymentChannel(SimulatedPaymentChannel provider) {
        this.provider = provider;
    }

    /** The {@code nth} send of {@code kind} to a party whose id starts with {@code partyPrefix}, from now on, meets {@code fault}. */
    public void fail(Kind kind, String partyPrefix, int nth, Fault fault) {
        scripts.add(new Script(kind, partyPrefix, nth, fault, new AtomicInteger()));
    }

    /** How many sends of this reference reached the provider. */
    public int sendsReceived(String reference) {
        AtomicInteger n = received.get(reference);
        return n == null ? 0 : n.get();
    }

    @Override
    public Uni<Answer> send(Instruction instruction) {
        Fault fault = null;
        for (Script script : scripts) {
            if (script.kind() == instruction.kind() && instruction.partyId().startsWith(script.partyPrefix())
                    && script.seen().incrementAndGet() == script.nth()) {
                fault = script.fault();
            }
        }
        if (fault == Fault.UNREACHABLE) {
            return Uni.createFrom().failure(new java.net.ConnectException("scripted: the provider cannot be reached"));
        }
        received.computeIfAbsent(instruction.reference(), r -> new AtomicInteger()).incrementAndGet();
        if (fault == Fault.REFUSED) {
            refused.put(instruction.reference(), new Answer(Outcome.FAILED, "SCRIPTED-REFUSAL", "scripted: the provider refuses it"));
            return Uni.createFrom().item(refused.get(instruction.reference()));
        }
        Uni<Answer> done = provider.send(instruction);
        return fault == Fault.ANSWER_LOST
                ? done.chain(ignored -> Uni.createFrom().failure(new TimeoutException("scripted: the answer was lost")))
                : done;
    }

    @Override
    public Uni<Answer> status(Kind kind, String reference) {
        Answer refusal = refused.get(reference);
        return refusal != null ? Uni.createFrom().item(refusal) : provider.status(kind, reference);
    }
}
