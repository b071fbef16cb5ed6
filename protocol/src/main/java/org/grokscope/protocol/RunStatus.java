package org.grokscope.protocol;

/** Where a run stands, as its journal says. NEW only exists before the first event. */
public enum RunStatus {
    NEW("new"), QUEUED("queued"), RUNNING("running"), PAUSED("paused"), COMPLETED("completed"), FAILED("failed"),
    STOPPED("stopped");

    private final String specName;

    RunStatus(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    /** No more training will happen. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }
}
