package dev.shepherd.bench.soak;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The soak figures as Markdown, for the console and docs/reliability.md. */
final class Report {

    private Report() {
    }

    /**
     * What the gateway itself reported over the whole run (warm-up, chaos and fault-free phases).
     *
     * @param resumptionsLogged "resuming the stream" log lines
     * @param resumptionsCounted {@code smg_router_stream_resumptions_total}
     * @param retries {@code smg_worker_retries_total}, summed over workers
     * @param retriesExhausted {@code smg_worker_retries_exhausted_total}
     * @param breakerOpenings "circuit closed -> open" log lines
     * @param healthRemovals workers taken out of routing by health checks (log lines)
     * @param metricsScraped false when the metrics listener could not be read
     */
    record GatewaySide(long resumptionsLogged, long resumptionsCounted, long retries, long retriesExhausted,
                       long breakerOpenings, long healthRemovals, boolean metricsScraped) {
    }

    static String render(SoakSettings s, PhaseStats chaos, PhaseStats clean, Map<Chaos.Fault, Integer> faults,
                         long[] chaosCheck, long[] cleanCheck, GatewaySide g, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "- Load: %d closed-loop clients, %.0f %% streamed, `max_tokens` %d–%d, client timeout %d s; "
                        + "4 simulated engines (decode step %s ms); %d s fault-free warm-up (not counted), then %d s under chaos, "
                        + "then %d s fault-free. Seed %d. Load average %s before, %s after.%n",
                s.clients(), s.streamShare() * 100, s.minTokens(), s.maxTokens(), s.clientTimeout().toSeconds(),
                trim(s.decodeMs()), s.warmup().toSeconds(), s.chaosDuration().toSeconds(), s.cleanDuration().toSeconds(),
                s.seed(), loadBefore, loadAfter));
        out.append(String.format(Locale.ROOT,
                "- Chaos: every %.1f–%.1f s a random healthy engine gets a fault lasting %.0f–%.0f s, at most %d at once and only while "
                        + "more than %d are in routing: %s.%n",
                s.chaosPauseMinMs() / 1000.0, s.chaosPauseMaxMs() / 1000.0, s.faultMinMs() / 1000.0, s.faultMaxMs() / 1000.0,
                s.maxFaulty(), 4 - s.maxFaulty(), faults.entrySet().stream()
                        .map(e -> e.getValue() + " × " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                        .collect(Collectors.joining(", "))));
        out.append(String.format(Locale.ROOT,
                "- Gateway (`--policy power_of_two --health-check-interval-secs 1 --cb-timeout-duration-secs 5%s`, "
                        + "first-byte and stream-idle timeouts 2 s), over the whole run: %d stream resumptions logged "
                        + "(%s counted in `smg_router_stream_resumptions_total`), %s retried attempts "
                        + "(`smg_worker_retries_total`), %s requests whose retries ran out, %d circuit openings, "
                        + "%d workers taken out of routing by health checks.%n%n",
                s.gatewayArgs().isEmpty() ? "" : " " + String.join(" ", s.gatewayArgs()), g.resumptionsLogged(),
                metric(g, g.resumptionsCounted()), metric(g, g.retries()), metric(g, g.retriesExhausted()),
                g.breakerOpenings(), g.healthRemovals()));
        out.append("| phase | sent | succeeded | failed with an explicit error | lost | hung | resumed streams seen by clients "
                + "| p50 ms | p99 ms | max ms | requests/s |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        row(out, "chaos", chaos);
        row(out, "fault-free", clean);
        out.append('\n');
        out.append(String.format(Locale.ROOT, "p99 under chaos / fault-free: %.1f×. Latency is the whole answer "
                        + "(the full stream for streamed requests), of the requests that succeeded.%n%n",
                clean.percentileMillis(99) == 0 ? 0 : chaos.percentileMillis(99) / clean.percentileMillis(99)));
        out.append("Explicit errors by status and code: chaos ").append(codes(chaos)).append("; fault-free ")
                .append(codes(clean)).append(".\n\n");
        out.append(String.format(Locale.ROOT, "Text check against an uninterrupted generation from a separate "
                        + "reference engine (every resumed stream plus one answer in 20): chaos %d checked (%d resumed), "
                        + "%d differ; fault-free %d checked, %d differ.%n",
                chaosCheck[0], chaosCheck[2], chaosCheck[1], cleanCheck[0], cleanCheck[1]));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, PhaseStats p) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.0f |%n", name,
                p.sent.sum(), p.ok.sum(), p.errors.sum(), p.lost.sum(), p.hung.sum(), p.resumed.sum(),
                p.percentileMillis(50), p.percentileMillis(99), p.maxMillis(),
                p.wallMillis == 0 ? 0 : p.sent.sum() * 1000.0 / p.wallMillis));
    }

    private static String codes(PhaseStats p) {
        Map<String, Long> codes = p.errorCodes();
        return codes.isEmpty() ? "none" : codes.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String metric(GatewaySide g, long value) {
        return g.metricsScraped() ? Long.toString(value) : "n/a";
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
