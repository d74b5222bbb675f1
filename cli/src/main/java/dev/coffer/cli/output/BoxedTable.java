package dev.coffer.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The AWS CLI's boxed table: a list of sections, each with an optional title, an optional header
 * row and rows, indented by nesting level with {@code |} on both sides. Every section is stretched
 * to the width of the widest one; columns share the width in proportion to their content. A table
 * wider than the terminal shows each single-row section vertically (one header | value row per
 * column), as the AWS CLI does. Mutable; used by one thread.
 */
final class BoxedTable {
  private static final int PADDING = 4;

  private final List<Section> sections = new ArrayList<>();
  private Section current;

  void newSection(String title, int indentLevel) {
    current = new Section(title, indentLevel);
    sections.add(current);
  }

  void addHeader(List<String> headers) {
    current.headers = List.copyOf(headers);
    current.widen(headers);
  }

  void addRow(List<String> row) {
    current.rows.add(List.copyOf(row));
    current.widen(row);
  }

  /** The table, every line {@code \n}-terminated; empty when nothing was added. */
  String render(int terminalWidth) {
    if (sections.isEmpty()) {
      return "";
    }
    int maxWidth = maxWidth();
    if (maxWidth > terminalWidth) {
      sections.replaceAll(Section::vertical);
      maxWidth = maxWidth();
    }
    StringBuilder out = new StringBuilder();
    out.append("-".repeat(maxWidth)).append('\n');
    for (Section s : sections) {
      renderSection(s, maxWidth, out);
    }
    return out.toString();
  }

  private int maxWidth() {
    int maxWidth = 0;
    for (Section s : sections) {
      maxWidth = Math.max(maxWidth, s.totalWidth());
    }
    return maxWidth;
  }

  private static void renderSection(Section s, int maxWidth, StringBuilder out) {
    String indent = "|".repeat(s.indentLevel);
    int width = maxWidth - 2 * s.indentLevel;
    List<String> lines = new ArrayList<>();
    if (!s.title.isEmpty()) {
      lines.add(center(s.title, width, "|", "|"));
      if (s.headers.isEmpty() && s.rows.isEmpty()) {
        lines.add("+" + "-".repeat(width - 2) + "+");
      }
    }
    int[] widths = s.columnWidths(width);
    if (!s.headers.isEmpty()) {
      lines.add(lineBreak(widths));
      StringBuilder h = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        h.append(center(s.headers.get(i), widths[i], i == 0 ? "|" : "", "|"));
      }
      lines.add(h.toString());
    }
    if (!s.rows.isEmpty() && widths.length > 0) {
      lines.add(lineBreak(widths));
      for (List<String> row : s.rows) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
          r.append(alignLeft(i < row.size() ? row.get(i) : "", widths[i], i == 0 ? "|" : "", "|"));
        }
        lines.add(r.toString());
      }
      lines.add(lineBreak(widths));
    }
    for (String line : lines) {
      out.append(indent).append(line).append(indent).append('\n');
    }
  }

  private static String lineBreak(int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      b.append(
          i == 0
              ? "+" + "-".repeat(Math.max(0, widths[i] - 2)) + "+"
              : "-".repeat(Math.max(0, widths[i] - 1)) + "+");
    }
    return b.toString();
  }

  private static String center(String text, int length, String left, String right) {
    int start = Math.max(0, length / 2 - text.length() / 2 - 1);
    int soFar = left.length() + start + text.length();
    int rightSpaces = Math.max(0, length - right.length() - soFar);
    return left + " ".repeat(start) + text + " ".repeat(rightSpaces) + right;
  }

  private static String alignLeft(String text, int length, String left, String right) {
    int padding = Math.max(0, length - text.length() - 2 - left.length() - right.length());
    return left + "  " + text + " ".repeat(padding) + right;
  }

  /** One titled block of the table. */
  private static final class Section {
    final String title;
    final int indentLevel;
    List<String> headers = List.of();
    final List<List<String>> rows = new ArrayList<>();
    int[] maxWidths = new int[0];

    Section(String title, int indentLevel) {
      this.title = title == null ? "" : title;
      this.indentLevel = indentLevel;
    }

    /**
     * A single-row section with headers as {@code header | value} rows; any other section as it is.
     */
    Section vertical() {
      if (rows.size() != 1 || headers.isEmpty()) {
        return this;
      }
      Section v = new Section(title, indentLevel);
      List<String> row = rows.get(0);
      for (int i = 0; i < headers.size(); i++) {
        List<String> pair = List.of(headers.get(i), i < row.size() ? row.get(i) : "");
        v.rows.add(pair);
        v.widen(pair);
      }
      return v;
    }

    void widen(List<String> cells) {
      if (maxWidths.length < cells.size()) {
        maxWidths = Arrays.copyOf(maxWidths, cells.size());
      }
      for (int i = 0; i < cells.size(); i++) {
        maxWidths[i] = Math.max(maxWidths[i], cells.get(i).length());
      }
    }

    int totalWidth() {
      int total = 0;
      for (int w : maxWidths) {
        total += w + PADDING;
      }
      total += 2 + 2 * indentLevel;
      return Math.max(title.length() + 2 + 2 * indentLevel, total);
    }

    /** Column widths scaled so that they add up to {@code width}, as the AWS CLI scales them. */
    int[] columnWidths(int width) {
      int[] unscaled = new int[maxWidths.length];
      int sum = 0;
      for (int i = 0; i < unscaled.length; i++) {
        unscaled[i] = maxWidths[i] + PADDING;
        sum += unscaled[i];
      }
      if (unscaled.length == 0) {
        return unscaled;
      }
      double scale = width / (double) sum;
      int[] scaled = new int[unscaled.length];
      int total = 0;
      for (int i = 0; i < unscaled.length; i++) {
        scaled[i] = (int) Math.rint(scale * unscaled[i]);
        total += scaled[i];
      }
      int offBy = total - width;
      while (offBy != 0) {
        if (offBy > 0) {
          for (int i = 0; i < scaled.length && offBy > 0; i++) {
            scaled[i]--;
            offBy--;
          }
        } else {
          for (int i = scaled.length - 1; i >= 0 && offBy < 0; i--) {
            scaled[i]++;
            offBy++;
          }
        }
      }
      return scaled;
    }
  }
}
