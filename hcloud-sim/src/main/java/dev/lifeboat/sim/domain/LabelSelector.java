package dev.lifeboat.sim.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hetzner label selector: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, {@code
 * k in (a,b)}, {@code k notin (a,b)}, joined by commas (AND).
 */
public final class LabelSelector implements Predicate<Map<String, String>> {

  private static final String KEY = "[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";
  private static final String VALUE = "[-A-Za-z0-9_.]*";
  private static final Pattern SET =
      Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s+\\(([^)]*)\\)");
  private static final Pattern COMPARE =
      Pattern.compile("(" + KEY + ")\\s*(==|!=|=)\\s*(" + VALUE + ")");
  private static final Pattern EXISTS = Pattern.compile("(!)?\\s*(" + KEY + ")");

  private final List<Predicate<Map<String, String>>> terms;

  private LabelSelector(List<Predicate<Map<String, String>>> terms) {
    this.terms = terms;
  }

  /** Parses a selector; an error names the term that is not valid. */
  public static LabelSelector parse(String selector) {
    List<Predicate<Map<String, String>>> terms = new ArrayList<>();
    for (String term : splitTerms(selector)) {
      terms.add(term(term.trim()));
    }
    return new LabelSelector(terms);
  }

  @Override
  public boolean test(Map<String, String> labels) {
    return terms.stream().allMatch(term -> term.test(labels));
  }

  private static Predicate<Map<String, String>> term(String term) {
    Matcher set = SET.matcher(term);
    if (set.matches()) {
      String key = set.group(1);
      boolean in = set.group(3).equals("in");
      Set<String> values = Set.copyOf(List.of(set.group(4).trim().split("\\s*,\\s*")));
      return in
          ? labels -> labels.containsKey(key) && values.contains(labels.get(key))
          : labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
    }
    Matcher compare = COMPARE.matcher(term);
    if (compare.matches()) {
      String key = compare.group(1);
      String value = compare.group(4);
      return compare.group(3).equals("!=")
          ? labels -> !value.equals(labels.get(key))
          : labels -> value.equals(labels.get(key));
    }
    Matcher exists = EXISTS.matcher(term);
    if (exists.matches()) {
      String key = exists.group(2);
      return exists.group(1) == null
          ? labels -> labels.containsKey(key)
          : labels -> !labels.containsKey(key);
    }
    throw ApiError.invalidInput("label_selector", "invalid label selector term '" + term + "'");
  }

  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    if (depth != 0 || terms.stream().anyMatch(String::isBlank)) {
      throw ApiError.invalidInput("label_selector", "invalid label selector '" + selector + "'");
    }
    return terms;
  }
}
