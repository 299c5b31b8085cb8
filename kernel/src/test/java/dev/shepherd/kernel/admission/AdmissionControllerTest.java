package dev.shepherd.kernel.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.manifest.AdmissionSection.PriorityClass;
import dev.shepherd.kernel.state.LocalStateStore;
import dev.shepherd.spi.GatewayException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

class AdmissionControllerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private XnioWorker worker;
    private XnioIoThread io;

    @BeforeEach
    void start() throws Exception {
        worker = Xnio.getInstance().createWorker(OptionMap.EMPTY);
        io = worker.getIoThread();
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        worker.shutdownNow();
    }

    /** Records the single outcome of one admission. */
    private static final class Recorder implements AdmissionController.Outcome {
        final CompletableFuture<AdmissionTicket> ticket = new CompletableFuture<>();
        final CompletableFuture<GatewayException> error = new CompletableFuture<>();

        @Override
        public void admitted(AdmissionTicket t) {
            ticket.complete(t);
        }

        @Override
        public void rejected(GatewayException e) {
            error.complete(e);
        }

        AdmissionTicket awaitAdmitted() {
            await().atMost(Duration.ofSeconds(5)).until(ticket::isDone);
            return ticket.join();
        }

        GatewayException awaitRejected() {
            await().atMost(Duration.ofSeconds(5)).until(error::isDone);
            return error.join();
        }
    }

    private AdmissionController controller(Integer max, Integer queue, Integer timeoutSecs, Double rate,
                                           Map<String, AdmissionSection.TenantLimits> tenants, boolean priority) {
        AdmissionSection config = new AdmissionSection(max, queue, timeoutSecs, rate, null, true, null, tenants,
                new AdmissionSection.PriorityScheduler(priority, null, null, null));
        return new AdmissionController(config, scheduler, System::nanoTime);
    }

    private Recorder admit(AdmissionController c, String tenant, PriorityClass priorityClass) {
        Recorder r = new Recorder();
        c.admit(tenant, priorityClass, io, r);
        return r;
    }

    @Test
    void withoutLimitsEveryRequestIsAdmitted() {
        AdmissionController c = controller(null, null, null, null, null, false);

        assertThat(c.unlimited()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted()).isNotNull();
        }
    }

    @Test
    void queuesBeyondTheLimitAndRejectsBeyondTheQueue() {
        AdmissionController c = controller(1, 1, 60, null, null, false);

        AdmissionTicket first = admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted();
        Recorder second = admit(c, "t", PriorityClass.DEFAULT);
        GatewayException third = admit(c, "t", PriorityClass.DEFAULT).awaitRejected();

        assertThat(third.status()).isEqualTo(503);
        assertThat(third.code()).isEqualTo("overloaded");
        assertThat(third.retryAfter()).isPresent();
        assertThat(second.ticket).isNotDone();
        first.release();
        assertThat(second.awaitAdmitted()).isNotNull();
        assertThat(c.stats().rejectedQueueFull()).isEqualTo(1);
    }

    @Test
    void withoutThePrioritySchedulerTheWholeLimitIsUsable() {
        AdmissionController c = controller(2, 5, 60, null, null, false);

        admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted();
        assertThat(admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted()).isNotNull();
    }

    @Test
    void aQueuedRequestTimesOutWith503() {
        AdmissionController c = controller(1, 5, 1, null, null, false);
        admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted();

        GatewayException error = admit(c, "t", PriorityClass.DEFAULT).awaitRejected();

        assertThat(error.status()).isEqualTo(503);
        assertThat(error.getMessage()).contains("queue");
    }

    @Test
    void theRateLimitAnswers429WithRetryAfter() {
        AdmissionController c = controller(null, null, null, 1.0, null, false);

        admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted();
        GatewayException error = admit(c, "t", PriorityClass.DEFAULT).awaitRejected();

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.code()).isEqualTo("rate_limit_exceeded");
        assertThat(error.retryAfter()).get().matches(d -> !d.isNegative() && !d.isZero());
    }

    @Test
    void tenantLimitsApplyPerTenant() {
        AdmissionController c = controller(null, null, null, null,
                Map.of("small", new AdmissionSection.TenantLimits(null, null, 1)), false);

        AdmissionTicket held = admit(c, "small", PriorityClass.DEFAULT).awaitAdmitted();
        assertThat(admit(c, "small", PriorityClass.DEFAULT).awaitRejected().status()).isEqualTo(429);
        assertThat(admit(c, "other", PriorityClass.DEFAULT).awaitAdmitted()).isNotNull();
        held.release();
        assertThat(admit(c, "small", PriorityClass.DEFAULT).awaitAdmitted()).isNotNull();
    }

    @Test
    void aClusterTenantLimitAnswers429ForThatTenantOnly() {
        AdmissionSection config = new AdmissionSection(null, null, null, null, null, true, null, null, null);
        // A frozen clock: every request falls in one window, whatever the machine's speed.
        AdmissionController c = new AdmissionController(config, scheduler, System::nanoTime, null,
                new ClusterTenantRateLimits(new LocalStateStore(), "a", 2, () -> 10_500));

        assertThat(c.unlimited()).isFalse();
        admit(c, "acme", PriorityClass.DEFAULT).awaitAdmitted();
        admit(c, "acme", PriorityClass.DEFAULT).awaitAdmitted();
        GatewayException error = admit(c, "acme", PriorityClass.DEFAULT).awaitRejected();
        assertThat(error.status()).isEqualTo(429);
        assertThat(error.code()).isEqualTo("rate_limit_exceeded");
        assertThat(error.getMessage()).contains("acme");
        assertThat(error.retryAfter()).contains(Duration.ofMillis(500));
        admit(c, "globex", PriorityClass.DEFAULT).awaitAdmitted();
    }

    @Test
    void reservedCapacityKeepsSlotsForHigherClasses() {
        AdmissionController c = controller(10, 10, 60, null, null, true);

        for (int i = 0; i < 7; i++) {
            admit(c, "t", PriorityClass.DEFAULT).awaitAdmitted();
        }
        Recorder eighthDefault = admit(c, "t", PriorityClass.DEFAULT);
        assertThat(admit(c, "t", PriorityClass.SYSTEM).awaitAdmitted()).isNotNull();
        assertThat(eighthDefault.ticket).isNotDone();
    }

    @Test
    void aHigherClassPreemptsALowerOneThatHasNotStarted() {
        AdmissionController c = controller(1, 5, 60, null, null, true);
        AdmissionTicket bulk = admit(c, "t", PriorityClass.BULK).awaitAdmitted();
        AtomicBoolean preempted = new AtomicBoolean();
        bulk.onPreempt(() -> {
            preempted.set(true);
            bulk.release();
        });

        Recorder system = admit(c, "t", PriorityClass.SYSTEM);

        await().atMost(Duration.ofSeconds(5)).untilTrue(preempted);
        assertThat(system.awaitAdmitted().priorityClass()).isEqualTo(PriorityClass.SYSTEM);
        assertThat(c.stats().preempted()).isEqualTo(1);
    }

    @Test
    void aStartedRequestIsNotPreempted() {
        AdmissionController c = controller(1, 5, 60, null, null, true);
        AdmissionTicket bulk = admit(c, "t", PriorityClass.BULK).awaitAdmitted();
        bulk.markStarted();
        AtomicBoolean preempted = new AtomicBoolean();
        bulk.onPreempt(() -> preempted.set(true));

        Recorder system = admit(c, "t", PriorityClass.SYSTEM);

        assertThat(system.ticket).isNotDone();
        bulk.release();
        assertThat(system.awaitAdmitted()).isNotNull();
        assertThat(preempted).isFalse();
    }
}
