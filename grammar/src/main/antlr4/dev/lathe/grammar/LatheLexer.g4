// Tokens of the .model language (LANGUAGE.md §2). Malformed input becomes dedicated error tokens
// (BAD_NUMBER, UNTERMINATED_STRING, UNTERMINATED_COMMENT, ERROR_CHAR) instead of lexer errors, so
// the front end can report each with its own diagnostic code and keep going.
lexer grammar LatheLexer;

channels { COMMENTS, DOCS }

// Keywords. The parser rule `ident` lets the ones that are unambiguous where a name is expected
// (dim, version, lenient, rename, weights, model, on, as) serve as names too.
MODEL   : 'model';
VERSION : 'version';
IMPORT  : 'import';
AS      : 'as';
DIM     : 'dim';
IN      : 'in';
CONST   : 'const';
WEIGHTS : 'weights';
RENAME  : 'rename';
LENIENT : 'lenient';
BLOCK   : 'block';
GRAPH   : 'graph';
PARAM   : 'param';
RETURN  : 'return';
REPEAT  : 'repeat';
IF      : 'if';
ELSE    : 'else';
ASSERT  : 'assert';
PASSES  : 'passes';
ON      : 'on';
NAMED   : 'named';
TRUE    : 'true';
FALSE   : 'false';

IDENT : [A-Za-z_] [A-Za-z0-9_]*;

// FLOAT precedes BAD_NUMBER so that `1e5`, which both match in full, is a FLOAT. A fraction needs
// digits after the dot, so `0..N` lexes as INT RANGE IDENT.
INT   : DIGITS;
FLOAT : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT;
BAD_NUMBER
    : DIGITS ('.' DIGITS)? [eE] [+-]?
    | DIGITS ('.' DIGITS)? EXPONENT? [A-Za-z_] [A-Za-z0-9_]*
    ;

// Any backslash pair is lexed; the front end rejects escapes other than \" and \\ (E0106).
STRING : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '"';
UNTERMINATED_STRING : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '\\'?;

// `////...` is an ordinary comment, `///` starts a doc comment.
DOC_COMMENT  : ('///' ~[/\r\n] ~[\r\n]* | '///') -> channel(DOCS);
LINE_COMMENT : '//' ~[\r\n]* -> channel(COMMENTS);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(COMMENTS);
// Matches a prefix that never contains `*/`, so it is longer than BLOCK_COMMENT only when the
// comment is never closed.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* -> channel(COMMENTS);

LPAREN   : '(';
RPAREN   : ')';
LBRACK   : '[';
RBRACK   : ']';
LBRACE   : '{';
RBRACE   : '}';
COMMA    : ',';
SEMI     : ';';
COLON    : ':';
ELLIPSIS : '...';
RANGE    : '..';
DOT      : '.';
ARROW    : '->';
QUESTION : '?';
AT       : '@';
EQ       : '==';
NE       : '!=';
LE       : '<=';
GE       : '>=';
LT       : '<';
GT       : '>';
AND      : '&&';
OR       : '||';
BANG     : '!';
ASSIGN   : '=';
PLUS     : '+';
MINUS    : '-';
STAR     : '*';
SLASH    : '/';
PERCENT  : '%';

WS : [ \t\r\n\f]+ -> skip;

ERROR_CHAR : .;

fragment DIGITS   : [0-9]+;
fragment EXPONENT : [eE] [+-]? DIGITS;
