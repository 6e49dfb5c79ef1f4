package dev.lifeboat.sim.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The common query of the API's lists: {@code name}, {@code label_selector}, {@code status}
 * (repeatable), {@code sort} (repeatable, {@code field[:asc|:desc]}), {@code page} and {@code
 * per_page} (default 25, at most 50).
 */
public record ListQuery(
    String name,
    String labelSelector,
    List<String> statuses,
    List<String> sorts,
    Integer page,
    Integer perPage) {

  /** The default number of items per page. */
  public static final int DEFAULT_PER_PAGE = 25;

  /** The largest page the API serves; larger requests are served this many (unconfirmed). */
  public static final int MAX_PER_PAGE = 50;

  public ListQuery {
    statuses = statuses == null ? List.of() : List.copyOf(statuses);
    sorts = sorts == null ? List.of() : List.copyOf(sorts);
    if (page != null && page < 1) {
      throw ApiError.invalidInput("page", "must be 1 or more");
    }
    if (perPage != null && perPage < 1) {
      throw ApiError.invalidInput("per_page", "must be 1 or more");
    }
  }

  /** A query with no filters: first page, default size. */
  public static ListQuery all() {
    return new ListQuery(null, null, List.of(), List.of(), null, null);
  }

  /**
   * Filters, sorts and pages items.
   *
   * @param fields the sortable fields of the item type, by name
   * @param nameOf the item's name, for the {@code name} filter (null when it has none)
   * @param labelsOf the item's labels, for the selector (null when it has none)
   * @param statusOf the item's status, for the {@code status} filter
   */
  public <T> Views.Page<T> apply(
      List<T> items,
      Map<String, Comparator<T>> fields,
      Function<T, String> nameOf,
      Function<T, Map<String, String>> labelsOf,
      Function<T, String> statusOf) {
    LabelSelector selector = labelSelector == null ? null : LabelSelector.parse(labelSelector);
    List<T> selected = new ArrayList<>();
    for (T item : items) {
      if (name != null && (nameOf == null || !name.equals(nameOf.apply(item)))) {
        continue;
      }
      if (selector != null && (labelsOf == null || !selector.test(labelsOf.apply(item)))) {
        continue;
      }
      if (!statuses.isEmpty() && !statuses.contains(statusOf.apply(item))) {
        continue;
      }
      selected.add(item);
    }
    selected.sort(order(fields));
    return page(selected);
  }

  private <T> Comparator<T> order(Map<String, Comparator<T>> fields) {
    Comparator<T> order = fields.get("id");
    List<Comparator<T>> keys = new ArrayList<>();
    for (String sort : sorts) {
      String[] parts = sort.split(":", 2);
      Comparator<T> key = fields.get(parts[0]);
      if (key == null || (parts.length == 2 && !parts[1].matches("asc|desc"))) {
        throw ApiError.invalidInput(
            "sort", "invalid sort '" + sort + "'; fields: " + fields.keySet());
      }
      keys.add(parts.length == 2 && parts[1].equals("desc") ? key.reversed() : key);
    }
    if (keys.isEmpty()) {
      return order;
    }
    Comparator<T> combined = keys.get(0);
    for (Comparator<T> key : keys.subList(1, keys.size())) {
      combined = combined.thenComparing(key);
    }
    return combined.thenComparing(order);
  }

  private <T> Views.Page<T> page(List<T> sorted) {
    int size = Math.min(perPage == null ? DEFAULT_PER_PAGE : perPage, MAX_PER_PAGE);
    int current = page == null ? 1 : page;
    int total = sorted.size();
    int last = Math.max(1, (total + size - 1) / size);
    int from = Math.min((current - 1) * size, total);
    int to = Math.min(from + size, total);
    Views.Pagination pagination =
        new Views.Pagination(
            current,
            size,
            current > 1 ? current - 1 : null,
            current < last ? current + 1 : null,
            last,
            total);
    return new Views.Page<>(List.copyOf(sorted.subList(from, to)), new Views.Meta(pagination));
  }
}
