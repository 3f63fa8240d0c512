package org.measureflow.ot.gaussian;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.testing.RandomInputs;

/** Small helpers shared by the Gaussian OT tests. */
final class GaussianFixtures {
    private GaussianFixtures() {
    }

    /** The docs/closed-forms.md CF-12/docs/closed-forms.md CF-14 golden pair: N(0, diag(1,2)) and N((1,0), [[2,.5],[.5,1]]). */
    static GaussianMeasure goldenSource() {
        return GaussianMeasure.of(new double[]{0, 0}, new DMatrixRMaj(new double[][]{{1, 0}, {0, 2}}));
    }

    static GaussianMeasure goldenTarget() {
        return GaussianMeasure.of(new double[]{1, 0}, new DMatrixRMaj(new double[][]{{2, .5}, {.5, 1}}));
    }

    /** A random Gaussian with standard normal mean and a covariance of the given condition number. */
    static GaussianMeasure random(RandomGenerator rng, int d, double condition) {
        double scale = Math.exp(rng.nextDouble(-1, 1));
        return GaussianMeasure.of(RandomInputs.gaussianVector(rng, d), RandomInputs.spd(rng, d, condition, scale));
    }

    static GaussianMeasure diagonal(double[] mean, double[] variances) {
        DMatrixRMaj s = new DMatrixRMaj(variances.length, variances.length);
        for (int i = 0; i < variances.length; i++) {
            s.set(i, i, variances[i]);
        }
        return GaussianMeasure.of(mean, s);
    }
}
