import { MongoBulkWriteError, MongoServerError, MongoWriteConcernError } from 'mongodb';

const DUPLICATE_KEY = 11000;

/**
 * Only a plain duplicate-key refusal is safe to ignore; anything else is not: a write concern
 * failure (the write may not survive a failover), a network or driver error (a MongoBulkWriteError
 * then has no write errors), a closed client, a timeout.
 *
 * Facts from the driver (v7) this relies on: a single write whose reply carries a writeConcernError
 * is thrown as MongoWriteConcernError, even when the reply also has a duplicate-key write error;
 * a bulk insert wraps write concern failures and driver errors in a MongoBulkWriteError whose
 * `writeErrors` is empty and whose result reports the write concern error.
 */
export function isDuplicateKey(err: unknown): boolean {
  if (err instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    return (
      writeErrors.length > 0 &&
      writeErrors.every((e) => e.code === DUPLICATE_KEY) &&
      err.err === undefined &&
      err.result.getWriteConcernError() === undefined
    );
  }
  return (
    err instanceof MongoServerError &&
    !(err instanceof MongoWriteConcernError) &&
    err.code === DUPLICATE_KEY &&
    err.writeConcernError === undefined
  );
}
