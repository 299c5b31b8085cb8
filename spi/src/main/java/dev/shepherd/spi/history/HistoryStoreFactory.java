package dev.shepherd.spi.history;

import dev.shepherd.spi.Experimental;
import dev.shepherd.spi.ExtensionFactory;

/** Creates the {@link HistoryStore} behind the Responses and Conversations APIs. */
@Experimental
public interface HistoryStoreFactory<C extends Record> extends ExtensionFactory<C, HistoryStore> {
}
