package dev.shepherd.sim;

import java.util.List;

/** The model ids an engine serves; resolves a request's {@code model} field. */
final class ServedModels {

  private final List<String> ids;

  ServedModels(List<String> ids) {
    this.ids = List.copyOf(ids);
  }

  /** The requested model, the primary model when none is named, or a 404 {@code model_not_found}. */
  String resolve(String requested) {
    if (requested == null || requested.isEmpty()) {
      return ids.get(0);
    }
    if (ids.contains(requested)) {
      return requested;
    }
    throw ApiError.modelNotFound(requested);
  }

  List<String> ids() {
    return ids;
  }

  String primary() {
    return ids.get(0);
  }
}
