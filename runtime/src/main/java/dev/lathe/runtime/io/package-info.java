/**
 * Reading and writing tensors in the files models are distributed in: safetensors
 * ({@link dev.lathe.runtime.io.SafetensorsFile}, {@link dev.lathe.runtime.io.SafetensorsWriter}), NumPy
 * {@code .npy} ({@link dev.lathe.runtime.io.Npy}) and {@code .npz} ({@link dev.lathe.runtime.io.Npz}).
 *
 * <p>Readers treat every file as untrusted input (DESIGN.md §8): each format rule is checked, resource
 * use is capped by a limits record, and a broken rule is reported as a
 * {@link dev.lathe.runtime.io.WeightsFormatException} naming the file, the tensor and the rule; an
 * unreadable file is a plain {@link java.io.IOException}. Writers replace their target atomically.
 * The package depends on the JDK only, so its JSON and Python-literal readers are hand-written.
 */
package dev.lathe.runtime.io;
