/**
 * The house rule: the core (src/) knows no adapter and no workflow. Only the composition root
 * (src/main.ts) may import them. Run by `npm test`; exits 1 listing every offending import.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const CORE = join(ROOT, 'src');
const COMPOSITION_ROOT = join(CORE, 'main.ts');
const FORBIDDEN = [join(ROOT, 'adapters'), join(ROOT, 'workflows')];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const problems: string[] = [];
for (const file of tsFiles(CORE)) {
  if (file === COMPOSITION_ROOT) continue;
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const target = resolve(dirname(file), ref.fileName);
    if (FORBIDDEN.some((dir) => target === dir || target.startsWith(`${dir}/`))) {
      problems.push(`${relative(ROOT, file)} imports ${ref.fileName}`);
    }
  }
}

if (problems.length > 0) {
  console.error(`src/ must not import adapters/ or workflows/ (only ${relative(ROOT, COMPOSITION_ROOT)} may):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`import rule: ok (${tsFiles(CORE).length} files in src/; only ${relative(ROOT, COMPOSITION_ROOT)} wires adapters and workflows)`);
