/**
 * A condition operator: everything the rule grammar knows about one kind of condition, in one module.
 * The registry (registry.ts) gathers them; the loader, the validator, the compiler and the
 * requirements walker all dispatch through it, so a new operator is one file plus one registration.
 */
import type { z } from 'zod';
import type { LinkRequirement, WatchlistRequirement } from '../requirements';
import type { RuleSet } from '../rule-set';
import type { PersonMatch } from '../../subject';
import type { Analysis, CheckEnv, Node, Path } from './kit';

/** The check environment plus recursion into nested conditions (for combinators). */
export interface OperatorCheckEnv extends CheckEnv {
  condition(raw: unknown, path: Path): Analysis;
}

export interface CompileEnv {
  lists: RuleSet['lists'];
  /** Compiles a nested condition (for combinators). */
  condition(raw: unknown): Node;
}

/** Where an operator declares what it reads from the world (resolved into the context before evaluation). */
export interface RequirementSink {
  watchlist(requirement: Omit<WatchlistRequirement, 'mode'>): void;
  link(requirement: LinkRequirement): void;
  /** The person's earlier records, found by this key. */
  history(match: PersonMatch): void;
  /** Subject-of-interest entries, matched by these keys. */
  subjectOfInterest(matches: readonly PersonMatch[]): void;
  /** Walks a nested condition (for combinators). */
  condition(raw: unknown): void;
}

export interface ConditionOperator<Body = unknown> {
  /** The YAML key: a condition is `{ <key>: <body> }`. */
  readonly key: string;
  /**
   * True for an operator written inline, `{ <key>: …, <operator>: … }` (the field condition): its body
   * is the whole condition object.
   */
  readonly inline?: boolean;
  /** How the operator is named in "expected one of …" messages; defaults to the key. */
  readonly synopsis?: string;
  /** The body's shape. Bodies reach `compile` and `requirements` only once they match it. */
  readonly schema: z.ZodType<Body>;
  /**
   * Semantic checks (field paths, operand types, list references), reporting every problem at its
   * path. Optional: without it the schema's issues are reported. With it, the schema's issues are
   * reported only when the check found nothing (the check's messages are the more precise ones).
   * Returns whether protected attributes alone could satisfy the condition; default: the body's
   * `field` is protected.
   */
  check?(body: unknown, path: Path, env: OperatorCheckEnv): Analysis;
  /** Compiles a valid body once into a pure node (no I/O, clock or randomness at evaluation). */
  compile(body: Body, env: CompileEnv): Node;
  /** Declares what the condition reads from the context; leave out for conditions on the application alone. */
  requirements?(body: Body, sink: RequirementSink): void;
}

/** Types a condition operator's module (keeps Body inferred from the schema). */
export function defineOperator<Body>(operator: ConditionOperator<Body>): ConditionOperator<Body> {
  return operator;
}
