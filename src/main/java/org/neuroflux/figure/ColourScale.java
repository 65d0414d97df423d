package org.neuroflux.figure;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/** A paint scale interpolating linearly between anchor colours (a perceptual ramp, or grey). */
final class ColourScale implements PaintScale {
    /** Viridis anchors, dark blue to yellow: for magnitudes (time-frequency). */
    static final Color[] VIRIDIS = {
        new Color(68, 1, 84),
        new Color(59, 82, 139),
        new Color(33, 145, 140),
        new Color(94, 201, 98),
        new Color(253, 231, 37)
    };
    /** White to black: SPM's rate images (black = firing). */
    static final Color[] WHITE_TO_BLACK = {Color.WHITE, Color.BLACK};

    private final double lower;
    private final double upper;
    private final Color[] anchors;

    ColourScale(double lower, double upper, Color[] anchors) {
        this.lower = lower;
        this.upper = upper > lower ? upper : lower + 1;
        this.anchors = anchors.clone();
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        double v = (Math.max(lower, Math.min(upper, value)) - lower) / (upper - lower) * (anchors.length - 1);
        int i = Math.min(anchors.length - 2, (int) Math.floor(v));
        double f = v - i;
        Color a = anchors[i];
        Color b = anchors[i + 1];
        return new Color(
                mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
