package dev.lathe.runtime.model.gen;

import dev.lathe.runtime.model.ModelCode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Defines generated model classes as hidden classes in this package, which is why every generated
 * class is named {@code dev.lathe.runtime.model.gen.*}: the same bytes serve classes compiled at
 * run time ({@code Lathe.compile}) and {@code .class} files written at build time. A hidden class is
 * unloaded once nothing refers to it.
 */
public final class HiddenClasses {
    /** The package every generated model class is in, in internal form. */
    public static final String INTERNAL_PACKAGE = "dev/lathe/runtime/model/gen";

    private HiddenClasses() {}

    /** Defines the class and makes an instance with its public no-argument constructor. */
    public static ModelCode define(byte[] classBytes) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(classBytes, true);
            return (ModelCode) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot define the generated model class: " + e, e);
        }
    }
}
