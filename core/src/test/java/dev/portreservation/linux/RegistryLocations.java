package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds, from the outside, the runtime directory a file of the holder registry or a lock
 * file is in, without asking the code under test: every place a version of the library
 * may have put it (the old system property, {@code $XDG_RUNTIME_DIR/portreservation},
 * {@code /run/portreservation/runtime}, {@code /tmp/portreservation-<uid>} and its
 * step-arounds).
 */
final class RegistryLocations {

	private RegistryLocations() {
	}

	static Path directoryOf(String fileName) throws IOException {
		for (Path candidate : candidates()) {
			if (Files.exists(candidate.resolve(fileName), LinkOption.NOFOLLOW_LINKS)) {
				return candidate;
			}
		}
		throw new IllegalStateException(fileName + " is in none of " + candidates());
	}

	private static List<Path> candidates() throws IOException {
		List<Path> candidates = new ArrayList<>();
		String property = System.getProperty("portreservation.linux.runtime-directory");
		if (property != null) {
			candidates.add(Path.of(property));
		}
		String xdg = System.getenv("XDG_RUNTIME_DIR");
		if (xdg != null && xdg.startsWith("/")) {
			candidates.add(Path.of(xdg, "portreservation"));
		}
		candidates.add(Path.of("/run/portreservation/runtime"));
		try (DirectoryStream<Path> tmp = Files.newDirectoryStream(Path.of("/tmp"),
				"portreservation-" + HolderRegistryFiles.ownUid() + "*")) {
			tmp.forEach(candidates::add);
		}
		return candidates;
	}

}
