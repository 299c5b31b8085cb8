package dev.shepherd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.sim.GenerationRequest.Api;
import dev.shepherd.sim.GenerationRequest.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns chat, completions and SGLang generate bodies into {@link GenerationRequest}s, rejecting what a
 * vLLM or SGLang server would reject with a 400 (or 404 for an unknown model). Sampling fields
 * (temperature, top_p, seed, ...) are accepted and ignored: generation is deterministic.
 */
final class GenerationRequestParser {

  /** Output tokens when a request does not say (vLLM's completions default; used for every API). */
  static final int DEFAULT_MAX_TOKENS = 16;

  private final ServedModels models;
  private final int maxModelLen;

  GenerationRequestParser(ServedModels models, int maxModelLen) {
    this.models = models;
    this.maxModelLen = maxModelLen;
  }

  GenerationRequest parse(Api api, JsonNode body) {
    GenerationRequest request = switch (api) {
      case CHAT -> chat(body);
      case COMPLETION -> completion(body);
      case GENERATE -> generate(body);
    };
    for (Prompt prompt : request.prompts()) {
      requireWithinContext(prompt.tokens().length, request.maxTokens());
    }
    return request;
  }

  private GenerationRequest chat(JsonNode body) {
    String model = models.resolve(RequestFields.optionalText(body, "model"));
    JsonNode messagesNode = body.get("messages");
    if (messagesNode == null || !messagesNode.isArray() || messagesNode.isEmpty()) {
      throw ApiError.badRequest("'messages' must be a non-empty array.", "messages");
    }
    List<ChatTemplate.Message> messages = new ArrayList<>(messagesNode.size());
    for (JsonNode message : messagesNode) {
      messages.add(chatMessage(message));
    }
    boolean continueFinal = RequestFields.optionalBoolean(body, "continue_final_message", false);
    JsonNode addGenerationPromptNode = body.get("add_generation_prompt");
    boolean addGenerationPrompt = RequestFields.optionalBoolean(body, "add_generation_prompt", true);
    if (continueFinal && addGenerationPromptNode != null && addGenerationPrompt) {
      throw ApiError.badRequest(
          "Cannot set both `continue_final_message` and `add_generation_prompt` to True.",
          "continue_final_message");
    }
    if (continueFinal && !"assistant".equals(messages.get(messages.size() - 1).role())) {
      throw ApiError.badRequest(
          "`continue_final_message` needs the last message to be an assistant message.", "messages");
    }
    String promptText = ChatTemplate.render(messages, addGenerationPrompt, continueFinal);
    int maxTokens = RequestFields.optionalInt(body, "max_completion_tokens",
        RequestFields.optionalInt(body, "max_tokens", DEFAULT_MAX_TOKENS));
    return new GenerationRequest(Api.CHAT, model, List.of(Prompt.ofText(promptText)),
        requireMaxTokens(maxTokens), RequestFields.optionalBoolean(body, "stream", false),
        includeUsage(body), stopWords(body.get("stop")));
  }

  private GenerationRequest completion(JsonNode body) {
    String model = models.resolve(RequestFields.optionalText(body, "model"));
    List<Prompt> prompts = prompts(body.get("prompt"), "prompt");
    int maxTokens = RequestFields.optionalInt(body, "max_tokens", DEFAULT_MAX_TOKENS);
    return new GenerationRequest(Api.COMPLETION, model, prompts, requireMaxTokens(maxTokens),
        RequestFields.optionalBoolean(body, "stream", false), includeUsage(body), stopWords(body.get("stop")));
  }

  private GenerationRequest generate(JsonNode body) {
    String model = models.resolve(RequestFields.optionalText(body, "model"));
    JsonNode text = body.get("text");
    List<Prompt> prompts = text != null && !text.isNull()
        ? prompts(text, "text")
        : prompts(body.get("input_ids"), "input_ids");
    JsonNode sampling = body.get("sampling_params");
    int maxTokens = DEFAULT_MAX_TOKENS;
    List<String> stop = List.of();
    if (sampling != null && !sampling.isNull()) {
      if (!sampling.isObject()) {
        throw ApiError.badRequest("'sampling_params' must be an object.", "sampling_params");
      }
      maxTokens = RequestFields.optionalInt(sampling, "max_new_tokens", DEFAULT_MAX_TOKENS);
      stop = stopWords(sampling.get("stop"));
    }
    return new GenerationRequest(Api.GENERATE, model, prompts, requireMaxTokens(maxTokens),
        RequestFields.optionalBoolean(body, "stream", false), false, stop);
  }

  /**
   * Prompts given as a string, an array of strings (a batch), an array of token ids, or an array of
   * token-id arrays (a batch).
   */
  static List<Prompt> prompts(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      throw ApiError.badRequest("'" + field + "' is required.", field);
    }
    if (value.isTextual()) {
      return List.of(Prompt.ofText(value.textValue()));
    }
    if (!value.isArray() || value.isEmpty()) {
      throw ApiError.badRequest("'" + field + "' must be a string or a non-empty array.", field);
    }
    JsonNode first = value.get(0);
    if (first.isIntegralNumber()) {
      return List.of(Prompt.ofTokens(tokenIds(value, field)));
    }
    List<Prompt> prompts = new ArrayList<>(value.size());
    for (JsonNode element : value) {
      if (element.isTextual()) {
        prompts.add(Prompt.ofText(element.textValue()));
      } else if (element.isArray()) {
        prompts.add(Prompt.ofTokens(tokenIds(element, field)));
      } else {
        throw ApiError.badRequest("'" + field + "' must hold strings or token-id arrays.", field);
      }
    }
    return prompts;
  }

  private static int[] tokenIds(JsonNode array, String field) {
    int[] ids = new int[array.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode id = array.get(i);
      if (!id.isIntegralNumber()) {
        throw ApiError.badRequest("'" + field + "' token ids must be integers.", field);
      }
      ids[i] = id.intValue();
    }
    return ids;
  }

  private static ChatTemplate.Message chatMessage(JsonNode message) {
    if (!message.isObject()) {
      throw ApiError.badRequest("Each message must be an object.", "messages");
    }
    JsonNode role = message.get("role");
    if (role == null || !role.isTextual()) {
      throw ApiError.badRequest("Each message needs a string 'role'.", "messages");
    }
    return new ChatTemplate.Message(role.textValue(), messageContent(message.get("content")));
  }

  /** String content, or the text parts of an array content joined by newlines (as vLLM does). */
  private static String messageContent(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      throw ApiError.badRequest("Message 'content' must be a string or an array of parts.", "messages");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      JsonNode partText = part.get("text");
      if (partText != null && partText.isTextual()) {
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(partText.textValue());
      }
    }
    return text.toString();
  }

  private static boolean includeUsage(JsonNode body) {
    JsonNode options = body.get("stream_options");
    return options != null && options.isObject()
        && RequestFields.optionalBoolean(options, "include_usage", false);
  }

  private static List<String> stopWords(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.textValue().strip());
    }
    if (stop.isArray()) {
      List<String> words = new ArrayList<>(stop.size());
      for (JsonNode word : stop) {
        if (!word.isTextual()) {
          throw ApiError.badRequest("'stop' must be a string or an array of strings.", "stop");
        }
        words.add(word.textValue().strip());
      }
      return words;
    }
    throw ApiError.badRequest("'stop' must be a string or an array of strings.", "stop");
  }

  private static int requireMaxTokens(int maxTokens) {
    if (maxTokens < 0) {
      throw ApiError.badRequest("max_tokens must be >= 0, got " + maxTokens + ".", "max_tokens");
    }
    return maxTokens;
  }

  private void requireWithinContext(int promptTokens, int maxTokens) {
    long requested = (long) promptTokens + maxTokens;
    if (requested > maxModelLen) {
      throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
          + " tokens. However, you requested " + requested + " tokens (" + promptTokens
          + " in the messages, " + maxTokens + " in the completion). Please reduce the length of the"
          + " messages or completion.", "max_tokens");
    }
  }
}
