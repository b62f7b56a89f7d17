/** A sector the size of the local-government CEPTOAR (47 prefectures + 1,741 municipalities), for scale tests and the bench. */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export function largeDirectory(organisations: number): unknown {
  const orgs = Array.from({ length: organisations }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return {
      id: `lg-${n}`,
      name: { ja: i === 0 ? '横浜市' : i === 1 ? '港区' : `自治体${n}`, en: i === 0 ? 'Yokohama City' : i === 1 ? 'Minato City' : `Municipality ${n}` },
      kind: 'member',
      channels: [{ platform: 'slack', workspace: 'T0CEPTOAR0', id: `C0LG${n}`, sharedOutside: false }],
      contacts: [
        { name: `担当者${n}`, phone: `+81-3-5555-${n}`, order: 1, chat: { slack: `U0LG${n}` } },
      ],
    };
  });
  return {
    sector: { id: 'local-government', name: { ja: '自治体セプター', en: 'Local Government CEPTOAR' } },
    secretariat: {
      name: { ja: '事務局', en: 'Secretariat' },
      users: [{ platform: 'slack', userId: 'U0SEC00001', name: '事務局 担当A' }],
      channels: [{ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0SEC00001' }],
    },
    oncall: { users: [], channels: [{ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0ONC00001' }] },
    groups: [{ id: 'kanagawa', name: { ja: '神奈川県内', en: 'Kanagawa' }, members: ['lg-0001'] }],
    organisations: orgs,
  };
}

export async function writeLargeDirectory(path: string, organisations: number): Promise<string> {
  await writeFile(path, stringify(largeDirectory(organisations)));
  return path;
}
