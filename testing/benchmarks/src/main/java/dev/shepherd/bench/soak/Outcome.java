package dev.shepherd.bench.soak;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one client saw, judged as strictly as the fault tests do (testing/e2e's ClientOutcome):
 * <ul>
 *   <li>{@link Kind#OK}: 200 with a choice, or a stream that ends with {@code data: [DONE]};</li>
 *   <li>{@link Kind#ERROR}: an explicit OpenAI-shaped error — an error status with an
 *       {@code {"error":{"message","type",...}}} body, or a stream that ends with such an error event;</li>
 *   <li>{@link Kind#LOST}: the connection dropped, a stream ended without {@code [DONE]} or an error
 *       event, a malformed event, an error without the OpenAI shape;</li>
 *   <li>{@link Kind#HUNG}: no complete answer within the client's timeout.</li>
 * </ul>
 *
 * @param kind the verdict
 * @param status HTTP status, -1 without a response head
 * @param errorCode the error's {@code code} (or type) for errors, else ""
 * @param text the generated text of a success
 * @param resumed a stream whose chunk ids changed midway: the gateway continued it on another worker
 * @param detail why a request was lost or hung; the error message of an explicit error
 */
record Outcome(Kind kind, int status, String errorCode, String text, boolean resumed, String detail) {

    enum Kind { OK, ERROR, LOST, HUNG }

    static Outcome lost(int status, String detail) {
        return new Outcome(Kind.LOST, status, "", "", false, detail);
    }

    static Outcome hung(String detail) {
        return new Outcome(Kind.HUNG, -1, "", "", false, detail);
    }

    static Outcome of(int status, String body, boolean stream) {
        if (status != 200) {
            Object error = errorObject(tryParse(body));
            return error == null ? lost(status, "status " + status + " without an OpenAI-shaped error body")
                    : new Outcome(Kind.ERROR, status, code(error), "", false, Json.string(error, "message"));
        }
        return stream ? ofStream(body) : ofJson(body);
    }

    private static Outcome ofJson(String body) {
        Object json = tryParse(body);
        Object content = Json.at(json, "choices", 0, "message", "content");
        if (!(content instanceof String text)) {
            return lost(200, "200 without a message");
        }
        return new Outcome(Kind.OK, 200, "", text, false, "");
    }

    private static Outcome ofStream(String body) {
        StringBuilder text = new StringBuilder();
        Set<String> ids = new HashSet<>();
        boolean done = false;
        Object error = null;
        for (String data : eventData(body)) {
            if (done || error != null) {
                return lost(200, "an event after the end of the stream");
            }
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            Object event = tryParse(data);
            if (!(event instanceof Map<?, ?> map)) {
                return lost(200, "a malformed event: " + abbreviate(data));
            }
            if (map.containsKey("error")) {
                error = map.get("error");
                continue;
            }
            String id = Json.string(event, "id");
            if (id != null) {
                ids.add(id);
            }
            if (Json.at(event, "choices", 0, "delta", "content") instanceof String delta) {
                text.append(delta);
            }
        }
        if (done) {
            return new Outcome(Kind.OK, 200, "", text.toString(), ids.size() > 1, "");
        }
        if (error != null && hasOpenAiShape(error)) {
            return new Outcome(Kind.ERROR, 200, "stream:" + code(error), text.toString(), ids.size() > 1,
                    Json.string(error, "message"));
        }
        return lost(200, error != null ? "an error event without the OpenAI shape"
                : "the stream ended without [DONE] or an error event");
    }

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

    private static Object tryParse(String text) {
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object errorObject(Object body) {
        Object error = Json.at(body, "error");
        return hasOpenAiShape(error) ? error : null;
    }

    private static boolean hasOpenAiShape(Object error) {
        String message = Json.string(error, "message");
        String type = Json.string(error, "type");
        return message != null && !message.isBlank() && type != null && !type.isBlank();
    }

    private static String code(Object error) {
        String code = Json.string(error, "code");
        return code != null && !code.isBlank() ? code : Json.string(error, "type");
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
