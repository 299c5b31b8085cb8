package dev.shepherd.plugin.policy.cacheaware;

import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.worker.Worker;
import dev.shepherd.testkit.fakes.FakeRequest;
import dev.shepherd.testkit.fakes.FakeWorker;
import dev.shepherd.testkit.fakes.FakeWorkerLoad;
import dev.shepherd.testkit.fakes.MutableClock;
import dev.shepherd.testkit.fakes.TestPluginContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class CacheAwarePolicyFactoryTest {

    private final TestPluginContext context = TestPluginContext.runningBlockingWorkInline();
    private final CacheAwarePolicyFactory factory = new CacheAwarePolicyFactory();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void isAnExtensionNamedAsSmgsPolicy() {
        assertThat(factory.getClass()).hasAnnotation(Extension.class);
        assertThat(factory.name()).isEqualTo("cache_aware");
        assertThat(factory.configType()).isEqualTo(CacheAwarePolicyConfig.class);
        assertThat(factory.sensitiveKeys()).isEmpty();
        assertThat(factory.dependsOn()).isEmpty();
    }

    @Test
    void createsAWorkingPolicyFromAnEmptySectionAndClosesIt() throws Exception {
        Policy policy = factory.create(bind("{}", factory.configType()), context);
        assertThat(policy).isInstanceOf(CacheAwarePolicy.class).isInstanceOf(AutoCloseable.class);
        assertThat(context.scheduledTasks()).isEqualTo(1);

        List<Worker> candidates = FakeWorker.fleet(3);
        for (int i = 0; i < 20; i++) {
            assertThat(policy.select(candidates, FakeRequest.withText("hello " + i))).get().isIn(candidates);
        }
        policy.onComplete(candidates.get(0), FakeRequest.withText("hello"), true);
        policy.onWorkerRemoved(candidates.get(1));
        ((AutoCloseable) policy).close();

        assertThat(context.scheduledTasks()).isZero();
    }

    @Test
    void extensionIndexListsTheFactory() throws Exception {
        Set<String> indexed = new HashSet<>();
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
                reader.lines().filter(line -> !line.startsWith("#")).forEach(indexed::add);
            }
        }
        assertThat(indexed).contains(CacheAwarePolicyFactory.class.getName());
    }
}
