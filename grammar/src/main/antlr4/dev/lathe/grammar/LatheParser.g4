// Syntax of the .model language (LANGUAGE.md §2-§7). No actions and no predicates: every check
// that needs more than the grammar (header version, attribute types, number ranges) is done by
// dev.lathe.frontend.parse, so that it can report the right diagnostic code.
parser grammar LatheParser;

options { tokenVocab = LatheLexer; }

// The header is optional here so that a missing one is reported as E0105 rather than as a
// generic syntax error.
file : header? decl* EOF;

// Entry point for a single pass statement given on the command line (`--pass '...'`).
singlePass : passCall SEMI? EOF;

header : MODEL name=ident VERSION version=INT SEMI;

decl
    : IMPORT moduleName (DOT STAR | AS alias=ident)? SEMI                  # importModule
    | IMPORT path=STRING (AS alias=ident)? SEMI                             # importPath
    | DIM dimDef (COMMA dimDef)* SEMI                                       # dimDecl
    | CONST constDef (COMMA constDef)* SEMI                                 # constDecl
    | WEIGHTS path=STRING LENIENT? (SEMI | LBRACE renameRule* RBRACE)       # weightsDecl
    | kind=(BLOCK | GRAPH) name=ident signature (body | SEMI)               # blockDecl
    | PASSES LBRACE passStmt* RBRACE                                        # passesDecl
    ;

moduleName : ident (DOT ident)*;

dimDef : name=ident (IN lo=expr RANGE hi=expr)?;

constDef : name=ident ASSIGN value=expr;

renameRule : RENAME from=STRING ARROW to=STRING SEMI;

signature : LPAREN (sigParam (COMMA sigParam)*)? RPAREN ARROW results;

// `b?: T[O]` is optional, `xs...: T[...]` variadic.
sigParam : name=ident (QUESTION | ELLIPSIS)? COLON sigType (ASSIGN defaultValue=expr)?;

// Whether this is an attribute (`int`, `float[]`) or a tensor type (`f32[B]`) is decided from the
// name by the front end.
sigType : elementType=ident (LBRACK typeDims? RBRACK)?;

tensorType : elementType=ident LBRACK typeDims? RBRACK;

typeDims : dimEntry (COMMA dimEntry)*;

// LANGUAGE.md puts `...` first; std.ops also has trailing ones (`T[N, C, ...]`), so the grammar
// takes it anywhere and the front end allows one per type.
dimEntry
    : ELLIPSIS                                                              # ellipsisDim
    | QUESTION                                                              # unknownDim
    | expr                                                                  # exprDim
    ;

results
    : tensorType                                                            # singleResult
    | LPAREN result (COMMA result)* RPAREN                                  # resultList
    ;

result : (name=ident COLON)? tensorType;

body : LBRACE stmt* RBRACE;

stmt
    : annotation+ annotatable                                               # annotatedStmt
    | paramDecl                                                             # paramStmt
    | assignment                                                            # assignStmt
    | RETURN expr (COMMA expr)* SEMI                                        # returnStmt
    | REPEAT variable=ident IN from=expr RANGE to=expr body                 # repeatStmt
    | ifChain                                                               # ifStmt
    | ASSERT condition=expr (COLON message=STRING)? SEMI                    # assertStmt
    ;

annotatable
    : paramDecl                                                             # annotatedParam
    | assignment                                                            # annotatedAssign
    ;

annotation : AT name=ident (LPAREN argList? RPAREN)?;

paramDecl : PARAM name=ident COLON tensorType (IF condition=expr)? SEMI;

assignment : target (COMMA target)* ASSIGN value=expr SEMI;

target : ident;

ifChain : IF condition=expr then=body (ELSE elseBranch)?;

elseBranch
    : ifChain                                                               # elseIf
    | body                                                                  # elseBody
    ;

passStmt : passCall SEMI;

passCall : pass=ident LPAREN argList? RPAREN ON STRING (COMMA STRING)*;

argList : arg (COMMA arg)*;

arg
    : name=argName ASSIGN value=expr                                        # namedArg
    | value=expr                                                            # positionalArg
    ;

// An argument name may also be the keyword `block` (sparsify's `block = [r, c]`).
argName : ident | BLOCK;

// Precedence as in Java, tightest first; `@` binds like `*`. Left-recursive alternatives are
// left-associative.
expr
    : callee=qualifiedName LPAREN argList? RPAREN (NAMED instance=STRING)?  # callExpr
    | qualifiedName                                                         # nameExpr
    | INT                                                                   # intExpr
    | FLOAT                                                                 # floatExpr
    | (TRUE | FALSE)                                                        # boolExpr
    | STRING                                                                # stringExpr
    | LBRACK (expr (COMMA expr)*)? RBRACK                                   # listExpr
    | LPAREN expr RPAREN                                                    # parenExpr
    | op=(MINUS | BANG) operand=expr                                        # unaryExpr
    | left=expr op=(STAR | SLASH | PERCENT | AT) right=expr                 # mulExpr
    | left=expr op=(PLUS | MINUS) right=expr                                # addExpr
    | left=expr op=(LT | LE | GT | GE) right=expr                           # relExpr
    | left=expr op=(EQ | NE) right=expr                                     # eqExpr
    | left=expr op=AND right=expr                                           # andExpr
    | left=expr op=OR right=expr                                            # orExpr
    ;

qualifiedName : ident (DOT ident)*;

// Keywords that cannot be confused with anything else where a name is expected.
ident : word=(IDENT | MODEL | VERSION | AS | DIM | WEIGHTS | RENAME | LENIENT | ON);
