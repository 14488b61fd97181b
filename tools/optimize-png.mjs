// `node tools/optimize-png.mjs [file.png …]` (default: every media/*.png): shrinks the PNGs that ship in the .vsix.
// pngquant (Debian package `pngquant`) first maps a picture to a palette of at most 256 colours, and only when the
// result keeps a quality of 90–100 (a UI screenshot or a flat icon has far fewer colours than that, so nothing a
// reader can see changes); then zopflipng (Debian package `zopfli`) recompresses losslessly. Either step is skipped
// when it would make the file larger. Run it after re-rendering the icon or refreshing a README screenshot, and
// commit the result: the UI runner and media/src/render-icon.mjs call it when they write such a file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} tool */
function available(tool) {
  return spawnSync(tool, ['--help'], { stdio: 'ignore' }).error === undefined;
}

/**
 * Optimises each PNG in place; returns false (and says what to install) when a tool is missing.
 * @param {string[]} files
 * @param {(line: string) => void} [log]
 */
export function optimizePngs(files, log = console.log) {
  const missing = ['pngquant', 'zopflipng'].filter((tool) => !available(tool));
  if (missing.length > 0) {
    log(`optimize-png: ${missing.join(' and ')} not found (apt-get install pngquant zopfli); PNGs left as they are`);
    return false;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'optimize-png-'));
  try {
    for (const file of files) {
      const before = fs.statSync(file).size;
      const quantized = path.join(scratch, 'quantized.png');
      // Exit 98/99: the result would be larger or below the quality floor; the file stays truecolour.
      const q = spawnSync('pngquant', ['--quality', '90-100', '--speed', '1', '--strip', '--skip-if-larger', '--force',
        '--output', quantized, file]);
      if (q.status === 0) fs.copyFileSync(quantized, file);
      else if (q.status !== 98 && q.status !== 99) throw new Error(`pngquant ${file}: ${q.stderr}`);
      const recompressed = path.join(scratch, 'recompressed.png');
      const z = spawnSync('zopflipng', ['-y', file, recompressed]);
      if (z.status !== 0) throw new Error(`zopflipng ${file}: ${z.stderr}`);
      if (fs.statSync(recompressed).size < fs.statSync(file).size) fs.copyFileSync(recompressed, file);
      const after = fs.statSync(file).size;
      log(`${path.relative(ROOT, file)}: ${(before / 1024).toFixed(1)} KB → ${(after / 1024).toFixed(1)} KB`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const media = path.join(ROOT, 'media');
  const files = args.length > 0
    ? args.map((f) => path.resolve(f))
    : fs.readdirSync(media).filter((f) => f.endsWith('.png')).map((f) => path.join(media, f));
  process.exit(optimizePngs(files) ? 0 : 1);
}
