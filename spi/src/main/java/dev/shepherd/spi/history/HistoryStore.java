package dev.shepherd.spi.history;

import dev.shepherd.spi.Experimental;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Stores responses, conversations and their items. Thread-safe; every method may block on I/O, so
 * implementations run on the blocking executor and return stages.
 */
@Experimental
public interface HistoryStore extends AutoCloseable {

    /** The kinds of record stored, each in its own namespace. */
    enum Kind { RESPONSE, CONVERSATION, ITEM }

    CompletionStage<Void> put(Kind kind, StoredRecord record);

    CompletionStage<Optional<StoredRecord>> get(Kind kind, String tenant, String id);

    /** Records whose parent is {@code parentId}, oldest first, after the cursor id when given. */
    CompletionStage<List<StoredRecord>> children(Kind kind, String tenant, String parentId, String afterId, int limit);

    CompletionStage<Boolean> delete(Kind kind, String tenant, String id);

    @Override
    default void close() {
    }
}
