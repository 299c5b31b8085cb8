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
    private final Headers headers;
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
