import { defineConfig } from 'vitest/config';

/**
 * What `npm run mutation` runs against each mutant: the unit tests, which reach the domain and the
 * commands through in-memory ports (no Redis), so thousands of mutants take minutes. The Teams chat port's tests, the
 * Slack send path's, the acknowledge button's answer through the response URL, and the JSON call path's under both talk to fakes on loopback: quick, and the only way to reach
 * their HTTP paths.
 */
export default defineConfig({
  test: {
    include: ['test/src/domain/**/*.test.ts', 'test/src/commands/**/*.test.ts', 'test/src/pace/**/*.test.ts', 'test/src/store/sqlite-store.test.ts', 'test/src/store/sqlite-concurrency.test.ts', 'test/src/store/commit-group.test.ts', 'test/src/config.test.ts', 'test/adapters/teams/teams-chat.test.ts', 'test/adapters/teams/connector-token.test.ts', 'test/src/lib/keep-alive-json.test.ts', 'test/adapters/slack/slack-send.test.ts', 'test/adapters/slack/slack-respond.test.ts', 'test/adapters/slack/ack-action.test.ts', 'test/adapters/teams/connector-send.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
