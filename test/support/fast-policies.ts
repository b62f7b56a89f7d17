/** Escalation measured in seconds, so a whole ladder runs inside a test. */
import { writeFile } from 'node:fs/promises';

/** level3 (the form's default in tests): reminder at 2 s, phone at 4 s, next contact every 2 s, alert by 8 s for 2 contacts. */
export const FAST_POLICIES = `policies:
  level3: { deadline: 4s, reminderBefore: 2s, nextContactEvery: 2s, alertAfter: 10s }
  level4: { deadline: 4s, reminderBefore: 2s, nextContactEvery: 2s, alertAfter: 10s }
`;

export async function writeFastPolicies(path: string): Promise<string> {
  await writeFile(path, FAST_POLICIES);
  return path;
}
