package dev.shepherd.plugin.policy.basic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.spi.GatewayRequest;

/**
 * What {@code consistent_hashing} hashes to place a request: the first of
 * <ol>
 *   <li>{@code X-SMG-Routing-Key}, the client's explicit sticky key (SMG);</li>
 *   <li>{@code X-Session-Id}, a common conversation or session header;</li>
 *   <li>the OpenAI body field {@code user}, the end-user the client acts for;</li>
 *   <li>the first {@value #PROMPT_CHARS} characters of the routing text, so repeats of a prompt and the
 *       later turns of a long conversation (which start with its earlier turns) meet the same worker's
 *       prefix cache, while the hashing cost stays bounded however long the prompt.</li>
 * </ol>
 * SMG's implicit keys are the {@code Authorization}, {@code X-Forwarded-For} and {@code Cookie}
 * headers; they are not used here because behind the gateway's own authentication they collapse a whole
 * tenant (one API key, one proxy address) onto a single worker.
 *
 * @param hash the key's ring hash
 * @param source which of the above supplied it
 */
record AffinityKey(long hash, Source source) {

    static final int PROMPT_CHARS = 4096;
    static final String SESSION_HEADER = "x-session-id";

    /** Where a key came from. */
    enum Source { ROUTING_KEY, SESSION, USER, PROMPT }

    /** The request's key, or null when it offers none (no header, no user, empty prompt). */
    static AffinityKey of(GatewayRequest request) {
        String routingKey = request.routingKey().orElse(null);
        if (isPresent(routingKey)) {
            return new AffinityKey(RingHash.of(routingKey), Source.ROUTING_KEY);
        }
        String session = request.headers().first(SESSION_HEADER);
        if (isPresent(session)) {
            return new AffinityKey(RingHash.of(session), Source.SESSION);
        }
        String user = userField(request.parsed().json());
        if (isPresent(user)) {
            return new AffinityKey(RingHash.of(user), Source.USER);
        }
        String text = request.parsed().routingText();
        if (isPresent(text)) {
            return new AffinityKey(RingHash.of(text, 0, Math.min(text.length(), PROMPT_CHARS)), Source.PROMPT);
        }
        return null;
    }

    private static String userField(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode user = body.get("user");
        return user != null && user.isTextual() ? user.textValue() : null;
    }

    private static boolean isPresent(String value) {
        return value != null && !value.isBlank();
    }
}
