// What every data source reader gets and gives.
import type { DataAccess } from '@regnet/compiler';
import type { Random } from '../../random.js';
import type { Examples } from '../examples.js';

export interface SourceContext {
  /** Classes of the experiment (DataConfig.classes); 0 for regression targets. */
  classes: number;
  /**
   * Class names in index order, when known: the compiler's SourceConfig.labels, or the
   * training source's, so validation/test sources number classes the same way.
   */
  labels?: string[];
  /** The seeded stream for generated sources (playground). */
  rng: Random;
  /** The folders data may be read from (every file of an image folder is checked too). */
  access?: DataAccess;
}

export interface SourceResult {
  examples: Examples;
  /** Class names in index order (string labels, image folders). */
  labels?: string[];
}
