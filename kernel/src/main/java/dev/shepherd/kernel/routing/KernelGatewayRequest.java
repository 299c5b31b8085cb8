package dev.shepherd.kernel.routing;

import dev.shepherd.kernel.admission.AdmissionTicket;
import dev.shepherd.kernel.manifest.AdmissionSection;
import dev.shepherd.kernel.observe.ObservedRequest;
import dev.shepherd.spi.GatewayRequest;
import dev.shepherd.spi.Headers;
import dev.shepherd.spi.Principal;
import dev.shepherd.spi.ParsedRequest;
import java.time.Instant;
import java.util.Optional;

/** The kernel's {@link GatewayRequest}: the parsed body plus what the kernel knows of the request. */
public final class KernelGatewayRequest implements GatewayRequest {

    private final String id;
    private Headers headers;
    private java.util.Map<String, String> middlewareHeaders = java.util.Map.of();
    private final Instant deadline;
    private ParsedRequest parsed;
    private Principal principal;
    private AdmissionTicket admission;
    private ObservedRequest observed = ObservedRequest.NONE;

    public KernelGatewayRequest(String id, Headers headers, ParsedRequest parsed, Instant deadline) {
        this.id = id;
        this.headers = headers;
        this.parsed = parsed;
        this.deadline = deadline;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    /**
     * Middleware changed request headers: later middleware, the policy and the worker see the result.
     * Names are lower case; set values replace all earlier values of that name.
     */
    public void modifyHeaders(java.util.Map<String, String> set, java.util.List<String> remove) {
        if (set.isEmpty() && remove.isEmpty()) {
            return;
        }
        java.util.Map<String, java.util.List<String>> next = new java.util.LinkedHashMap<>(headers.values());
        remove.forEach(name -> next.remove(name.toLowerCase(java.util.Locale.ROOT)));
        set.forEach((name, value) -> next.put(name.toLowerCase(java.util.Locale.ROOT), java.util.List.of(value)));
        headers = new Headers(java.util.Collections.unmodifiableMap(next));
        java.util.Map<String, String> added = new java.util.LinkedHashMap<>(middlewareHeaders);
        remove.forEach(name -> added.remove(name.toLowerCase(java.util.Locale.ROOT)));
        set.forEach((name, value) -> added.put(name.toLowerCase(java.util.Locale.ROOT), value));
        middlewareHeaders = java.util.Map.copyOf(added);
    }

    /** Headers middleware set: forwarded to the worker beside the client headers that are always forwarded. */
    public java.util.Map<String, String> middlewareHeaders() {
        return middlewareHeaders;
    }

    @Override
    public ParsedRequest parsed() {
        return parsed;
    }

    /** Middleware rewrote the body: route and forward the new one. */
    public void replaceParsed(ParsedRequest replacement) {
        this.parsed = replacement;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    public void setPrincipal(Principal principal) {
        this.principal = principal;
    }

    @Override
    public String tenant() {
        if (admission != null) {
            return admission.tenant();
        }
        return principal == null ? "default" : principal.tenant();
    }

    @Override
    public int priority() {
        return admission == null ? 0 : AdmissionSection.PriorityClass.values().length - 1 - admission.priorityClass().ordinal();
    }

    public ObservedRequest observed() {
        return observed;
    }

    public void setObserved(ObservedRequest observation) {
        this.observed = observation;
    }

    /** The request's admission slot; null when admission is unlimited. */
    public AdmissionTicket admission() {
        return admission;
    }

    public void setAdmission(AdmissionTicket ticket) {
        this.admission = ticket;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }
}
