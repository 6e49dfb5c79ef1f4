package dev.lifeboat.sim.api;

import dev.lifeboat.sim.domain.ApiError;
import dev.lifeboat.sim.domain.ListQuery;
import java.util.List;

/** Turns the query parameters of a list request into a {@link ListQuery}. */
final class Queries {

  private Queries() {}

  static ListQuery of(
      String name,
      String labelSelector,
      List<String> statuses,
      List<String> sorts,
      String page,
      String perPage) {
    return new ListQuery(
        name, labelSelector, statuses, sorts, number(page, "page"), number(perPage, "per_page"));
  }

  static ListQuery of(List<String> statuses, List<String> sorts, String page, String perPage) {
    return of(null, null, statuses, sorts, page, perPage);
  }

  private static Integer number(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiError.invalidInput(field, "must be a whole number, was '" + value + "'");
    }
  }
}
