import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { describeMongoUri } from '../../../src/store/open-store.js';
import { storeContract } from './store-contract.js';

const uri = process.env.MONGODB_URI?.trim() || undefined;

if (!uri) {
  console.warn(
    'MongoDB store contract SKIPPED: MONGODB_URI is not set (no MongoDB server on this machine); the same suite ran against SQLite.',
  );
}

/** One prefix per run; every test gets its own database under it, all dropped at the end. */
const runPrefix = `ceptoar_test_${process.pid}_${randomBytes(3).toString('hex')}`;
const databases: string[] = [];

describe.skipIf(!uri)('MongoStore (MONGODB_URI)', () => {
  afterAll(async () => {
    if (!uri || databases.length === 0) return;
    const client = new MongoClient(uri);
    try {
      await client.connect();
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });

  storeContract('MongoDB', async () => {
    const dbName = `${runPrefix}_${databases.length + 1}`;
    databases.push(dbName);
    return MongoStore.connect(uri as string, { dbName });
  });
});

describe('describeMongoUri (what openStore logs)', () => {
  it.each([
    ['mongodb://bot:s3cret@db1.example:27017,db2.example:27017/ceptoar?replicaSet=rs0&authSource=admin', 'mongodb://db1.example:27017,db2.example:27017/ceptoar'],
    ['mongodb+srv://bot:s3cret@cluster0.example.net/ceptoar?retryWrites=true', 'mongodb+srv://cluster0.example.net/ceptoar'],
    ['mongodb://localhost:27017', 'mongodb://localhost:27017'],
    ['mongodb://localhost/', 'mongodb://localhost'],
    ['mongodb://u:p%40ss@h/?tlsCertificateKeyFilePassword=s3cret', 'mongodb://h'],
    ['mongodb://u:p@ss@h/db', 'mongodb://h/db'],
  ])('%s -> %s', (input, expected) => {
    expect(describeMongoUri(input)).toBe(expected);
  });

  it.each([
    'mongodb://bot:s3c/ret@h/db',
    'mongodb://bot:s3c?ret@h/db',
    'mongodb://bot:s3cret@h/db?authMechanismProperties=AWS_SESSION_TOKEN:s3cret',
    'postgres://bot:s3cret@h/db',
    'bot:s3cret@h',
  ])('never prints a secret from %s', (input) => {
    const out = describeMongoUri(input);
    expect(out).not.toMatch(/s3c|ret|bot/);
  });
});
