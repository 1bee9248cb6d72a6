// Apache Arrow from the package's one-file build, which loads in ~40 ms where its ES module graph takes ~160 ms.
import { createRequire } from 'node:module';

/**
 * The library itself (the same version and API as `import 'apache-arrow'`). Every process pays
 * the load at start, and the helper thread writing tasks.arrow pays it before it can take a row.
 */
export const arrow = createRequire(import.meta.url)('apache-arrow/Arrow.esnext.min') as typeof import('apache-arrow');
