package dev.shepherd.plugin.middleware.wasm;

import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.spi.middleware.ResponseView;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the guests attached to one hook, one after another, on the calling (virtual) thread: each sees
 * the changes of those before it; the first {@code respond} ends the chain; the changes of all add up to
 * one {@link HookResult.Modify} for the kernel.
 */
final class HookChain {

    private final int maxBodyBytes;

    HookChain(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    HookResult onRequest(List<LoadedModule> modules, GatewayRequest request) {
        Changes changes = new Changes(GuestMessages.flatten(request.headers()), request.parsed().body(), null);
        for (LoadedModule module : modules) {
            if (!module.attachedTo(Hook.ON_REQUEST)) {
                continue;
            }
            HookResult result = callOne(module, Hook.ON_REQUEST, changes.body,
                    () -> GuestMessages.request(request, changes.headers, changes.body));
            if (result instanceof HookResult.Respond) {
                return result;
            }
            if (result instanceof HookResult.Modify modify) {
                changes.apply(modify);
            }
        }
        return changes.result();
    }

    /** Modules run in reverse order: the first on the way in is the last on the way out. */
    HookResult onResponse(List<LoadedModule> modules, GatewayRequest request, ResponseView response) {
        Changes changes = new Changes(GuestMessages.flatten(response.headers()), response.body(), response.status());
        for (int i = modules.size() - 1; i >= 0; i--) {
            LoadedModule module = modules.get(i);
            if (!module.attachedTo(Hook.ON_RESPONSE) || (response.streamEvent() && !module.streamEvents())) {
                continue;
            }
            HookResult result = callOne(module, Hook.ON_RESPONSE, changes.body, () -> GuestMessages.response(request,
                    changes.status, response.streamEvent(), changes.headers, changes.body));
            if (result instanceof HookResult.Respond) {
                return result;
            }
            if (result instanceof HookResult.Modify modify) {
                changes.apply(modify);
            }
        }
        return changes.result();
    }

    private HookResult callOne(LoadedModule module, Hook hook, byte[] body, java.util.function.Supplier<byte[]> message) {
        GuestOutcome outcome = body.length > maxBodyBytes
                ? module.refuse(hook, GuestOutcome.Kind.BODY_TOO_LARGE, "the body is over " + maxBodyBytes + " bytes")
                : module.call(hook, message.get());
        return switch (outcome) {
            case GuestOutcome.Failed failed -> FailureAnswer.of(module, failed);
            case GuestOutcome.Completed completed -> {
                try {
                    yield ActionCodec.decode(completed.action());
                } catch (ActionCodec.BadActionException e) {
                    module.metrics().badAction(hook);
                    yield FailureAnswer.of(module, new GuestOutcome.Failed(GuestOutcome.Kind.BAD_ACTION, e.getMessage()));
                }
            }
        };
    }

    /** What the guests changed so far, and the view the next guest sees. */
    private static final class Changes {
        final Map<String, String> headers;
        final Map<String, String> set = new LinkedHashMap<>();
        final Set<String> removed = new LinkedHashSet<>();
        byte[] body;
        Integer status;
        boolean bodyChanged;
        boolean statusChanged;

        Changes(Map<String, String> headers, byte[] body, Integer status) {
            this.headers = headers;
            this.body = body;
            this.status = status;
        }

        void apply(HookResult.Modify modify) {
            modify.removeHeaders().forEach(name -> {
                headers.remove(name);
                set.remove(name);
                removed.add(name);
            });
            modify.setHeaders().forEach((name, value) -> {
                headers.put(name, value);
                set.put(name, value);
                removed.remove(name);
            });
            if (modify.body() != null) {
                body = modify.body();
                bodyChanged = true;
            }
            if (modify.status() != null && status != null) {
                status = modify.status();
                statusChanged = true;
            }
        }

        HookResult result() {
            if (set.isEmpty() && removed.isEmpty() && !bodyChanged && !statusChanged) {
                return HookResult.Continue.INSTANCE;
            }
            return new HookResult.Modify(statusChanged ? status : null, set, List.copyOf(removed),
                    bodyChanged ? body : null);
        }
    }
}
