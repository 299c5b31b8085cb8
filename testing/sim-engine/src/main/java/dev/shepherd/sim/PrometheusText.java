package dev.shepherd.sim;

/**
 * Writes the Prometheus text exposition format (version 0.0.4) by hand: a few gauges and counters,
 * each sample labelled with the served model as vLLM labels them ({@code model_name}).
 */
final class PrometheusText {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder text = new StringBuilder(4096);
  private final String labels;

  PrometheusText(String modelName) {
    this.labels = "{model_name=\"" + escape(modelName) + "\"}";
  }

  PrometheusText gauge(String name, String help, double value) {
    return family(name, "gauge", help).sample(name, labels, value);
  }

  PrometheusText counter(String name, String help, double value) {
    return family(name, "counter", help).sample(name, labels, value);
  }

  /** A counter family with one sample per value of an extra label. */
  PrometheusText counter(String name, String help, String label, String[] labelValues, double[] values) {
    family(name, "counter", help);
    String prefix = labels.substring(0, labels.length() - 1) + "," + label + "=\"";
    for (int i = 0; i < labelValues.length; i++) {
      sample(name, prefix + escape(labelValues[i]) + "\"}", values[i]);
    }
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private PrometheusText family(String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  private PrometheusText sample(String name, String sampleLabels, double value) {
    text.append(name).append(sampleLabels).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      text.append((long) value).append(".0");
    } else {
      text.append(value);
    }
    text.append('\n');
    return this;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
