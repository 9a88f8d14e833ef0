package dev.portreservation.test;

/**
 * One of the classes that run at once across the forks; see {@link ForkedBlockScenario}.
 */
class ForkedBlock16Tests extends ForkedBlockScenario {

}
