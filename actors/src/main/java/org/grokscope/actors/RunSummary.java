package org.grokscope.actors;

import org.grokscope.compute.train.EventSettings;
import org.grokscope.compute.train.GrokDetector;
import org.grokscope.protocol.EpochMetrics;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunStatus;
import org.grokscope.protocol.events.CheckpointSaved;
import org.grokscope.protocol.events.EpochCompleted;
import org.grokscope.protocol.events.RunCompleted;
import org.grokscope.protocol.events.RunEvent;
import org.grokscope.protocol.events.RunFailed;
import org.grokscope.protocol.events.RunPaused;
import org.grokscope.protocol.events.RunResumed;
import org.grokscope.protocol.events.RunStarted;
import org.grokscope.protocol.events.RunStopped;

/**
 * A run as its journal tells it, folded from events read through persistence query: what
 * {@code grokscope runs} lists. Counts EpochCompleted events so gaps and duplicates show.
 * t_fit, t_onset and t_grok (-1: not reached) are {@link GrokDetector}'s over the epochs.
 */
public record RunSummary(String runId, RunSpec spec, RunStatus status, int epoch, EpochMetrics last,
                         EpochMetrics lastEvaluated, int tFit, int tGrok, String reason, long epochEvents,
                         boolean contiguous, CheckpointSaved lastCheckpoint, int tOnset) {

    public static RunSummary empty(String runId) {
        return new RunSummary(runId, null, RunStatus.NEW, 0, null, null, -1, -1, null, 0, true, null, -1);
    }

    /**
     * Folds a run's events; t_fit and t_grok come from the given thresholds, for finished runs
     * too. Thresholds are how a run is read, like the analyzers' parameters, not part of the run:
     * under new {@code grokscope.events} every listing agrees with the onset detector, which also
     * refolds with them, instead of showing the values RunCompleted journaled under the old ones
     * (or, for a run resumed under new thresholds, a mix of both).
     */
    public static RunSummary fold(String runId, Iterable<RunEvent> events, EventSettings settings) {
        RunSummary s = empty(runId);
        GrokDetector grok = null;
        for (RunEvent e : events) {
            s = s.apply(e);
            if (e instanceof RunStarted started) {
                grok = GrokDetector.start(started.spec().p());
            } else if (e instanceof EpochCompleted ec && grok != null) {
                grok = grok.next(ec.metrics(), settings);
            }
        }
        if (grok == null) {
            return s;
        }
        return new RunSummary(runId, s.spec(), s.status(), s.epoch(), s.last(), s.lastEvaluated(), grok.tFit(),
                grok.tGrok(), s.reason(), s.epochEvents(), s.contiguous(), s.lastCheckpoint(), grok.tOnset());
    }

    public RunSummary apply(RunEvent event) {
        if (event instanceof RunStarted e) {
            return new RunSummary(runId, e.spec(), RunStatus.RUNNING, epoch, last, lastEvaluated, tFit, tGrok, null,
                    epochEvents, contiguous, lastCheckpoint, tOnset);
        }
        if (event instanceof EpochCompleted e) {
            EpochMetrics m = e.metrics();
            return new RunSummary(runId, spec, status, m.epoch(), m, m.evaluated() ? m : lastEvaluated, tFit, tGrok,
                    reason, epochEvents + 1, contiguous && m.epoch() == epoch + 1, lastCheckpoint, tOnset);
        }
        if (event instanceof CheckpointSaved e) {
            return new RunSummary(runId, spec, status, epoch, last, lastEvaluated, tFit, tGrok, reason, epochEvents,
                    contiguous, e, tOnset);
        }
        if (event instanceof RunCompleted e) {
            return with(RunStatus.COMPLETED, null, e.tFit(), e.tGrok());
        }
        if (event instanceof RunFailed e) {
            return with(RunStatus.FAILED, e.reason(), tFit, tGrok);
        }
        if (event instanceof RunPaused) {
            return with(RunStatus.PAUSED, null, tFit, tGrok);
        }
        if (event instanceof RunResumed) {
            return with(RunStatus.RUNNING, null, tFit, tGrok);
        }
        if (event instanceof RunStopped) {
            return with(RunStatus.STOPPED, null, tFit, tGrok);
        }
        return this;
    }

    /** The same summary with a note in place of the failure reason, for listings. */
    public RunSummary withNote(String note) {
        return new RunSummary(runId, spec, status, epoch, last, lastEvaluated, tFit, tGrok, note, epochEvents,
                contiguous, lastCheckpoint, tOnset);
    }

    private RunSummary with(RunStatus newStatus, String newReason, int fit, int grok) {
        return new RunSummary(runId, spec, newStatus, epoch, last, lastEvaluated, fit, grok, newReason, epochEvents,
                contiguous, lastCheckpoint, tOnset);
    }
}
