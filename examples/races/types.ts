/**
 * The shape every race example shares: a buggy program, its fix, and the invariant the bug breaks.
 * @module
 */
import type { ExploreMain, Invariant } from '../../src/index.js';

/** A race example: two programs usable as explore's `main`, and the invariant that tells them apart. */
export interface RaceExample<T> {
  /** Short name, used as the explore title. */
  readonly title: string;
  /** One line on what goes wrong. */
  readonly bug: string;
  /** One line on the fix. */
  readonly fix: string;
  readonly buggy: ExploreMain<T>;
  readonly fixed: ExploreMain<T>;
  readonly invariant: Invariant<T>;
}
