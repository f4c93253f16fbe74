package uk.ac.manchester.tornado.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import uk.ac.manchester.tornado.api.common.TornadoFunctions;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;

/**
 * A named list of tasks (static kernel methods and their array arguments) with the transfers around
 * them. Stand-in: building it only records; {@link #snapshot()} freezes it for an execution plan.
 */
public class TaskGraph {
    private final String name;
    private final List<ImmutableTaskGraph.Transfer> toDevice = new ArrayList<>();
    private final List<ImmutableTaskGraph.Transfer> toHost = new ArrayList<>();
    private final List<ImmutableTaskGraph.Step> tasks = new ArrayList<>();

    public TaskGraph(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a task graph needs a name");
        this.name = name;
    }

    public String getTaskGraphName() {
        return name;
    }

    /** Copies {@code objects} to the device before the tasks run: on the first execution only, or on every one. */
    public TaskGraph transferToDevice(int mode, Object... objects) {
        for (Object o : objects) toDevice.add(new ImmutableTaskGraph.Transfer(checkMode(mode), o));
        return this;
    }

    /** Copies {@code objects} back to the host after the tasks ran. */
    public TaskGraph transferToHost(int mode, Object... objects) {
        for (Object o : objects) toHost.add(new ImmutableTaskGraph.Transfer(checkMode(mode), o));
        return this;
    }

    private static int checkMode(int mode) {
        if (mode != DataTransferMode.FIRST_EXECUTION && mode != DataTransferMode.EVERY_EXECUTION) {
            throw new IllegalArgumentException("unknown data transfer mode " + mode);
        }
        return mode;
    }

    private TaskGraph add(String id, Object[] args, Consumer<Object[]> call) {
        for (ImmutableTaskGraph.Step s : tasks) {
            if (s.id().equals(id)) throw new IllegalArgumentException("task '" + id + "' already exists in task graph '" + name + "'");
        }
        tasks.add(new ImmutableTaskGraph.Step(id, args, call));
        return this;
    }

    /** An immutable copy of the graph as it is now. */
    public ImmutableTaskGraph snapshot() {
        return new ImmutableTaskGraph(name, toDevice, tasks, toHost);
    }

    public TaskGraph task(String id, TornadoFunctions.Task code) {
        return add(id, new Object[0], a -> code.apply());
    }

    @SuppressWarnings("unchecked")
    public <T1> TaskGraph task(String id, TornadoFunctions.Task1<T1> code, T1 arg1) {
        return add(id, new Object[] {arg1}, a -> code.apply((T1) a[0]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2> TaskGraph task(String id, TornadoFunctions.Task2<T1, T2> code, T1 arg1, T2 arg2) {
        return add(id, new Object[] {arg1, arg2}, a -> code.apply((T1) a[0], (T2) a[1]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3> TaskGraph task(String id, TornadoFunctions.Task3<T1, T2, T3> code, T1 arg1, T2 arg2, T3 arg3) {
        return add(id, new Object[] {arg1, arg2, arg3}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4> TaskGraph task(String id, TornadoFunctions.Task4<T1, T2, T3, T4> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5> TaskGraph task(String id, TornadoFunctions.Task5<T1, T2, T3, T4, T5> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6> TaskGraph task(String id, TornadoFunctions.Task6<T1, T2, T3, T4, T5, T6> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7> TaskGraph task(String id, TornadoFunctions.Task7<T1, T2, T3, T4, T5, T6, T7> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8> TaskGraph task(String id, TornadoFunctions.Task8<T1, T2, T3, T4, T5, T6, T7, T8> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9> TaskGraph task(String id, TornadoFunctions.Task9<T1, T2, T3, T4, T5, T6, T7, T8, T9> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> TaskGraph task(String id, TornadoFunctions.Task10<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8], (T10) a[9]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> TaskGraph task(String id, TornadoFunctions.Task11<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8], (T10) a[9], (T11) a[10]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> TaskGraph task(String id, TornadoFunctions.Task12<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8], (T10) a[9], (T11) a[10], (T12) a[11]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> TaskGraph task(String id, TornadoFunctions.Task13<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8], (T10) a[9], (T11) a[10], (T12) a[11], (T13) a[12]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> TaskGraph task(String id, TornadoFunctions.Task14<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8], (T10) a[9], (T11) a[10], (T12) a[11], (T13) a[12], (T14) a[13]));
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> TaskGraph task(String id, TornadoFunctions.Task15<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15) {
        return add(id, new Object[] {arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15}, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7], (T9) a[8], (T10) a[9], (T11) a[10], (T12) a[11], (T13) a[12], (T14) a[13], (T15) a[14]));
    }
}
