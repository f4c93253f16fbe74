package uk.ac.manchester.tornado.api;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/** A frozen {@link TaskGraph}. Stand-in: it also holds the simulated device copies of its arrays. */
public final class ImmutableTaskGraph {
    record Transfer(int mode, Object object) {}

    record Step(String id, Object[] args, Consumer<Object[]> call) {}

    private final String name;
    private final List<Transfer> toDevice;
    private final List<Step> tasks;
    private final List<Transfer> toHost;
    /** Host array to its device copy. */
    private final Map<Object, TornadoNativeArray> device = new IdentityHashMap<>();
    private boolean executed;

    ImmutableTaskGraph(String name, List<Transfer> toDevice, List<Step> tasks, List<Transfer> toHost) {
        this.name = name;
        this.toDevice = List.copyOf(toDevice);
        this.tasks = List.copyOf(tasks);
        this.toHost = List.copyOf(toHost);
        for (Transfer t : this.toDevice) requireArray(t.object());
        for (Transfer t : this.toHost) requireArray(t.object());
    }

    private void requireArray(Object o) {
        if (!(o instanceof TornadoNativeArray)) {
            throw new IllegalArgumentException("the stand-in transfers TornadoVM arrays only, got " + (o == null ? "null" : o.getClass().getName())
                    + " in task graph '" + name + "'");
        }
    }

    String name() {
        return name;
    }

    /** One execution: transfers in, every task in order on the device copies, transfers out. */
    synchronized void execute() {
        for (Transfer t : toDevice) {
            if (!executed || t.mode() == DataTransferMode.EVERY_EXECUTION) deviceCopy(t.object()).copyFrom((TornadoNativeArray) t.object());
        }
        for (Step s : tasks) {
            Object[] args = new Object[s.args().length];
            for (int i = 0; i < args.length; i++) args[i] = s.args()[i] instanceof TornadoNativeArray ? deviceCopy(s.args()[i]) : s.args()[i];
            s.call().accept(args);
        }
        for (Transfer t : toHost) {
            if (!executed || t.mode() == DataTransferMode.EVERY_EXECUTION) ((TornadoNativeArray) t.object()).copyFrom(deviceCopy(t.object()));
        }
        executed = true;
    }

    private TornadoNativeArray deviceCopy(Object host) {
        return device.computeIfAbsent(host, h -> ((TornadoNativeArray) h).newZeroedLike());
    }
}
