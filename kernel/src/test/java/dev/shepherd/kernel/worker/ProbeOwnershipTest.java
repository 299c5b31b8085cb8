package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.spi.mesh.MeshStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every node that sees the same members names the same owner, and the owner moves when it leaves. */
class ProbeOwnershipTest {

    private static final String URL = "http://10.0.0.7:8000";

    private static ProbeOwnership on(String self, boolean partitioned, String... alive) {
        MeshStatus status = new MeshStatus(self, List.of(alive), List.of(), partitioned);
        return new ProbeOwnership(() -> status);
    }

    @Test
    void nodesWithOneViewAgreeOnOneOwner() {
        String owner = on("a", false, "a", "b", "c").owner(URL);
        assertThat(on("b", false, "a", "b", "c").owner(URL)).isEqualTo(owner);
        assertThat(on("c", false, "c", "a", "b").owner(URL)).isEqualTo(owner);
        assertThat(List.of("a", "b", "c").stream().filter(n -> on(n, false, "a", "b", "c").test(URL)))
                .containsExactly(owner);
    }

    @Test
    void theOwnerMovesToASurvivorWhenItLeaves() {
        String owner = on("a", false, "a", "b", "c").owner(URL);
        String[] survivors = List.of("a", "b", "c").stream().filter(n -> !n.equals(owner)).toArray(String[]::new);
        String next = on(survivors[0], false, survivors).owner(URL);
        assertThat(next).isIn((Object[]) survivors);
        assertThat(on(survivors[1], false, survivors).owner(URL)).isEqualTo(next);
    }

    @Test
    void aPartitionedNodeOwnsEveryProbeItself() {
        assertThat(on("a", true, "a").owner(URL)).isEqualTo("a");
        assertThat(on("a", true, "a").test(URL)).isTrue();
    }
}
