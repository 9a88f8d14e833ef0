package dev.portreservation.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header row and left-aligned columns two spaces apart; the last
 * column is not padded.
 */
final class Table {

	private final List<String[]> rows = new ArrayList<>();

	Table(String... headers) {
		this.rows.add(headers);
	}

	Table row(Object... cells) {
		String[] text = new String[cells.length];
		for (int i = 0; i < cells.length; i++) {
			text[i] = (cells[i] != null) ? cells[i].toString() : "-";
		}
		this.rows.add(text);
		return this;
	}

	boolean isEmpty() {
		return this.rows.size() == 1;
	}

	@Override
	public String toString() {
		int columns = this.rows.get(0).length;
		int[] widths = new int[columns];
		for (String[] row : this.rows) {
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder out = new StringBuilder();
		for (String[] row : this.rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < columns; i++) {
				line.append(row[i]);
				if (i < columns - 1) {
					line.append(" ".repeat(widths[i] - row[i].length() + 2));
				}
			}
			out.append(line.toString().stripTrailing()).append('\n');
		}
		return out.toString();
	}

}
