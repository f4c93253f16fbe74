/**
 * A STAND-IN for the TornadoVM API, not TornadoVM: a clean-room, minimal, sequential implementation of
 * exactly the subset that Lathe's TornadoVM backend emits ({@code TaskGraph}, {@code ImmutableTaskGraph},
 * {@code TornadoExecutionPlan}, {@code @Parallel}, {@code @Reduce}, {@code DataTransferMode}, the task
 * functional interfaces and the off-heap array types), written from TornadoVM's documented behaviour so
 * that the emitted Java source compiles and runs in tests on machines without TornadoVM.
 *
 * <p>Semantics: tasks run in the order they were added, on the calling thread, with every {@code @Parallel}
 * loop run sequentially (exact, since a {@code @Parallel} loop's iterations are independent). The device
 * memory is simulated: every array a task graph touches has a device copy; {@code transferToDevice}
 * copies host to device on the first execution ({@code FIRST_EXECUTION}) or on every execution
 * ({@code EVERY_EXECUTION}), tasks read and write only the device copies, and {@code transferToHost}
 * copies device to host after every execution ({@code EVERY_EXECUTION}). Arrays no transfer names are
 * allocated (zeroed) on the device. So a host program that forgets a transfer reads stale data here, as
 * it would on a GPU.
 */
package uk.ac.manchester.tornado.api;
