package dev.portreservation.core;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A process's command line in a form a person recognises in one line: a JVM is named by
 * its main class or jar ({@code java -jar app.jar}, {@code java org.example.App
 * --server.port=8080}), not by the first hundreds of characters of its class path, which
 * is what {@code spring-boot:run} and IDE processes start with. Other programs keep their
 * command line, with a class path option shown as {@code ...}. Either way at most
 * {@value #MAX_LENGTH} characters.
 */
public final class CommandLineSummary {

	/** Longest summary. */
	public static final int MAX_LENGTH = 160;

	private static final Set<String> JAVA_LAUNCHERS = Set.of("java", "java.exe", "javaw", "javaw.exe");

	private static final Set<String> CLASS_PATH_OPTIONS = Set.of("-cp", "-classpath", "--class-path");

	// JVM options whose value is the next word.
	private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
			"--module-path", "--upgrade-module-path", "--add-modules", "--add-opens", "--add-exports", "--add-reads",
			"--patch-module", "--limit-modules", "--source", "--enable-native-access");

	private CommandLineSummary() {
	}

	/**
	 * @param commandLine a command line, words separated by spaces (as
	 * {@code /proc/PID/cmdline} reads with its NULs made spaces), or {@code null}
	 * @return its summary, {@code null} for {@code null}
	 */
	public static String of(String commandLine) {
		if (commandLine == null) {
			return null;
		}
		List<String> words = List.of(commandLine.strip().split(" +"));
		String summary = isJava(words.get(0)) ? java(words) : null;
		return shorten((summary != null) ? summary : elideClassPath(words));
	}

	private static boolean isJava(String program) {
		String name = program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
		return JAVA_LAUNCHERS.contains(name.toLowerCase(Locale.ROOT));
	}

	// "java" and what it runs: -jar JAR, -m MODULE/CLASS or the main class, with the
	// program's arguments; null when the JVM's options hide what it runs (an @argfile).
	private static String java(List<String> words) {
		for (int i = 1; i < words.size(); i++) {
			String word = words.get(i);
			if ((word.equals("-jar") || word.equals("-m") || word.equals("--module")) && i + 1 < words.size()) {
				return "java " + word + " " + String.join(" ", words.subList(i + 1, words.size()));
			}
			if (OPTIONS_WITH_VALUE.contains(word)) {
				i++;
			}
			else if (!word.startsWith("-") && !word.startsWith("@")) {
				return "java " + String.join(" ", words.subList(i, words.size()));
			}
		}
		return null;
	}

	private static String elideClassPath(List<String> words) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < words.size(); i++) {
			if (text.length() > 0) {
				text.append(' ');
			}
			text.append(words.get(i));
			if (CLASS_PATH_OPTIONS.contains(words.get(i)) && i + 1 < words.size()) {
				text.append(" ...");
				i++;
			}
		}
		return text.toString();
	}

	private static String shorten(String text) {
		return (text.length() <= MAX_LENGTH) ? text : text.substring(0, MAX_LENGTH - 3) + "...";
	}

}
