import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage } from '../../scripts/teams/package.js';

const template = readFileSync('teams/manifest.template.json', 'utf8');
const settings = { appId: '00000000-1111-2222-3333-444444444444', botDomain: 'ceptoar.example.jp', version: '0.1.0', developerName: 'JMA', websiteUrl: 'https://ceptoar.example.jp' };

describe('Teams app package', () => {
  it('zips a manifest with the bot id, the commands and two PNG icons of the sizes Teams wants', () => {
    const files = unzipSync(buildTeamsPackage(template, settings));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { id: string; bots: { botId: string; commandLists: { commands: { title: string }[] }[] }[]; validDomains: string[] };
    expect(manifest.id).toBe(settings.appId);
    expect(manifest.bots[0]!.botId).toBe(settings.appId);
    expect(manifest.bots[0]!.commandLists[0]!.commands.map((c) => c.title)).toEqual(['advisory', 'advisory drill', 'advisory status', 'advisory oncall']);
    expect(manifest.validDomains).toEqual(['ceptoar.example.jp']);
    const size = (png: Uint8Array) => [Buffer.from(png).readUInt32BE(16), Buffer.from(png).readUInt32BE(20)];
    expect(size(files['color.png']!)).toEqual([192, 192]);
    expect(size(files['outline.png']!)).toEqual([32, 32]);
  });

  it('refuses to build with every missing setting named', () => {
    expect(() => buildTeamsPackage(template, { ...settings, appId: 'not-a-guid', botDomain: '', websiteUrl: 'http://x' })).toThrow(
      /MICROSOFT_APP_ID[\s\S]*TEAMS_BOT_DOMAIN[\s\S]*TEAMS_WEBSITE_URL/,
    );
  });
});
