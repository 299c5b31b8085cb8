package dev.shepherd.sim;

import java.util.List;

/**
 * Renders chat messages into one prompt text, ChatML style, the way an engine's chat template does:
 * {@code <|im_start|>role\ncontent<|im_end|>\n} per message in order, then {@code <|im_start|>assistant\n}
 * when a generation prompt is asked for. Turn n+1 of a conversation therefore starts with the text of
 * turn n (its prompt and its answer), which is what makes multi-turn chats hit the prefix cache.
 */
final class ChatTemplate {

  /** One chat message with its text content already flattened. */
  record Message(String role, String content) {
  }

  private static final String START = "<|im_start|>";
  private static final String END = "<|im_end|>\n";

  private ChatTemplate() {
  }

  /**
   * @param continueFinalMessage the last message is a partial assistant answer: it is left open (no
   *     end marker, no new generation prompt) so generation continues its text
   */
  static String render(List<Message> messages, boolean addGenerationPrompt, boolean continueFinalMessage) {
    StringBuilder prompt = new StringBuilder(64 * messages.size());
    int last = messages.size() - 1;
    for (int i = 0; i <= last; i++) {
      Message message = messages.get(i);
      prompt.append(START).append(message.role()).append('\n').append(message.content());
      if (i < last || !continueFinalMessage) {
        prompt.append(END);
      }
    }
    if (addGenerationPrompt && !continueFinalMessage) {
      prompt.append(START).append("assistant\n");
    }
    return prompt.toString();
  }
}
