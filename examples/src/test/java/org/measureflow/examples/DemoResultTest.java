package org.measureflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DemoResultTest {
    @Test
    void readingsFormatScalarsVectorsAndMatrices() {
        assertEquals("3", DemoResult.Reading.scalar("n", 3).formattedValues());
        assertEquals("0.123457", DemoResult.Reading.scalar("x", 0.1234567).formattedValues());
        assertEquals("(1, -0.500000)", DemoResult.Reading.vector("v", new double[]{1, -0.5}).formattedValues());
        DMatrixRMaj m = new DMatrixRMaj(new double[][]{{1, 2.5}, {3, 4}});
        assertEquals("[[1, 2.50000], [3, 4]]", DemoResult.Reading.matrix("m", m).formattedValues());
    }

    @Test
    void explanationMustHaveExactlyTwoLines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DemoResult("t", List.of(), List.of("only one"), List.of()));
        assertTrue(e.getMessage().contains("explanation"));
    }

    @Test
    void readingIsFoundByLabelAndItsValuesAreCopies() {
        double[] v = {1, 2};
        DemoResult r = new DemoResult("t", List.of(), List.of("a", "b"), List.of(DemoResult.Reading.vector("v", v)));
        v[0] = 99;
        assertEquals(1, r.reading("v").values()[0]);
        r.reading("v").values()[1] = 99;
        assertEquals(2, r.reading("v").values()[1]);
        assertNull(r.reading("missing"));
    }

    @Test
    void summaryPageEscapesHtml() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", SummaryPage.escape("a <b> & \"c\" 'd'"));
    }
}
