package dev.portreservation.boot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Analyses a startup failure the way Spring Boot does when it prints the "APPLICATION
 * FAILED TO START" report: every {@link FailureAnalyzer} registered in
 * {@code META-INF/spring.factories}, in order, first answer wins. So a test sees exactly
 * what the user would see, and also proves the registration.
 */
public final class FailureAnalysisAssert {

	private FailureAnalysisAssert() {
	}

	/**
	 * @param failure the startup failure
	 * @return what Boot would report
	 */
	public static FailureAnalysis analyze(Throwable failure) {
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, ex) -> {
				// As Boot does: an analyzer whose optional dependency is missing is
				// skipped.
			}));
		AnnotationAwareOrderComparator.sort(analyzers);
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analyzer explains " + failure, failure);
	}

	/**
	 * @param failure the startup failure
	 * @return the analysis, after checking it came from this project's analyzer
	 */
	public static FailureAnalysis analyzedByPortReservation(Throwable failure) {
		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis.getDescription()).startsWith("Port reservation failed: ");
		return analysis;
	}

}
