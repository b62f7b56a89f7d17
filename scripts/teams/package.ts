/**
 * `npm run teams:package`: the Teams app package (manifest.json + icons, zipped) for upload in the
 * Teams admin centre or "Upload a custom app". Values come from the environment (or .env).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { colourIcon, outlineIcon } from './png.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PackageSettings {
  appId: string;
  botDomain: string;
  version: string;
  developerName: string;
  websiteUrl: string;
}

export function buildTeamsPackage(template: string, s: PackageSettings): Uint8Array {
  const problems: string[] = [];
  if (!GUID.test(s.appId)) problems.push('MICROSOFT_APP_ID: must be the bot app registration id (a GUID)');
  if (!/^[a-z0-9.-]+$/i.test(s.botDomain)) problems.push('TEAMS_BOT_DOMAIN: the bot host name, e.g. ceptoar.example.jp');
  if (!/^https:\/\//.test(s.websiteUrl)) problems.push('TEAMS_WEBSITE_URL: an https URL');
  if (!/^\d+\.\d+\.\d+$/.test(s.version)) problems.push('version: x.y.z');
  if (problems.length > 0) throw new Error(`cannot build the Teams package:\n  - ${problems.join('\n  - ')}`);
  const manifest = template
    .replaceAll('{{MICROSOFT_APP_ID}}', s.appId)
    .replaceAll('{{BOT_DOMAIN}}', s.botDomain)
    .replaceAll('{{VERSION}}', s.version)
    .replaceAll('{{DEVELOPER_NAME}}', s.developerName)
    .replaceAll('{{WEBSITE_URL}}', s.websiteUrl.replace(/\/$/, ''));
  JSON.parse(manifest); // a template edit that breaks JSON fails here, not in the Teams admin centre
  return zipSync({ 'manifest.json': strToU8(manifest), 'color.png': colourIcon(), 'outline.png': outlineIcon() });
}

function main(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = process.env;
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const zip = buildTeamsPackage(readFileSync('teams/manifest.template.json', 'utf8'), {
    appId: env.MICROSOFT_APP_ID ?? '',
    botDomain: env.TEAMS_BOT_DOMAIN ?? '',
    version: pkg.version,
    developerName: env.TEAMS_DEVELOPER_NAME ?? 'CEPTOAR secretariat',
    websiteUrl: env.TEAMS_WEBSITE_URL ?? `https://${env.TEAMS_BOT_DOMAIN ?? ''}`,
  });
  const out = resolve(env.TEAMS_PACKAGE_OUT ?? 'dist/ceptoar-bot-teams.zip');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  console.log(`Teams app package: ${out} (${zip.length} bytes)`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  try {
    main();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
