package dev.shepherd.bench.routing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sends one streaming chat completion through the gateway and reads the answer event by event: the
 * time to the first content chunk, the assistant's text (for the next turn's history) and the usage
 * chunk's prompt and cached tokens. JSON is read with a few patterns: the simulator's chunks are small
 * and regular, and the benchmark module keeps to the JDK.
 */
final class ChatClient {

    private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PROMPT_TOKENS = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d+)");
    private static final Pattern CACHED_TOKENS = Pattern.compile("\"cached_tokens\"\\s*:\\s*(\\d+)");

    /** What one request produced. {@code ttftNanos} is -1 when no content arrived. */
    record Answer(int status, long ttftNanos, String text, long promptTokens, long cachedTokens) {
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String model;

    ChatClient(HttpClient http, String gatewayUrl, String model) {
        this.http = http;
        this.endpoint = URI.create(gatewayUrl + "/v1/chat/completions");
        this.model = model;
    }

    /**
     * @param messages role and content, alternating
     * @param routingKey sent as {@code X-SMG-Routing-Key} when not null
     */
    Answer send(List<String> messages, int maxTokens, String routingKey) throws Exception {
        StringBuilder body = new StringBuilder(4096);
        body.append("{\"model\":\"").append(model).append("\",\"stream\":true,")
                .append("\"stream_options\":{\"include_usage\":true},\"max_tokens\":").append(maxTokens)
                .append(",\"messages\":[");
        for (int i = 0; i < messages.size(); i += 2) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"role\":\"").append(messages.get(i)).append("\",\"content\":\"");
            escape(body, messages.get(i + 1));
            body.append("\"}");
        }
        body.append("]}");
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(120))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (routingKey != null) {
            request.header("X-SMG-Routing-Key", routingKey);
        }
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        long ttft = -1;
        long promptTokens = 0;
        long cachedTokens = 0;
        StringBuilder text = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:") || line.contains("[DONE]")) {
                    continue;
                }
                if (line.contains("\"usage\"") && line.contains("\"prompt_tokens\"")) {
                    promptTokens = find(PROMPT_TOKENS, line);
                    cachedTokens = find(CACHED_TOKENS, line);
                }
                Matcher content = CONTENT.matcher(line);
                if (content.find() && !content.group(1).isEmpty()) {
                    if (ttft < 0) {
                        ttft = System.nanoTime() - start;
                    }
                    text.append(unescape(content.group(1)));
                }
            }
        }
        return new Answer(response.statusCode(), ttft, text.toString(), promptTokens, cachedTokens);
    }

    private static long find(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    private static String unescape(String json) {
        if (json.indexOf('\\') < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 == json.length()) {
                out.append(c);
                continue;
            }
            char next = json.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
