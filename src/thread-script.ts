// How clustersim starts its worker threads from a build (the .js beside the caller) or from sources under tsx.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The script of worker `name` (a module beside `caller`, given without extension). Builds load
 * `name.js`; sources (tests, `node --import tsx`) load `name.ts` through a small module that first
 * registers tsx in the new thread, since Node 20 does not carry loaders into workers.
 */
export function threadScript(name: string, caller: string): URL {
  const script = new URL(`./${name}.${caller.endsWith('.ts') ? 'ts' : 'js'}`, caller);
  if (script.pathname.endsWith('.js')) return script;
  const tsx = pathToFileURL(createRequire(caller).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script.href)});`)}`);
}
