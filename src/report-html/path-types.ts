/**
 * A vault's resolution path as the HTML report draws it, taken from the JSON report alone (the contract): the
 * name, its CNAME chain, the addresses it resolves to, the private endpoint that owns each address and that
 * endpoint's resource. `expected` is the same path as ARM says it should be.
 */
export interface PathNode {
  /** What the step is: "name", "CNAME", "address", "private endpoint", "resource". */
  readonly step: string;
  /** The value, one line each (a CNAME chain has several). */
  readonly lines: readonly string[];
  /** A short note under the value: the resolver, the data plane answer, the connection state. */
  readonly note?: string;
  /** Drawn in red: a mismatch with what ARM expects. */
  readonly bad: boolean;
  /** Drawn in amber: only warnings name this step. */
  readonly warn?: boolean;
  /** The object a diagnosis changes: its root finding names this step (drawn with a heavier border, ◆). */
  readonly root?: boolean;
  /** The finding codes that name this node. */
  readonly codes: readonly string[];
}

/** One row per address: address → endpoint → resource. */
export interface PathRow {
  readonly address: PathNode;
  readonly endpoint: PathNode;
  readonly resource: PathNode;
}

export interface ResolutionPath {
  readonly name: PathNode;
  readonly cname: PathNode;
  readonly rows: readonly PathRow[];
}

export interface VaultPaths {
  readonly observed: ResolutionPath;
  readonly expected: ResolutionPath;
}
