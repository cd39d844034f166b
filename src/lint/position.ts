/**
 * Where text is written in a file. A leaf module: the parsers, the documents and the rule types all import it, and
 * it imports nothing, so that none of them depends on another through it.
 */

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a finding points: a position, in the document's own file unless `file` names another (a sibling .env). */
export interface Location extends Position {
  readonly file?: string;
  readonly endLine?: number;
  readonly endColumn?: number;
}
