package dev.shepherd.kernel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.kernel.state.LocalStateStore;
import dev.shepherd.spi.mesh.MeshStatus;
import dev.shepherd.spi.worker.WorkerSpec;
import dev.shepherd.spi.worker.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WorkerHealthSharingTest {

    private static final String URL = "http://engine:8000";
    private final LocalStateStore sharedStore = new LocalStateStore(); // a converged mesh
    private final List<RegisteredWorker> probedLocally = new ArrayList<>();

    @Test
    void theOwnersFindingsReachTheOtherNodesAndTheirOwnChangesStayLocal() {
        WorkerRegistry owner = registry();
        WorkerRegistry other = registry();
        new WorkerHealthSharing(owner, sharedStore, url -> true, url -> true, probedLocally::add).start();
        new WorkerHealthSharing(other, sharedStore, url -> true, url -> false, probedLocally::add).start();
        RegisteredWorker onOwner = register(owner);
        RegisteredWorker onOther = register(other);
        assertThat(onOther.status()).isEqualTo(WorkerStatus.PENDING);

        owner.updateStatus(onOwner, WorkerStatus.READY);
        assertThat(onOther.status()).isEqualTo(WorkerStatus.READY);
        owner.updateStatus(onOwner, WorkerStatus.NOT_READY);
        assertThat(onOther.status()).isEqualTo(WorkerStatus.NOT_READY);

        other.updateStatus(onOther, WorkerStatus.READY); // e.g. its own probe after a traffic failure
        assertThat(onOwner.status()).isEqualTo(WorkerStatus.NOT_READY);

        WorkerRegistry late = registry();
        new WorkerHealthSharing(late, sharedStore, url -> true, url -> false, probedLocally::add).start();
        assertThat(register(late).status()).isEqualTo(WorkerStatus.NOT_READY);
        assertThat(probedLocally).isEmpty();
    }

    @Test
    void aReadyWorkerWhoseModelsAreUnknownHereIsProbedLocallyInstead() {
        WorkerRegistry owner = registry();
        WorkerRegistry other = new WorkerRegistry(
                spec -> CompletableFuture.failedFuture(new java.io.IOException("not yet")), false);
        new WorkerHealthSharing(owner, sharedStore, url -> true, url -> true, probedLocally::add).start();
        new WorkerHealthSharing(other, sharedStore, url -> true, url -> false, probedLocally::add).start();
        RegisteredWorker onOther = (RegisteredWorker) other.register(WorkerSpec.of(URL)).toCompletableFuture().join();
        owner.updateStatus(register(owner), WorkerStatus.READY);
        assertThat(onOther.status()).isEqualTo(WorkerStatus.PENDING);
        assertThat(probedLocally).containsExactly(onOther);
    }

    @Test
    void workersOfOneNodeOnlyAreNotSharedAndARemovedWorkerLeavesNoFindingBehind() {
        WorkerRegistry owner = registry();
        WorkerRegistry other = registry();
        boolean[] replicated = {false};
        new WorkerHealthSharing(owner, sharedStore, url -> replicated[0], url -> true, probedLocally::add).start();
        new WorkerHealthSharing(other, sharedStore, url -> replicated[0], url -> false, probedLocally::add).start();
        RegisteredWorker onOwner = register(owner);
        RegisteredWorker onOther = register(other);
        owner.updateStatus(onOwner, WorkerStatus.READY);
        assertThat(onOther.status()).isEqualTo(WorkerStatus.PENDING);
        assertThat(sharedStore.entries(WorkerHealthSharing.NAMESPACE)).isEmpty();

        replicated[0] = true;
        owner.updateStatus(onOwner, WorkerStatus.NOT_READY);
        assertThat(onOther.status()).isEqualTo(WorkerStatus.NOT_READY);
        owner.deregister(onOwner.id());
        assertThat(sharedStore.entries(WorkerHealthSharing.NAMESPACE)).isEmpty();
    }

    @Test
    void ownershipPicksExactlyOneLiveMemberPerWorkerAndEverythingWhenPartitioned() {
        List<String> members = List.of("a", "b", "c");
        int[] owned = new int[3];
        for (int i = 0; i < 300; i++) {
            String url = "http://w" + i + ":8000";
            int owners = 0;
            for (int m = 0; m < 3; m++) {
                String self = members.get(m);
                if (new ProbeOwnership(() -> new MeshStatus(self, members, List.of(), false)).test(url)) {
                    owners++;
                    owned[m]++;
                }
            }
            assertThat(owners).isEqualTo(1);
        }
        for (int n : owned) {
            assertThat(n).isBetween(60, 140); // spread, roughly evenly
        }
        assertThat(new ProbeOwnership(() -> new MeshStatus("a", List.of("a"), List.of(), true)).test(URL)).isTrue();
    }

    private static WorkerRegistry registry() {
        return new WorkerRegistry(spec -> CompletableFuture.completedFuture(List.of("m")), false);
    }

    private static RegisteredWorker register(WorkerRegistry registry) {
        return (RegisteredWorker) registry.register(WorkerSpec.of(URL).withModels(List.of("m"))).toCompletableFuture().join();
    }
}
