package dev.shepherd.plugin.api.openai;

import java.util.Locale;

/**
 * Decides whether a request's {@code Content-Type} declares JSON: {@code application/json} or any
 * {@code +json} type, with or without parameters such as {@code charset}. A request without the header
 * is accepted, because {@code curl -d} users routinely omit it (or get {@code x-www-form-urlencoded},
 * which is refused); the body is still checked to be JSON.
 */
final class JsonContentType {

    private JsonContentType() {
    }

    /** Throws 415 {@code unsupported_media_type} unless {@code contentType} is absent or JSON. */
    static void require(String contentType) {
        if (contentType == null || contentType.isBlank() || isJson(contentType)) {
            return;
        }
        throw OpenAiErrors.unsupportedMediaType(contentType.strip());
    }

    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.endsWith("+json") && mediaType.indexOf('/') > 0);
    }
}
