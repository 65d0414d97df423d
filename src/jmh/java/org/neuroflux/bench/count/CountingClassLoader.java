package org.neuroflux.bench.count;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads a private copy of every {@code org.neuroflux} class (except this package) in which each
 * call of {@code Math.log(double)} and {@code Math.exp(double)} is redirected to
 * {@link CountingMath}. The copy is made from the real class files when they are loaded, so the
 * count always follows the code as it is: only the class of those two method references in the
 * constant pool changes (to a class entry appended at its end); no instruction, index or other
 * reference moves. Used to count, never to time.
 */
final class CountingClassLoader extends ClassLoader {
    private static final String MATH = "java/lang/Math";
    private static final String TARGET = CountingMath.class.getName().replace('.', '/');

    CountingClassLoader(ClassLoader parent) {
        super("neuroflux-counting", parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("org.neuroflux.") || name.startsWith(CountingMath.class.getPackageName() + ".")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] original;
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) throw new ClassNotFoundException(name);
                    original = in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                byte[] redirected = redirect(original);
                c = defineClass(name, redirected, 0, redirected.length);
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    /** The class file with Math.log(D)D and Math.exp(D)D method references pointing at CountingMath. */
    static byte[] redirect(byte[] in) {
        int count = u2(in, 8);
        int[] at = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            at[i] = p;
            int tag = in[p] & 0xff;
            switch (tag) {
                case 1 -> p += 3 + u2(in, p + 1); // Utf8
                case 3, 4 -> p += 5; // Integer, Float
                case 5, 6 -> { // Long, Double take two slots
                    p += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
                case 15 -> p += 4; // MethodHandle
                case 9, 10, 11, 12, 17, 18 -> p += 5; // refs, NameAndType, Dynamic, InvokeDynamic
                default -> throw new IllegalArgumentException("unknown constant pool tag " + tag + " at " + p);
            }
        }
        int poolEnd = p;
        int newClassIndex = count + 1; // the Utf8 name goes at index count, the Class entry after it
        byte[] pool = java.util.Arrays.copyOfRange(in, 10, poolEnd);
        boolean changed = false;
        for (int i = 1; i < count; i++) {
            int q = at[i];
            if (q == 0 || (in[q] & 0xff) != 10) continue; // Methodref only
            int classIndex = u2(in, q + 1);
            int nat = at[u2(in, q + 3)];
            String owner = utf8(in, at[u2(in, at[classIndex] + 1)]);
            String method = utf8(in, at[u2(in, nat + 1)]);
            String descriptor = utf8(in, at[u2(in, nat + 3)]);
            if (owner.equals(MATH) && (method.equals("log") || method.equals("exp")) && descriptor.equals("(D)D")) {
                pool[q - 10 + 1] = (byte) (newClassIndex >>> 8);
                pool[q - 10 + 2] = (byte) newClassIndex;
                changed = true;
            }
        }
        if (!changed) return in;
        byte[] name = TARGET.getBytes(StandardCharsets.UTF_8);
        byte[] extra = new byte[3 + name.length + 3];
        extra[0] = 1;
        extra[1] = (byte) (name.length >>> 8);
        extra[2] = (byte) name.length;
        System.arraycopy(name, 0, extra, 3, name.length);
        extra[3 + name.length] = 7;
        extra[4 + name.length] = (byte) (count >>> 8);
        extra[5 + name.length] = (byte) count;
        byte[] out = new byte[in.length + extra.length];
        System.arraycopy(in, 0, out, 0, 8);
        out[8] = (byte) ((count + 2) >>> 8);
        out[9] = (byte) (count + 2);
        System.arraycopy(pool, 0, out, 10, pool.length);
        System.arraycopy(extra, 0, out, poolEnd, extra.length);
        System.arraycopy(in, poolEnd, out, poolEnd + extra.length, in.length - poolEnd);
        return out;
    }

    private static int u2(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    /** A constant pool Utf8 entry at offset p (class and member names here are ASCII). */
    private static String utf8(byte[] b, int p) {
        return new String(b, p + 3, u2(b, p + 1), StandardCharsets.ISO_8859_1);
    }
}
