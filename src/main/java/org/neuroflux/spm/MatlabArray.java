package org.neuroflux.spm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numeric MATLAB array: its size and its elements in column-major order, converted to and from
 * jsonencode's nested-list layout.
 */
public final class MatlabArray {
    private final int[] dims;
    private final double[] data;

    public MatlabArray(int[] dims, double[] data) {
        this.dims = dims.clone();
        this.data = data;
        if (count(dims) != data.length) {
            throw new IllegalArgumentException(
                    "size " + Arrays.toString(dims) + " needs " + count(dims) + " elements, got " + data.length);
        }
    }

    public int[] dims() {
        return dims.clone();
    }

    public double[] data() {
        return data;
    }

    static int count(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** MATLAB's size(): trailing singleton dimensions dropped, at least two dimensions kept. */
    static int[] matlabSize(int[] dims) {
        int n = dims.length;
        while (n > 2 && dims[n - 1] == 1) n--;
        int[] out = new int[Math.max(2, n)];
        Arrays.fill(out, 1);
        System.arraycopy(dims, 0, out, 0, Math.min(n, dims.length));
        return out;
    }

    /** The shape jsonencode writes for an array of this size: [] for a scalar, [n] for a vector. */
    static int[] jsonShape(int[] dims) {
        int[] size = matlabSize(dims);
        int n = count(size);
        int big = 0;
        for (int d : size) if (d > 1) big++;
        if (n == 0) return new int[] {0};
        if (n == 1) return new int[0];
        if (big <= 1) return new int[] {n};
        return size;
    }

    /** Encodes as jsonencode would. */
    public JsonNode toJson() {
        int[] shape = jsonShape(dims);
        JsonNodeFactory nf = JsonNodeFactory.instance;
        if (shape.length == 0) return nf.numberNode(data[0]);
        if (shape.length == 1) {
            ArrayNode list = nf.arrayNode();
            for (double v : data) list.add(v);
            return list;
        }
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = 0; d < shape.length; d++) {
            strides[d] = s;
            s *= shape[d];
        }
        return nest(shape, strides, 0, 0, nf);
    }

    private JsonNode nest(int[] shape, int[] strides, int d, int offset, JsonNodeFactory nf) {
        ArrayNode list = nf.arrayNode();
        for (int i = 0; i < shape[d]; i++) {
            int at = offset + i * strides[d];
            if (d == shape.length - 1) list.add(data[at]);
            else list.add(nest(shape, strides, d + 1, at, nf));
        }
        return list;
    }

    /**
     * The nested shape of a JSON value: [] for a number, [n, ...] for lists of equal shapes;
     * null for ragged lists or non-numeric leaves.
     */
    static int[] shapeOf(JsonNode node) {
        if (node.isNumber()) return new int[0];
        if (!node.isArray()) return null;
        if (node.isEmpty()) return new int[] {0};
        int[] first = shapeOf(node.get(0));
        if (first == null) return null;
        for (int i = 1; i < node.size(); i++) {
            if (!Arrays.equals(first, shapeOf(node.get(i)))) return null;
        }
        int[] shape = new int[first.length + 1];
        shape[0] = node.size();
        System.arraycopy(first, 0, shape, 1, first.length);
        return shape;
    }

    /** Reads a JSON value of a known nested shape into column-major order over that shape. */
    static double[] read(JsonNode node, int[] shape) {
        double[] out = new double[count(shape)];
        if (shape.length == 0 || node.isNumber()) { // a scalar, also where a 1-element list was expected
            out[0] = node.asDouble();
            return out;
        }
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = 0; d < shape.length; d++) {
            strides[d] = s;
            s *= shape[d];
        }
        fill(node, shape, strides, 0, 0, out);
        return out;
    }

    private static void fill(JsonNode node, int[] shape, int[] strides, int d, int offset, double[] out) {
        for (int i = 0; i < shape[d]; i++) {
            JsonNode child = node.get(i);
            int at = offset + i * strides[d];
            if (d == shape.length - 1) out[at] = child.asDouble();
            else fill(child, shape, strides, d + 1, at, out);
        }
    }

    /** Describes a shape for messages: [] is "a number", [n] "a list of n". */
    static String describe(int[] shape) {
        if (shape == null) return "not a rectangular numeric array";
        if (shape.length == 0) return "a number";
        if (shape.length == 1) return "a flat list of " + shape[0];
        List<String> parts = new ArrayList<>();
        for (int d : shape) parts.add(Integer.toString(d));
        return "nested lists of shape [" + String.join(",", parts) + "]";
    }
}
