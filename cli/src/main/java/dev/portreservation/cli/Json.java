package dev.portreservation.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and nulls as JSON, two-space indented,
 * keys in insertion order. Anything else is written as its string.
 */
final class Json {

	private Json() {
	}

	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(out, value, "");
		return out.append('\n').toString();
	}

	private static void write(StringBuilder out, Object value, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			writeMap(out, map, indent);
		}
		else if (value instanceof List<?> list) {
			writeList(out, list, indent);
		}
		else {
			string(out, value.toString());
		}
	}

	private static void writeMap(StringBuilder out, Map<?, ?> map, String indent) {
		if (map.isEmpty()) {
			out.append("{}");
			return;
		}
		String inner = indent + "  ";
		out.append("{\n");
		for (Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator(); entries.hasNext();) {
			Map.Entry<?, ?> entry = entries.next();
			out.append(inner);
			string(out, String.valueOf(entry.getKey()));
			out.append(": ");
			write(out, entry.getValue(), inner);
			out.append(entries.hasNext() ? ",\n" : "\n");
		}
		out.append(indent).append('}');
	}

	private static void writeList(StringBuilder out, List<?> list, String indent) {
		if (list.isEmpty()) {
			out.append("[]");
			return;
		}
		String inner = indent + "  ";
		out.append("[\n");
		for (int i = 0; i < list.size(); i++) {
			out.append(inner);
			write(out, list.get(i), inner);
			out.append((i < list.size() - 1) ? ",\n" : "\n");
		}
		out.append(indent).append(']');
	}

	private static void string(StringBuilder out, String text) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
