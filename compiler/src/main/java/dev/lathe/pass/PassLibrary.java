package dev.lathe.pass;

import dev.lathe.pass.kernelize.KernelizePass;
import dev.lathe.pass.lowrank.LowRankPass;
import dev.lathe.pass.quantize.QuantizePass;
import dev.lathe.pass.sparsify.SparsifyPass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pass implementations the pipeline can run, one per registered name: an explicit list
 * (STYLE.md 3). The {@linkplain #standard() standard} library implements {@code lowrank}, {@code sparsify},
 * {@code kernelize} (favor, elu, window) and {@code quantize} (weight-only round to nearest); the
 * other passes of {@link PassRegistry#standard()} are {@link NotImplementedPass}es in this
 * version. Immutable.
 */
public final class PassLibrary {
    private static final PassLibrary STANDARD = standardLibrary();

    private final List<Pass> passes;

    public PassLibrary(List<Pass> passes) {
        this.passes = List.copyOf(passes);
        Set<String> names = new HashSet<>();
        for (Pass p : this.passes) {
            if (!names.add(p.name())) throw new IllegalArgumentException("pass " + p.name() + " is in the library twice");
        }
    }

    public static PassLibrary standard() {
        return STANDARD;
    }

    private static PassLibrary standardLibrary() {
        List<Pass> passes = new ArrayList<>();
        for (PassInfo info : PassRegistry.standard().passes()) {
            passes.add(switch (info.name()) {
                case LowRankPass.NAME -> new LowRankPass();
                case SparsifyPass.NAME -> new SparsifyPass();
                case KernelizePass.NAME -> new KernelizePass();
                case QuantizePass.NAME -> new QuantizePass();
                default -> new NotImplementedPass(info);
            });
        }
        return new PassLibrary(passes);
    }

    public List<Pass> passes() {
        return passes;
    }

    public Optional<Pass> lookup(String name) {
        return passes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The metadata of these passes, for planning statements against them. */
    public PassRegistry registry() {
        return new PassRegistry(passes.stream().map(Pass::info).toList());
    }
}
