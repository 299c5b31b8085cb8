package dev.shepherd.kernel.observe.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last guard against secrets in logs: whatever a log line says, credentials that look like
 * credentials are replaced by {@value #MASK}. Nothing in the gateway logs headers or keys on purpose;
 * this catches what an exception message or a plugin might echo.
 *
 * <ul>
 *   <li>{@code Bearer <token>} and {@code Basic <credentials>}</li>
 *   <li>the value after {@code api_key}, {@code api-key}, {@code apikey}, {@code x-api-key},
 *       {@code authorization}, {@code password}, {@code secret}, {@code token}, {@code access_key}
 *       followed by {@code :} or {@code =} (quoted or not)</li>
 *   <li>OpenAI-style keys {@code sk-...}</li>
 * </ul>
 */
public final class SecretMask {

    public static final String MASK = "****";

    private static final Pattern SCHEME_CREDENTIALS = Pattern.compile(
            "(?i)(?<![\\w-])(?:(bearer)(\\s+)(?!\\*\\*\\*\\*)[A-Za-z0-9._~+/=-]{8,}|(basic)(\\s+)[A-Za-z0-9+/]{8,}={0,2}(?![\\w.-]))");
    private static final Pattern KEYED_VALUE = Pattern.compile(
            "(?i)((?:x-)?(?:api[_-]?keys?|authorization|password|passwd|secret|token|access[_-]?key|client[_-]?secret)"
                    + "\\\\?[\"']?\\s*[:=]\\s*\\\\?[\"']?)(?!\\*\\*\\*\\*)[^\\s\"'\\\\,;&}\\]]+");
    private static final Pattern OPENAI_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_-]{12,}");

    private SecretMask() {
    }

    /** {@code text} with anything that looks like a credential masked; the same instance when none. */
    public static String mask(String text) {
        if (text == null || text.length() < 6 || !mayHoldSecret(text)) {
            return text;
        }
        String masked = replace(SCHEME_CREDENTIALS, text, "$1$2$3$4" + MASK);
        masked = replace(KEYED_VALUE, masked, "$1" + MASK);
        return replace(OPENAI_KEY, masked, "sk-" + MASK);
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(replacement) : text;
    }

    /** Words one of which every pattern above contains, lower case. */
    private static final String[] HINTS = {"bearer", "basic", "key", "auth", "pass", "secret", "token", "sk-"};

    /** A cheap scan before the regular expressions: does any hint occur, in any case? */
    private static boolean mayHoldSecret(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (c != 'b' && c != 'k' && c != 'a' && c != 'p' && c != 's' && c != 't') {
                continue;
            }
            for (String hint : HINTS) {
                if (hint.charAt(0) == c && text.regionMatches(true, i, hint, 0, hint.length())) {
                    return true;
                }
            }
        }
        return false;
    }
}
