package dev.shepherd.bench.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded shared-prefix workload: {@code groups} teams, each with a long system prompt of its own,
 * {@code usersPerGroup} users per team, each holding one conversation of {@code turns} turns (a new
 * user message per turn, the assistant's previous answers kept in the history). Conversations are
 * shuffled so teams interleave. The same seed gives the same plan, so every policy sees the same work.
 */
record WorkloadPlan(List<String> systemPrompts, List<Conversation> conversations, int turns, int maxTokens) {

    private static final String[] WORDS = {
        "account", "billing", "invoice", "customer", "policy", "refund", "contract", "support", "ticket", "order",
        "payment", "service", "request", "report", "quarter", "region", "product", "release", "feature", "status",
        "always", "never", "please", "explain", "summarise", "describe", "compare", "check", "answer", "include",
        "the", "a", "of", "to", "and", "in", "for", "with", "on", "by", "from", "that", "this", "each", "every",
        "team", "manager", "engineer", "analyst", "agent", "system", "data", "record", "table", "value",
    };

    /** One user's conversation: the team it belongs to, a session key, and one message per turn. */
    record Conversation(int group, String sessionKey, List<String> userMessages) {
    }

    static WorkloadPlan generate(long seed, int groups, int systemPromptWords, int usersPerGroup, int turns,
                                 int minUserWords, int maxUserWords, int maxTokens) {
        Random random = new Random(seed);
        List<String> systems = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            systems.add("You are the assistant of team " + g + ". " + words(random, systemPromptWords));
        }
        List<Conversation> conversations = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int u = 0; u < usersPerGroup; u++) {
                List<String> messages = new ArrayList<>(turns);
                for (int t = 0; t < turns; t++) {
                    messages.add("User " + u + " of team " + g + " asks: "
                            + words(random, minUserWords + random.nextInt(maxUserWords - minUserWords + 1)));
                }
                conversations.add(new Conversation(g, "team-" + g + "-user-" + u, List.copyOf(messages)));
            }
        }
        Collections.shuffle(conversations, random);
        return new WorkloadPlan(List.copyOf(systems), List.copyOf(conversations), turns, maxTokens);
    }

    int requests() {
        return conversations.size() * turns;
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder(count * 7);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
