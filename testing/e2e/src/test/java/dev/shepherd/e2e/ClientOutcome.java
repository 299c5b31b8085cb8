package dev.shepherd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one client saw, judged strictly: a complete answer ({@link Kind#OK}), an explicit OpenAI-shaped
 * error ({@link Kind#ERROR}: an error status with an {@code {"error":{...}}} body, or a stream that ends
 * with a {@code data: {"error":...}} event), a lost request ({@link Kind#LOST}: the connection dropped,
 * a stream ended without {@code [DONE]} or an error event, a malformed event, an error without the
 * OpenAI shape) or a hung one ({@link Kind#HUNG}: no complete answer within the client's timeout).
 *
 * @param kind the verdict
 * @param status the HTTP status, or -1 when no response head arrived
 * @param headers the response headers, or null when no response head arrived
 * @param body the whole response body ("" when none)
 * @param text the generated text: the message content or, for streams, every delta concatenated
 *             (what arrived before an error event, for stream errors)
 * @param error the OpenAI {@code error} object of an error, or null
 * @param detail why a request was judged lost or hung
 */
record ClientOutcome(Kind kind, int status, HttpHeaders headers, String body, String text, JsonNode error,
                     String detail) {

    enum Kind { OK, ERROR, LOST, HUNG }

    static ClientOutcome hung(String detail) {
        return new ClientOutcome(Kind.HUNG, -1, null, "", "", null, detail);
    }

    static ClientOutcome lost(String detail) {
        return new ClientOutcome(Kind.LOST, -1, null, "", "", null, detail);
    }

    /** Judges a response the client read to its end. */
    static ClientOutcome of(HttpResponse<String> response, boolean stream) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status != 200) {
            JsonNode error = openAiError(parse(body)).orElse(null);
            return error == null
                    ? new ClientOutcome(Kind.LOST, status, response.headers(), body, "", null,
                            "status " + status + " without an OpenAI-shaped error body")
                    : new ClientOutcome(Kind.ERROR, status, response.headers(), body, "", error, "");
        }
        return stream ? ofStream(response, body) : ofJson(response, body);
    }

    private static ClientOutcome ofJson(HttpResponse<String> response, String body) {
        JsonNode json = parse(body);
        JsonNode choice = json == null ? null : json.path("choices").path(0);
        if (choice == null || choice.isMissingNode()) {
            return new ClientOutcome(Kind.LOST, 200, response.headers(), body, "", null, "200 without a choice");
        }
        JsonNode content = choice.has("message") ? choice.path("message").path("content") : choice.path("text");
        return new ClientOutcome(Kind.OK, 200, response.headers(), body, content.asText(""), null, "");
    }

    private static ClientOutcome ofStream(HttpResponse<String> response, String body) {
        StringBuilder text = new StringBuilder();
        boolean done = false;
        JsonNode error = null;
        for (String data : eventData(body)) {
            if (done || error != null) {
                return lostStream(response, body, text, "an event after the end of the stream: " + data);
            }
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode event = parse(data);
            if (event == null || !event.isObject()) {
                return lostStream(response, body, text, "a malformed event: " + data);
            }
            if (event.has("error")) {
                error = event.get("error");
                continue;
            }
            JsonNode choice = event.path("choices").path(0);
            JsonNode delta = choice.has("delta") ? choice.path("delta").path("content") : choice.path("text");
            text.append(delta.asText(""));
        }
        if (done) {
            return new ClientOutcome(Kind.OK, 200, response.headers(), body, text.toString(), null, "");
        }
        if (error != null && hasOpenAiShape(error)) {
            return new ClientOutcome(Kind.ERROR, 200, response.headers(), body, text.toString(), error, "");
        }
        return lostStream(response, body, text, error != null
                ? "an error event without the OpenAI shape" : "the stream ended without [DONE] or an error event");
    }

    private static ClientOutcome lostStream(HttpResponse<String> response, String body, StringBuilder text, String why) {
        return new ClientOutcome(Kind.LOST, 200, response.headers(), body, text.toString(), null, why);
    }

    /** The data of each server-sent event, in order (events without data are skipped). */
    static List<String> eventData(String body) {
        List<String> data = new ArrayList<>();
        for (String event : body.replace("\r\n", "\n").split("\n\n")) {
            StringBuilder joined = null;
            for (String line : event.split("\n")) {
                if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    joined = joined == null ? new StringBuilder(value) : joined.append('\n').append(value);
                }
            }
            if (joined != null) {
                data.add(joined.toString());
            }
        }
        return data;
    }

    private static JsonNode parse(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<JsonNode> openAiError(JsonNode body) {
        if (body == null) {
            return Optional.empty();
        }
        JsonNode error = body.path("error");
        return hasOpenAiShape(error) ? Optional.of(error) : Optional.empty();
    }

    private static boolean hasOpenAiShape(JsonNode error) {
        return error.isObject() && !error.path("message").asText("").isBlank() && !error.path("type").asText("").isBlank();
    }

    boolean ok() {
        return kind == Kind.OK;
    }

    /** An explicit error with this HTTP status (200 for an error event inside a stream). */
    boolean isError(int httpStatus) {
        return kind == Kind.ERROR && status == httpStatus;
    }

    String errorCode() {
        return error == null ? "" : error.path("code").asText("");
    }

    Optional<String> header(String name) {
        return headers == null ? Optional.empty() : headers.firstValue(name);
    }

    @Override
    public String toString() {
        String shown = body.length() > 400 ? body.substring(0, 400) + "…" : body;
        return kind + " status=" + status + (detail.isEmpty() ? "" : " (" + detail + ")")
                + (error == null ? "" : " error=" + error) + " body=" + shown.replace("\n", "\\n");
    }
}
