package dev.shepherd.plugin.policy.basic;

import dev.shepherd.testkit.fakes.*;
import static dev.shepherd.testkit.fakes.ConfigBinding.bind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.shepherd.spi.NoConfig;
import dev.shepherd.spi.policy.Policy;
import dev.shepherd.spi.policy.PolicyFactory;
import dev.shepherd.spi.worker.Worker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pf4j.Extension;

/** Smoke tests every factory shares: its name, its config type, binding an empty section, creating a policy. */
class PolicyFactoriesTest {

    private final TestPluginContext context = new TestPluginContext();

    @AfterEach
    void closeContext() {
        context.close();
    }

    static Stream<Arguments> factories() {
        return Stream.of(
                Arguments.of(new RoundRobinPolicyFactory(), "round_robin", NoConfig.class, RoundRobinPolicy.class),
                Arguments.of(new RandomPolicyFactory(), "random", NoConfig.class, RandomPolicy.class),
                Arguments.of(new PowerOfTwoPolicyFactory(), "power_of_two", NoConfig.class, PowerOfTwoPolicy.class),
                Arguments.of(new LeastLoadPolicyFactory(), "least_load", LeastLoadPolicyConfig.class, LeastLoadPolicy.class),
                Arguments.of(new ConsistentHashingPolicyFactory(), "consistent_hashing", NoConfig.class,
                        ConsistentHashingPolicy.class),
                Arguments.of(new PrefixHashPolicyFactory(), "prefix_hash", PrefixHashPolicyConfig.class, PrefixHashPolicy.class),
                Arguments.of(new BucketPolicyFactory(), "bucket", BucketPolicyConfig.class, BucketPolicy.class),
                Arguments.of(new ManualPolicyFactory(), "manual", ManualPolicyConfig.class, ManualPolicy.class),
                Arguments.of(new PassthroughPolicyFactory(), "passthrough", NoConfig.class, PassthroughPolicy.class));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("factories")
    void factoryIsAnExtensionWithItsSmgNameAndConfigType(PolicyFactory<?> factory, String name, Class<?> configType,
                                                         Class<?> policyType) {
        assertThat(factory.getClass()).hasAnnotation(Extension.class);
        assertThat(factory.getClass().getSimpleName()).isEqualTo(policyType.getSimpleName() + "Factory");
        assertThat(factory.name()).isEqualTo(name);
        assertThat(factory.configType()).isEqualTo(configType);
        assertThat(factory.sensitiveKeys()).isEmpty();
        assertThat(factory.dependsOn()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("factories")
    void createsAWorkingPolicyFromAnEmptySection(PolicyFactory<?> factory, String name, Class<?> configType,
                                                 Class<?> policyType) throws Exception {
        Policy policy = create(factory, "{}");
        try {
            assertThat(policy).isInstanceOf(policyType);
            List<Worker> candidates = FakeWorker.fleet(3);
            for (int i = 0; i < 20; i++) {
                assertThat(policy.select(candidates, FakeRequest.withText("hello " + i))).get().isIn(candidates);
            }
            policy.onComplete(candidates.get(0), FakeRequest.withText("hello"), true);
            policy.onWorkerRemoved(candidates.get(1));
        } finally {
            if (policy instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("factories")
    void rejectsAnUnknownKey(PolicyFactory<?> factory, String name, Class<?> configType, Class<?> policyType) {
        assertThatThrownBy(() -> bind("{'no_such_key': 1}", factory.configType()))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("no_such_key");
    }

    @Test
    void extensionIndexListsEveryFactory() throws Exception {
        Set<String> indexed = new HashSet<>();
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
                reader.lines().filter(line -> !line.startsWith("#")).forEach(indexed::add);
            }
        }
        assertThat(indexed).containsAll(factories()
                .map(arguments -> arguments.get()[0].getClass().getName())
                .toList());
    }

    private <C extends Record> Policy create(PolicyFactory<C> factory, String section) throws Exception {
        return factory.create(bind(section, factory.configType()), context);
    }
}
