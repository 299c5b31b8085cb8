package dev.shepherd.plugin.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.spi.api.IncomingRequest;
import dev.shepherd.spi.ParsedRequest;
import dev.shepherd.spi.api.RequestParser;

/**
 * Parses one inference endpoint's requests: checks the {@code Content-Type}, scans the body once for
 * {@code model}, {@code stream} and the required fields, and defers everything else to the lazy views
 * of {@link OpenAiParsedRequest}. Stateless and thread-safe; never blocks.
 */
final class OpenAiRequestParser implements RequestParser {

    private final InferenceKind kind;
    private final ObjectMapper objectMapper;
    private final RequestBodyScanner scanner;

    OpenAiRequestParser(InferenceKind kind, ObjectMapper objectMapper) {
        this.kind = kind;
        this.objectMapper = objectMapper;
        this.scanner = new RequestBodyScanner(objectMapper.getFactory(), kind.schema());
    }

    /**
     * {@inheritDoc}
     *
     * <p>A missing {@code model} yields "" on every endpoint: on {@code /generate} the field is optional
     * in SGLang, and elsewhere "" lets the kernel route to any worker, which is what single-model
     * deployments whose clients omit the model expect.
     */
    @Override
    public ParsedRequest parse(IncomingRequest request) {
        JsonContentType.require(request.headers().first("content-type"));
        byte[] body = request.body() == null ? new byte[0] : request.body();
        ScannedFields fields = scanner.scan(body);
        return new OpenAiParsedRequest(kind, fields.model(), fields.stream(), body, objectMapper);
    }
}
