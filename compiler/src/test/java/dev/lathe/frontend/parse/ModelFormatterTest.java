package dev.lathe.frontend.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.frontend.ast.ModelFile;
import org.junit.jupiter.api.Test;

class ModelFormatterTest {

    /** Formats, checks that the output is a fixed point with the same structure, and returns it. */
    private static String format(String source) {
        ModelFile parsed = ModelParser.parse("f.model", source);
        String once = ModelFormatter.format(parsed);
        ModelFile reparsed = ModelParser.parse("f.model", once);
        assertEquals(AstStructure.withoutSpans(parsed), AstStructure.withoutSpans(reparsed), "structure changed by formatting:\n" + once);
        assertEquals(once, ModelFormatter.format(reparsed), "formatting is not idempotent");
        return once;
    }

    @Test
    void canonicalLayout() {
        String messy = """
                model   m version 1 ;   import std.nn.*;import "x.model" as x;
                dim B in 1 .. 64,S;const D=256,F=4*D;
                weights "w.safetensors" lenient{rename "a.{i}."->"b.{i}.";}
                block Lin(x:f32[...,I],out:int,bias:bool=true)->(y:f32[...,out]){param weight:f32[out,I];param bias:f32[out]if bias;
                return linear(x,weight,bias);}
                block relu(x: T[...]) -> T[...];
                block gelu(x: T[...], mode: string = "erf") -> T[...];
                graph main(x:f32[B,D])->f32[B,D]{repeat i in 0..2{x=Lin(x,out=D)named"l{i}";}
                if D>1{x=-x;}else if D<0{x=x;}else{assert false:"no";}
                @lowrank(rank=8) @quantize(bits=4)
                a,b=split(x,parts=2);return a;}
                passes{lowrank(energy=0.9)on"a","b";}
                """;
        String expected = """
                model m version 1;
                import std.nn.*;
                import "x.model" as x;

                dim B in 1..64, S;
                const D = 256, F = 4 * D;

                weights "w.safetensors" lenient {
                  rename "a.{i}." -> "b.{i}.";
                }

                block Lin(x: f32[..., I], out: int, bias: bool = true) -> (y: f32[..., out]) {
                  param weight: f32[out, I];
                  param bias: f32[out] if bias;
                  return linear(x, weight, bias);
                }

                block relu(x: T[...]) -> T[...];
                block gelu(x: T[...], mode: string = "erf") -> T[...];

                graph main(x: f32[B, D]) -> f32[B, D] {
                  repeat i in 0..2 {
                    x = Lin(x, out = D) named "l{i}";
                  }
                  if D > 1 {
                    x = -x;
                  } else if D < 0 {
                    x = x;
                  } else {
                    assert false : "no";
                  }
                  @lowrank(rank = 8)
                  @quantize(bits = 4)
                  a, b = split(x, parts = 2);
                  return a;
                }

                passes {
                  lowrank(energy = 0.9) on "a", "b";
                }
                """;
        assertEquals(expected, format(messy));
    }

    @Test
    void parenthesesOnlyWherePrecedenceNeedsThem() {
        String source = """
                model p version 1;
                const A = a - (b - c), B = (a - b) - c, C = (a + b) * c, D = a + (b * c), E = -(x @ w), F = (-x) @ w;
                const G = !(a && b) || (c || d), H = (a == b) == c, I = a / (b * c) % d, J = - -x, K = f((a)) named "n";
                """;
        String expected = """
                model p version 1;

                const A = a - (b - c), B = a - b - c, C = (a + b) * c, D = a + b * c, E = -(x @ w), F = -x @ w;
                const G = !(a && b) || (c || d), H = a == b == c, I = a / (b * c) % d, J = - -x, K = f(a) named "n";
                """;
        assertEquals(expected, format(source));
    }

    @Test
    void literalsAsWrittenAndStringsReEscaped() {
        String source = "model l version 1;\nconst A = 1e-5, B = 1.50, C = 007, D = 2E+3, E = \"a\\\"b\\\\c {x}\", F = [ ];\n";
        String expected = "model l version 1;\n\nconst A = 1e-5, B = 1.50, C = 007, D = 2E+3, E = \"a\\\"b\\\\c {x}\", F = [];\n";
        assertEquals(expected, format(source));
    }

    @Test
    void commentsStayWhereTheyWere() {
        String source = """
                // Header comment.
                model c version 1; // trailing on the header
                import std.nn.*;
                /* About the dims. */
                dim B;

                /// Doc of A.
                block A(x: f32[B]) -> f32[B] { // after the brace
                  // Before y.
                  y = x + x;   // trailing on y
                  /* between */ z = y;
                  return z;
                  // At the end of A.
                }
                // Before main.
                graph main(x: f32[B]) -> f32[B] {
                  if true {
                    x = A(x);
                    // End of then.
                  } else {
                    // Start of else.
                    x = x;
                  }
                  return x;
                }
                // At the end of the file.
                """;
        String expected = """
                // Header comment.
                model c version 1; // trailing on the header
                import std.nn.*;

                /* About the dims. */
                dim B;

                /// Doc of A.
                block A(x: f32[B]) -> f32[B] { // after the brace
                  // Before y.
                  y = x + x; // trailing on y
                  /* between */
                  z = y;
                  return z;
                  // At the end of A.
                }

                // Before main.
                graph main(x: f32[B]) -> f32[B] {
                  if true {
                    x = A(x);
                  } else {
                    // End of then.
                    // Start of else.
                    x = x;
                  }
                  return x;
                }
                // At the end of the file.
                """;
        assertEquals(expected, format(source));
    }

    @Test
    void commentsInsideMultiLineStatementsKeepTheirOrder() {
        String source = """
                model c version 1;
                graph main(x: f32[4],   // the input
                           n: int) -> f32[4] {
                  y = add(x, // first
                          x); // second
                  z = add(y,
                    // own line inside
                    y); /* after */ // last
                  return z;
                }
                """;
        String expected = """
                model c version 1;

                graph main(x: f32[4], n: int) -> f32[4] { // the input
                  y = add(x, x); // first
                  // second
                  z = add(y, y);
                  // own line inside
                  /* after */
                  // last
                  return z;
                }
                """;
        assertEquals(expected, format(source));
    }

    @Test
    void anUnattachedDocLineStaysUnattached() {
        String source = """
                model d version 1;
                /// Loose doc line.

                /// Real doc.
                block A(x: f32[4]) -> f32[4] {
                  /// Loose at the end.
                }
                """;
        String expected = """
                model d version 1;

                /// Loose doc line.

                /// Real doc.
                block A(x: f32[4]) -> f32[4] {
                  /// Loose at the end.
                }
                """;
        assertEquals(expected, format(source));
    }

    @Test
    void windowsLineEndingsGiveTheSameTreeAndOutput() {
        String lf = TestFiles.read(TestFiles.resource("parse/all_constructs.model"));
        String crlf = lf.replace("\n", "\r\n");
        ModelFile a = ModelParser.parse("f.model", lf);
        ModelFile b = ModelParser.parse("f.model", crlf);
        // Block comments keep their line breaks as written; everything else is the same.
        assertEquals(AstStructure.withoutSpans(a).decls(), AstStructure.withoutSpans(b).decls());
        assertEquals(a.comments().stream().map(c -> c.text()).toList(),
                b.comments().stream().map(c -> c.text().replace("\r\n", "\n")).toList());
        assertEquals(ModelFormatter.format(a), ModelFormatter.format(b).replace("\r\n", "\n"));
        assertEquals(a.decls().get(3).span(), b.decls().get(3).span());
    }

    @Test
    void docCommentsAreReprintedFromTheirText() {
        String source = "model d version 1;\n///First\n///\n///   indented\nconst A = 1;\n";
        assertEquals("model d version 1;\n\n/// First\n///\n///   indented\nconst A = 1;\n", format(source));
    }

    @Test
    void nestedBodiesEndCommentsByIndentation() {
        // A comment after the last statement of a body belongs to the innermost closing body whose
        // header it is indented past.
        String source = """
                model n version 1;
                graph main(x: f32[4]) -> f32[4] {
                  repeat i in 0..2 {
                    repeat j in 0..2 {
                      x = x;
                          // deep: inner body
                      // inner body
                    // level of repeat j: outer body
                  // level of repeat i: main body
                // level of graph: before the return
                    }
                  }
                  return x;
                }
                """;
        String expected = """
                model n version 1;

                graph main(x: f32[4]) -> f32[4] {
                  repeat i in 0..2 {
                    repeat j in 0..2 {
                      x = x;
                      // deep: inner body
                      // inner body
                    }
                    // level of repeat j: outer body
                  }
                  // level of repeat i: main body
                  // level of graph: before the return
                  return x;
                }
                """;
        assertEquals(expected, format(source));
    }
}
