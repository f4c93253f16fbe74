package dev.lathe.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassDocsTest {
    @Test
    void rendersOverviewAndArgumentTables() {
        String md = PassDocs.markdown(PassRegistry.standard());
        assertTrue(md.startsWith("| pass | applies to | arguments | summary |\n|---|---|---|---|\n"), md);
        assertTrue(md.contains("| `kernelize` | attention instance paths | `method`, `features`, `landmarks`, `window`, `seed` |"), md);
        assertTrue(md.contains("| `min_saving` | float | [0, 1) | 0.1 |"), md);
        // the | inside "8 | 4" is escaped so the row keeps its five cells
        assertTrue(md.contains("| `bits` | int | 8 \\| 4 | 8 |"), md);
        assertTrue(md.contains("| `group` | int | 32 \\| 64 \\| 128 | 128 when granularity = \"group\" |"), md);
        assertTrue(md.contains("- exactly one of rank, ratio, energy, threshold is required\n"), md);
        assertTrue(md.contains("- when scheme = \"dgq\": bits = 4\n"), md);
        // conditional defaults appear in the default column, not again as rules
        assertTrue(!md.contains("defaults to"), md);
    }

    @Test
    void rendersATinyRegistryExactly() {
        PassInfo p = new PassInfo("fold", "fold constants",
                List.of(new ArgInfo("depth", ArgType.INT, Allowed.Range.atLeast(1), 3L, "how deep")),
                TargetKind.PARAM, "none", List.of(), Set.of());
        assertEquals("""
                | pass | applies to | arguments | summary |
                |---|---|---|---|
                | `fold` | param paths | `depth` | fold constants |

                ### `fold`

                Fold constants. Applies to param paths.

                | argument | type | allowed | default | meaning |
                |---|---|---|---|---|
                | `depth` | int | >= 1 | 3 | how deep |

                Preconditions: none.
                """, PassDocs.markdown(new PassRegistry(List.of(p))));
    }
}
