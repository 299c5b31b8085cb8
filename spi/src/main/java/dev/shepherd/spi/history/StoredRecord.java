package dev.shepherd.spi.history;

import java.time.Instant;

/**
 * One stored document: a response, a conversation or a conversation item.
 *
 * @param id its id ({@code resp_...}, {@code conv_...}, {@code msg_...})
 * @param parentId the conversation an item belongs to, or the previous response; may be null
 * @param tenant the owning tenant: reads across tenants never match
 * @param createdAt when it was stored
 * @param json the document as JSON text
 */
public record StoredRecord(String id, String parentId, String tenant, Instant createdAt, String json) {
}
