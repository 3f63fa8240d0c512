package org.measureflow.examples;

import java.util.List;

/** The registry of the demos that {@code mflow tour} runs, in order. */
public final class Demos {
    private Demos() {
    }

    /**
     * Every demo, one per module, in the order of the tour. A module adds its demo here with one line.
     */
    public static List<TourDemo> all() {
        return List.of(
                new LinearFlowDemo(),
                new VelocityFieldsDemo(),
                new OtPlanDemo(),
                new OtLargeDemo(),
                new OtBarycenterDemo(),
                new OtBenamouBrenierDemo(),
                new FlowMatchingDemo(),
                new GradientFlowDemo(),
                new TrajectoriesDemo(),
                new MeanFieldDemo(),
                new TransformerDemo());
    }
}
