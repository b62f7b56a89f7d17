import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { DirectoryError, loadDirectory, parseDirectory } from '../../../src/directory/load.js';
import { isBotError } from '../../../src/errors.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/members.example.yaml', import.meta.url));

/** The 2018-08-06 member list of the Medical CEPTOAR, from the seed document. */
const SEED_MEMBERS = [
  '公益社団法人 日本医師会',
  '公益社団法人 日本歯科医師会',
  '公益社団法人 日本薬剤師会',
  '公益社団法人 日本看護協会',
  '公益社団法人 全国自治体病院協議会',
  '公益社団法人 全日本病院協会',
  '一般社団法人 日本医療法人協会',
  '一般社団法人 日本私立医科大学協会',
  '公益社団法人 日本精神科病院協会',
  '一般社団法人 日本病院会',
  '一般社団法人 日本慢性期医療協会',
  '独立行政法人 国立病院機構',
  '独立行政法人 労働者健康安全機構',
  '一般社団法人 日本社会医療法人協議会',
  '独立行政法人 地域医療機能推進機構',
  '一般社団法人 日本リハビリテーション病院・施設協会',
  '地域包括ケア病棟協会',
];

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/** 1-based line of the only line containing `marker`, so the tests say which line without counting by hand. */
function lineOf(text: string, marker: string): number {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker "${marker}" found ${hits.length} times`);
  return hits[0]!;
}

const colOf = (text: string, marker: string, within: string = marker): number =>
  text.split('\n')[lineOf(text, marker) - 1]!.indexOf(within) + 1;

describe('the example directory', () => {
  it('loads with the 17 members and the observer of the Medical CEPTOAR', async () => {
    const dir = await loadDirectory(EXAMPLE);
    expect(dir.sector).toEqual({ id: 'medical', name: { ja: '医療セプター', en: 'Medical CEPTOAR' } });
    const members = dir.organisations().filter((o) => o.kind === 'member');
    const observers = dir.organisations().filter((o) => o.kind === 'observer');
    expect(members.map((o) => o.name.ja)).toEqual(SEED_MEMBERS);
    expect(observers.map((o) => [o.id, o.name.ja])).toEqual([['jahis', '保健医療福祉情報システム工業会']]);
    expect(dir.organisation('jma')?.name.en).toBe('Japan Medical Association');
  });

  it('gives every organisation a private channel and two valid contacts', async () => {
    const dir = await loadDirectory(EXAMPLE);
    for (const o of dir.organisations()) {
      expect(o.channels, o.id).toHaveLength(1);
      expect(o.channels[0]?.sharedOutside, o.id).toBe(o.id === 'jahis');
      expect(o.contacts, o.id).toHaveLength(2);
      for (const c of o.contacts) expect(isValidPhoneNumber(c.phone, 'JP'), c.phone).toBe(true);
      expect(o.contacts[0]?.email).toMatch(/@example\.jp$/);
    }
  });

  it('has the 四師会 and 四病協 groups', async () => {
    const dir = await loadDirectory(EXAMPLE);
    const groups = new Map(dir.groups().map((g) => [g.id, g]));
    expect(groups.get('shishikai')?.members).toEqual(['jma', 'jda', 'jpa', 'jna']);
    expect(groups.get('shishikai')?.name.ja).toBe('四師会');
    expect(groups.get('shibyokyo')?.members).toEqual(['ajha', 'jamc', 'jpha', 'jha']);
  });
});

const VALID = `sector:
  id: test
  name: { ja: テスト, en: Test }
secretariat:
  name: { ja: 事務局, en: Secretariat }
  users:
    - { platform: slack, userId: U0SEC1 }
  channels:
    - { platform: slack, workspace: T0TEST, id: C0SEC }
oncall:
  channels:
    - { platform: slack, workspace: T0TEST, id: C0ONC }
groups:
  - id: g1
    name: { ja: G1, en: G1 }
    members:
      - alpha
organisations:
  - id: alpha
    name: { ja: アルファ, en: Alpha }
    channels:
      - { platform: slack, workspace: T0TEST, id: C0ALPHA }
    contacts:
      - name: 山田
        phone: "+81-3-5555-0001"
        order: 1
`;

describe('parseDirectory', () => {
  it('accepts a minimal directory and applies the defaults', () => {
    const dir = parseDirectory(VALID, 'valid.yaml');
    const alpha = dir.organisation('alpha');
    expect(alpha?.kind).toBe('member');
    expect(alpha?.channels[0]?.sharedOutside).toBe(false);
    expect(dir.isOncall({ platform: 'slack', userId: 'U0SEC1' })).toBe(false);
  });

  it('reads a contact\'s chat identities as one map by platform', () => {
    const dir = parseDirectory(VALID.replace('        order: 1\n', '        order: 1\n        chat: { slack: U0YAMADA, teams: 00000000-0000-0000-0000-0000000000aa }\n'), 'chat.yaml');
    expect(dir.contactsInOrder('alpha')[0]?.chat).toEqual({ slack: 'U0YAMADA', teams: '00000000-0000-0000-0000-0000000000aa' });
    const unknown = caught(() => parseDirectory(VALID.replace('        order: 1\n', '        order: 1\n        chat: { line: U1 }\n'), 'chat.yaml'));
    expect(isBotError(unknown, 'DIRECTORY.INVALID')).toBe(true);
  });

  it('needs a team for a Teams team channel, but not for a group or 1:1 chat', () => {
    const teams = (id: string, team = '') =>
      VALID.replace('      - { platform: slack, workspace: T0TEST, id: C0ALPHA }', `      - { platform: teams, workspace: tenant-1, id: "${id}"${team ? `, team: "${team}"` : ''} }`);
    for (const chat of ['19:abc@thread.v2', '19:abc_def@unq.gbl.spaces', 'a:1xyz']) {
      expect(parseDirectory(teams(chat), 'chat.yaml').organisation('alpha')?.channels[0]?.id).toBe(chat);
    }
    expect(parseDirectory(teams('19:abc@thread.tacv2', '19:team@thread.tacv2'), 't.yaml').organisation('alpha')?.channels[0]?.team).toBe('19:team@thread.tacv2');
    const err = caught(() => parseDirectory(teams('19:abc@thread.tacv2'), 'noteam.yaml'));
    const problems = err instanceof DirectoryError ? err.problems : [];
    expect(problems.map((p) => p.path)).toEqual(['organisations[0].channels[0].team']);
  });

  it('refuses the identity keys of earlier releases, saying what to write instead, on their line', () => {
    const old = VALID.replace('        order: 1\n', '        order: 1\n        slackUserId: U0YAMADA\n        teamsUserId: aad-1\n');
    const err = caught(() => parseDirectory(old, 'old.yaml'));
    const problems = err instanceof DirectoryError ? err.problems : [];
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['organisations[0].contacts[0].slackUserId', lineOf(old, 'slackUserId')],
      ['organisations[0].contacts[0].teamsUserId', lineOf(old, 'teamsUserId')],
    ]);
    expect(problems[0]?.message).toContain('chat: { slack: "U0YAMADA" }');
    expect(problems[1]?.message).toContain('chat: { teams: "aad-1" }');
  });

  describe('a file with several mistakes', () => {
    const BAD = `sector:
  id: test
  name: { ja: テスト, en: Test }
secretariat:
  name: { ja: 事務局, en: Secretariat }
  users:
    - { platform: slack, userId: U0SEC1 }
  channels:
    - { platform: slack, workspace: T0TEST, id: C0SEC }
oncall:
  channels:
    - { platform: slack, workspace: T0TEST, id: C0ONC }
groups:
  - id: g1
    name: { ja: G1, en: G1 }
    members:
      - alpha
      - ghost
organisations:
  - id: alpha
    name: { ja: アルファ, en: Alpha }
    channels:
      - platform: slack
        workspace: T0TEST
        id: C0ALPHA
        sharedOutsde: true
    contacts:
      - name: 山田
        phone: "+81-3-12"
        order: 1
  - id: beta
    kind: partner
    channels: []
  - id: alpha
    name: { ja: 重複, en: Duplicate }
`;
    const err = caught(() => parseDirectory(BAD, 'bad.yaml'));
    const problems = err instanceof DirectoryError ? err.problems : [];
    const problemAt = (path: string) => problems.find((p) => p.path === path);

    it('throws a DirectoryError coded DIRECTORY.INVALID', () => {
      expect(err).toBeInstanceOf(DirectoryError);
      expect(isBotError(err, 'DIRECTORY.INVALID')).toBe(true);
    });

    it('reports every problem, each once', () => {
      expect(problems.map((p) => p.path).sort()).toEqual(
        [
          'groups[0].members[1]',
          'organisations[0].channels[0]',
          'organisations[0].contacts[0].phone',
          'organisations[1].kind',
          'organisations[1].name',
          'organisations[2].id',
        ].sort(),
      );
    });

    it('places a bad value on its own line and column', () => {
      expect(problemAt('organisations[0].contacts[0].phone')).toMatchObject({
        line: lineOf(BAD, '+81-3-12'),
        column: colOf(BAD, '+81-3-12', '"+81'),
      });
      expect(problemAt('organisations[0].contacts[0].phone')?.message).toMatch(/phone number/);
      expect(problemAt('organisations[1].kind')?.line).toBe(lineOf(BAD, 'kind: partner'));
    });

    it('places an unknown group member on the line that names it', () => {
      expect(problemAt('groups[0].members[1]')).toMatchObject({ line: lineOf(BAD, '- ghost'), message: 'unknown organisation "ghost"' });
    });

    it('places a duplicate id on the second occurrence', () => {
      expect(problemAt('organisations[2].id')).toMatchObject({ line: 34, message: 'duplicate organisation id "alpha"' });
      expect(BAD.split('\n')[33]).toBe('  - id: alpha');
    });

    it('places a missing field at the entry that lacks it', () => {
      expect(problemAt('organisations[1].name')).toMatchObject({ line: lineOf(BAD, '- id: beta'), column: 5 });
      expect(problemAt('organisations[1].name')?.message).toMatch(/missing/);
    });

    it('places a misspelt key on that key, so a typo cannot silently turn sharedOutside off', () => {
      expect(problemAt('organisations[0].channels[0]')).toMatchObject({
        line: lineOf(BAD, 'sharedOutsde'),
        column: colOf(BAD, 'sharedOutsde'),
      });
      expect(problemAt('organisations[0].channels[0]')?.message).toContain('sharedOutsde');
    });

    it('lists every problem in the message as file:line:col path — message, in file order', () => {
      const lines = (err as Error).message.split('\n').slice(1);
      expect(lines).toHaveLength(6);
      expect(lines).toContain(`bad.yaml:${lineOf(BAD, '- ghost')}:9 groups[0].members[1] — unknown organisation "ghost"`);
      expect(lines).toContain('bad.yaml:34:9 organisations[2].id — duplicate organisation id "alpha"');
      const positions = lines.map((l) => Number(/^bad\.yaml:(\d+):/.exec(l)?.[1]));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });
  });

  it('reports a YAML syntax error with its line', () => {
    const text = VALID.replace('  name: { ja: テスト, en: Test }', '  name: テスト\n    ja: テスト');
    const err = caught(() => parseDirectory(text, 'syntax.yaml'));
    expect(err).toBeInstanceOf(DirectoryError);
    const problems = (err as DirectoryError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBe(lineOf(text, 'name: テスト'));
    expect((err as Error).message).toContain(`syntax.yaml:${lineOf(text, 'name: テスト')}:`);
  });

  it('reports an unclosed bracket and a duplicate key together', () => {
    const text = VALID.replace('sector:\n  id: test\n', 'sector:\n  id: test\n  id: again\n').replace(
      '    members:\n      - alpha\n',
      '    members: [alpha\n',
    );
    const problems = (caught(() => parseDirectory(text, 'x.yaml')) as DirectoryError).problems;
    expect(problems.map((p) => p.line)).toContain(lineOf(text, 'id: again'));
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects an empty file with a position', () => {
    const problems = (caught(() => parseDirectory('', 'empty.yaml')) as DirectoryError).problems;
    expect(problems).toEqual([expect.objectContaining({ path: '(root)', line: 1, column: 1 })]);
  });

  it('rejects a member channel that is the secretariat channel', () => {
    const text = VALID.replace('id: C0ALPHA', 'id: C0SEC');
    const problems = (caught(() => parseDirectory(text, 'x.yaml')) as DirectoryError).problems;
    expect(problems).toEqual([expect.objectContaining({ path: 'organisations[0].channels[0].id', line: lineOf(text, '      - { platform: slack, workspace: T0TEST, id: C0SEC }') })]);
  });
});

describe('loadDirectory', () => {
  it('names the path of a missing file', async () => {
    const err = await loadDirectory('/nonexistent/members.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryError);
    expect((err as Error).message).toContain('/nonexistent/members.yaml');
    expect((err as Error).message).toContain('file not found');
  });

  it('uses the path as the source name in positions', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    expect(() => parseDirectory(text.replace('id: jda', 'id: jma'), EXAMPLE)).toThrow(`${EXAMPLE}:${lineOf(text, 'id: jda')}:`);
  });
});
