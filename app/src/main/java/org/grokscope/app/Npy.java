package org.grokscope.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes float32 matrices in NumPy's {@code .npy} format (version 1.0) and bundles them as an
 * {@code .npz} archive, so {@code export --weights} hands checkpoints to numpy, PyTorch or JAX
 * with {@code numpy.load} and no parser of ours.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** NumPy pads the header so the data starts on this boundary (format spec, version 1.0). */
    private static final int ALIGN = 64;

    private Npy() {
    }

    /** A named row-major (rows, cols) float32 array of an archive. */
    record Array(String name, int rows, int cols, float[] data) {
        Array {
            if ((long) rows * cols != data.length) {
                throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " is not " + data.length + " floats");
            }
        }
    }

    /** The .npy bytes of one (rows, cols) C-order little-endian float32 array. */
    static byte[] bytes(int rows, int cols, float[] data) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + header.length() + 4 * data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(data);
        return b.array();
    }

    /** Writes {@code arrays} as an uncompressed .npz: a zip of {@code name.npy} entries. */
    static void writeNpz(Path file, Array... arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Array a : arrays) {
                zip.putNextEntry(new ZipEntry(a.name() + ".npy"));
                zip.write(bytes(a.rows(), a.cols(), a.data()));
                zip.closeEntry();
            }
        }
    }
}
