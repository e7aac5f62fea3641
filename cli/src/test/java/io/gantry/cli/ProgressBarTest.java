package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rollout progress bar and the cleaning of device text before it reaches a terminal. */
class ProgressBarTest {
    @Test
    void drawsSucceededFailedOpenAndWaitingInProportion() {
        assertEquals("[######xx>>>>........] 8/20 done: 6 succeeded, 2 failed, 4 open", ProgressBar.render(6, 2, 4, 20, 20));
        assertEquals("[###xx>>>>>] 10/20 done: 6 succeeded, 4 failed, 10 open", ProgressBar.render(6, 4, 10, 20, 10));
    }

    @Test
    void anEmptyRolloutDrawsAnEmptyBar() {
        assertEquals("[.....] 0/0 done: 0 succeeded, 0 failed, 0 open", ProgressBar.render(0, 0, 0, 0, 5));
    }

    @Test
    void terminalEscapesFromDevicesAreDefused() {
        assertEquals("?[2J?]0;owned?red?", OperatorTables.clean("\u001b[2J\u001b]0;owned\u0007red\u009b"));
        assertEquals("plain text, ünïcode", OperatorTables.clean("plain text, ünïcode"));
    }
}
