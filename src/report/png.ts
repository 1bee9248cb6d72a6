// PNG from SVG with resvg compiled to WebAssembly (shipped in its npm package: no native build, no download).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { inputError } from '../errors.js';

/** Fonts tried for chart labels when none is given (Debian's fonts-dejavu-core and fonts-liberation). */
export const DEFAULT_FONTS = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'];

let ready: Promise<void> | undefined;

/** Renders `svg` to PNG at twice its size; labels need a TrueType font, since WebAssembly sees no system fonts. */
export async function svgToPng(svg: string, font?: string): Promise<Uint8Array> {
  const file = font ?? DEFAULT_FONTS.find((f) => existsSync(f));
  if (file === undefined || !existsSync(file)) {
    throw inputError(Error, `PNG output needs a TrueType font for the labels: pass --font <file.ttf> or install fonts-dejavu-core (looked for ${font ?? DEFAULT_FONTS.join(', ')})`);
  }
  ready ??= initWasm(readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')));
  await ready;
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { fontBuffers: [readFileSync(file)], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
