package dev.lathe.frontend.parse;

import dev.lathe.diag.SourceSpan;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Structural views of AST records, so that tests and tools compare trees by their content and not
 * by where they came from.
 */
public final class AstStructure {
    private AstStructure() {}

    /** A record class's component accessors and canonical constructor, looked up once per class. */
    private record Shape(MethodHandle[] accessors, MethodHandle constructor) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            try {
                MethodHandle[] accessors = new MethodHandle[components.length];
                for (int i = 0; i < components.length; i++) accessors[i] = lookup.unreflect(components[i].getAccessor());
                Class<?>[] parameters = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
                return new Shape(accessors, lookup.unreflectConstructor(type.getDeclaredConstructor(parameters)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("not a public record with a canonical constructor: " + type.getName(), e);
            }
        }
    };

    /**
     * A deep copy of {@code node} (an AST record, a list of them, or anything else, which is kept
     * as it is) with every {@link SourceSpan} replaced by {@link SourceSpan#UNKNOWN}: two trees
     * parsed from differently laid out text are then {@code equals} when their structure is.
     */
    @SuppressWarnings("unchecked")
    public static <T> T withoutSpans(T node) {
        return (T) strip(node);
    }

    /** Visits {@code node} and every record reachable from it through components and lists, parents first. */
    public static void forEachRecord(Object node, Consumer<Record> visitor) {
        switch (node) {
            case null -> { }
            case List<?> list -> list.forEach(e -> forEachRecord(e, visitor));
            case Record record -> {
                visitor.accept(record);
                for (MethodHandle accessor : SHAPES.get(record.getClass()).accessors()) forEachRecord(invoke(accessor, record), visitor);
            }
            default -> { }
        }
    }

    private static Object strip(Object node) {
        return switch (node) {
            case null -> null;
            case SourceSpan ignored -> SourceSpan.UNKNOWN;
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                for (Object e : list) out.add(strip(e));
                yield Collections.unmodifiableList(out);
            }
            case Record record -> {
                Shape shape = SHAPES.get(record.getClass());
                Object[] values = new Object[shape.accessors().length];
                for (int i = 0; i < values.length; i++) values[i] = strip(invoke(shape.accessors()[i], record));
                try {
                    yield shape.constructor().invokeWithArguments(values);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException("cannot copy " + record.getClass().getName(), e);
                }
            }
            default -> node;
        };
    }

    private static Object invoke(MethodHandle accessor, Record record) {
        try {
            return accessor.invoke(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read a component of " + record.getClass().getName(), e);
        }
    }
}
